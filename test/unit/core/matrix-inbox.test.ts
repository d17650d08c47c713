import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import winston from "winston";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyedQueue } from "../../../src/core/keyed-queue.js";
import type { MatrixApi, MatrixEvent } from "../../../src/core/matrix-api.js";
import { MatrixInbox } from "../../../src/core/matrix-inbox.js";
import { TimelineGaps } from "../../../src/core/timeline-gaps.js";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";

const ROOM = "!room:localhost";
const log = winston.createLogger({ silent: true });

function message(body: string): MatrixEvent {
  return {
    event_id: `$${body}`, room_id: ROOM, sender: "@alice:localhost", type: "m.room.message",
    origin_server_ts: 1_700_000_000_000, content: { msgtype: "m.text", body },
  };
}

let dir: string;
let store: SqliteStore;
let handled: { body: string; resumed: boolean }[];
let queue: KeyedQueue;
/** What the timeline shows before an event that Parley never received, by event id. */
let skippedBefore: Map<string, MatrixEvent[]>;
/** The events a check for skipped ones was made before, in order. */
let checkedBefore: string[];

/** The inbox's clock: transactions in these tests come close together unless a test moves it. */
let clock: number;

function inbox(): MatrixInbox {
  const record = async (event: MatrixEvent, resumed: boolean) => { handled.push({ body: String(event.content.body), resumed }); };
  const gaps = {
    missingBefore: async (event: MatrixEvent) => {
      checkedBefore.push(String(event.content.body));
      return skippedBefore.get(event.event_id) ?? [];
    },
  };
  return new MatrixInbox(store, queue, record, gaps, () => false, log, () => clock);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-inbox-"));
  store = new SqliteStore(join(dir, "parley.db"));
  handled = [];
  queue = new KeyedQueue(() => undefined);
  skippedBefore = new Map();
  checkedBefore = [];
  clock = 1_700_000_000_000;
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("MatrixInbox", () => {
  it("keeps a room's order when a transaction arrives while start() reads the backlog", async () => {
    const matrixInbox = inbox();
    await matrixInbox.accept([message("first")], "1");
    // The second transaction is being stored at the moment the networks come up.
    const accepting = matrixInbox.accept([message("second")], "2");
    const starting = matrixInbox.start();
    await Promise.all([accepting, starting]);
    await matrixInbox.accept([message("third")], "3");
    await queue.drain();
    expect(handled.map((item) => item.body)).toEqual(["first", "second", "third"]);
  });

  it("resumes what an earlier process stored but did not finish, once", async () => {
    await inbox().accept([message("left over")], "1");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const restarted = inbox();
    await restarted.start();
    // The homeserver redelivers the unacknowledged transaction after the restart.
    await restarted.accept([message("left over"), message("new")], "1");
    await queue.drain();
    expect(handled).toEqual([{ body: "left over", resumed: true }, { body: "new", resumed: false }]);
  });

  it("looks for skipped events only where the transaction ids leave room for one", async () => {
    const matrixInbox = inbox();
    await matrixInbox.start();
    await matrixInbox.accept([message("one"), message("two")], "11");
    await matrixInbox.accept([message("three")], "12");
    await matrixInbox.accept([message("four")], "14");
    await matrixInbox.accept([message("five")], "not-a-number");
    await queue.drain();
    // The first transaction after a start may follow a hole, and 13 never came.
    expect(checkedBefore).toEqual(["one", "four", "five"]);
  });

  it("looks for skipped events after a silence, even when the transaction ids follow on", async () => {
    const matrixInbox = inbox();
    await matrixInbox.start();
    await matrixInbox.accept([message("one")], "11");
    clock += 500;
    await matrixInbox.accept([message("two")], "12");
    // A homeserver that stopped between sending 12 and recording it goes on at 13, without the events it held.
    clock += 5000;
    await matrixInbox.accept([message("three")], "13");
    await queue.drain();
    expect(checkedBefore).toEqual(["one", "three"]);
  });

  it("after a hole, checks each room at its next event, whichever transaction brings it", async () => {
    const matrixInbox = inbox();
    await matrixInbox.start();
    const inRoom = (body: string, roomId: string) => ({ ...message(body), room_id: roomId });
    await matrixInbox.accept([inRoom("a", "!one:localhost"), inRoom("b", "!two:localhost")], "1");
    await matrixInbox.accept([inRoom("c", "!one:localhost")], "3");
    await matrixInbox.accept([inRoom("d", "!two:localhost")], "4");
    await matrixInbox.accept([inRoom("e", "!two:localhost")], "5");
    await queue.drain();
    // The hole before 3 may have held events of room two as well as room one.
    expect(checkedBefore).toEqual(["a", "b", "c", "d"]);
  });

  it("bridges what the homeserver skipped before the event that revealed it, once", async () => {
    const matrixInbox = inbox();
    await matrixInbox.start();
    await matrixInbox.accept([message("first")], "1");
    skippedBefore.set("$third", [message("second")]);
    await matrixInbox.accept([message("third")], "3");
    await queue.drain();
    // At its next recovery, the homeserver sends the transaction it held back.
    await matrixInbox.accept([message("second")], "2");
    await queue.drain();
    expect(handled.map((item) => item.body)).toEqual(["first", "second", "third"]);
  });

  it("waits for a homeserver that cannot show the timeline yet, then bridges what it skipped first", async () => {
    let unreachable = 2;
    const gaps = {
      missingBefore: async (event: MatrixEvent) => {
        if (unreachable-- > 0) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return event.event_id === "$third" ? [message("second")] : [];
      },
    };
    const record = async (event: MatrixEvent) => { handled.push({ body: String(event.content.body), resumed: false }); };
    const matrixInbox = new MatrixInbox(store, queue, record, gaps, () => false, log);
    await matrixInbox.start();
    await matrixInbox.accept([message("third")], "1");
    await queue.drain();
    expect(handled.map((item) => item.body)).toEqual(["second", "third"]);
  });

  it("after a restart, bridges a skipped event found before the stop ahead of the event that revealed it", async () => {
    // Before the stop: "first" was bridged; "third" revealed that "second" had been skipped,
    // and "second" was stored (after "third") but Parley stopped before bridging either.
    await store.inboxAdd([{ eventId: "$first", roomId: ROOM, event: { ...message("first") }, receivedAt: 1 }]);
    await store.inboxFinish("$first", "done");
    await store.inboxAdd([{ eventId: "$third", roomId: ROOM, event: { ...message("third") }, receivedAt: 2 }]);
    await store.inboxAdd([{ eventId: "$second", roomId: ROOM, event: { ...message("second") }, receivedAt: 3 }]);

    const timeline = [message("first"), message("second"), message("third")];
    const matrix = {
      botUserId: "@parley:localhost",
      eventsBefore: async (_roomId: string, eventId: string) =>
        timeline.slice(0, timeline.findIndex((event) => event.event_id === eventId)).reverse(),
    } as Partial<MatrixApi> as MatrixApi;
    const record = async (event: MatrixEvent, resumed: boolean) => { handled.push({ body: String(event.content.body), resumed }); };
    const restarted = new MatrixInbox(store, queue, record, new TimelineGaps(matrix, store, log, () => message("now").origin_server_ts), () => false, log);
    await restarted.start();
    await queue.drain();
    expect(handled).toEqual([{ body: "second", resumed: true }, { body: "third", resumed: true }]);
  });
});
