import { readFileSync } from "node:fs";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ConfigProblems, ConfigReader } from "./reader.js";
import { parsePermissionRules, type PermissionRule } from "../core/permissions.js";
import type { NetworkModule } from "../core/network-module.js";

export interface HomeserverConfig {
  /** Where Parley reaches the homeserver's client-server API. */
  url: string;
  /** The server name in user ids (`@alice:example.org` -> `example.org`). */
  serverName: string;
}

export interface AppserviceConfig {
  bindAddress: string;
  port: number;
  /** How the homeserver and people's browsers reach Parley's listener (avatars, media links, OAuth). */
  publicUrl: string;
  id: string;
}

export interface BotConfig {
  localpart: string;
  displayName: string;
  /** An mxc:// URI or an http(s) URL that Parley uploads once. */
  avatar?: string;
  commandPrefix: string;
}

export type DatabaseConfig =
  | { engine: "sqlite"; path: string }
  | { engine: "postgres"; connectionString: string };

export interface LoggingConfig {
  level: "error" | "warn" | "info" | "debug";
  format: "text" | "json";
  console: boolean;
  file?: string;
}

export interface LinkingConfig {
  /** 32 random bytes, base64: encrypts linked accounts' tokens. Absent turns linking off. */
  encryptionKey?: string;
  /** How long a `link` URL stays valid. */
  linkTtlSeconds: number;
  /**
   * A second registration, with no URL, that lets Parley post as linked people's own
   * Matrix accounts (double puppeting). Absent: their remote messages appear as ghosts.
   */
  doublePuppetRegistration?: string;
}

export interface ParleyConfig {
  homeserver: HomeserverConfig;
  appservice: AppserviceConfig;
  bot: BotConfig;
  database: DatabaseConfig;
  logging: LoggingConfig;
  permissions: PermissionRule[];
  linking: LinkingConfig;
  /** Each network's own section, keyed by network name, present only when enabled. */
  networks: Map<string, unknown>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[], source: string) {
    super(`${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const LOCALPART = /^[a-z0-9._=\-/]+$/;

export function readConfig(raw: unknown, networks: readonly NetworkModule[]): { config: ParleyConfig; problems: string[] } {
  const problems = new ConfigProblems();
  const root = ConfigReader.root(raw, problems);

  const hs = root.section("homeserver");
  const homeserver: HomeserverConfig = {
    url: hs.url("url", undefined, { required: true }),
    serverName: hs.requiredString("serverName"),
  };
  hs.rejectUnknownKeys();

  const as = root.section("appservice");
  const appservice: AppserviceConfig = {
    bindAddress: as.string("bindAddress", "127.0.0.1"),
    port: as.integer("port", 9898, { min: 0, max: 65535 }),
    publicUrl: as.url("publicUrl", undefined, { required: true }).replace(/\/+$/, ""),
    id: as.string("id", "parley"),
  };
  as.rejectUnknownKeys();

  const botSection = root.section("bot");
  const bot: BotConfig = {
    localpart: botSection.string("localpart", "parley"),
    displayName: botSection.string("displayName", "Parley"),
    avatar: botSection.optionalString("avatar"),
    commandPrefix: botSection.string("commandPrefix", "!"),
  };
  if (!LOCALPART.test(bot.localpart)) problems.add("bot.localpart", "may only hold a-z, 0-9 and ._=-/");
  botSection.rejectUnknownKeys();

  const db = root.section("database");
  const engine = db.oneOf("engine", ["sqlite", "postgres"] as const, "sqlite");
  const database: DatabaseConfig =
    engine === "sqlite"
      ? { engine, path: db.string("path", "./data/parley.db") }
      : { engine, connectionString: db.requiredString("connectionString", "required when database.engine is postgres") };
  if (engine === "sqlite") db.ignore("connectionString");
  else db.ignore("path");
  db.rejectUnknownKeys();

  const log = root.section("logging");
  const logging: LoggingConfig = {
    level: log.oneOf("level", ["error", "warn", "info", "debug"] as const, "info"),
    format: log.oneOf("format", ["text", "json"] as const, "text"),
    console: log.boolean("console", true),
    file: log.optionalString("file"),
  };
  log.rejectUnknownKeys();

  const permissions = parsePermissionRules(root.stringMap("permissions"), "permissions", problems);

  const link = root.section("linking");
  // The environment wins, so the key can stay out of the config file.
  const configuredKey = link.optionalString("encryptionKey");
  const encryptionKey = process.env.PARLEY_ENCRYPTION_KEY || configuredKey || undefined;
  if (encryptionKey !== undefined && Buffer.from(encryptionKey, "base64").length !== 32) {
    problems.add("linking.encryptionKey", "must be 32 random bytes in base64 (openssl rand -base64 32)");
  }
  const linking: LinkingConfig = {
    encryptionKey,
    linkTtlSeconds: link.integer("linkTtlSeconds", 600, { min: 60, max: 86400 }),
    doublePuppetRegistration: link.optionalString("doublePuppetRegistration"),
  };
  link.rejectUnknownKeys();

  const networkConfigs = new Map<string, unknown>();
  for (const network of networks) {
    const section = root.section(network.name);
    if (!section.boolean("enabled", false)) {
      // A disabled network keeps its settings for later; only `enabled` is checked.
      section.ignoreRemaining();
      continue;
    }
    networkConfigs.set(network.name, network.readConfig(section));
    section.rejectUnknownKeys();
  }
  root.rejectUnknownKeys();

  const config: ParleyConfig = { homeserver, appservice, bot, database, logging, permissions, linking, networks: networkConfigs };
  return { config, problems: problems.list };
}

/** Loads and validates a YAML config file, throwing a ConfigError that lists every problem. */
export function loadConfigFile(path: string, networks: readonly NetworkModule[]): ParleyConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError([`cannot read the file: ${(error as Error).message}`], path);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : "";
    throw new ConfigError([`not valid YAML${where}: ${(error as Error).message.split("\n")[0]}`], path);
  }
  const { config, problems } = readConfig(raw, networks);
  if (problems.length > 0) throw new ConfigError(problems, path);
  return config;
}
