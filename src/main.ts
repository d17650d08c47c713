#!/usr/bin/env node
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs, UsageError, type CommandLine } from "./cli/args.js";
import { ConfigError, loadConfigFile } from "./config/config.js";
import { NETWORKS } from "./connectors/index.js";
import {
  generateDoublePuppetRegistration, generateRegistration, loadRegistration, registrationToYaml,
} from "./matrix/registration.js";
import { PARLEY_VERSION } from "./version.js";

const USAGE = `Parley ${PARLEY_VERSION}: a Matrix bridge to Discord and Slack

Usage:
  parley generate-registration -c config.yaml -f registration.yaml [-u URL] [--force]
      Write the appservice registration to give to your homeserver. -u is the URL the
      homeserver reaches Parley at (default: from appservice.bindAddress and port).
  parley start -c config.yaml -f registration.yaml
      Run the bridge.
  parley check-config -c config.yaml
      List every problem in a config file; exit 1 if there is any.

Options:
  -c, --config FILE   the config file (default: config.yaml)
  -f, --file FILE     the registration file (default: registration.yaml)
  -u, --url URL       with generate-registration: where the homeserver reaches Parley
      --force         with generate-registration: overwrite an existing file
  -h, --help          show this help
  -V, --version       show the version
`;

const stringFlag = (line: CommandLine, name: string, fallback: string) => {
  const value = line.flags.get(name);
  return typeof value === "string" ? value : fallback;
};

async function run(line: CommandLine): Promise<number> {
  const configPath = stringFlag(line, "config", "config.yaml");
  const registrationPath = stringFlag(line, "file", "registration.yaml");
  switch (line.command) {
    case "check-config": {
      loadConfigFile(configPath, NETWORKS);
      console.log(`${configPath}: no problems found`);
      return 0;
    }
    case "generate-registration": {
      const config = loadConfigFile(configPath, NETWORKS);
      if (existsSync(registrationPath) && !line.flags.has("force")) {
        console.error(`${registrationPath} already exists; use --force to replace it (the homeserver must then load the new one)`);
        return 1;
      }
      const doublePuppetPath = config.linking.doublePuppetRegistration;
      if (doublePuppetPath && existsSync(doublePuppetPath) && !line.flags.has("force")) {
        console.error(`${doublePuppetPath} already exists; use --force to replace it`);
        return 1;
      }
      const url = line.flags.get("url");
      const registration = generateRegistration(config, NETWORKS, typeof url === "string" ? url : undefined);
      writeFileSync(registrationPath, registrationToYaml(registration), { mode: 0o600 });
      console.log(`Wrote ${registrationPath}. Add it to your homeserver's app_service_config_files and restart the homeserver.`);
      if (doublePuppetPath) {
        writeFileSync(doublePuppetPath, registrationToYaml(generateDoublePuppetRegistration(config)), { mode: 0o600 });
        console.log(`Wrote ${doublePuppetPath} for double puppeting: add it to app_service_config_files too.`);
      }
      return 0;
    }
    case "start": {
      const config = loadConfigFile(configPath, NETWORKS);
      const registration = loadRegistration(registrationPath);
      // Loaded here so the other commands do not pay for the Matrix SDK's start-up.
      const { start } = await import("./app.js");
      const parley = await start(config, registration, NETWORKS);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        parley.log.info(`Received ${signal}`);
        void parley.stop().then(() => process.exit(0), (error: unknown) => {
          parley.log.error("Stopping failed", { error });
          process.exit(1);
        });
      };
      process.on("SIGTERM", () => shutdown("SIGTERM"));
      process.on("SIGINT", () => shutdown("SIGINT"));
      // A bug must not take the bridge down with messages in flight: log it and carry on.
      process.on("unhandledRejection", (reason) => parley.log.error("Unhandled rejection", { error: reason }));
      return -1;
    }
    default:
      throw new UsageError(line.command === undefined ? "no command given" : `unknown command "${line.command}"`);
  }
}

async function main(): Promise<void> {
  let line: CommandLine;
  try {
    line = parseArgs(process.argv.slice(2));
    if (line.flags.has("help")) {
      process.stdout.write(USAGE);
      return;
    }
    if (line.flags.has("version")) {
      console.log(PARLEY_VERSION);
      return;
    }
    const code = await run(line);
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`parley: ${error.message}\n`);
      process.stderr.write(USAGE);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(`parley: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}

void main();
