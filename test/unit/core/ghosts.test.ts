import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import winston from "winston";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Connector } from "../../../src/core/connector.js";
import type { RemoteUser } from "../../../src/core/events.js";
import { Ghosts } from "../../../src/core/ghosts.js";
import type { MatrixApi, MatrixEvent } from "../../../src/core/matrix-api.js";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";

const ROOM_A = "!guild-a:localhost";
const ROOM_B = "!guild-b:localhost";
const GHOST = "@discord_7:localhost";

/** A homeserver holding profiles and member state, the way Synapse keeps them for these calls. */
function homeserver() {
  const profiles = new Map<string, string>();
  const members = new Map<string, Record<string, unknown>>();
  const memberEvents: Array<{ roomId: string; displayname: unknown }> = [];
  const matrix = {
    serverName: "localhost",
    ensureUser: async (userId: string, profile?: { displayName?: string }) => {
      if (profile?.displayName === undefined) return;
      profiles.set(userId, profile.displayName);
      // Synapse copies a new profile into every room the user is in.
      for (const [key, member] of members) if (key.endsWith(userId)) members.set(key, { ...member, displayname: profile.displayName });
    },
    sendState: async (_as: string, roomId: string, _type: string, stateKey: string, content: Record<string, unknown>) => {
      members.set(`${roomId} ${stateKey}`, content);
      memberEvents.push({ roomId, displayname: content.displayname });
      return "$state";
    },
    upload: async () => "mxc://localhost/avatar",
  } as unknown as MatrixApi;
  const roomState = {
    getState: async <T>(roomId: string, _type: string, stateKey = "") => members.get(`${roomId} ${stateKey}`) as T | undefined,
    forget: () => undefined,
  };
  const join = (roomId: string, userId: string) => members.set(`${roomId} ${userId}`, { membership: "join", displayname: profiles.get(userId) });
  return { matrix, roomState, profiles, members, memberEvents, join };
}

const connector = { network: "discord", ghostForUser: (id: string) => `discord_${id}` } as unknown as Connector;
const inGuild = (scope: string | undefined, displayName: string): RemoteUser => ({ id: "7", displayName, ...(scope ? { scope } : {}) });

let dir: string;
let store: SqliteStore;
let server: ReturnType<typeof homeserver>;
let ghosts: Ghosts;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-ghosts-"));
  store = new SqliteStore(join(dir, "parley.db"));
  server = homeserver();
  ghosts = new Ghosts(server.matrix, store, server.roomState, winston.createLogger({ silent: true }));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What to-matrix does for a message: the ghost, joined, named for the room. */
async function speaks(roomId: string, user: RemoteUser): Promise<void> {
  const userId = await ghosts.ensure(connector, user);
  if (!server.members.has(`${roomId} ${userId}`)) server.join(roomId, userId);
  await ghosts.nameInRoom(connector, user, userId, roomId);
}

describe("ghosts of people who look different in different guilds", () => {
  it("take the first guild's look as their profile, and each other guild's as their name in its rooms", async () => {
    await speaks(ROOM_A, inGuild("A", "Ann in A"));
    await speaks(ROOM_B, inGuild("B", "Ann in B"));
    await speaks(ROOM_A, inGuild("A", "Ann in A"));
    await speaks(ROOM_B, inGuild("B", "Ann in B"));
    expect(server.profiles.get(GHOST)).toBe("Ann in A");
    expect(server.members.get(`${ROOM_A} ${GHOST}`)?.displayname).toBe("Ann in A");
    expect(server.members.get(`${ROOM_B} ${GHOST}`)?.displayname).toBe("Ann in B");
    // One naming in B's room; the profile never flipped.
    expect(server.memberEvents).toEqual([{ roomId: ROOM_B, displayname: "Ann in B" }]);
  });

  it("follow their first guild's look in the profile, and put other rooms' names back when the profile overwrites them", async () => {
    await speaks(ROOM_A, inGuild("A", "Ann in A"));
    await speaks(ROOM_B, inGuild("B", "Ann in B"));
    await speaks(ROOM_A, inGuild("A", "Ann, renamed in A"));
    expect(server.members.get(`${ROOM_B} ${GHOST}`)?.displayname).toBe("Ann, renamed in A");

    const overwritten: MatrixEvent = {
      event_id: "$profile-copy", room_id: ROOM_B, sender: GHOST, state_key: GHOST, type: "m.room.member", origin_server_ts: 0,
      content: { membership: "join", displayname: "Ann, renamed in A" },
    };
    await ghosts.memberChanged(overwritten);
    expect(server.members.get(`${ROOM_B} ${GHOST}`)?.displayname).toBe("Ann in B");
    // Its own naming coming back is no change.
    await ghosts.memberChanged({ ...overwritten, event_id: "$named", content: { membership: "join", displayname: "Ann in B" } });
    expect(server.memberEvents.filter((event) => event.roomId === ROOM_B)).toHaveLength(2);
  });

  it("keep their profile when seen without a guild's look, and a person seen nowhere scoped keeps one look", async () => {
    await speaks(ROOM_A, inGuild("A", "Ann in A"));
    await ghosts.ensure(connector, inGuild(undefined, "Ann everywhere"));
    expect(server.profiles.get(GHOST)).toBe("Ann in A");

    await ghosts.ensure(connector, { id: "8", displayName: "Bo" });
    await ghosts.ensure(connector, { id: "8", displayName: "Bo, renamed" });
    expect(server.profiles.get("@discord_8:localhost")).toBe("Bo, renamed");
  });
});
