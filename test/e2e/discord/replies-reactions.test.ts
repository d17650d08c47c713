// Replies and reactions both ways: a Discord reply is a Matrix reply to the right event, with
// the right mention; a Matrix reply shows on Discord as one small line with a jump link; a
// Matrix reaction is the bot's reaction, held while any Matrix user holds theirs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { solidColorPng } from "../../sim/discord/index.js";
import { eventually, ghostOf, openPortal, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;
let carol: string;

beforeAll(async () => {
  bridge = await startDiscordBridge();
  carol = bridge.sim.createUser({ username: "carol", global_name: "Carol" });
  bridge.sim.addMember(bridge.guildId, carol);
});

afterAll(async () => {
  await bridge?.stop();
});

const inReplyTo = (event: MatrixEvent) =>
  ((event.content["m.relates_to"] as Record<string, unknown> | undefined)?.["m.in_reply_to"] as { event_id?: string } | undefined)?.event_id;

const annotation = (event: MatrixEvent) => event.content["m.relates_to"] as { event_id?: string; key?: string } | undefined;
const reactionTo = (target: string, key?: string) => (event: MatrixEvent) =>
  event.type === "m.reaction" && annotation(event)?.event_id === target && (key === undefined || annotation(event)?.key === key);

describe("replies", () => {
  it("from Discord reply to the mapped event and notify a Matrix author", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const question = await alice.sendText(roomId, "who wants tea?");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "who wants tea?");
    sim.userSendsMessage(channelId, bob, { content: "me!", replyTo: posted.id });
    const reply = await alice.waitForEvent(roomId, withBody("me!"));
    expect(inReplyTo(reply)).toBe(question);
    expect(reply.content["m.mentions"]).toEqual({ user_ids: ["@alice:localhost"] });
  });

  it("from Discord mention the replied Discord author only when the reply pinged", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const original = sim.userSendsMessage(channelId, carol, { content: "biscuits too" });
    const originalEvent = await alice.waitForEvent(roomId, withBody("biscuits too"));
    sim.userSendsMessage(channelId, bob, { content: "quietly agreed", replyTo: { messageId: original.id, mention: false } });
    const quiet = await alice.waitForEvent(roomId, withBody("quietly agreed"));
    expect(inReplyTo(quiet)).toBe(originalEvent.event_id);
    expect(quiet.content["m.mentions"]).toEqual({ user_ids: [] });
    sim.userSendsMessage(channelId, bob, { content: "loudly agreed", replyTo: original.id });
    const loud = await alice.waitForEvent(roomId, withBody("loudly agreed"));
    expect(loud.content["m.mentions"]).toEqual({ user_ids: [ghostOf(carol)] });
  });

  it("from Discord to a message never bridged stay plain messages", async () => {
    const { sim, admin, guildId, bob } = bridge;
    const channel = sim.createChannel(guildId, { name: "later" });
    const before = sim.userSendsMessage(channel, bob, { content: "said before the portal existed" });
    const room = await openPortal(admin, guildId, channel);
    sim.userSendsMessage(channel, bob, { content: "replying to old news", replyTo: before.id });
    const reply = await admin.waitForEvent(room, withBody("replying to old news"));
    expect(reply.content["m.relates_to"]).toBeUndefined();
  });

  it("from Matrix show who and what was replied to, compactly, with a jump link", async () => {
    const { sim, alice, admin, roomId, channelId, guildId, bob } = bridge;
    const original = sim.userSendsMessage(channelId, bob, { content: "the **meeting** is at noon, in the usual room" });
    const originalEvent = await alice.waitForEvent(roomId, (e) => e.sender === ghostOf(bob) && String(e.content.body).startsWith("the meeting"));
    await alice.reply(roomId, originalEvent.event_id, "see you there");
    const reply = await waitForDiscord(sim, channelId, (m) => m.content.endsWith("see you there"));
    const jump = `${sim.origin}/channels/${guildId}/${channelId}/${original.id}`;
    expect(reply.content).toBe(`-# ↪ <@${bob}>: [the meeting is at noon, in the usual room](${jump})\nsee you there`);
    expect(reply.mentions.map((user) => user.id)).toEqual([bob]);
    expect(reply.embeds).toEqual([]);

    const adminEvent = await admin.sendText(roomId, "agenda attached");
    await waitForDiscord(sim, channelId, (m) => m.content === "agenda attached");
    await alice.reply(roomId, adminEvent, "thanks");
    const toMatrixUser = await waitForDiscord(sim, channelId, (m) => m.content.endsWith("\nthanks"));
    expect(toMatrixUser.content).toMatch(/^-# ↪ \*\*Admin\*\*: \[agenda attached\]\(.+\)\nthanks$/);
    expect(toMatrixUser.mentions).toEqual([]);
  });

  it("keep their reply line when edited", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "pizza tonight?" });
    const target = await alice.waitForEvent(roomId, withBody("pizza tonight?"));
    const reply = await alice.reply(roomId, target.event_id, "yes");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content.endsWith("\nyes"));
    await alice.edit(roomId, reply, "yes please");
    await eventually(() => expect(sim.message(posted.id)?.content).toBe(posted.content.replace(/yes$/, "yes please")));
  });
});

describe("reactions", () => {
  it("from Discord become the ghost's reactions, Unicode normalised, and go when removed", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const eventId = await alice.sendText(roomId, "react to me");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "react to me");
    sim.userReacts(posted.id, bob, "❤");
    const reaction = await alice.waitForEvent(roomId, reactionTo(eventId, "❤️"));
    expect(reaction.sender).toBe(ghostOf(bob));
    sim.userUnreacts(posted.id, bob, "❤");
    await eventually(async () => expect((await alice.getEvent(roomId, reaction.event_id)).unsigned?.redacted_because).toBeDefined());
  });

  it("from Discord with a custom emoji carry its image and shortcode", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    const image = solidColorPng(16, 16, [120, 0, 120]);
    const emoji = sim.createEmoji(guildId, "blobwave", false, image);
    const eventId = await alice.sendText(roomId, "custom reaction please");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "custom reaction please");
    sim.userReacts(posted.id, bob, `blobwave:${emoji}`);
    const reaction = await alice.waitForEvent(roomId, reactionTo(eventId));
    const key = annotation(reaction)?.key as string;
    expect(key).toMatch(/^mxc:\/\//);
    expect(reaction.content["com.beeper.reaction.shortcode"]).toBe(":blobwave:");
    expect((await alice.downloadMedia(key)).bytes.equals(image)).toBe(true);
  });

  it("cleared on Discord by a moderator go from Matrix, all of them or those of one emoji", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    const carol = sim.createUser({ username: "carol" });
    sim.addMember(guildId, carol, {});
    const eventId = await alice.sendText(roomId, "popular message");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "popular message");
    sim.userReacts(posted.id, bob, "👍");
    sim.userReacts(posted.id, carol, "👍");
    sim.userReacts(posted.id, bob, "🎉");
    const reactions = await eventually(async () => {
      const found = (await alice.roomMessages(roomId, { limit: 30 })).filter((event) => event.type === "m.reaction" && annotation(event)?.event_id === eventId);
      expect(found).toHaveLength(3);
      return found;
    });
    const live = async () => {
      const keys: string[] = [];
      for (const reaction of reactions) {
        if ((await alice.getEvent(roomId, reaction.event_id)).unsigned?.redacted_because === undefined) keys.push(String(annotation(reaction)?.key));
      }
      return keys.sort();
    };
    sim.moderatorClearsReactions(posted.id, "👍");
    await eventually(async () => expect(await live()).toEqual(["🎉"]));
    sim.moderatorClearsReactions(posted.id);
    await eventually(async () => expect(await live()).toEqual([]));
  });

  it("cleared on Discord leave Matrix people's own, and the next one made shows again", async () => {
    const { sim, alice, admin, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "clear these" });
    const target = await alice.waitForEvent(roomId, withBody("clear these"));
    const message = sim.messages(channelId).find((m) => m.content === "clear these")!;
    const aliceReaction = await alice.react(roomId, target.event_id, "🔥");
    await eventually(() => expect(sim.reactions(message.id)).toEqual([{ emoji: "🔥", userIds: [sim.botUser.id] }]));
    sim.moderatorClearsReactions(message.id);
    // Bridged in the channel's order: once this arrives, the clearing has been handled.
    sim.userSendsMessage(channelId, bob, { content: "after the clearing" });
    await alice.waitForEvent(roomId, withBody("after the clearing"));
    expect((await alice.getEvent(roomId, aliceReaction)).unsigned?.redacted_because).toBeUndefined();
    await admin.react(roomId, target.event_id, "🔥");
    await eventually(() => expect(sim.reactions(message.id)).toEqual([{ emoji: "🔥", userIds: [sim.botUser.id] }]));
  });

  it("from Matrix are the bot's, held until the last Matrix user takes theirs back", async () => {
    const { sim, alice, admin, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "party time" });
    const target = await alice.waitForEvent(roomId, withBody("party time"));
    const message = sim.messages(channelId).find((m) => m.content === "party time")!;
    const botId = sim.botUser.id;
    const aliceReaction = await alice.react(roomId, target.event_id, "🎉");
    await eventually(() => expect(sim.reactions(message.id)).toEqual([{ emoji: "🎉", userIds: [botId] }]));
    const adminReaction = await admin.react(roomId, target.event_id, "🎉");
    await alice.redact(roomId, aliceReaction);
    await admin.sendText(roomId, "after the first removal");
    await waitForDiscord(sim, channelId, (m) => m.content === "after the first removal");
    expect(sim.reactions(message.id)).toEqual([{ emoji: "🎉", userIds: [botId] }]);
    await admin.redact(roomId, adminReaction);
    await eventually(() => expect(sim.reactions(message.id)).toEqual([]));
  });

  it("from Matrix with a custom emoji use the guild's emoji of that name", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    const emoji = sim.createEmoji(guildId, "catjam");
    sim.userSendsMessage(channelId, bob, { content: "jam" });
    const target = await alice.waitForEvent(roomId, withBody("jam"));
    const message = sim.messages(channelId).find((m) => m.content === "jam")!;
    const mxc = await alice.uploadMedia(solidColorPng(8, 8, [9, 9, 9]), "image/png", "catjam.png");
    await alice.sendEvent(roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: target.event_id, key: mxc },
      "com.beeper.reaction.shortcode": ":catjam:",
    });
    await eventually(() => expect(sim.reactions(message.id)).toEqual([{ emoji: `catjam:${emoji}`, userIds: [sim.botUser.id] }]));
  });

  it("from Discord by the bot itself are not bridged back", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "no echo reactions" });
    const target = await alice.waitForEvent(roomId, withBody("no echo reactions"));
    await alice.react(roomId, target.event_id, "👀");
    const message = sim.messages(channelId).find((m) => m.content === "no echo reactions")!;
    await eventually(() => expect(sim.reactions(message.id)).toHaveLength(1));
    await alice.sendText(roomId, "marker after reaction");
    await waitForDiscord(sim, channelId, (m) => m.content === "marker after reaction");
    const reactions = (await alice.roomMessages(roomId, { limit: 20 })).filter(reactionTo(target.event_id, "👀"));
    expect(reactions.map((event) => event.sender)).toEqual(["@alice:localhost"]);
  });
});
