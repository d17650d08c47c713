// Starts the whole of Parley for an end-to-end test: a real Synapse loading Parley's
// registration, Parley itself through the same start() the command line uses, and a
// log that tests can read back.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import winston from "winston";
import { start, type RunningParley } from "../../src/app.js";
import { createLogger } from "../../src/logging.js";
import { readConfig, type ParleyConfig } from "../../src/config/config.js";
import { NETWORKS } from "../../src/connectors/index.js";
import {
  generateDoublePuppetRegistration, generateRegistration, registrationToYaml, type RegistrationFile,
} from "../../src/matrix/registration.js";
import { startSynapse, type SynapseHandle } from "../harness/synapse.js";
import { freePort } from "../harness/test-utils.js";
import type { TransactionProxy } from "../harness/transaction-proxy.js";

export interface ParleyUnderTest {
  synapse: SynapseHandle;
  parley: RunningParley;
  config: ParleyConfig;
  registration: RegistrationFile;
  /** Everything Parley logged, at debug level, as it would appear in a log file. */
  logs: string[];
  parleyUrl: string;
  /** Stops and starts Parley alone, on the same store and port. */
  restartParley(): Promise<void>;
  /** Stops Parley alone, to act while it is down; startParleyAgain() brings it back on the same store and port. */
  stopParley(): Promise<void>;
  startParleyAgain(): Promise<void>;
  stop(): Promise<void>;
}


export interface StartOptions {
  /** Also make and load a double-puppeting registration, so Parley may post as linked people. */
  doublePuppet?: boolean;
  /** Routes the homeserver's transactions through this proxy, which may lose some. */
  transactionProxy?: TransactionProxy;
}

export async function startParley(extraConfig: Record<string, unknown> = {}, options: StartOptions = {}): Promise<ParleyUnderTest> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const doublePuppetPath = join(dataDir, "double-puppet-registration.yaml");
  if (options.doublePuppet) {
    extraConfig = { ...extraConfig, linking: { ...(extraConfig.linking as object | undefined), doublePuppetRegistration: doublePuppetPath } };
  }
  const raw = {
    homeserver: { url: "http://127.0.0.1:1", serverName: "localhost" },
    appservice: { bindAddress: "127.0.0.1", port, publicUrl: `http://127.0.0.1:${port}` },
    database: { engine: "sqlite", path: join(dataDir, "parley.db") },
    logging: { level: "debug", console: false },
    permissions: { "*": "relay", localhost: "user", "@admin:localhost": "admin", "@outsider:localhost": "none" },
    ...extraConfig,
  };
  const placeholder = readConfig(raw, NETWORKS);
  if (placeholder.problems.length > 0) throw new Error(`bad test config: ${placeholder.problems.join("; ")}`);
  const parleyUrl = `http://127.0.0.1:${port}`;
  options.transactionProxy?.forwardTo(parleyUrl);
  const registration = generateRegistration(placeholder.config, NETWORKS, options.transactionProxy ? await options.transactionProxy.start() : parleyUrl);
  const doublePuppet = options.doublePuppet ? generateDoublePuppetRegistration(placeholder.config) : undefined;
  if (doublePuppet) writeFileSync(doublePuppetPath, registrationToYaml(doublePuppet));
  const synapse = await startSynapse({
    registration: { ...registration },
    extraRegistrations: doublePuppet ? [{ ...doublePuppet }] : [],
    serverName: "localhost",
  });
  const config: ParleyConfig = { ...placeholder.config, homeserver: { url: synapse.baseUrl, serverName: "localhost" } };

  const logs: string[] = [];
  const capture = new winston.transports.Stream({
    stream: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        // PARLEY_E2E_LOG=1 shows Parley's log live, for debugging a failing test.
        if (process.env.PARLEY_E2E_LOG) process.stderr.write(String(chunk));
        done();
      },
    }),
  });
  const logger = createLogger({ level: "debug", format: "text", console: false }, [capture]);

  const handle: ParleyUnderTest = {
    synapse,
    config,
    registration,
    logs,
    parleyUrl,
    parley: await start(config, registration, NETWORKS, logger),
    async restartParley() {
      await handle.parley.stop();
      handle.parley = await start(config, registration, NETWORKS, logger);
    },
    async stopParley() {
      await handle.parley.stop();
    },
    async startParleyAgain() {
      handle.parley = await start(config, registration, NETWORKS, logger);
    },
    async stop() {
      await handle.parley.stop().catch(() => undefined);
      await synapse.stop();
      await options.transactionProxy?.stop();
    },
  };
  return handle;
}
