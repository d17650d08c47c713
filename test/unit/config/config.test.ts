import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readConfig } from "../../../src/config/config.js";
import { NETWORKS } from "../../../src/connectors/index.js";

const minimal = {
  homeserver: { url: "http://127.0.0.1:8008", serverName: "example.org" },
  appservice: { publicUrl: "https://parley.example.org/" },
};

describe("config", () => {
  it("accepts the shipped example as it is, which is also the documented default", () => {
    const { config, problems } = readConfig(parse(readFileSync("config.example.yaml", "utf8")), NETWORKS);
    expect(problems).toEqual([]);
    expect(config.bot.commandPrefix).toBe("!");
    expect(config.database).toEqual({ engine: "sqlite", path: "./data/parley.db" });
    expect(config.networks.size).toBe(0);
  });

  it("fills defaults and trims the public URL's slash", () => {
    const { config, problems } = readConfig(minimal, NETWORKS);
    expect(problems).toEqual([]);
    expect(config.appservice).toEqual({ bindAddress: "127.0.0.1", port: 9898, publicUrl: "https://parley.example.org", id: "parley" });
    expect(config.logging).toEqual({ level: "info", format: "text", console: true, file: undefined });
  });

  it.each([
    [{ ...minimal, homeserver: {} }, ["homeserver.url: required", "homeserver.serverName: required"]],
    [{ ...minimal, homeserver: { ...minimal.homeserver, url: "ftp://x" } }, ['homeserver.url: must be an http(s) URL, got "ftp://x"']],
    [{ ...minimal, appservice: { publicUrl: "https://p", port: 70000 } }, ["appservice.port: must be a whole number from 0 to 65535, got 70000"]],
    [{ ...minimal, logging: { level: "loud" } }, ['logging.level: must be one of error, warn, info, debug, got "loud"']],
    [{ ...minimal, homserver: {} }, ["homserver: unknown key"]],
    [{ ...minimal, bot: { localpart: "Parley Bot" } }, ["bot.localpart: may only hold a-z, 0-9 and ._=-/"]],
    [{ ...minimal, permissions: { "*": "god" } }, ['permissions.*: must be one of none, relay, user, admin, got "god"']],
    [{ ...minimal, permissions: { "@alice": "admin" } }, ["permissions.@alice: a user id needs its server name, like @alice:example.org"]],
    [{ ...minimal, database: { engine: "postgres" } }, ["database.connectionString: required when database.engine is postgres"]],
    [{ ...minimal, discord: { enabled: true } }, ["discord.botToken: required when discord.enabled is true"]],
    [{ ...minimal, discord: { enabled: true, botToken: "t", ghostLocalpart: "dc_{id}" } }, ["discord.ghostLocalpart: must contain {userId}"]],
    [{ ...minimal, discord: { enabled: "yes" } }, ['discord.enabled: must be true or false, got "yes"']],
    [{ ...minimal, discord: { enabled: true, botToken: "t", colour: "red" } }, ["discord.colour: unknown key"]],
    [{ ...minimal, slack: { enabled: true } }, ["slack.workspaces: list at least one workspace when slack.enabled is true"]],
    [{ ...minimal, slack: { enabled: true, workspaces: [{ botToken: "xoxp-1" }] } },
      ["slack.workspaces[0].appToken: required when slack.mode is socket", "slack.workspaces[0].botToken: must be a bot token (xoxb-…)"]],
    ["just a string", ["(top level): must be a mapping of keys to values", "homeserver.url: required", "homeserver.serverName: required", "appservice.publicUrl: required"]],
  ])("reports every problem with its key path (%#)", (raw, expected) => {
    expect(readConfig(raw, NETWORKS).problems.sort()).toEqual([...expected].sort());
  });

  it("keeps a disabled network's settings without checking them", () => {
    const { problems, config } = readConfig({ ...minimal, discord: { enabled: false, botToken: 42, anything: true } }, NETWORKS);
    expect(problems).toEqual([]);
    expect(config.networks.has("discord")).toBe(false);
  });
});
