// What every store backend must do, as one suite that each backend's test file runs
// against its own databases.
import { afterEach, describe, expect, it } from "vitest";
import type { InboxEvent, MessagePart, ReactionRecord, Store } from "../../../src/store/store.js";

/** One empty database of a backend, and what the suite needs to look at it from outside. */
export interface TestDatabase {
  open(): Promise<Store>;
  schemaVersion(): Promise<number>;
  /** Marks the database as written by a newer Parley. */
  setSchemaVersion(version: number): Promise<void>;
  /** Whether the backend's files on disk hold these bytes (the write-ahead log aside, where the backend cannot help it). */
  filesContain(text: string): Promise<boolean>;
}

export interface StoreBackend {
  name: string;
  latestSchemaVersion: number;
  freshDatabase(): Promise<TestDatabase>;
}

const part = (eventId: string, remoteId: string, index: number, origin: "remote" | "matrix" = "remote", createdAt = 1): MessagePart => ({
  roomId: "!room:hs", eventId, network: "discord", chat: "c1", remoteId, part: index, senderMxid: "@u:hs", origin, createdAt,
});

const reaction = (eventId: string, sender: string, key = "👍", remoteMessageId = "m1"): ReactionRecord => ({
  eventId, roomId: "!r:hs", targetEventId: "$t", network: "discord", chat: "c1", remoteMessageId, key, senderMxid: sender,
});

const inboxEvent = (id: string, receivedAt = 1): InboxEvent => ({ eventId: id, roomId: "!r:hs", event: { event_id: id }, receivedAt });

export function storeContract(backend: StoreBackend): void {
  describe(`${backend.name} store`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    async function openFresh(): Promise<{ store: Store; database: TestDatabase }> {
      const database = await backend.freshDatabase();
      const store = await database.open();
      opened.push(store);
      return { store, database };
    }

    it("applies every migration once and keeps data across reopening", async () => {
      const { store: first, database } = await openFresh();
      expect(await database.schemaVersion()).toBe(backend.latestSchemaVersion);
      await first.upsertPortal({ network: "discord", chat: "c1", roomId: "!a:hs", kind: "chat", name: "general", createdAt: 1_700_000_000_123 });
      await first.close();
      const second = await database.open();
      opened.push(second);
      expect(await database.schemaVersion()).toBe(backend.latestSchemaVersion);
      expect(await second.getPortal("discord", "c1")).toEqual({
        network: "discord", chat: "c1", roomId: "!a:hs", kind: "chat", name: "general", topic: undefined, avatarMxc: undefined,
        groupChat: undefined, createdAt: 1_700_000_000_123,
      });
    });

    it("refuses a database from a newer Parley instead of damaging it", async () => {
      const { store, database } = await openFresh();
      await store.close();
      await database.setSchemaVersion(backend.latestSchemaVersion + 1);
      await expect(database.open()).rejects.toThrow(/newer than this Parley knows/);
    });

    it("closing twice is harmless", async () => {
      const { store } = await openFresh();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    it("links one room to several chats, on different networks, oldest first", async () => {
      const { store } = await openFresh();
      await store.upsertPortal({ network: "slack", chat: "T1/C1", roomId: "!r:hs", kind: "chat", createdAt: 2 });
      await store.upsertPortal({ network: "discord", chat: "c1", roomId: "!r:hs", kind: "chat", createdAt: 1 });
      await store.upsertPortal({ network: "discord", chat: "g1", roomId: "!space:hs", kind: "space", createdAt: 3 });
      expect((await store.portalsInRoom("!r:hs")).map((p) => p.network)).toEqual(["discord", "slack"]);
      expect((await store.listPortals("discord")).map((p) => p.chat)).toEqual(["c1", "g1"]);
      await store.deletePortal("discord", "c1");
      expect((await store.portalsInRoom("!r:hs")).map((p) => p.network)).toEqual(["slack"]);
      expect((await store.listPortals()).map((p) => p.chat)).toEqual(["T1/C1", "g1"]);
    });

    it("updates a portal in place, keeping its creation time and its place among the others", async () => {
      const { store } = await openFresh();
      for (const chat of ["z", "a", "m"]) await store.upsertPortal({ network: "slack", chat, roomId: "!r:hs", kind: "chat", createdAt: 5 });
      await store.upsertPortal({ network: "slack", chat: "z", roomId: "!r:hs", kind: "chat", name: "renamed", topic: "t", groupChat: "T1", createdAt: 9 });
      expect((await store.portalsInRoom("!r:hs")).map((p) => p.chat)).toEqual(["z", "a", "m"]);
      expect(await store.getPortal("slack", "z")).toEqual({
        network: "slack", chat: "z", roomId: "!r:hs", kind: "chat", name: "renamed", topic: "t", avatarMxc: undefined, groupChat: "T1", createdAt: 5,
      });
      await store.upsertPortal({ network: "slack", chat: "z", roomId: "!r:hs", kind: "chat", createdAt: 5 });
      expect((await store.getPortal("slack", "z"))?.name).toBeUndefined();
    });

    it("finds ghosts by remote user and by Matrix id, and updates their profile", async () => {
      const { store } = await openFresh();
      const ghost = { network: "discord", remoteUserId: "42", matrixUserId: "@_discord_42:hs", displayName: "Ann" };
      await store.upsertGhost(ghost);
      await store.upsertGhost({ ...ghost, displayName: "Ann B", avatarSource: "https://cdn/a.png", avatarMxc: "mxc://hs/a", profileScope: "g1" });
      const expected = { ...ghost, displayName: "Ann B", avatarSource: "https://cdn/a.png", avatarMxc: "mxc://hs/a", profileScope: "g1" };
      expect(await store.getGhost("discord", "42")).toEqual(expected);
      expect(await store.getGhostByMxid("@_discord_42:hs")).toEqual(expected);
      expect(await store.getGhost("slack", "42")).toBeUndefined();
    });

    it("maps one Matrix event to many remote parts and back, in part order", async () => {
      const { store } = await openFresh();
      await store.addMessageParts([part("$e", "m2", 1), part("$e", "m1", 0), { ...part("$f", "m3", 0), threadRoot: "m0" }]);
      expect((await store.partsForEvent("$e")).map((p) => p.remoteId)).toEqual(["m1", "m2"]);
      expect(await store.partsForRemote("discord", "c1", "m3")).toEqual([{ ...part("$f", "m3", 0), threadRoot: "m0" }]);
      await store.deleteMessageParts("$e");
      expect(await store.partsForEvent("$e")).toEqual([]);
      expect(await store.partsForEvent("$f")).toHaveLength(1);
    });

    it("keeps the first record of a part written twice, and parts on several networks in the order written", async () => {
      const { store } = await openFresh();
      await store.addMessageParts([{ ...part("$e", "m1", 0), network: "slack" }, part("$e", "m1", 0)]);
      await store.addMessageParts([{ ...part("$e", "m1", 5), network: "slack", senderMxid: "@other:hs" }]);
      expect((await store.partsForEvent("$e")).map((p) => [p.network, p.part, p.senderMxid])).toEqual([
        ["slack", 0, "@u:hs"], ["discord", 0, "@u:hs"],
      ]);
      expect((await store.partsForEvent("$e", "discord")).map((p) => p.network)).toEqual(["discord"]);
      expect(await store.partsForEvent("$e", "telegram")).toEqual([]);
    });

    it("resumes catching up after the newest message that came from the network, not one sent to it", async () => {
      const { store } = await openFresh();
      await store.addMessageParts([part("$a", "m1", 0, "remote", 10), part("$b", "m2", 0, "remote", 20), part("$c", "m3", 0, "matrix", 30)]);
      expect((await store.latestMessageFromNetwork("discord", "c1"))?.remoteId).toBe("m2");
      expect(await store.latestMessageFromNetwork("discord", "other")).toBeUndefined();
      await store.addMessageParts([part("$a2", "m1", 1, "remote", 10)]);
      expect(await store.recentMessagesFromNetwork("discord", "c1", 5)).toEqual([
        { remoteId: "m2", createdAt: 20 }, { remoteId: "m1", createdAt: 10 },
      ]);
      expect(await store.recentMessagesFromNetwork("discord", "c1", 1)).toEqual([{ remoteId: "m2", createdAt: 20 }]);
    });

    it("counts reaction holders per remote message and key", async () => {
      const { store } = await openFresh();
      await store.addReaction(reaction("$r1", "@a:hs"));
      await store.addReaction(reaction("$r2", "@b:hs"));
      await store.addReaction(reaction("$r3", "@a:hs", "🎉"));
      expect(await store.countReactions("discord", "c1", "m1", "👍")).toBe(2);
      expect((await store.findReaction("$t", "👍", "@b:hs"))?.eventId).toBe("$r2");
      expect(await store.getReactionByEvent("$r3")).toEqual(reaction("$r3", "@a:hs", "🎉"));
      await store.deleteReaction("$r1");
      expect(await store.countReactions("discord", "c1", "m1", "👍")).toBe(1);
      expect(await store.countReactions("discord", "c1", "m2", "👍")).toBe(0);
    });

    it("replaces a reaction recorded again under the same event, which then comes last", async () => {
      const { store } = await openFresh();
      await store.addReaction(reaction("$r3", "@c:hs", "b"));
      await store.addReaction(reaction("$r1", "@a:hs", "a"));
      await store.addReaction(reaction("$r2", "@b:hs", "b"));
      await store.addReaction(reaction("$r3", "@c:hs", "b"));
      expect((await store.reactionsOnRemote("discord", "c1", "m1")).map((r) => r.eventId)).toEqual(["$r1", "$r2", "$r3"]);
      expect((await store.reactionsOnRemote("discord", "c1", "m1", "b")).map((r) => r.eventId)).toEqual(["$r2", "$r3"]);
      await store.addReaction(reaction("$r3", "@c:hs", "a", "m9"));
      expect(await store.getReactionByEvent("$r3")).toEqual(reaction("$r3", "@c:hs", "a", "m9"));
      expect(await store.countReactions("discord", "c1", "m1", "b")).toBe(1);
    });

    it("saves each Matrix event once and hands back the unfinished ones in arrival order", async () => {
      const { store } = await openFresh();
      expect((await store.inboxAdd([inboxEvent("$1"), inboxEvent("$2")])).map((e) => e.eventId)).toEqual(["$1", "$2"]);
      // The same events again, as after a homeserver restart reusing transaction ids.
      expect(await store.inboxAdd([inboxEvent("$2"), inboxEvent("$3")])).toEqual([inboxEvent("$3")]);
      await store.inboxFinish("$2", "done");
      expect((await store.inboxPending()).map((e) => e.eventId)).toEqual(["$1", "$3"]);
      expect((await store.inboxPending())[0]).toEqual(inboxEvent("$1"));
      expect(await store.inboxKnown(["$3", "$9", "$2"])).toEqual(new Set(["$3", "$2"]));
      expect(await store.inboxKnown([])).toEqual(new Set());
      expect(await store.inboxAdd([])).toEqual([]);
    });

    it("counts an event listed twice in one batch as fresh once, at its first place", async () => {
      const { store } = await openFresh();
      const fresh = await store.inboxAdd([inboxEvent("$b"), inboxEvent("$a"), { ...inboxEvent("$b"), receivedAt: 2 }]);
      expect(fresh).toEqual([inboxEvent("$b"), inboxEvent("$a")]);
      expect(await store.inboxPending()).toEqual([inboxEvent("$b"), inboxEvent("$a")]);
    });

    it("lets batches in flight at once share events, each saved and handed back once", async () => {
      const { store } = await openFresh();
      // Several rounds, so that later ones start together on connections already open.
      for (let round = 0; round < 5; round++) {
        const ids = Array.from({ length: 12 }, (_, index) => `$${round}.${index}`);
        // Overlapping batches, every other one in reverse order: the pattern that deadlocks two
        // PostgreSQL transactions inserting the same keys.
        const batches = Array.from({ length: 8 }, (_, batch) => {
          const events = ids.filter((_, index) => (index + batch) % 3 !== 0).map((id) => inboxEvent(id));
          return batch % 2 === 0 ? events : events.reverse();
        });
        const results = await Promise.all(batches.map((batch) => store.inboxAdd(batch)));
        expect(results.flat().map((event) => event.eventId).sort()).toEqual([...ids].sort());
      }
      expect(await store.inboxPending()).toHaveLength(5 * 12);
    });

    it("keeps finished and failed events out of the pending list, with their error kept apart", async () => {
      const { store } = await openFresh();
      await store.inboxAdd([inboxEvent("$1"), inboxEvent("$2"), inboxEvent("$3")]);
      await store.inboxFinish("$1", "failed", "boom");
      await store.inboxFinish("$3", "done");
      expect(await store.inboxPending()).toEqual([inboxEvent("$2")]);
      expect(await store.inboxKnown(["$1", "$3"])).toEqual(new Set(["$1", "$3"]));
    });

    it("scrubs an event that carried a secret from the inbox and from the files on disk, keeping its id", async () => {
      const { store, database } = await openFresh();
      const secret = "xoxp-0000-secret-never-on-disk";
      const event = { event_id: "$t", room_id: "!r:hs", sender: "@a:hs", type: "m.room.message", origin_server_ts: 7, content: { body: `slack login-token ${secret}` } };
      await store.inboxAdd([{ eventId: "$t", roomId: "!r:hs", event, receivedAt: 1 }, inboxEvent("$after")]);
      expect(await database.filesContain(secret)).toBe(true);
      await store.inboxScrub("$t");
      expect((await store.inboxPending()).map((e) => e.event)).toEqual([{ ...event, content: {} }, { event_id: "$after" }]);
      // Seen before: a resend of the event is still recognised.
      expect(await store.inboxAdd([{ eventId: "$t", roomId: "!r:hs", event, receivedAt: 2 }])).toEqual([]);
      expect(await database.filesContain(secret)).toBe(false);
      await expect(store.inboxScrub("$unknown")).resolves.toBeUndefined();
    });

    it("queues remote events per network, in arrival order, with ever-growing places", async () => {
      const { store } = await openFresh();
      const first = await store.remoteInboxAdd("slack", "C1", { type: "message", text: "one" });
      const second = await store.remoteInboxAdd("discord", "c1", { t: "MESSAGE_CREATE" });
      const third = await store.remoteInboxAdd("slack", "C2", { type: "message", text: "two" });
      expect(first).toBeLessThan(second);
      expect(second).toBeLessThan(third);
      expect(await store.remoteInboxPending("slack")).toEqual([
        { seq: first, queueKey: "C1", event: { type: "message", text: "one" } },
        { seq: third, queueKey: "C2", event: { type: "message", text: "two" } },
      ]);
      await store.remoteInboxFinish(first, "done");
      expect((await store.remoteInboxPending("slack")).map((item) => item.seq)).toEqual([third]);
    });

    it("prunes only finished inbox entries older than the cutoff, and never reuses a place in the queue", async () => {
      const { store } = await openFresh();
      await store.inboxAdd([inboxEvent("$old-done", 10), inboxEvent("$old-pending", 10), inboxEvent("$new-done", 30)]);
      await store.inboxFinish("$old-done", "done");
      await store.inboxFinish("$new-done", "failed", "x");
      const finished = await store.remoteInboxAdd("slack", "C1", {});
      const pending = await store.remoteInboxAdd("slack", "C1", {});
      await store.remoteInboxFinish(finished, "done");
      await store.pruneInboxes(Date.now() + 60_000);
      expect(await store.inboxKnown(["$old-done", "$old-pending", "$new-done"])).toEqual(new Set(["$old-pending"]));
      expect((await store.remoteInboxPending("slack")).map((item) => item.seq)).toEqual([pending]);
      expect(await store.remoteInboxAdd("slack", "C1", {})).toBeGreaterThan(pending);
      await store.inboxAdd([inboxEvent("$next")]);
      expect((await store.inboxPending()).map((e) => e.eventId)).toEqual(["$old-pending", "$next"]);
    });

    it("keeps user links unique per remote account", async () => {
      const { store } = await openFresh();
      const link = { matrixUserId: "@a:hs", network: "slack", remoteUserId: "T1/U1", status: "ok" as const, createdAt: 1, secret: "enc" };
      await store.upsertUserLink(link);
      await store.upsertUserLink({ ...link, status: "broken", remoteGroup: "T1", createdAt: 99 });
      expect(await store.getUserLinks("@a:hs")).toEqual([{ ...link, status: "broken", remoteGroup: "T1" }]);
      expect(await store.findUserLinkByRemote("slack", "T1/U1")).toEqual({ ...link, status: "broken", remoteGroup: "T1" });
      await expect(store.upsertUserLink({ ...link, matrixUserId: "@b:hs" })).rejects.toThrow(/unique/i);
      await store.deleteUserLink("@a:hs", "slack", "T1/U1");
      expect(await store.getUserLinks("@a:hs")).toEqual([]);
      expect(await store.findUserLinkByRemote("slack", "T1/U1")).toBeUndefined();
    });

    it("lists a person's links by network, then by age", async () => {
      const { store } = await openFresh();
      const link = (network: string, remoteUserId: string, createdAt: number) =>
        ({ matrixUserId: "@a:hs", network, remoteUserId, status: "ok" as const, createdAt });
      await store.upsertUserLink(link("slack", "T2/U1", 5));
      await store.upsertUserLink(link("discord", "9", 7));
      await store.upsertUserLink(link("slack", "T1/U1", 3));
      await store.upsertUserLink(link("Slack", "x", 1));
      expect((await store.getUserLinks("@a:hs")).map((l) => l.remoteUserId)).toEqual(["x", "9", "T1/U1", "T2/U1"]);
    });

    it("scopes connector state", async () => {
      const { store } = await openFresh();
      await store.setState("discord", "webhook:1", "a");
      await store.setState("slack", "webhook:1", "b");
      await store.setState("discord", "webhook:1", "c");
      expect([await store.getState("discord", "webhook:1"), await store.getState("slack", "webhook:1")]).toEqual(["c", "b"]);
      await store.deleteState("discord", "webhook:1");
      expect(await store.getState("discord", "webhook:1")).toBeUndefined();
      expect(await store.getState("slack", "webhook:1")).toBe("b");
    });
  });
}
