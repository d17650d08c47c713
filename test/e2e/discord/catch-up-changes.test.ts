// Catching up on what changed on Discord while Parley was down: edits of bridged messages
// reach Matrix as m.replace, deleted ones are redacted, and nothing is bridged twice, not
// even by the next restart.
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { eventually, ghostOf, startDiscordBridge, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;

beforeAll(async () => {
  bridge = await startDiscordBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

const replaced = (event: MatrixEvent) =>
  (event.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined)?.rel_type === "m.replace"
    ? (event.content["m.relates_to"] as { event_id: string }).event_id
    : undefined;

async function timeline(): Promise<MatrixEvent[]> {
  return (await bridge.alice.roomMessages(bridge.roomId, { limit: 100, dir: "b" })).reverse();
}

/** The new texts of the m.replace edits of an event, oldest first. */
async function editsOf(eventId: string): Promise<string[]> {
  return (await timeline())
    .filter((event) => event.type === "m.room.message" && replaced(event) === eventId)
    .map((event) => String((event.content["m.new_content"] as { body?: unknown }).body));
}

async function isRedacted(eventId: string): Promise<boolean> {
  return (await bridge.alice.getEvent(bridge.roomId, eventId)).unsigned?.redacted_because !== undefined;
}

/** How many original (not edit) messages of bob's say exactly `body`. */
async function copiesOf(body: string): Promise<number> {
  return (await timeline()).filter((event) => event.sender === ghostOf(bridge.bob) && replaced(event) === undefined && event.content.body === body).length;
}

describe("catching up on Discord changes made while Parley was down", () => {
  it("bridges edits and deletions once, and leaves the rest alone", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "keep me as I am" });
    const liveEdited = sim.userSendsMessage(channelId, bob, { content: "edited while Parley listens" });
    const toEdit = sim.userSendsMessage(channelId, bob, { content: "edit me while Parley is away" });
    const toDelete = sim.userSendsMessage(channelId, bob, { content: "delete me while Parley is away" });
    const kept = await alice.waitForEvent(roomId, withBody("keep me as I am"));
    const live = await alice.waitForEvent(roomId, withBody("edited while Parley listens"));
    const original = await alice.waitForEvent(roomId, withBody("edit me while Parley is away"));
    const doomed = await alice.waitForEvent(roomId, withBody("delete me while Parley is away"));
    sim.userEditsMessage(liveEdited.id, { content: "edited while Parley listens, v2" });
    await eventually(async () => expect(await editsOf(live.event_id)).toEqual(["edited while Parley listens, v2"]));

    await env.stopParley();
    sim.userEditsMessage(toEdit.id, { content: "edited while Parley was away" });
    sim.userDeletesMessage(toDelete.id);
    const fresh = sim.userSendsMessage(channelId, bob, { content: "new while Parley was away" });
    sim.userEditsMessage(fresh.id, { content: "new and edited while Parley was away" });
    await env.startParleyAgain();

    await eventually(async () => expect(await editsOf(original.event_id)).toEqual(["edited while Parley was away"]), 20_000);
    const edit = (await timeline()).find((event) => replaced(event) === original.event_id)!;
    expect(edit.sender).toBe(ghostOf(bob));
    expect(edit.content.body).toBe("* edited while Parley was away");
    await eventually(async () => expect(await isRedacted(doomed.event_id)).toBe(true), 20_000);
    // A message both posted and edited meanwhile comes as it is now, with no edit of its own.
    const freshEvent = await alice.waitForEvent(roomId, withBody("new and edited while Parley was away"), { timeoutMs: 20_000 });

    const settle = async () => {
      sim.userSendsMessage(channelId, bob, { content: "after the restart" });
      await alice.waitForEvent(roomId, withBody("after the restart"), { timeoutMs: 20_000 });
      await delay(1500);
    };
    const unchanged = async () => {
      expect(await isRedacted(kept.event_id)).toBe(false);
      expect(await editsOf(kept.event_id)).toEqual([]);
      expect(await editsOf(live.event_id)).toEqual(["edited while Parley listens, v2"]);
      expect(await editsOf(original.event_id)).toEqual(["edited while Parley was away"]);
      expect(await editsOf(freshEvent.event_id)).toEqual([]);
      for (const body of ["keep me as I am", "edited while Parley listens", "edit me while Parley is away", "new and edited while Parley was away"]) {
        expect(await copiesOf(body)).toBe(1);
      }
    };
    await settle();
    await unchanged();

    // The edits bridged are remembered: the next catch-up finds nothing new to bridge.
    await env.stopParley();
    await env.startParleyAgain();
    await settle();
    await unchanged();
    expect(await copiesOf("after the restart")).toBe(2);
  });

  it("bridges edits and deletions made in a thread meanwhile", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    const starter = sim.userSendsMessage(channelId, bob, { content: "thread starter for the catch-up" });
    await alice.waitForEvent(roomId, withBody("thread starter for the catch-up"));
    const thread = sim.createThread(channelId, { name: "away thread", ownerId: bob, fromMessageId: starter.id });
    const toEdit = sim.userSendsMessage(thread, bob, { content: "edit me in the thread" });
    const toDelete = sim.userSendsMessage(thread, bob, { content: "delete me in the thread" });
    const original = await alice.waitForEvent(roomId, withBody("edit me in the thread"));
    const doomed = await alice.waitForEvent(roomId, withBody("delete me in the thread"));

    await env.stopParley();
    sim.userEditsMessage(toEdit.id, { content: "edited in the thread while Parley was away" });
    sim.userDeletesMessage(toDelete.id);
    await env.startParleyAgain();

    await eventually(async () => expect(await editsOf(original.event_id)).toEqual(["edited in the thread while Parley was away"]), 20_000);
    await eventually(async () => expect(await isRedacted(doomed.event_id)).toBe(true), 20_000);
  });

  it("redacts the messages of a thread deleted meanwhile", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    const starter = sim.userSendsMessage(channelId, bob, { content: "starter of a doomed thread" });
    await alice.waitForEvent(roomId, withBody("starter of a doomed thread"));
    const thread = sim.createThread(channelId, { name: "doomed thread", ownerId: bob, fromMessageId: starter.id });
    sim.userSendsMessage(thread, bob, { content: "said in the doomed thread" });
    const inThread = await alice.waitForEvent(roomId, withBody("said in the doomed thread"));

    await env.stopParley();
    sim.deleteChannel(thread);
    await env.startParleyAgain();

    await eventually(async () => expect(await isRedacted(inThread.event_id)).toBe(true), 20_000);
  });
});

