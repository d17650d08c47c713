import { describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../../src/core/matrix-api.js";
import { RoomState } from "../../../src/core/room-state.js";

const ROOM = "!room:localhost";

/** A homeserver whose room state the test sets, counting the reads that reach it. */
function homeserver() {
  const state = new Map<string, Record<string, unknown>>();
  let reads = 0;
  let pause: Promise<void> | undefined;
  return {
    set: (type: string, stateKey: string, content: Record<string, unknown>) => state.set(`${type}|${stateKey}`, content),
    reads: () => reads,
    holdReads: (until: Promise<void>) => { pause = until; },
    api: {
      getState: async <T>(_roomId: string, type: string, stateKey = "") => {
        reads++;
        const value = state.get(`${type}|${stateKey}`);
        if (pause) await pause;
        return value as T | undefined;
      },
      createEvent: async () => undefined,
    },
  };
}

function memberEvent(userId: string, displayname: string): MatrixEvent {
  return { event_id: `$${displayname}`, room_id: ROOM, sender: userId, type: "m.room.member", state_key: userId, origin_server_ts: 0, content: { membership: "join", displayname } };
}

describe("RoomState", () => {
  it("reads a state event once, until the homeserver pushes a change of it", async () => {
    const server = homeserver();
    const roomState = new RoomState(server.api);
    server.set("m.room.member", "@alice:localhost", { displayname: "Alice" });
    expect(await roomState.getState(ROOM, "m.room.member", "@alice:localhost")).toEqual({ displayname: "Alice" });
    expect(await roomState.getState(ROOM, "m.room.member", "@alice:localhost")).toEqual({ displayname: "Alice" });
    expect(server.reads()).toBe(1);

    server.set("m.room.member", "@alice:localhost", { displayname: "Alice L." });
    roomState.observe([memberEvent("@alice:localhost", "Alice L.")]);
    expect(await roomState.getState(ROOM, "m.room.member", "@alice:localhost")).toEqual({ displayname: "Alice L." });
    expect(server.reads()).toBe(2);
  });

  it("does not keep a read that a change overtook", async () => {
    const server = homeserver();
    const roomState = new RoomState(server.api);
    server.set("m.room.member", "@alice:localhost", { displayname: "Old" });
    let release!: () => void;
    server.holdReads(new Promise((resolve) => { release = resolve; }));
    const slowRead = roomState.getState(ROOM, "m.room.member", "@alice:localhost");
    roomState.observe([memberEvent("@alice:localhost", "New")]);
    server.set("m.room.member", "@alice:localhost", { displayname: "New" });
    release();
    expect(await slowRead).toEqual({ displayname: "Old" });
    server.holdReads(Promise.resolve());
    expect(await roomState.getState(ROOM, "m.room.member", "@alice:localhost")).toEqual({ displayname: "New" });
  });

  it("reads again after ten minutes, whatever it was told", async () => {
    const server = homeserver();
    let now = 0;
    const roomState = new RoomState(server.api, () => now);
    server.set("m.room.power_levels", "", { users_default: 0 });
    await roomState.getState(ROOM, "m.room.power_levels");
    now += 11 * 60 * 1000;
    await roomState.getState(ROOM, "m.room.power_levels");
    expect(server.reads()).toBe(2);
  });
});
