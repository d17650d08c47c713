// Order, limits and failures: bursts keep their order both ways, Slack's rate limits are waited
// out, undeliverable messages are reported to their sender, a dropped socket loses nothing, and
// what Slack users said while Parley was down arrives once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

/** The bodies of the room's messages that start with `prefix`, oldest first. */
async function matrixBodies(prefix: string): Promise<string[]> {
  const events = await bridge.alice.roomMessages(bridge.roomId, { limit: 100 });
  return events.filter((event) => event.type === "m.room.message" && String(event.content.body).startsWith(prefix)).map((event) => String(event.content.body)).reverse();
}

function slackTexts(prefix: string): string[] {
  return bridge.sim.messages(bridge.channelId).filter((message) => message.text.startsWith(prefix)).map((message) => message.text);
}

describe("order", () => {
  it("holds for a burst from Slack", async () => {
    const { sim, carol, dave, channelId } = bridge;
    const expected = Array.from({ length: 12 }, (_, index) => `b1 ${index}`);
    expected.forEach((text, index) => sim.userPosts(channelId, index % 2 ? carol.id : dave.id, { text }));
    await waitForMatrixCount("b1 ", expected.length);
    expect(await matrixBodies("b1 ")).toEqual(expected);
  });

  it("holds for a burst from Matrix, paced to Slack's one message a second per channel", async () => {
    const { alice, roomId } = bridge;
    const expected = Array.from({ length: 6 }, (_, index) => `b2 ${index}`);
    for (const text of expected) await alice.sendText(roomId, text);
    await waitForSlack(() => slackTexts("b2 ").length === expected.length, "the burst on Slack", 30_000);
    expect(slackTexts("b2 ")).toEqual(expected);
    const posts = bridge.sim.requests("chat.postMessage").filter((request) => String(request.params.text).startsWith("b2 "));
    expect(posts).toHaveLength(expected.length);
    // Three may go at once; each further one waits its second.
    const times = bridge.sim.messages(bridge.channelId).filter((message) => message.text.startsWith("b2 ")).map((message) => Number(message.ts));
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2.9);
  });
});

async function waitForMatrixCount(prefix: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await matrixBodies(prefix)).length < count) {
    if (Date.now() > deadline) throw new Error(`only ${(await matrixBodies(prefix)).length} of ${count} messages arrived`);
    await settle(200);
  }
}

describe("failures", () => {
  it("a rate limit is waited out as Retry-After says, and the message arrives once", async () => {
    const { sim, alice, roomId } = bridge;
    sim.failNext("chat.postMessage", 1, { retryAfter: 1 });
    const sentAt = Date.now();
    await alice.sendText(roomId, "l1 after the limit");
    await waitForSlack(() => slackTexts("l1 ").length > 0, "the rate-limited message");
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
    await settle(1000);
    expect(slackTexts("l1 ")).toEqual(["l1 after the limit"]);
    const attempts = sim.requests("chat.postMessage").filter((request) => request.params.text === "l1 after the limit");
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
  });

  it("a server error is retried", async () => {
    const { sim, alice, roomId } = bridge;
    sim.failNext("chat.postMessage", 2, { status: 503 });
    await alice.sendText(roomId, "l2 through an outage");
    await waitForSlack(() => slackTexts("l2 ").length > 0, "the message after the 503s", 20_000);
    expect(slackTexts("l2 ")).toEqual(["l2 through an outage"]);
  });

  it("a server error that came after Slack posted the message does not post it twice", async () => {
    const { sim, alice, roomId } = bridge;
    await alice.sendText(roomId, "l4 same words");
    await waitForSlack(() => slackTexts("l4 ").length === 1, "the first message");
    sim.failNext("chat.postMessage", 1, { status: 502, afterRunning: true });
    await alice.sendText(roomId, "l4 same words");
    await waitForSlack(() => slackTexts("l4 ").length === 2, "the second message");
    await settle(1500);
    expect(slackTexts("l4 ")).toEqual(["l4 same words", "l4 same words"]);
    const attempts = sim.requests("chat.postMessage").filter((request) => request.params.text === "l4 same words");
    expect(attempts.map((attempt) => attempt.status)).toEqual([200, 502]);
    // Edits reach the message that was posted, so Parley knows it is that one.
    const second = (await alice.roomMessages(roomId, { limit: 20 })).find((event) => event.content.body === "l4 same words" && event.sender === alice.userId);
    await alice.edit(roomId, second!.event_id, "l4 edited");
    await waitForSlack(() => slackTexts("l4 ").includes("l4 edited"), "the edit");
    expect(slackTexts("l4 ")).toEqual(["l4 same words", "l4 edited"]);
  });

  it("a message Slack refuses for good is reported to its sender, who is told to invite the app", async () => {
    const { sim, team, alice } = bridge;
    const channel = sim.createChannel(team.id, { name: "kicked", members: [bridge.carol.id] });
    sim.inviteBot(channel.id, { by: bridge.carol.id });
    const room = await bridge.admin.joinRoom(`#slack_${team.id}_${channel.id}:localhost`.toLowerCase());
    await alice.joinRoom(room);
    sim.userLeaves(channel.id, team.botUserId);
    await alice.waitForEvent(room, messageWhere((content, event) => event.sender === "@parley:localhost" && String(content.body).includes("was removed from this channel")));
    await alice.sendText(room, "l3 into the void");
    const notice = await alice.waitForEvent(room, messageWhere((content, event) => event.sender === "@parley:localhost" && String(content.body).includes("could not be delivered")));
    expect(notice.content.body).toBe(
      "⚠️ Your message could not be delivered to Slack: Parley's Slack app is not a member of this channel: invite it there on Slack (/invite and the app's name) to bridge messages again",
    );
    expect(notice.content.msgtype).toBe("m.notice");
  });
});

describe("connection", () => {
  it("a dropped socket reconnects, and nothing said meanwhile is lost or doubled", async () => {
    const { sim, team, carol, channelId, alice, roomId } = bridge;
    sim.dropSocket(team.id);
    sim.userPosts(channelId, carol.id, { text: "c1 while reconnecting" });
    await alice.sendText(roomId, "c2 from matrix meanwhile");
    await sim.waitForConnected(team.id, { fresh: true, timeoutMs: 30_000 });
    sim.userPosts(channelId, carol.id, { text: "c3 after reconnecting" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "c3 after reconnecting"), { timeoutMs: 20_000 });
    await waitForSlack(() => slackTexts("c2 ").length > 0, "the Matrix message");
    await settle();
    // Each side keeps the other's order; Alice's own message shows at once on Matrix, before c1 could arrive.
    const onMatrix = await matrixBodies("c");
    expect(onMatrix.filter((body) => body !== "c2 from matrix meanwhile")).toEqual(["c1 while reconnecting", "c3 after reconnecting"]);
    expect(onMatrix.filter((body) => body === "c2 from matrix meanwhile")).toHaveLength(1);
    expect(slackTexts("c")).toEqual(["c1 while reconnecting", "c2 from matrix meanwhile", "c3 after reconnecting"]);
  });

  it("a portal opened after a reconnect has nothing to catch up on, and its messages arrive at once", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "fresh", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    sim.dropSocket(team.id);
    await sim.waitForConnected(team.id, { fresh: true, timeoutMs: 30_000 });
    const room = await admin.joinRoom(`#slack_${team.id}_${channel.id}:localhost`.toLowerCase());
    sim.userPosts(channel.id, carol.id, { text: "f1 first words" });
    await admin.waitForEvent(room, messageWhere((content) => content.body === "f1 first words"), { timeoutMs: 5000 });
  });

  it("what Slack users said while Parley was stopped arrives once, in order, threads included", async () => {
    const { sim, team, carol, dave, channelId, alice, roomId, env } = bridge;
    const rootTs = sim.userPosts(channelId, carol.id, { text: "u0 before the stop" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "u0 before the stop"));
    await env.stopParley();
    await waitForSlack(() => sim.openConnections(team.id) === 0, "Parley to disconnect");
    sim.userPosts(channelId, carol.id, { text: "u1 while down" });
    sim.userPosts(channelId, dave.id, { text: "u2 in the old thread", thread_ts: rootTs });
    sim.userPosts(channelId, dave.id, { text: "u3 while down, too" });
    // A long outage: Slack gives up on delivering these, and only history has them.
    expect(sim.giveUpUndelivered(team.id)).toBeGreaterThanOrEqual(3);
    await env.startParleyAgain();
    await sim.waitForConnected(team.id);
    sim.userPosts(channelId, carol.id, { text: "u4 after the restart" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "u4 after the restart"), { timeoutMs: 20_000 });
    await waitForMatrixCount("u", 5);
    await settle();
    expect(await matrixBodies("u")).toEqual(["u0 before the stop", "u1 while down", "u2 in the old thread", "u3 while down, too", "u4 after the restart"]);
    const threaded = (await alice.roomMessages(roomId, { limit: 20 })).find((event) => event.content.body === "u2 in the old thread")!;
    expect((threaded.content["m.relates_to"] as Record<string, unknown>).rel_type).toBe("m.thread");
  });

  it("what Slack redelivers after a restart, and history also has, arrives once", async () => {
    const { sim, carol, channelId, alice, roomId, env } = bridge;
    await env.stopParley();
    sim.userPosts(channelId, carol.id, { text: "v1 queued at Slack" });
    sim.userPosts(channelId, carol.id, { text: "v2 queued at Slack" });
    await env.startParleyAgain();
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "v2 queued at Slack"), { timeoutMs: 20_000 });
    await settle(2000);
    expect(await matrixBodies("v")).toEqual(["v1 queued at Slack", "v2 queued at Slack"]);
  });
});
