// Runs a real, throwaway Synapse for end-to-end tests: one temp directory, one loopback port,
// the appservice registration under test loaded, and users made on demand.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { once } from "node:events";
import { openSync, closeSync, appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MatrixApiError, matrixJson } from "./matrix-http.js";
import { MatrixUser } from "./matrix-user.js";
import { writeSynapseFiles, type AppserviceRegistration, type SynapseFiles } from "./synapse-config.js";

export type { AppserviceRegistration } from "./synapse-config.js";

export interface StartSynapseOptions {
  registration: AppserviceRegistration;
  /** More appservices to load, such as a double-puppeting registration. */
  extraRegistrations?: AppserviceRegistration[];
  serverName?: string;
}

export interface SynapseHandle {
  readonly baseUrl: string;
  readonly serverName: string;
  readonly port: number;
  readonly dataDir: string;
  /** Synapse's stdout and stderr, across restarts. */
  readonly logPath: string;
  readonly registration: AppserviceRegistration;
  /** Registers a person through the shared-secret admin API and returns them logged in. */
  registerUser(localpart: string, options?: { admin?: boolean; displayName?: string }): Promise<MatrixUser>;
  /**
   * A client that acts with the appservice's as_token: as its sender bot by default, or as a
   * user in its namespace, which is registered first if need be.
   */
  appserviceUser(localpart?: string): Promise<MatrixUser>;
  /** Stops Synapse and deletes its data (kept when PARLEY_KEEP_SYNAPSE=1). */
  stop(): Promise<void>;
  /** Stops and starts Synapse again on the same data and port, after `downForMs` of outage. */
  restart(downForMs?: number): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const INSTALL_SCRIPT = fileURLToPath(new URL("./install-synapse.sh", import.meta.url));

// Runs Synapse's entry point after asking the kernel to kill it when its parent (this test
// process) dies, so a worker that is killed outright cannot leave a homeserver behind. If the
// parent is already gone by then, it quits at once. (prctl 1 is PR_SET_PDEATHSIG.)
const LAUNCHER = `
import ctypes, os, runpy, signal, sys
ctypes.CDLL(None).prctl(1, signal.SIGKILL)
if os.getppid() != int(os.environ["PARLEY_TEST_PID"]):
    sys.exit("the test process that started Synapse is gone")
sys.argv[0] = "synapse.app.homeserver"
runpy.run_module("synapse.app.homeserver", run_name="__main__", alter_sys=True)
`;

// Children still running when this process exits normally; parent-death signals cover the rest.
const runningChildren = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of runningChildren) child.kill("SIGKILL");
});

let synapsePython: Promise<string> | undefined;

/** The python that runs Synapse: PARLEY_SYNAPSE_PYTHON, or whatever the install script provides. */
function findSynapsePython(): Promise<string> {
  const fromEnvironment = process.env.PARLEY_SYNAPSE_PYTHON;
  if (fromEnvironment) return Promise.resolve(fromEnvironment);
  synapsePython ??= promisify(execFile)("bash", [INSTALL_SCRIPT], { maxBuffer: 1 << 20 }).then(({ stdout }) =>
    stdout.trim(),
  );
  return synapsePython;
}

export async function startSynapse(options: StartSynapseOptions): Promise<SynapseHandle> {
  const serverName = options.serverName ?? "localhost";
  const [python, port, dataDir] = await Promise.all([
    findSynapsePython(),
    freeLoopbackPort(),
    mkdtemp(join(tmpdir(), "parley-synapse-")),
  ]);
  const files = await writeSynapseFiles(dataDir, { serverName, port, registration: options.registration, extraRegistrations: options.extraRegistrations });
  const synapse = new RunningSynapse(python, files, { serverName, port, dataDir, registration: options.registration });
  console.info(`Synapse for ${serverName} at ${synapse.baseUrl}, log in ${files.logPath}`);
  await synapse.launch();
  return synapse;
}

class RunningSynapse implements SynapseHandle {
  readonly baseUrl: string;
  readonly serverName: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logPath: string;
  readonly registration: AppserviceRegistration;
  private child: ChildProcess | undefined;

  constructor(
    private readonly python: string,
    private readonly files: SynapseFiles,
    where: { serverName: string; port: number; dataDir: string; registration: AppserviceRegistration },
  ) {
    this.serverName = where.serverName;
    this.port = where.port;
    this.dataDir = where.dataDir;
    this.registration = where.registration;
    this.baseUrl = `http://127.0.0.1:${where.port}`;
    this.logPath = files.logPath;
  }

  async launch(): Promise<void> {
    const log = openSync(this.logPath, "a");
    const child = spawn(this.python, ["-c", LAUNCHER, "--config-path", this.files.configPath], {
      stdio: ["ignore", log, log],
      env: { ...process.env, PARLEY_TEST_PID: String(process.pid) },
    });
    closeSync(log);
    // A test that forgets stop() should not keep its process alive; the exit hook still kills Synapse.
    child.unref();
    this.child = child;
    runningChildren.add(child);
    child.once("exit", () => runningChildren.delete(child));
    try {
      await this.waitUntilAnswering(child);
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  async registerUser(localpart: string, options: { admin?: boolean; displayName?: string } = {}): Promise<MatrixUser> {
    const path = "/_synapse/admin/v1/register";
    const { nonce } = await matrixJson<{ nonce: string }>(this.baseUrl, { method: "GET", path });
    const password = randomBytes(12).toString("hex");
    const admin = options.admin ?? false;
    const mac = createHmac("sha1", this.files.registrationSharedSecret)
      .update([nonce, localpart, password, admin ? "admin" : "notadmin"].join("\0"))
      .digest("hex");
    const registered = await matrixJson<{ user_id: string; access_token: string }>(this.baseUrl, {
      method: "POST",
      path,
      body: { nonce, username: localpart, password, admin, displayname: options.displayName, mac },
    });
    return new MatrixUser(this.baseUrl, registered.user_id, registered.access_token);
  }

  async appserviceUser(localpart = this.registration.sender_localpart): Promise<MatrixUser> {
    if (localpart !== this.registration.sender_localpart) {
      await matrixJson(this.baseUrl, {
        method: "POST",
        path: "/_matrix/client/v3/register",
        accessToken: this.registration.as_token,
        body: { type: "m.login.application_service", username: localpart, inhibit_login: true },
      }).catch((error: unknown) => {
        if (!(error instanceof MatrixApiError && error.errcode === "M_USER_IN_USE")) throw error;
      });
    }
    const userId = `@${localpart}:${this.serverName}`;
    return new MatrixUser(this.baseUrl, userId, this.registration.as_token, { asAppservice: true });
  }

  async stop(): Promise<void> {
    await this.kill();
    if (process.env.PARLEY_KEEP_SYNAPSE === "1") return;
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Stops Synapse, keeps it down for `downForMs` (an outage), and starts it on the same data. */
  async restart(downForMs = 0): Promise<void> {
    await this.kill();
    appendFileSync(this.logPath, `\n===== restarted by the test harness at ${new Date().toISOString()} =====\n`);
    if (downForMs > 0) await delay(downForMs);
    await this.launch();
  }

  private async waitUntilAnswering(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw this.startFailure(`exited (${child.exitCode ?? child.signalCode}) before answering`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/_matrix/client/versions`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await delay(100);
    }
    throw this.startFailure(`did not answer within ${READY_TIMEOUT_MS} ms`);
  }

  private startFailure(what: string): Error {
    const tail = readFileSync(this.logPath, "utf8").split("\n").slice(-40).join("\n");
    return new Error(`Synapse at ${this.baseUrl} ${what}. Log ${this.logPath} ends with:\n${tail}`);
  }

  /** SIGTERM for a clean shutdown, SIGKILL if it lingers. */
  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const forceKill = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(forceKill);
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
