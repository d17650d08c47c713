// Parley as a separate process, for tests that must kill it the hard way (SIGKILL) or
// stop it as an init system would (SIGTERM), and start it again on the same store.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

/** How to run Parley: from its TypeScript sources (tests), or built, as it runs in production (benchmarks). */
export type ParleyBuild = "sources" | "compiled";

const ENTRY: Record<ParleyBuild, string[]> = {
  sources: ["--import", "tsx", join(import.meta.dirname, "../../src/main.ts")],
  compiled: [join(import.meta.dirname, "../../dist/main.js")],
};

export class ParleyProcess {
  private child?: ChildProcess;
  /** Everything every run printed, for diagnosing a failure. */
  output = "";
  starts = 0;
  private stopping = false;

  constructor(
    private readonly configPath: string,
    private readonly registrationPath: string,
    private readonly build: ParleyBuild = "sources",
  ) {}

  static writeFiles(dir: string, config: unknown, registration: unknown): { configPath: string; registrationPath: string } {
    const configPath = join(dir, "config.yaml");
    const registrationPath = join(dir, "registration.yaml");
    writeFileSync(configPath, stringify(config));
    writeFileSync(registrationPath, stringify(registration));
    return { configPath, registrationPath };
  }

  /** Starts Parley and resolves once it logs that it is ready. */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, [...ENTRY[this.build], "start", "-c", this.configPath, "-f", this.registrationPath], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts++;
    this.stopping = false;
    const marker = this.output.length;
    const collect = (chunk: Buffer) => {
      this.output += String(chunk);
      if (process.env.PARLEY_E2E_LOG) process.stderr.write(chunk);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const deadline = Date.now() + timeoutMs;
    while (!this.output.slice(marker).includes(" is ready: ")) {
      if (child.exitCode !== null) throw new Error(`Parley exited with ${child.exitCode} before it was ready:\n${this.output.slice(marker)}`);
      if (Date.now() > deadline) throw new Error(`Parley was not ready within ${timeoutMs} ms:\n${this.output.slice(marker)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The running process's id, for reading its memory use. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** Whether the process ended by itself (a crash) rather than being stopped. */
  get exited(): boolean {
    return this.child !== undefined && this.child.exitCode !== null && !this.stopping;
  }

  /** Sends a signal and waits for the process to end; resolves with its exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    this.stopping = true;
    child.kill(signal);
    const code = await exited;
    this.stopping = false;
    return code;
  }
}
