// Linking a Discord account (issue: account linking and puppeting): OAuth2 `identify`
// through Parley's callback, then the person's Discord messages appear as their own
// Matrix account (double puppeting) without echo, their Matrix messages go out under
// their Discord name and avatar, and mentions map to them both ways.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solidColorPng } from "../../sim/discord/index.js";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { eventually, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

const BOT = "@parley:localhost";
let bridge: DiscordBridge;
let discordAlice: string;
let dm: string;

const fromBot = (match: (body: string) => boolean) => (event: MatrixEvent) =>
  event.sender === BOT && event.type === "m.room.message" && match(String(event.content.body ?? ""));

async function askForLink(): Promise<URL> {
  await bridge.alice.sendText(dm, "discord link");
  const reply = await bridge.alice.waitForEvent(dm, fromBot((body) => body.includes("connect your Discord account")));
  return new URL(/https?:\/\/\S+/.exec(String(reply.content.body))?.[0] ?? "");
}

/** What a person's browser does after approving on Discord: follow the redirect back to Parley. */
async function approve(link: URL, discordUserId: string, state = link.searchParams.get("state") ?? ""): Promise<Response> {
  const code = bridge.sim.authorizeOAuthCode(discordUserId, ["identify"]);
  const callback = new URL(link.searchParams.get("redirect_uri") ?? "");
  callback.searchParams.set("code", code);
  callback.searchParams.set("state", state);
  return fetch(callback);
}

beforeAll(async () => {
  bridge = await startDiscordBridge({
    discord: (_guild, sim) => ({ oauth: { clientId: sim.applicationId, clientSecret: sim.clientSecret, authorizeUrl: `${sim.origin}/oauth2/authorize` } }),
    config: { linking: { encryptionKey: randomBytes(32).toString("base64") } },
    parley: { doublePuppet: true },
  });
  discordAlice = bridge.sim.createUser({ username: "alice_dc", global_name: "Alice on Discord", avatar: solidColorPng(8, 8, [0, 200, 0]) });
  bridge.sim.addMember(bridge.guildId, discordAlice, { nick: "Ally" });
  dm = await bridge.alice.createDirectRoom(BOT);
  await bridge.alice.waitForEvent(dm, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
});

afterAll(async () => {
  await bridge?.stop();
});

describe("linking a Discord account", () => {
  it("hands out Discord's authorisation URL for the identify scope, with Parley's callback", async () => {
    const link = await askForLink();
    expect(link.searchParams.get("client_id")).toBe(bridge.sim.applicationId);
    expect(link.searchParams.get("scope")).toBe("identify");
    expect(link.searchParams.get("redirect_uri")).toBe(`${bridge.env.parleyUrl}/oauth/discord/callback`);
  });

  it("refuses a tampered state and says so on the page", async () => {
    const link = await askForLink();
    const response = await approve(link, discordAlice, "tampered");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("not valid or was already used");
  });

  it("links on approval, confirms in the chat and on the page, and refuses the same link twice", async () => {
    const link = await askForLink();
    const response = await approve(link, discordAlice);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Alice on Discord is now linked");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body === `Linked your Discord account Alice on Discord (${discordAlice}).`));
    expect((await approve(link, discordAlice)).status).toBe(400);

    await bridge.alice.sendText(dm, "whoami");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.includes(`Linked accounts: discord ${discordAlice}.`)));
  });

  it("shows their Discord messages as their own Matrix account, without echoing them back", async () => {
    bridge.sim.userSendsMessage(bridge.channelId, discordAlice, { content: "written on Discord by Alice" });
    const event = await bridge.alice.waitForEvent(bridge.roomId, withBody("written on Discord by Alice"));
    expect(event.sender).toBe(bridge.alice.userId);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(bridge.sim.messages(bridge.channelId).filter((message) => message.content === "written on Discord by Alice")).toHaveLength(1);
  });

  it("posts their Matrix messages under their Discord name and avatar", async () => {
    await bridge.alice.sendText(bridge.roomId, "written on Matrix by Alice");
    const posted = await waitForDiscord(bridge.sim, bridge.channelId, (message) => message.content === "written on Matrix by Alice");
    expect(posted.author.username).toBe("Ally");
    expect(posted.webhookAvatarUrl).toContain(`/avatars/${discordAlice}/`);
  });

  it("maps mentions of their Discord account to their Matrix account, and back", async () => {
    bridge.sim.userSendsMessage(bridge.channelId, bridge.bob, { content: `hey <@${discordAlice}>` });
    const event = await bridge.alice.waitForEvent(bridge.roomId, (e) => e.type === "m.room.message" && String(e.content.body).startsWith("hey "));
    expect((event.content["m.mentions"] as { user_ids?: string[] }).user_ids).toEqual([bridge.alice.userId]);
    expect(String(event.content.formatted_body)).toContain(`https://matrix.to/#/${bridge.alice.userId}`);

    await bridge.admin.sendHtml(bridge.roomId, "Alice: ping",
      `<a href="https://matrix.to/#/${bridge.alice.userId}">Alice</a>: ping`);
    await waitForDiscord(bridge.sim, bridge.channelId, (message) => message.content === `<@${discordAlice}>: ping`);
  });

  it("unlinks, after which their Discord messages come through their ghost again", async () => {
    await bridge.alice.sendText(dm, "discord unlink");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.startsWith("Unlinked your Discord account")));
    bridge.sim.userSendsMessage(bridge.channelId, discordAlice, { content: "after unlinking" });
    const event = await bridge.alice.waitForEvent(bridge.roomId, withBody("after unlinking"));
    expect(event.sender).toBe(`@discord_${discordAlice}:localhost`);
    await eventually(async () => expect((await bridge.env.parley.store.getUserLinks(bridge.alice.userId))).toEqual([]));
  });
});
