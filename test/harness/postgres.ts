// Runs a real, throwaway PostgreSQL cluster for tests: one temp directory, one loopback port,
// trust authentication, and a fresh database per caller that wants one.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./test-utils.js";

export interface PostgresHandle {
  readonly port: number;
  readonly dataDir: string;
  readonly logPath: string;
  /** The cluster's own superuser database, for inspecting what a test left behind. */
  readonly adminConnectionString: string;
  /** Creates an empty database and returns how to reach it. */
  freshDatabase(): Promise<string>;
  /** Stops the cluster and deletes its files (kept when PARLEY_KEEP_POSTGRES=1). */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const SUPERUSER = "postgres";

const run = promisify(execFile);

// Clusters still running when this process exits normally; the parent-death signal covers the rest.
const runningClusters = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of runningClusters) child.kill("SIGKILL");
});

/** Where initdb and postgres live: PARLEY_POSTGRES_BINDIR, or the newest Debian install. */
function serverBinDir(): string {
  const fromEnvironment = process.env.PARLEY_POSTGRES_BINDIR;
  if (fromEnvironment) return fromEnvironment;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`No PostgreSQL server under ${root}; install Debian's postgresql package or set PARLEY_POSTGRES_BINDIR`);
  }
  return join(root, versions[0] as string, "bin");
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
 * user; setpriv also has the kernel kill it if this test process dies without stopping it.
 */
async function asServerUser(): Promise<{ wrap: (command: string[]) => string[]; owner?: { uid: number; gid: number } }> {
  if (process.getuid?.() !== 0) return { wrap: (command) => command };
  const [uid, gid] = await Promise.all([run("id", ["-u", SUPERUSER]), run("id", ["-g", SUPERUSER])]);
  return {
    wrap: (command) => ["setpriv", `--reuid=${SUPERUSER}`, `--regid=${SUPERUSER}`, "--init-groups", "--pdeathsig=KILL", "--", ...command],
    owner: { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) },
  };
}

export async function startPostgres(): Promise<PostgresHandle> {
  const binDir = serverBinDir();
  const [user, port, dataDir] = await Promise.all([asServerUser(), freePort(), mkdtemp(join(tmpdir(), "parley-postgres-"))]);
  if (user.owner) await chown(dataDir, user.owner.uid, user.owner.gid);
  const clusterDir = join(dataDir, "cluster");
  const [initdb, ...initdbArgs] = user.wrap([
    join(binDir, "initdb"), "--pgdata", clusterDir, "--username", SUPERUSER, "--auth", "trust",
    "--encoding", "UTF8", "--locale", "C", "--no-sync",
  ]);
  try {
    await run(initdb as string, initdbArgs, { cwd: dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  const cluster = new RunningPostgres(binDir, user.wrap, { port, dataDir, clusterDir });
  console.info(`PostgreSQL on 127.0.0.1:${port}, log in ${cluster.logPath}`);
  await cluster.launch();
  return cluster;
}

class RunningPostgres implements PostgresHandle {
  readonly port: number;
  readonly dataDir: string;
  readonly logPath: string;
  readonly adminConnectionString: string;
  private readonly clusterDir: string;
  private child: ChildProcess | undefined;
  private databases = 0;

  constructor(
    private readonly binDir: string,
    private readonly wrap: (command: string[]) => string[],
    where: { port: number; dataDir: string; clusterDir: string },
  ) {
    this.port = where.port;
    this.dataDir = where.dataDir;
    this.clusterDir = where.clusterDir;
    this.logPath = join(where.dataDir, "postgres.log");
    this.adminConnectionString = this.connectionString(SUPERUSER);
  }

  async launch(): Promise<void> {
    const log = openSync(this.logPath, "a");
    // No Unix socket: the temp dir is the only place it could go, and tests connect over TCP anyway.
    // fsync is off because a test cluster never outlives a crash.
    const [command, ...args] = this.wrap([
      join(this.binDir, "postgres"), "-D", this.clusterDir, "-p", String(this.port),
      "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
    ]);
    const child = spawn(command as string, args, { stdio: ["ignore", log, log], cwd: this.dataDir });
    closeSync(log);
    child.unref();
    this.child = child;
    runningClusters.add(child);
    child.once("exit", () => runningClusters.delete(child));
    try {
      await this.waitUntilAnswering(child);
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  async freshDatabase(): Promise<string> {
    const name = `parley_${process.pid}_${++this.databases}`;
    const admin = new pg.Client({ connectionString: this.adminConnectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return this.connectionString(name);
  }

  async stop(): Promise<void> {
    await this.kill();
    if (process.env.PARLEY_KEEP_POSTGRES === "1") return;
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private connectionString(database: string): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  private async waitUntilAnswering(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw this.startFailure(`exited (${child.exitCode ?? child.signalCode}) before answering`);
      }
      const probe = new pg.Client({ connectionString: this.adminConnectionString });
      try {
        await probe.connect();
        await probe.query("SELECT 1");
        return;
      } catch {
        // Not listening yet, or still starting up.
      } finally {
        await probe.end().catch(() => undefined);
      }
      await delay(100);
    }
    throw this.startFailure(`did not answer within ${READY_TIMEOUT_MS} ms`);
  }

  private startFailure(what: string): Error {
    const log = existsSync(this.logPath) ? readFileSync(this.logPath, "utf8").split("\n").slice(-20).join("\n") : "";
    return new Error(`PostgreSQL ${what}; the end of its log:\n${log}`);
  }

  /** A fast shutdown (SIGINT): open sessions are ended and the cluster stops cleanly. */
  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
