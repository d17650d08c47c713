import winston from "winston";
import { describe, expect, it } from "vitest";
import type { MatrixApi, MatrixEvent } from "../../../src/core/matrix-api.js";
import { TimelineGaps } from "../../../src/core/timeline-gaps.js";
import type { Store } from "../../../src/store/store.js";

const ROOM = "!room:localhost";
const BOT = "@parley:localhost";
const NOW = 1_800_000_000_000;
const log = winston.createLogger({ silent: true });

function event(id: string, extra: Partial<MatrixEvent> = {}): MatrixEvent {
  return { event_id: `$${id}`, room_id: ROOM, sender: "@alice:localhost", type: "m.room.message", origin_server_ts: NOW - 1000, content: { body: id }, ...extra };
}

/** A timeline (oldest first) and the events of it Parley received. */
function gapsFor(timeline: MatrixEvent[], received: string[], failure?: Error): TimelineGaps {
  const matrix = {
    botUserId: BOT,
    eventsBefore: async (_roomId: string, eventId: string, limit: number) => {
      if (failure) throw failure;
      const index = timeline.findIndex((candidate) => candidate.event_id === eventId);
      return timeline.slice(Math.max(0, index - limit), index).reverse().map(({ room_id: _omitted, ...rest }) => rest as MatrixEvent);
    },
  } as Partial<MatrixApi> as MatrixApi;
  const store = {
    inboxKnown: async (ids: string[]) => new Set(ids.filter((id) => received.includes(id))),
  } as Partial<Store> as Store;
  return new TimelineGaps(matrix, store, log, () => NOW);
}

const ids = (events: MatrixEvent[]) => events.map((skipped) => skipped.event_id);

describe("TimelineGaps", () => {
  it("finds the events between the newest one received and the one asked about, oldest first", async () => {
    const timeline = [event("a"), event("b"), event("c"), event("d")];
    const missing = await gapsFor(timeline, ["$a", "$d"]).missingBefore(timeline[3]!);
    expect(ids(missing)).toEqual(["$b", "$c"]);
    expect(missing.every((skipped) => skipped.room_id === ROOM)).toBe(true);
  });

  it("counts events received but still queued behind the one asked about as not bridged", async () => {
    const timeline = [event("a"), event("b"), event("c"), event("d")];
    const queued = new Set(["$c"]);
    const missing = await gapsFor(timeline, ["$a", "$c", "$d"]).missingBefore(timeline[3]!, (id) => queued.has(id));
    expect(ids(missing)).toEqual(["$b", "$c"]);
  });

  it("finds nothing when the stream had no hole", async () => {
    const timeline = [event("a"), event("b"), event("c")];
    expect(await gapsFor(timeline, ["$a", "$b", "$c"]).missingBefore(timeline[2]!)).toEqual([]);
  });

  it("claims nothing when no received event is in sight", async () => {
    const timeline = [event("a"), event("b"), event("c")];
    expect(await gapsFor(timeline, ["$c"]).missingBefore(timeline[2]!)).toEqual([]);
  });

  it("does not reach back past the bot's own join", async () => {
    const timeline = [event("old"), event("join", { type: "m.room.member", state_key: BOT, sender: BOT, content: { membership: "join" } }), event("x")];
    expect(await gapsFor(timeline, ["$old", "$x"]).missingBefore(timeline[2]!)).toEqual([]);
  });

  it("leaves out events too old to bridge now", async () => {
    const timeline = [event("a"), event("ancient", { origin_server_ts: NOW - 2 * 24 * 3600 * 1000 }), event("b"), event("c")];
    expect(ids(await gapsFor(timeline, ["$a", "$c"]).missingBefore(timeline[3]!))).toEqual(["$b"]);
  });

  it("finds nothing when the bot may not read the timeline", async () => {
    const timeline = [event("a"), event("b")];
    const forbidden = Object.assign(new Error("M_FORBIDDEN"), { status: 403 });
    expect(await gapsFor(timeline, ["$b"], forbidden).missingBefore(timeline[1]!)).toEqual([]);
  });

  it("says so when the homeserver cannot answer yet, rather than finding nothing", async () => {
    const timeline = [event("a"), event("b")];
    const restarting = Object.assign(new Error("Bad Gateway"), { status: 502 });
    await expect(gapsFor(timeline, ["$b"], restarting).missingBefore(timeline[1]!)).rejects.toThrow("Bad Gateway");
  });
});
