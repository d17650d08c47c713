import type { ConfigReader } from "../config/reader.js";
import type { HttpServer } from "../http/server.js";
import type { Connector } from "./connector.js";
import type { Logger } from "winston";

/** What Parley needs to know about a network before and while it runs. */
export interface NetworkModule<Config = unknown> {
  /** The config section, id prefix and command namespace: `discord`. */
  readonly name: string;
  /** Reads and checks the network's config section (called only when it is enabled). */
  readConfig(section: ConfigReader): Config;
  /** Regexes over Matrix localparts that the network's ghosts and aliases use, for the registration. */
  namespaces(config: Config): { users: string[]; aliases: string[] };
  create(config: Config, context: NetworkContext): Connector;
}

export interface NetworkContext {
  log: Logger;
  serverName: string;
  /** Parley's public base URL, for links it serves. */
  publicUrl: string;
  /** Parley's listener, for networks that deliver events over HTTP (Slack's Events API). */
  http: Pick<HttpServer, "route">;
}

/** Turns a localpart template such as `discord_{userId}` into a regex matching every localpart it makes. */
export function templateToRegex(template: string): string {
  return template
    .split(/\{[a-zA-Z]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".+");
}
