import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { ParleyConfig } from "../config/config.js";
import type { NetworkModule } from "../core/network-module.js";

/** An appservice registration file, as the homeserver reads it. */
export interface RegistrationFile {
  id: string;
  url: string | null;
  as_token: string;
  hs_token: string;
  sender_localpart: string;
  namespaces: {
    users: { exclusive: boolean; regex: string }[];
    aliases: { exclusive: boolean; regex: string }[];
    rooms: { exclusive: boolean; regex: string }[];
  };
  rate_limited: boolean;
  receive_ephemeral: boolean;
  "de.sorunome.msc2409.push_ephemeral": boolean;
  protocols?: string[];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Builds a registration for the enabled networks. Ghost and alias namespaces are
 * exclusive so nobody else can take those names. The homeserver pushes an appservice
 * the events of rooms where one of its users is a member; keeping the namespaces
 * to Parley's own ghosts is what stops double puppeting from pulling in every event
 * on the server.
 */
export function generateRegistration(
  config: ParleyConfig,
  networks: readonly NetworkModule[],
  url: string | undefined,
): RegistrationFile {
  const server = escapeRegex(config.homeserver.serverName);
  const users: RegistrationFile["namespaces"]["users"] = [];
  const aliases: RegistrationFile["namespaces"]["aliases"] = [];
  for (const network of networks) {
    const section = config.networks.get(network.name);
    if (section === undefined) continue;
    const namespaces = network.namespaces(section);
    for (const regex of namespaces.users) users.push({ exclusive: true, regex: `@${regex}:${server}` });
    for (const regex of namespaces.aliases) aliases.push({ exclusive: true, regex: `#${regex}:${server}` });
  }
  return {
    id: config.appservice.id,
    url: url ?? `http://${config.appservice.bindAddress}:${config.appservice.port}`,
    as_token: randomBytes(32).toString("hex"),
    hs_token: randomBytes(32).toString("hex"),
    sender_localpart: config.bot.localpart,
    namespaces: { users, aliases, rooms: [] },
    rate_limited: false,
    receive_ephemeral: true,
    "de.sorunome.msc2409.push_ephemeral": true,
    protocols: [...config.networks.keys()],
  };
}

/**
 * The double-puppeting registration: it claims every local user, not exclusively, so
 * Parley may post as linked people's own accounts. Its `url` is null, and a homeserver
 * pushes nothing to an appservice without a URL, so claiming everyone does not make
 * Parley receive every event on the server (the main registration's namespaces decide that).
 */
export function generateDoublePuppetRegistration(config: ParleyConfig): RegistrationFile {
  return {
    id: `${config.appservice.id}-double-puppet`,
    url: null,
    as_token: randomBytes(32).toString("hex"),
    hs_token: randomBytes(32).toString("hex"),
    sender_localpart: `${config.bot.localpart}-double-puppet-${randomBytes(4).toString("hex")}`,
    namespaces: { users: [{ exclusive: false, regex: `@.*:${escapeRegex(config.homeserver.serverName)}` }], aliases: [], rooms: [] },
    rate_limited: false,
    receive_ephemeral: false,
    "de.sorunome.msc2409.push_ephemeral": false,
  };
}

export function registrationToYaml(registration: RegistrationFile): string {
  return `# Parley's appservice registration: give this file to your homeserver (app_service_config_files).\n${stringifyYaml(registration)}`;
}

export function loadRegistration(path: string): RegistrationFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the registration ${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  const registration = raw as Partial<RegistrationFile> | null;
  const missing = (["id", "as_token", "hs_token", "sender_localpart", "namespaces"] as const).filter(
    (key) => registration === null || typeof registration !== "object" || !registration[key],
  );
  if (missing.length > 0) {
    throw new Error(`The registration ${path} lacks ${missing.join(", ")}; make one with \`parley generate-registration\``);
  }
  return registration as RegistrationFile;
}
