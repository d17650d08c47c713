// Rooms for Discord channels: made on demand by joining an alias, in a space per guild,
// following renames and topics, told when the channel goes, and refused where not allowed.
import { OverwriteType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MatrixApiError } from "../../harness/matrix-http.js";
import { solidColorPng } from "../../sim/discord/index.js";
import { eventually, ghostOf, openPortal, startDiscordBridge, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;
let otherGuild: string;

beforeAll(async () => {
  bridge = await startDiscordBridge({ discord: (guildId) => ({ allowedGuilds: [guildId] }) });
  otherGuild = bridge.sim.createGuild({ name: "Not Allowed" });
});

afterAll(async () => {
  await bridge?.stop();
});

describe("a portal opened by joining its alias", () => {
  it("has the channel's name and topic and the guild's icon", async () => {
    const { admin, roomId } = bridge;
    expect(await admin.getState(roomId, "m.room.name")).toEqual({ name: "general" });
    expect(await admin.getState(roomId, "m.room.topic")).toMatchObject({ topic: "Talk about anything" });
    const avatar = await admin.getState<{ url: string }>(roomId, "m.room.avatar");
    const icon = await admin.downloadMedia(avatar.url);
    expect(icon.bytes.equals(solidColorPng(32, 32, [10, 120, 200]))).toBe(true);
  });

  it("sits in a space for the guild", async () => {
    const { admin, roomId } = bridge;
    const parents = (await admin.roomMessages(roomId, { limit: 50, dir: "f" })).filter((event) => event.type === "m.space.parent");
    expect(parents).toHaveLength(1);
    const spaceId = parents[0]!.state_key as string;
    await admin.joinRoom(spaceId);
    expect(await admin.getState(spaceId, "m.room.name")).toEqual({ name: "Test Server" });
    expect(await admin.getState(spaceId, "m.room.create")).toMatchObject({ type: "m.space" });
    expect(await admin.getState(spaceId, "m.space.child", roomId)).toMatchObject({ via: ["localhost"] });
  });

  it("is the same room when the alias is joined again", async () => {
    expect(await openPortal(bridge.alice, bridge.guildId, bridge.channelId)).toBe(bridge.roomId);
  });

  it("is not made for a guild outside the allow-list", async () => {
    const channel = bridge.sim.createChannel(otherGuild, { name: "secret" });
    const error = await openPortal(bridge.admin, otherGuild, channel).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MatrixApiError);
    expect((error as MatrixApiError).status).toBe(404);
  });

  it("is not made for a channel the bot cannot see", async () => {
    const { sim, guildId } = bridge;
    const hidden = sim.createChannel(guildId, {
      name: "mods-only",
      overwrites: [{ id: sim.botUser.id, type: OverwriteType.Member, allow: 0n, deny: PermissionFlagsBits.ViewChannel }],
    });
    const error = await openPortal(bridge.admin, guildId, hidden).catch((caught: unknown) => caught);
    expect((error as MatrixApiError).status).toBe(404);
  });

  it("is not made for a voice channel's category or other non-text channels", async () => {
    const { sim, guildId } = bridge;
    const category = sim.createChannel(guildId, { name: "Text Channels", type: 4 });
    const error = await openPortal(bridge.admin, guildId, category).catch((caught: unknown) => caught);
    expect((error as MatrixApiError).status).toBe(404);
  });
});

describe("channel changes", () => {
  it("follows a rename and a new topic", async () => {
    const { sim, admin, roomId, channelId } = bridge;
    sim.renameChannel(channelId, "general-chat");
    sim.setTopic(channelId, "Now with a new topic");
    await eventually(async () => {
      expect(await admin.getState(roomId, "m.room.name")).toEqual({ name: "general-chat" });
      expect(await admin.getState(roomId, "m.room.topic")).toMatchObject({ topic: "Now with a new topic" });
    });
  });

  it("leaves a notice and unlinks the room when the channel is deleted", async () => {
    const { sim, admin, guildId, bob } = bridge;
    const doomed = sim.createChannel(guildId, { name: "doomed" });
    const room = await openPortal(admin, guildId, doomed);
    sim.userSendsMessage(doomed, bob, { content: "last words" });
    await admin.waitForEvent(room, (event) => event.sender === ghostOf(bob) && event.content.body === "last words");
    sim.deleteChannel(doomed);
    const notice = await admin.waitForEvent(room, (event) => event.sender === "@parley:localhost" && event.content.msgtype === "m.notice");
    expect(notice.content.body).toBe("This room is no longer bridged to Discord: the Discord channel was deleted");
    // Gone from the room's bridge info: the m.bridge state is emptied (just after the notice).
    await eventually(async () => {
      const bridgeState = (await admin.roomMessages(room, { limit: 50 })).find((event) => event.type === "m.bridge");
      expect(bridgeState?.content).toEqual({});
    });
  });
});
