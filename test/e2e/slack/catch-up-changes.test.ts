// Catching up after downtime finds not only what was said meanwhile but what became of the
// messages bridged before: edits and deletions made on Slack while Parley was stopped (long
// enough that Slack gave up redelivering their events) arrive once, after the new messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { messageWhere, settle, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

const relation = (event: MatrixEvent) => (event.content["m.relates_to"] ?? {}) as Record<string, unknown>;

async function slackPostSeen(text: string, threadTs?: string) {
  const { sim, carol, channelId, alice, roomId } = bridge;
  const ts = sim.userPosts(channelId, carol.id, { text, ...(threadTs ? { thread_ts: threadTs } : {}) });
  const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === text));
  return { ts, event };
}

async function timeline(): Promise<MatrixEvent[]> {
  return (await bridge.alice.roomMessages(bridge.roomId, { limit: 200 })).reverse();
}

const editsOf = (events: MatrixEvent[], eventId: string) =>
  events.filter((event) => relation(event).rel_type === "m.replace" && relation(event).event_id === eventId);
const redactionsOf = (events: MatrixEvent[], eventId: string) =>
  events.filter((event) => event.type === "m.room.redaction" && event.redacts === eventId);

/** A long outage: Parley stopped while `meanwhile` happens on Slack, which then gives up redelivering. */
async function whileParleyIsDown(meanwhile: () => void): Promise<number> {
  const { sim, team, env } = bridge;
  await env.stopParley();
  await waitForSlack(() => sim.openConnections(team.id) === 0, "Parley to disconnect");
  meanwhile();
  const dropped = sim.giveUpUndelivered(team.id);
  await env.startParleyAgain();
  await sim.waitForConnected(team.id);
  return dropped;
}

describe("catching up after downtime", () => {
  it("bridges edits and deletions made on Slack meanwhile, once, after what was said meanwhile", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    const kept = await slackPostSeen("k1 stays as it was");
    const liveEdited = await slackPostSeen("k2 edited before the stop");
    sim.userEdits(channelId, liveEdited.ts, { text: "k2 edited live" });
    await alice.waitForEvent(roomId, (event) => relation(event).rel_type === "m.replace" && relation(event).event_id === liveEdited.event.event_id);
    const edited = await slackPostSeen("k3 first draft");
    const deleted = await slackPostSeen("k4 soon gone");
    const root = await slackPostSeen("k5 thread root");
    const editedReply = await slackPostSeen("k6 reply draft", root.ts);
    const deletedReply = await slackPostSeen("k7 reply soon gone", root.ts);
    const gone = await slackPostSeen("k8 root soon a tombstone");
    const underGone = await slackPostSeen("k9 reply that keeps the tombstone", gone.ts);

    const dropped = await whileParleyIsDown(() => {
      sim.userEdits(channelId, edited.ts, { text: "k3 final words" });
      sim.userDeletes(channelId, deleted.ts);
      sim.userEdits(channelId, editedReply.ts, { text: "k6 reply fixed" });
      sim.userDeletes(channelId, deletedReply.ts);
      sim.userDeletes(channelId, gone.ts);
      sim.userPosts(channelId, carol.id, { text: "k10 said while down" });
    });
    // Slack's events for all of that were dropped: only history tells.
    expect(dropped).toBeGreaterThanOrEqual(6);
    expect(sim.message(channelId, gone.ts)).toMatchObject({ subtype: "tombstone" });

    const edit = await alice.waitForEvent(roomId, (event) => relation(event).rel_type === "m.replace" && relation(event).event_id === edited.event.event_id, { timeoutMs: 20_000 });
    expect((edit.content["m.new_content"] as Record<string, unknown>).body).toBe("k3 final words");
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.redaction" && event.redacts === deleted.event.event_id);
    const replyEdit = await alice.waitForEvent(roomId, (event) => relation(event).rel_type === "m.replace" && relation(event).event_id === editedReply.event.event_id);
    expect((replyEdit.content["m.new_content"] as Record<string, unknown>).body).toBe("k6 reply fixed");
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.redaction" && event.redacts === deletedReply.event.event_id);
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.redaction" && event.redacts === gone.event.event_id);
    await settle(2000);

    const events = await timeline();
    // What was said meanwhile came first, then the changes.
    const said = events.findIndex((event) => event.content.body === "k10 said while down");
    expect(said).toBeGreaterThan(-1);
    expect(events.findIndex((event) => event.event_id === edit.event_id)).toBeGreaterThan(said);
    // Once each; the untouched messages stay, and the edit bridged live is not bridged again.
    expect(editsOf(events, edited.event.event_id)).toHaveLength(1);
    expect(editsOf(events, editedReply.event.event_id)).toHaveLength(1);
    expect(editsOf(events, liveEdited.event.event_id)).toHaveLength(1);
    expect(editsOf(events, kept.event.event_id)).toHaveLength(0);
    expect(editsOf(events, root.event.event_id)).toHaveLength(0);
    for (const event of [deleted, deletedReply, gone]) expect(redactionsOf(events, event.event.event_id)).toHaveLength(1);
    for (const event of [kept, liveEdited, edited, root, editedReply, underGone]) expect(redactionsOf(events, event.event.event_id)).toHaveLength(0);
    expect((await alice.getEvent(roomId, kept.event.event_id)).content.body).toBe("k1 stays as it was");
    expect((await alice.getEvent(roomId, underGone.event.event_id)).content.body).toBe("k9 reply that keeps the tombstone");
    expect(events.filter((event) => event.content.body === "k10 said while down")).toHaveLength(1);

    // Another restart with nothing changed brings nothing again.
    await whileParleyIsDown(() => undefined);
    sim.userPosts(channelId, carol.id, { text: "k11 after the second restart" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "k11 after the second restart"), { timeoutMs: 20_000 });
    await settle(2000);
    const again = await timeline();
    expect(again.filter((event) => relation(event).rel_type === "m.replace")).toHaveLength(3);
    expect(again.filter((event) => event.type === "m.room.redaction")).toHaveLength(3);
  });
});
