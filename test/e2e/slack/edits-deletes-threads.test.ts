// Edits, deletes, threads and replies, both ways: where each side sees a message land and what
// becomes of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

const relation = (event: MatrixEvent) => (event.content["m.relates_to"] ?? {}) as Record<string, any>;

async function slackPostSeen(text: string) {
  const { sim, carol, channelId, alice, roomId } = bridge;
  const ts = sim.userPosts(channelId, carol.id, { text });
  const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === text));
  return { ts, event };
}

async function matrixPostSeen(text: string) {
  const { sim, channelId, alice, roomId } = bridge;
  const eventId = await alice.sendText(roomId, text);
  const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === text), text);
  return { eventId, ts: posted.ts };
}

describe("edits", () => {
  it("on Slack replace the Matrix message", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("e1 first draft");
    sim.userEdits(channelId, ts, { text: "e1 final *words*" });
    const edit = await alice.waitForEvent(roomId, (candidate) => relation(candidate).rel_type === "m.replace" && relation(candidate).event_id === event.event_id);
    expect(edit.content["m.new_content"]).toMatchObject({ msgtype: "m.text", body: "e1 final words", formatted_body: "e1 final <strong>words</strong>" });
    expect(edit.content.body).toBe("* e1 final words");
  });

  it("are not made of link previews arriving", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("e2 look at https://example.com");
    sim.addUnfurls(channelId, ts, [{ url: "https://example.com", title: "Example Domain" }]);
    await settle();
    const edits = (await alice.roomMessages(roomId, { limit: 20 })).filter((candidate) => relation(candidate).event_id === event.event_id);
    expect(edits).toEqual([]);
  });

  it("on Matrix update the Slack message, without the * fallback", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { eventId, ts } = await matrixPostSeen("e3 teh typo");
    await alice.edit(roomId, eventId, "e3 the typo, fixed");
    await waitForSlack(() => sim.message(channelId, ts)?.text === "e3 the typo, fixed", "the edit");
    expect(sim.message(channelId, ts)).toMatchObject({ username: "Alice", edited: expect.any(Object) });
    await settle(1000);
    const echoes = (await alice.roomMessages(roomId, { limit: 20 })).filter((event) => relation(event).event_id === eventId && event.sender !== alice.userId);
    expect(echoes).toEqual([]);
  });
});

describe("deletes", () => {
  it("on Slack redact the Matrix message", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("d1 regrettable");
    sim.userDeletes(channelId, ts);
    await alice.waitForEvent(roomId, (candidate) => candidate.type === "m.room.redaction" && candidate.redacts === event.event_id);
    expect((await alice.getEvent(roomId, event.event_id)).content).toEqual({});
  });

  it("on Matrix delete the Slack message", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { eventId, ts } = await matrixPostSeen("d2 oops");
    await alice.redact(roomId, eventId);
    await waitForSlack(() => sim.message(channelId, ts) === undefined, "the deletion");
  });

  it("of a thread root on Slack, which Slack keeps as a tombstone, redact the root on Matrix and keep the replies", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts: rootTs, event: root } = await slackPostSeen("d3 root");
    sim.userPosts(channelId, dave.id, { text: "d3 reply", thread_ts: rootTs });
    const reply = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "d3 reply"));
    sim.userDeletes(channelId, rootTs);
    expect(sim.message(channelId, rootTs)).toMatchObject({ subtype: "tombstone" });
    await alice.waitForEvent(roomId, (candidate) => candidate.type === "m.room.redaction" && candidate.redacts === root.event_id);
    expect((await alice.getEvent(roomId, reply.event_id)).content.body).toBe("d3 reply");
  });

  it("of a thread root on Matrix leave Slack's tombstone, and nothing comes back", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    const { eventId, ts } = await matrixPostSeen("d4 root from matrix");
    sim.userPosts(channelId, carol.id, { text: "d4 slack reply", thread_ts: ts });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "d4 slack reply"));
    await alice.redact(roomId, eventId);
    await waitForSlack(() => sim.message(channelId, ts)?.subtype === "tombstone", "the tombstone");
    await settle(1000);
    const redactions = (await alice.roomMessages(roomId, { limit: 20 })).filter((event) => event.type === "m.room.redaction" && event.redacts === eventId);
    expect(redactions.map((event) => event.sender)).toEqual([alice.userId]);
  });
});

describe("threads and replies", () => {
  it("a Slack thread reply lands in the Matrix thread of its root", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts, event: root } = await slackPostSeen("t1 root");
    sim.userPosts(channelId, dave.id, { text: "t1 in thread", thread_ts: ts });
    const reply = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "t1 in thread"));
    expect(relation(reply)).toMatchObject({ rel_type: "m.thread", event_id: root.event_id });
  });

  it("a reply also sent to the channel shows in the thread and in the main timeline", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts, event: root } = await slackPostSeen("t2 root");
    sim.userPosts(channelId, dave.id, { text: "t2 broadcast", thread_ts: ts, reply_broadcast: true });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "t2 broadcast" && relation({ content } as MatrixEvent).rel_type === "m.thread"));
    const copies = (await alice.roomMessages(roomId, { limit: 20 })).filter((event) => event.content.body === "t2 broadcast");
    const placements = copies.map((event) => relation(event).rel_type ?? relation(event)["m.in_reply_to"]?.event_id);
    expect(placements.sort()).toEqual([root.event_id, "m.thread"].sort());
  });

  it("a Matrix thread reply goes into the Slack thread", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event: root } = await slackPostSeen("t3 root");
    await alice.sendThreadReply(roomId, root.event_id, "t3 from matrix");
    const reply = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "t3 from matrix", ts), "the thread reply");
    expect(reply).toMatchObject({ thread_ts: ts, username: "Alice" });
    expect(slackMessageWith(sim, channelId, (message) => message.text === "t3 from matrix")).toBeUndefined();
  });

  it("a Matrix reply to a message outside a thread starts a Slack thread under it", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("t4 question");
    await alice.reply(roomId, event.event_id, "t4 answer");
    const reply = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "t4 answer", ts), "the reply");
    expect(reply.thread_ts).toBe(ts);
    expect(reply.subtype).toBe("bot_message");
  });

  it("a Matrix reply to a message inside a thread joins that thread and is also sent to the channel", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts } = await slackPostSeen("t5 root");
    sim.userPosts(channelId, dave.id, { text: "t5 in thread", thread_ts: ts });
    const inThread = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "t5 in thread"));
    await alice.reply(roomId, inThread.event_id, "t5 answering the reply");
    const reply = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "t5 answering the reply", ts), "the reply");
    expect(reply.thread_ts).toBe(ts);
    expect(slackMessageWith(sim, channelId, (message) => message.text === "t5 answering the reply")?.subtype).toBe("thread_broadcast");
  });
});
