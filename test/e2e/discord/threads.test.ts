// Threads both ways: a Discord thread is a Matrix thread (m.thread) in the channel's room,
// rooted at the message it was started from, or at a message Parley posts for a thread
// started on its own; a Matrix thread becomes a Discord thread started from its root.
import { ChannelType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { eventually, ghostOf, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

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

const threadOf = (event: MatrixEvent) => {
  const relation = event.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
  return relation?.rel_type === "m.thread" ? relation.event_id : undefined;
};

describe("Discord threads in Matrix", () => {
  it("hang off the message they were started from", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const starter = sim.userSendsMessage(channelId, bob, { content: "what should we name the cat?" });
    const root = await alice.waitForEvent(roomId, withBody("what should we name the cat?"));
    const thread = sim.createThread(channelId, { name: "cat names", ownerId: carol, fromMessageId: starter.id });
    sim.userSendsMessage(thread, carol, { content: "Whiskers" });
    sim.userSendsMessage(thread, bob, { content: "Sir Pounce" });
    const first = await alice.waitForEvent(roomId, withBody("Whiskers"));
    const second = await alice.waitForEvent(roomId, withBody("Sir Pounce"));
    expect(threadOf(first)).toBe(root.event_id);
    expect(threadOf(second)).toBe(root.event_id);
    expect(first.sender).toBe(ghostOf(carol));
  });

  it("deleted on Discord take their messages from Matrix", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const starter = sim.userSendsMessage(channelId, bob, { content: "a thread that will not last" });
    const root = await alice.waitForEvent(roomId, withBody("a thread that will not last"));
    const thread = sim.createThread(channelId, { name: "short-lived", ownerId: carol, fromMessageId: starter.id });
    sim.userSendsMessage(thread, carol, { content: "soon gone" });
    const inThread = await alice.waitForEvent(roomId, withBody("soon gone"));
    sim.deleteChannel(thread);
    await eventually(async () => expect((await alice.getEvent(roomId, inThread.event_id)).unsigned?.redacted_because).toBeDefined());
    // The message the thread was started from stays: it belongs to the channel.
    expect((await alice.getEvent(roomId, root.event_id)).unsigned?.redacted_because).toBeUndefined();
  });

  it("started on their own get a root message from their owner", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const thread = sim.createThread(channelId, { name: "Side topic", ownerId: bob, type: ChannelType.PublicThread });
    sim.userSendsMessage(thread, bob, { content: "first in the side topic" });
    const root = await alice.waitForEvent(roomId, withBody("started a thread: Side topic"));
    expect(root.sender).toBe(ghostOf(bob));
    expect(root.content.msgtype).toBe("m.emote");
    const inside = await alice.waitForEvent(roomId, withBody("first in the side topic"));
    expect(threadOf(inside)).toBe(root.event_id);
    // Discord's own "started a thread" notice in the channel is not bridged as well.
    const notices = (await alice.roomMessages(roomId, { limit: 10 })).filter((e) => String(e.content.body ?? "").includes("Side topic"));
    expect(notices).toHaveLength(1);
  });

  it("that are private stay on Discord", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const secret = sim.createThread(channelId, { name: "secret", ownerId: bob, type: ChannelType.PrivateThread });
    sim.userSendsMessage(secret, bob, { content: "private words" });
    sim.userSendsMessage(channelId, bob, { content: "public words" });
    await alice.waitForEvent(roomId, withBody("public words"));
    const events = await alice.roomMessages(roomId, { limit: 10 });
    expect(events.some((e) => e.content.body === "private words" || String(e.content.body ?? "").includes("secret"))).toBe(false);
  });
});

describe("Matrix threads on Discord", () => {
  it("start a Discord thread from a Discord message and post in it", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const starter = sim.userSendsMessage(channelId, bob, { content: "Release notes for 2.0\nlots of changes" });
    const root = await alice.waitForEvent(roomId, (e) => e.sender === ghostOf(bob) && String(e.content.body).startsWith("Release notes"));
    await alice.sendThreadReply(roomId, root.event_id, "looks good to me");
    const posted = await waitForDiscord(sim, starter.id, (m) => m.content === "looks good to me");
    expect(posted.author.username).toBe("Alice");
    expect(sim.channel(starter.id)).toMatchObject({ type: ChannelType.PublicThread, parent_id: channelId, name: "Release notes for 2.0" });
    expect(sim.messages(channelId).some((m) => m.content === "looks good to me")).toBe(false);
  });

  it("start a Discord thread from a Matrix message, and later replies join it", async () => {
    const { sim, alice, admin, roomId, channelId } = bridge;
    const root = await alice.sendText(roomId, "Matrix-side topic");
    const webhookMessage = await waitForDiscord(sim, channelId, (m) => m.content === "Matrix-side topic");
    const first = await admin.sendThreadReply(roomId, root, "reply one");
    await waitForDiscord(sim, webhookMessage.id, (m) => m.content === "reply one");
    await alice.sendThreadReply(roomId, root, "reply two", first);
    await waitForDiscord(sim, webhookMessage.id, (m) => m.content === "reply two");
    expect(sim.messages(webhookMessage.id).map((m) => m.content)).toEqual(["reply one", "reply two"]);
  });

  it("post into a thread Discord started, and edit and delete there", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const thread = sim.createThread(channelId, { name: "planning", ownerId: bob, type: ChannelType.PublicThread });
    sim.userSendsMessage(thread, bob, { content: "who brings snacks?" });
    const inThread = await alice.waitForEvent(roomId, withBody("who brings snacks?"));
    const root = threadOf(inThread) as string;
    const reply = await alice.sendThreadReply(roomId, root, "I will", inThread.event_id);
    const posted = await waitForDiscord(sim, thread, (m) => m.content === "I will");
    await alice.edit(roomId, reply, "I will, crisps");
    await eventually(() => expect(sim.message(posted.id)?.content).toBe("I will, crisps"));
    await alice.redact(roomId, reply);
    await eventually(() => expect(sim.message(posted.id)).toBeUndefined());
  });

  it("carry reactions on thread messages both ways", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const thread = sim.createThread(channelId, { name: "votes", ownerId: bob, type: ChannelType.PublicThread });
    const message = sim.userSendsMessage(thread, bob, { content: "vote here" });
    const event = await alice.waitForEvent(roomId, withBody("vote here"));
    await alice.react(roomId, event.event_id, "👍");
    await eventually(() => expect(sim.reactions(message.id)).toEqual([{ emoji: "👍", userIds: [sim.botUser.id] }]));
    sim.userReacts(message.id, carol, "👎");
    await alice.waitForEvent(roomId, (e) => e.type === "m.reaction" && e.sender === ghostOf(carol) &&
      (e.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id === event.event_id);
  });
});
