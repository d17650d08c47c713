// The app manifest asks for exactly what the connector uses: every Web API method called in
// src/connectors/slack needs its documented scopes, every event handled needs its subscription,
// and nothing else is asked for.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { USER_SCOPES } from "../../../src/connectors/slack/accounts.js";
import { SLACK_EVENT_HANDLERS, SLACK_USER_EVENTS } from "../../../src/connectors/slack/events.js";

const SOURCE_DIR = fileURLToPath(new URL("../../../src/connectors/slack/", import.meta.url));

/** Bot token scopes each Web API method needs, from Slack's method reference. */
const METHOD_SCOPES: Record<string, string[]> = {
  "auth.test": [],
  "bots.info": ["users:read"],
  "chat.delete": ["chat:write"],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "conversations.history": ["channels:history", "groups:history"],
  "conversations.info": ["channels:read", "groups:read"],
  "conversations.list": ["channels:read", "groups:read"],
  "conversations.replies": ["channels:history", "groups:history"],
  "emoji.list": ["emoji:read"],
  "files.info": ["files:read"],
  // files.getUploadURLExternal and files.completeUploadExternal.
  filesUploadV2: ["files:write"],
  "reactions.add": ["reactions:write"],
  "reactions.remove": ["reactions:write"],
  "team.info": ["team:read"],
  "usergroups.list": ["usergroups:read"],
  "users.info": ["users:read"],
  "users.list": ["users:read"],
};

/** Methods called only with a linked person's token, and the user scopes they need. */
const USER_ONLY_METHOD_SCOPES: Record<string, string[]> = {
  // Revoking a token needs no scope: any token may give itself up.
  "auth.revoke": [],
  "conversations.open": ["im:write", "mpim:write"],
  "conversations.members": ["im:read", "mpim:read"],
};

/** Methods Parley also calls with a person's token (posting, reacting, uploading, reading their chats), and the user scopes they need. */
const USER_METHOD_SCOPES: Record<string, string[]> = {
  "auth.test": [],
  "users.info": ["users:read"],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "reactions.add": ["reactions:write"],
  "reactions.remove": ["reactions:write"],
  filesUploadV2: ["files:write"],
  "files.info": ["files:read"],
  "conversations.info": ["channels:read", "groups:read", "im:read", "mpim:read"],
  "conversations.history": ["channels:history", "groups:history", "im:history", "mpim:history"],
  "conversations.replies": ["channels:history", "groups:history", "im:history", "mpim:history"],
  ...USER_ONLY_METHOD_SCOPES,
};

/** What receiving each event needs: its subscriptions (message comes per channel type) and their scopes. */
const EVENT_SUBSCRIPTIONS: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ["message.channels", "message.groups"], scopes: ["channels:history", "groups:history"] },
  reaction_added: { events: ["reaction_added"], scopes: ["reactions:read"] },
  reaction_removed: { events: ["reaction_removed"], scopes: ["reactions:read"] },
  member_joined_channel: { events: ["member_joined_channel"], scopes: ["channels:read", "groups:read"] },
  member_left_channel: { events: ["member_left_channel"], scopes: ["channels:read", "groups:read"] },
  channel_rename: { events: ["channel_rename"], scopes: ["channels:read"] },
  group_rename: { events: ["group_rename"], scopes: ["groups:read"] },
  channel_archive: { events: ["channel_archive"], scopes: ["channels:read"] },
  group_archive: { events: ["group_archive"], scopes: ["groups:read"] },
  channel_unarchive: { events: ["channel_unarchive"], scopes: ["channels:read"] },
  group_unarchive: { events: ["group_unarchive"], scopes: ["groups:read"] },
  channel_deleted: { events: ["channel_deleted"], scopes: ["channels:read"] },
  group_deleted: { events: ["group_deleted"], scopes: ["groups:read"] },
  user_change: { events: ["user_change"], scopes: ["users:read"] },
  emoji_changed: { events: ["emoji_changed"], scopes: ["emoji:read"] },
  subteam_created: { events: ["subteam_created"], scopes: ["usergroups:read"] },
  subteam_updated: { events: ["subteam_updated"], scopes: ["usergroups:read"] },
  tokens_revoked: { events: ["tokens_revoked"], scopes: [] },
};

/** The same for events heard on behalf of people: their direct and group messages. */
const USER_EVENT_SUBSCRIPTIONS: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ["message.im", "message.mpim"], scopes: ["im:history", "mpim:history"] },
  reaction_added: { events: ["reaction_added"], scopes: ["reactions:read"] },
  reaction_removed: { events: ["reaction_removed"], scopes: ["reactions:read"] },
};

/** Needs that are not a Web API method: posting under the Matrix sender's name, downloading url_private. */
const OTHER_SCOPES = ["chat:write.customize", "files:read"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []);
}

/** Every `client.<method>(` the connector's code calls. */
function methodsCalled(): Set<string> {
  const methods = new Set<string>();
  for (const file of sourceFiles(SOURCE_DIR)) {
    for (const match of readFileSync(file, "utf8").matchAll(/\bclient\.((?:[a-z]+\.)*[a-zA-Z0-9]+)\(/g)) methods.add(match[1] as string);
  }
  return methods;
}

const manifest = parse(readFileSync(join(SOURCE_DIR, "app-manifest.yaml"), "utf8")) as {
  oauth_config: { scopes: { bot: string[]; user: string[] } };
  settings: { event_subscriptions: { bot_events: string[]; user_events: string[] }; socket_mode_enabled: boolean };
};

/** Methods called with the bot's token: all but those only a person's token is used for. */
const botMethods = () => [...methodsCalled()].filter((method) => !(method in USER_ONLY_METHOD_SCOPES));

describe("the Slack app manifest", () => {
  it("knows the scopes of every Web API method the connector calls", () => {
    const unknown = [...methodsCalled()].filter((method) => !(method in METHOD_SCOPES) && !(method in USER_ONLY_METHOD_SCOPES));
    expect(unknown).toEqual([]);
    expect(methodsCalled().has("chat.postMessage")).toBe(true);
  });

  it("asks for exactly the bot scopes those methods and events need", () => {
    const needed = new Set([
      ...botMethods().flatMap((method) => METHOD_SCOPES[method] ?? []),
      ...Object.keys(SLACK_EVENT_HANDLERS).flatMap((type) => EVENT_SUBSCRIPTIONS[type]?.scopes ?? []),
      ...OTHER_SCOPES,
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("subscribes to exactly the events the connector handles", () => {
    const handled = Object.keys(SLACK_EVENT_HANDLERS);
    expect(handled.filter((type) => !(type in EVENT_SUBSCRIPTIONS))).toEqual([]);
    const subscriptions = handled.flatMap((type) => EVENT_SUBSCRIPTIONS[type]!.events);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(subscriptions.sort());
  });

  it("asks linking people for the user scopes their calls and events need, as the connector lists them", () => {
    expect([...manifest.oauth_config.scopes.user].sort()).toEqual([...USER_SCOPES].sort());
    const calledAsPerson = Object.keys(USER_METHOD_SCOPES).filter((method) => methodsCalled().has(method));
    expect(calledAsPerson.sort()).toEqual(Object.keys(USER_METHOD_SCOPES).sort());
    const needed = [
      ...calledAsPerson.flatMap((method) => USER_METHOD_SCOPES[method] ?? []),
      ...SLACK_USER_EVENTS.flatMap((type) => USER_EVENT_SUBSCRIPTIONS[type]?.scopes ?? []),
    ];
    expect(needed.filter((scope) => !(USER_SCOPES as readonly string[]).includes(scope))).toEqual([]);
  });

  it("subscribes to people's direct messages on their behalf, as the connector handles them", () => {
    expect(SLACK_USER_EVENTS.filter((type) => !(type in SLACK_EVENT_HANDLERS))).toEqual([]);
    const subscriptions = SLACK_USER_EVENTS.flatMap((type) => USER_EVENT_SUBSCRIPTIONS[type]!.events);
    expect([...manifest.settings.event_subscriptions.user_events].sort()).toEqual(subscriptions.sort());
  });

  it("turns Socket Mode on and asks to post under other names", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toContain("chat:write.customize");
  });
});
