// Plumbing an existing Matrix room: `!discord bridge` asks the Discord channel, a member who
// may manage its webhooks approves or refuses, the request lapses if nobody answers, and
// `!discord unbridge` undoes the bridge from either side. In a room the Matrix user made,
// their power decides whether `@room` pings everyone on Discord.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent, MatrixUser } from "../../harness/matrix-user.js";
import { eventsAfter, eventually, ghostOf, startDiscordBridge, waitForDiscord, type DiscordBridge } from "./discord-bridge.js";

const BOT = "@parley:localhost";
let bridge: DiscordBridge;
let channel: string;
let room: string;
let moderator: string;

const fromBot = (match: (body: string) => boolean) => (event: MatrixEvent) =>
  event.sender === BOT && event.type === "m.room.message" && match(String(event.content.body ?? ""));

/** The bot's first message after `since` that `match` accepts. */
function botSaysAfter(since: string, match: (body: string) => boolean, timeoutMs = 10_000): Promise<MatrixEvent> {
  return eventually(async () => {
    const found = (await eventsAfter(bridge.admin, room, since)).find(fromBot(match));
    if (!found) throw new Error(`the bot said nothing matching after ${since}`);
    return found;
  }, timeoutMs);
}

/** Sends a command and returns it with the bot's answer. */
async function command(user: MatrixUser, text: string, answer: (body: string) => boolean): Promise<{ sent: string; reply: MatrixEvent }> {
  const sent = await user.sendText(room, text);
  return { sent, reply: await botSaysAfter(sent, answer) };
}

/** The bot's request in the channel that has not been answered yet. */
function openRequest() {
  return waitForDiscord(bridge.sim, channel, (m) => m.author.id === bridge.sim.botUser.id && m.content.includes("asks to bridge this channel") && m.edited_timestamp === null);
}

beforeAll(async () => {
  bridge = await startDiscordBridge({ discord: () => ({ approvalTimeoutSeconds: 10 }) });
  const { sim, guildId, admin, alice } = bridge;
  channel = sim.createChannel(guildId, { name: "plumbed" });
  const mods = sim.createRole(guildId, { name: "Mods", permissions: PermissionFlagsBits.ManageWebhooks });
  moderator = sim.createUser({ username: "mod", global_name: "Moderator" });
  sim.addMember(guildId, moderator, { roles: [mods] });
  room = await admin.createRoom({ name: "Our own room", preset: "public_chat" });
  await admin.invite(room, BOT);
  await alice.joinRoom(room);
  await admin.waitForEvent(room, (e) => e.type === "m.room.member" && e.state_key === BOT && e.content.membership === "join");
});

afterAll(async () => {
  await bridge?.stop();
});

describe("bridging an existing room", () => {
  it("is refused to someone who may not change the room's power levels", async () => {
    const { reply } = await command(bridge.alice, `!discord bridge ${bridge.guildId} ${channel}`, (body) => body.startsWith("Only someone"));
    expect(reply.content.body).toBe("Only someone who may change this room's power levels can bridge it.");
  });

  it("waits for a Discord moderator, ignoring others, and then bridges both ways", async () => {
    const { sim, admin, guildId, bob } = bridge;
    const { sent } = await command(admin, `!discord bridge ${guildId} ${channel}`, (body) => body.startsWith("I asked in #plumbed"));
    const request = await openRequest();
    expect(request.content).toContain("@admin:localhost");
    expect(sim.reactions(request.id).map((r) => r.emoji)).toEqual(["✅", "❌"]);

    sim.userSendsMessage(channel, bob, { content: "not yet bridged" });
    sim.userReacts(request.id, bob, "✅");
    sim.userReacts(request.id, moderator, "✅");
    await botSaysAfter(sent, (body) => body === "Moderator approved on Discord: this room is now bridged to #plumbed.");
    await eventually(() => expect(sim.message(request.id)?.content).toBe("✅ Approved by Moderator: this channel is now bridged to Matrix."));

    sim.userSendsMessage(channel, bob, { content: "now bridged" });
    await admin.waitForEvent(room, (e) => e.sender === ghostOf(bob) && e.content.body === "now bridged");
    await admin.sendText(room, "hello from the old room");
    await waitForDiscord(sim, channel, (m) => m.content === "hello from the old room");
    const events = await admin.roomMessages(room, { limit: 30 });
    expect(events.some((e) => e.content.body === "not yet bridged")).toBe(false);
  });

  it("lets @room ping everyone only for those with the power to", async () => {
    const { sim, admin, alice } = bridge;
    await admin.sendText(room, "@room standup in five");
    const ping = await waitForDiscord(sim, channel, (m) => m.content === "@everyone standup in five");
    expect(ping.mention_everyone).toBe(true);
    await alice.sendText(room, "@room me too");
    const harmless = await waitForDiscord(sim, channel, (m) => m.content === "@room me too");
    expect(harmless.mention_everyone).toBe(false);
  });

  it("is undone by unbridge in Matrix, by a room moderator only", async () => {
    const { sim, admin, alice, bob } = bridge;
    const { reply: refused } = await command(alice, "!discord unbridge", (body) => body.startsWith("Only someone"));
    expect(refused.content.body).toBe("Only someone who may change this room's power levels can unbridge it.");
    await command(admin, "!discord unbridge", (body) => body === "This room is no longer bridged to Discord: unbridged by @admin:localhost");
    await waitForDiscord(sim, channel, (m) => m.content === "This channel is no longer bridged to Matrix.");
    sim.userSendsMessage(channel, bob, { content: "after the unbridge" });
    await admin.sendText(room, "marker after the unbridge");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const events = await admin.roomMessages(room, { limit: 10 });
    expect(events.some((e) => e.content.body === "after the unbridge")).toBe(false);
    expect(sim.messages(channel).some((m) => m.content === "marker after the unbridge")).toBe(false);
  });

  it("is undone by unbridge on Discord, by a member who may manage webhooks only", async () => {
    const { sim, admin, guildId, bob } = bridge;
    const { sent } = await command(admin, `!discord bridge ${guildId} ${channel}`, (body) => body.startsWith("I asked"));
    sim.userReacts((await openRequest()).id, moderator, "✅");
    await botSaysAfter(sent, (body) => body.startsWith("Moderator approved"));

    sim.userSendsMessage(channel, bob, { content: "!discord unbridge" });
    await waitForDiscord(sim, channel, (m) => m.content === "Only someone who can manage this channel's webhooks can unbridge it.");
    sim.userSendsMessage(channel, moderator, { content: "!discord unbridge" });
    await botSaysAfter(sent, (body) => body === "This room is no longer bridged to Discord: unbridged on Discord by Moderator");
    const fromDiscord = (await admin.roomMessages(room, { limit: 20 })).filter((e) => e.sender.startsWith("@discord_"));
    expect(fromDiscord.some((e) => e.content.body === "!discord unbridge")).toBe(false);
  });

  it("is refused by a Discord moderator's ❌", async () => {
    const { sim, admin, guildId } = bridge;
    const { sent } = await command(admin, `!discord bridge ${guildId} ${channel}`, (body) => body.startsWith("I asked"));
    const request = await openRequest();
    sim.userReacts(request.id, moderator, "❌");
    await botSaysAfter(sent, (body) => body === "Moderator refused on Discord to bridge #plumbed to this room.");
    await eventually(() => expect(sim.message(request.id)?.content).toBe("❌ Refused by Moderator: this channel will not be bridged."));
  });

  it("survives a restart: an approval given while Parley was down bridges the room when it is back", async () => {
    const { sim, admin, guildId, bob, env } = bridge;
    const { sent } = await command(admin, `!discord bridge ${guildId} ${channel}`, (body) => body.startsWith("I asked"));
    const request = await openRequest();
    await env.stopParley();
    sim.userReacts(request.id, bob, "✅");
    sim.userReacts(request.id, moderator, "✅");
    await env.startParleyAgain();
    await botSaysAfter(sent, (body) => body === "Moderator approved on Discord: this room is now bridged to #plumbed.");
    await eventually(() => expect(sim.message(request.id)?.content).toBe("✅ Approved by Moderator: this channel is now bridged to Matrix."));
    sim.userSendsMessage(channel, bob, { content: "bridged across a restart" });
    await admin.waitForEvent(room, (e) => e.sender === ghostOf(bob) && e.content.body === "bridged across a restart");
    await command(admin, "!discord unbridge", (body) => body.startsWith("This room is no longer bridged to Discord"));
  });

  it("lapses when nobody answers in time", async () => {
    const { sim, admin, guildId } = bridge;
    const { sent } = await command(admin, `!discord bridge ${guildId} ${channel}`, (body) => body.startsWith("I asked"));
    const request = await openRequest();
    await botSaysAfter(sent, (body) => body.startsWith("Nobody approved on Discord in time"), 20_000);
    expect(sim.message(request.id)?.content).toBe("⌛ Nobody answered in time: this channel will not be bridged.");
    sim.userReacts(request.id, moderator, "✅");
    await admin.sendText(room, "still not bridged");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sim.messages(channel).some((m) => m.content === "still not bridged")).toBe(false);
  }, 30_000);

  it("explains what is wrong with a bad request", async () => {
    const { admin, guildId } = bridge;
    const usage = await command(admin, "!discord bridge 123", (body) => body.startsWith("Usage"));
    expect(usage.reply.content.body).toContain("!discord bridge <guildId> <channelId>");
    const unknown = await command(admin, `!discord bridge ${guildId} 999999999999999999`, (body) => body.startsWith("That channel cannot be bridged"));
    expect(unknown.reply.content.body).toBe("That channel cannot be bridged: the Discord channel no longer exists.");
    const taken = await command(admin, `!discord bridge ${guildId} ${bridge.channelId}`, (body) => body.startsWith("That Discord channel"));
    expect(taken.reply.content.body).toBe("That Discord channel is already bridged to another room.");
  });
});
