import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import { MIGRATIONS } from "../../../src/store/sqlite/migrations.js";

const freshPath = () => join(mkdtempSync(join(tmpdir(), "parley-store-")), "nested", "parley.db");

const part = (eventId: string, remoteId: string, index: number, origin: "remote" | "matrix" = "remote", createdAt = 1) => ({
  roomId: "!room:hs", eventId, network: "discord", chat: "c1", remoteId, part: index, senderMxid: "@u:hs", origin, createdAt,
});

describe("SqliteStore", () => {
  it("creates its folder, applies every migration once and keeps data across reopening", async () => {
    const path = freshPath();
    const first = new SqliteStore(path);
    expect(first.schemaVersion).toBe(MIGRATIONS.length);
    await first.upsertPortal({ network: "discord", chat: "c1", roomId: "!a:hs", kind: "chat", name: "general", createdAt: 5 });
    await first.close();
    const second = new SqliteStore(path);
    expect(await second.getPortal("discord", "c1")).toEqual({
      network: "discord", chat: "c1", roomId: "!a:hs", kind: "chat", name: "general", topic: undefined, avatarMxc: undefined,
      groupChat: undefined, createdAt: 5,
    });
    expect(new Database(path).pragma("journal_mode", { simple: true })).toBe("wal");
    await second.close();
  });

  it("refuses a database from a newer Parley instead of damaging it", () => {
    const path = freshPath();
    new SqliteStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => new SqliteStore(path)).toThrow(/newer than this Parley knows/);
  });

  it("links one room to several chats, on different networks", async () => {
    const store = new SqliteStore(":memory:");
    await store.upsertPortal({ network: "discord", chat: "c1", roomId: "!r:hs", kind: "chat", createdAt: 1 });
    await store.upsertPortal({ network: "slack", chat: "T1/C1", roomId: "!r:hs", kind: "chat", createdAt: 2 });
    expect((await store.portalsInRoom("!r:hs")).map((p) => p.network)).toEqual(["discord", "slack"]);
    await store.deletePortal("discord", "c1");
    expect((await store.portalsInRoom("!r:hs")).map((p) => p.network)).toEqual(["slack"]);
  });

  it("maps one Matrix event to many remote parts and back, in part order", async () => {
    const store = new SqliteStore(":memory:");
    await store.addMessageParts([part("$e", "m2", 1), part("$e", "m1", 0), part("$f", "m3", 0)]);
    expect((await store.partsForEvent("$e")).map((p) => p.remoteId)).toEqual(["m1", "m2"]);
    expect((await store.partsForRemote("discord", "c1", "m3"))[0]?.eventId).toBe("$f");
    await store.deleteMessageParts("$e");
    expect(await store.partsForEvent("$e")).toEqual([]);
  });

  it("resumes catching up after the newest message that came from the network, not one sent to it", async () => {
    const store = new SqliteStore(":memory:");
    await store.addMessageParts([part("$a", "m1", 0, "remote", 10), part("$b", "m2", 0, "remote", 20), part("$c", "m3", 0, "matrix", 30)]);
    expect((await store.latestMessageFromNetwork("discord", "c1"))?.remoteId).toBe("m2");
    expect(await store.latestMessageFromNetwork("discord", "other")).toBeUndefined();
    await store.addMessageParts([part("$a2", "m1", 1, "remote", 10)]);
    expect(await store.recentMessagesFromNetwork("discord", "c1", 5)).toEqual([
      { remoteId: "m2", createdAt: 20 }, { remoteId: "m1", createdAt: 10 },
    ]);
  });

  it("counts reaction holders per remote message and key", async () => {
    const store = new SqliteStore(":memory:");
    const reaction = (eventId: string, sender: string) => ({
      eventId, roomId: "!r:hs", targetEventId: "$t", network: "discord", chat: "c1", remoteMessageId: "m1", key: "👍", senderMxid: sender,
    });
    await store.addReaction(reaction("$r1", "@a:hs"));
    await store.addReaction(reaction("$r2", "@b:hs"));
    expect(await store.countReactions("discord", "c1", "m1", "👍")).toBe(2);
    expect((await store.findReaction("$t", "👍", "@b:hs"))?.eventId).toBe("$r2");
    await store.deleteReaction("$r1");
    expect(await store.countReactions("discord", "c1", "m1", "👍")).toBe(1);
  });

  it("saves each Matrix event once and hands back the unfinished ones in arrival order", async () => {
    const store = new SqliteStore(":memory:");
    const event = (id: string) => ({ eventId: id, roomId: "!r:hs", event: { event_id: id }, receivedAt: 1 });
    expect((await store.inboxAdd([event("$1"), event("$2")])).map((e) => e.eventId)).toEqual(["$1", "$2"]);
    // The same events again, as after a homeserver restart reusing transaction ids.
    expect((await store.inboxAdd([event("$2"), event("$3")])).map((e) => e.eventId)).toEqual(["$3"]);
    await store.inboxFinish("$2", "done");
    expect((await store.inboxPending()).map((e) => e.eventId)).toEqual(["$1", "$3"]);
    expect((await store.inboxPending())[0]?.event).toEqual({ event_id: "$1" });
  });

  it("scrubs an event that carried a secret from the inbox and from the files on disk, keeping its id", async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    const secret = "xoxp-0000-secret-never-on-disk";
    const event = { event_id: "$t", room_id: "!r:hs", sender: "@a:hs", type: "m.room.message", origin_server_ts: 7, content: { body: `slack login-token ${secret}` } };
    await store.inboxAdd([{ eventId: "$t", roomId: "!r:hs", event, receivedAt: 1 }]);
    await store.inboxScrub("$t");
    expect((await store.inboxPending())[0]?.event).toEqual({ ...event, content: {} });
    // Seen before: a resend of the event is still recognised.
    expect(await store.inboxAdd([{ eventId: "$t", roomId: "!r:hs", event, receivedAt: 2 }])).toEqual([]);
    for (const suffix of ["", "-wal", "-shm"]) {
      const bytes = await readFile(`${path}${suffix}`).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    await store.close();
  });

  it("keeps user links unique per remote account", async () => {
    const store = new SqliteStore(":memory:");
    const link = { matrixUserId: "@a:hs", network: "slack", remoteUserId: "T1/U1", status: "ok" as const, createdAt: 1, secret: "enc" };
    await store.upsertUserLink(link);
    await store.upsertUserLink({ ...link, status: "broken" });
    expect(await store.getUserLinks("@a:hs")).toEqual([{ ...link, status: "broken", remoteGroup: undefined }]);
    await expect(store.upsertUserLink({ ...link, matrixUserId: "@b:hs" })).rejects.toThrow(/UNIQUE/);
  });

  it("scopes connector state", async () => {
    const store = new SqliteStore(":memory:");
    await store.setState("discord", "webhook:1", "a");
    await store.setState("slack", "webhook:1", "b");
    await store.setState("discord", "webhook:1", "c");
    expect([await store.getState("discord", "webhook:1"), await store.getState("slack", "webhook:1")]).toEqual(["c", "b"]);
    await store.deleteState("discord", "webhook:1");
    expect(await store.getState("discord", "webhook:1")).toBeUndefined();
  });
});
