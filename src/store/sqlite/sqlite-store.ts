import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MIGRATIONS } from "./migrations.js";
import type {
  Ghost, InboxEvent, InboxState, MessagePart, Portal, ReactionRecord, RemoteInboxItem, Store, UserLink,
} from "../store.js";
import { ghostFromRow, inboxFromRow, linkFromRow, partFromRow, portalFromRow, reactionFromRow, type Row } from "../rows.js";

/** The SQLite store: one file, WAL journal, synchronous writes made durable before returning. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // FULL makes a committed inbox row survive power loss, which the ack to the homeserver relies on.
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    // Zeroes what a delete or update leaves behind on a page, so a scrubbed secret is gone from the file.
    this.db.pragma("secure_delete = FAST");
    this.migrate();
  }

  private migrate(): void {
    const current = this.db.pragma("user_version", { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The database is at schema version ${current}, newer than this Parley knows (${MIGRATIONS.length}). Upgrade Parley.`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[version] as string);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async getPortal(network: string, chat: string): Promise<Portal | undefined> {
    const row = this.db.prepare("SELECT * FROM portals WHERE network = ? AND chat = ?").get(network, chat) as Row | undefined;
    return row && portalFromRow(row);
  }

  async portalsInRoom(roomId: string): Promise<Portal[]> {
    return (this.db.prepare("SELECT * FROM portals WHERE room_id = ? ORDER BY created_at").all(roomId) as Row[]).map(portalFromRow);
  }

  async listPortals(network?: string): Promise<Portal[]> {
    const rows = network === undefined
      ? this.db.prepare("SELECT * FROM portals ORDER BY created_at").all()
      : this.db.prepare("SELECT * FROM portals WHERE network = ? ORDER BY created_at").all(network);
    return (rows as Row[]).map(portalFromRow);
  }

  async upsertPortal(portal: Portal): Promise<void> {
    this.db.prepare(`
      INSERT INTO portals (network, chat, room_id, kind, name, topic, avatar_mxc, group_chat, created_at)
      VALUES (@network, @chat, @roomId, @kind, @name, @topic, @avatarMxc, @groupChat, @createdAt)
      ON CONFLICT (network, chat) DO UPDATE SET room_id = excluded.room_id, kind = excluded.kind,
        name = excluded.name, topic = excluded.topic, avatar_mxc = excluded.avatar_mxc, group_chat = excluded.group_chat
    `).run({
      ...portal,
      name: portal.name ?? null,
      topic: portal.topic ?? null,
      avatarMxc: portal.avatarMxc ?? null,
      groupChat: portal.groupChat ?? null,
    });
  }

  async deletePortal(network: string, chat: string): Promise<void> {
    this.db.prepare("DELETE FROM portals WHERE network = ? AND chat = ?").run(network, chat);
  }

  async getGhost(network: string, remoteUserId: string): Promise<Ghost | undefined> {
    const row = this.db.prepare("SELECT * FROM ghosts WHERE network = ? AND remote_user_id = ?").get(network, remoteUserId) as Row | undefined;
    return row && ghostFromRow(row);
  }

  async getGhostByMxid(matrixUserId: string): Promise<Ghost | undefined> {
    const row = this.db.prepare("SELECT * FROM ghosts WHERE matrix_user_id = ?").get(matrixUserId) as Row | undefined;
    return row && ghostFromRow(row);
  }

  async upsertGhost(ghost: Ghost): Promise<void> {
    this.db.prepare(`
      INSERT INTO ghosts (network, remote_user_id, matrix_user_id, display_name, avatar_source, avatar_mxc, profile_scope)
      VALUES (@network, @remoteUserId, @matrixUserId, @displayName, @avatarSource, @avatarMxc, @profileScope)
      ON CONFLICT (network, remote_user_id) DO UPDATE SET matrix_user_id = excluded.matrix_user_id,
        display_name = excluded.display_name, avatar_source = excluded.avatar_source, avatar_mxc = excluded.avatar_mxc,
        profile_scope = excluded.profile_scope
    `).run({
      ...ghost,
      displayName: ghost.displayName ?? null,
      avatarSource: ghost.avatarSource ?? null,
      avatarMxc: ghost.avatarMxc ?? null,
      profileScope: ghost.profileScope ?? null,
    });
  }

  async addMessageParts(parts: MessagePart[]): Promise<void> {
    const insert = this.db.prepare(`
      INSERT OR IGNORE INTO message_parts (room_id, event_id, network, chat, remote_id, part, sender_mxid, thread_root, origin, created_at)
      VALUES (@roomId, @eventId, @network, @chat, @remoteId, @part, @senderMxid, @threadRoot, @origin, @createdAt)
    `);
    this.db.transaction(() => {
      for (const part of parts) insert.run({ ...part, threadRoot: part.threadRoot ?? null });
    })();
  }

  async partsForEvent(eventId: string, network?: string): Promise<MessagePart[]> {
    const rows = network === undefined
      ? this.db.prepare("SELECT * FROM message_parts WHERE event_id = ? ORDER BY part").all(eventId)
      : this.db.prepare("SELECT * FROM message_parts WHERE event_id = ? AND network = ? ORDER BY part").all(eventId, network);
    return (rows as Row[]).map(partFromRow);
  }

  async partsForRemote(network: string, chat: string, remoteId: string): Promise<MessagePart[]> {
    const rows = this.db
      .prepare("SELECT * FROM message_parts WHERE network = ? AND chat = ? AND remote_id = ? ORDER BY part")
      .all(network, chat, remoteId);
    return (rows as Row[]).map(partFromRow);
  }

  async deleteMessageParts(eventId: string): Promise<void> {
    this.db.prepare("DELETE FROM message_parts WHERE event_id = ?").run(eventId);
  }

  async addReaction(reaction: ReactionRecord): Promise<void> {
    this.db.prepare(`
      INSERT OR REPLACE INTO reactions (event_id, room_id, target_event_id, network, chat, remote_message_id, reaction_key, sender_mxid)
      VALUES (@eventId, @roomId, @targetEventId, @network, @chat, @remoteMessageId, @key, @senderMxid)
    `).run(reaction);
  }

  async getReactionByEvent(eventId: string): Promise<ReactionRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM reactions WHERE event_id = ?").get(eventId) as Row | undefined;
    return row && reactionFromRow(row);
  }

  async findReaction(targetEventId: string, key: string, senderMxid: string): Promise<ReactionRecord | undefined> {
    const row = this.db
      .prepare("SELECT * FROM reactions WHERE target_event_id = ? AND reaction_key = ? AND sender_mxid = ?")
      .get(targetEventId, key, senderMxid) as Row | undefined;
    return row && reactionFromRow(row);
  }

  async countReactions(network: string, chat: string, remoteMessageId: string, key: string): Promise<number> {
    const row = this.db
      .prepare("SELECT COUNT(*) AS n FROM reactions WHERE network = ? AND chat = ? AND remote_message_id = ? AND reaction_key = ?")
      .get(network, chat, remoteMessageId, key) as { n: number };
    return row.n;
  }

  async reactionsOnRemote(network: string, chat: string, remoteMessageId: string, key?: string): Promise<ReactionRecord[]> {
    const rows = key === undefined
      ? this.db.prepare("SELECT * FROM reactions WHERE network = ? AND chat = ? AND remote_message_id = ?").all(network, chat, remoteMessageId)
      : this.db.prepare("SELECT * FROM reactions WHERE network = ? AND chat = ? AND remote_message_id = ? AND reaction_key = ?").all(network, chat, remoteMessageId, key);
    return (rows as Row[]).map(reactionFromRow);
  }

  async deleteReaction(eventId: string): Promise<void> {
    this.db.prepare("DELETE FROM reactions WHERE event_id = ?").run(eventId);
  }

  async getUserLinks(matrixUserId: string): Promise<UserLink[]> {
    const rows = this.db.prepare("SELECT * FROM user_links WHERE matrix_user_id = ? ORDER BY network, created_at").all(matrixUserId);
    return (rows as Row[]).map(linkFromRow);
  }

  async findUserLinkByRemote(network: string, remoteUserId: string): Promise<UserLink | undefined> {
    const row = this.db
      .prepare("SELECT * FROM user_links WHERE network = ? AND remote_user_id = ?")
      .get(network, remoteUserId) as Row | undefined;
    return row && linkFromRow(row);
  }

  async upsertUserLink(link: UserLink): Promise<void> {
    this.db.prepare(`
      INSERT INTO user_links (matrix_user_id, network, remote_user_id, remote_group, secret, status, created_at)
      VALUES (@matrixUserId, @network, @remoteUserId, @remoteGroup, @secret, @status, @createdAt)
      ON CONFLICT (matrix_user_id, network, remote_user_id) DO UPDATE SET remote_group = excluded.remote_group,
        secret = excluded.secret, status = excluded.status
    `).run({ ...link, remoteGroup: link.remoteGroup ?? null, secret: link.secret ?? null });
  }

  async deleteUserLink(matrixUserId: string, network: string, remoteUserId: string): Promise<void> {
    this.db
      .prepare("DELETE FROM user_links WHERE matrix_user_id = ? AND network = ? AND remote_user_id = ?")
      .run(matrixUserId, network, remoteUserId);
  }

  async inboxAdd(events: InboxEvent[]): Promise<InboxEvent[]> {
    const insert = this.db.prepare(`
      INSERT OR IGNORE INTO matrix_inbox (event_id, room_id, event_json, received_at, state, seq)
      VALUES (?, ?, ?, ?, 'pending', (SELECT COALESCE(MAX(seq), 0) + 1 FROM matrix_inbox))
    `);
    return this.db.transaction(() =>
      events.filter((item) =>
        insert.run(item.eventId, item.roomId, JSON.stringify(item.event), item.receivedAt).changes === 1),
    )();
  }

  async inboxPending(): Promise<InboxEvent[]> {
    return (this.db.prepare("SELECT * FROM matrix_inbox WHERE state = 'pending' ORDER BY seq").all() as Row[]).map(inboxFromRow);
  }

  async inboxKnown(eventIds: string[]): Promise<Set<string>> {
    const known = this.db.prepare("SELECT 1 FROM matrix_inbox WHERE event_id = ?").pluck();
    return new Set(eventIds.filter((eventId) => known.get(eventId) !== undefined));
  }

  async inboxFinish(eventId: string, state: Exclude<InboxState, "pending">, error?: string): Promise<void> {
    this.db.prepare("UPDATE matrix_inbox SET state = ?, error = ? WHERE event_id = ?").run(state, error ?? null, eventId);
  }

  async inboxScrub(eventId: string): Promise<void> {
    const row = this.db.prepare("SELECT event_json FROM matrix_inbox WHERE event_id = ?").get(eventId) as { event_json: string } | undefined;
    if (!row) return;
    const { event_id, room_id, sender, type, origin_server_ts } = JSON.parse(row.event_json) as Record<string, unknown>;
    const pruned = { event_id, room_id, sender, type, origin_server_ts, content: {} };
    this.db.prepare("UPDATE matrix_inbox SET event_json = ? WHERE event_id = ?").run(JSON.stringify(pruned), eventId);
    // The write-ahead log still holds the page as it was: copy the new one home and empty the log.
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  async remoteInboxAdd(network: string, queueKey: string, event: unknown): Promise<number> {
    const result = this.db
      .prepare("INSERT INTO remote_inbox (network, queue_key, event_json, received_at, state) VALUES (?, ?, ?, ?, 'pending')")
      .run(network, queueKey, JSON.stringify(event), Date.now());
    return Number(result.lastInsertRowid);
  }

  async remoteInboxPending(network: string): Promise<RemoteInboxItem[]> {
    const rows = this.db
      .prepare("SELECT seq, queue_key, event_json FROM remote_inbox WHERE network = ? AND state = 'pending' ORDER BY seq")
      .all(network) as Row[];
    return rows.map((row) => ({ seq: row.seq as number, queueKey: row.queue_key as string, event: JSON.parse(row.event_json as string) }));
  }

  async remoteInboxFinish(seq: number, state: Exclude<InboxState, "pending">, error?: string): Promise<void> {
    this.db.prepare("UPDATE remote_inbox SET state = ?, error = ? WHERE seq = ?").run(state, error ?? null, seq);
  }

  async recentMessagesFromNetwork(network: string, chat: string, limit: number): Promise<{ remoteId: string; createdAt: number }[]> {
    const rows = this.db.prepare(`
      SELECT remote_id, MAX(created_at) AS created_at FROM message_parts
      WHERE network = ? AND chat = ? AND origin = 'remote'
      GROUP BY remote_id ORDER BY created_at DESC LIMIT ?
    `).all(network, chat, limit) as Row[];
    return rows.map((row) => ({ remoteId: row.remote_id as string, createdAt: row.created_at as number }));
  }

  async latestMessageFromNetwork(network: string, chat: string): Promise<MessagePart | undefined> {
    const row = this.db
      .prepare("SELECT * FROM message_parts WHERE network = ? AND chat = ? AND origin = 'remote' ORDER BY created_at DESC, part DESC LIMIT 1")
      .get(network, chat) as Row | undefined;
    return row && partFromRow(row);
  }

  async pruneInboxes(olderThan: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM matrix_inbox WHERE state != 'pending' AND received_at < ?").run(olderThan);
      this.db.prepare("DELETE FROM remote_inbox WHERE state != 'pending' AND received_at < ?").run(olderThan);
    })();
  }

  async getState(scope: string, key: string): Promise<string | undefined> {
    const row = this.db.prepare("SELECT value FROM connector_state WHERE scope = ? AND key = ?").get(scope, key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  async setState(scope: string, key: string, value: string): Promise<void> {
    this.db
      .prepare("INSERT INTO connector_state (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value")
      .run(scope, key, value);
  }

  async deleteState(scope: string, key: string): Promise<void> {
    this.db.prepare("DELETE FROM connector_state WHERE scope = ? AND key = ?").run(scope, key);
  }
}
