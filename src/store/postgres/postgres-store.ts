import pg from "pg";
import { MIGRATIONS } from "./migrations.js";
import type {
  Ghost, InboxEvent, InboxState, MessagePart, Portal, ReactionRecord, RemoteInboxItem, Store, UserLink,
} from "../store.js";
import { ghostFromRow, inboxFromRow, linkFromRow, partFromRow, portalFromRow, reactionFromRow, type Row } from "../rows.js";

// pg hands BIGINT back as a string, because it can exceed a double; Parley's BIGINTs are
// millisecond times, counts and sequence numbers, all far below 2^53, and the store
// interface promises numbers.
const parseTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Any fixed number: it keeps two Parleys starting on one database from migrating at once.
const MIGRATION_LOCK = 0x5061726c;

// Ties on the sort keys fall back to insertion order, as SQLite's rowid makes them there.
const PORTAL_ORDER = "ORDER BY created_at, position";
const PART_ORDER = "ORDER BY part, position";

/**
 * The PostgreSQL store: the same tables and meaning as the SQLite store, over a pool of
 * connections. A statement that stands alone runs on any pooled connection; a method that
 * must be atomic runs as one transaction on one connection.
 */
export class PostgresStore implements Store {
  private ended = false;
  // SQLite runs one transaction at a time; so do these, which keeps two batches that touch
  // the same rows in different orders from deadlocking each other.
  private transactionQueue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Connects and brings the schema up to date. A connection that cannot be made throws a
   * `PostgresConnectError`; a schema newer than this Parley's throws before touching it.
   */
  static async open(connectionString: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString, types: parseTypes });
    // A pooled connection that drops while idle (the server restarted, say) is discarded by
    // the pool and replaced on next use; without a listener the error would end the process.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new PostgresConnectError(error as Error);
    }
    const store = new PostgresStore(pool);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    for (;;) {
      const upToDate = await this.transaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
        await client.query(`
          CREATE TABLE IF NOT EXISTS parley_schema (
            only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
            version INTEGER NOT NULL
          )`);
        await client.query("INSERT INTO parley_schema (version) VALUES (0) ON CONFLICT DO NOTHING");
        const current = (await client.query<{ version: number }>("SELECT version FROM parley_schema")).rows[0]?.version ?? 0;
        if (current > MIGRATIONS.length) {
          throw new Error(
            `The database is at schema version ${current}, newer than this Parley knows (${MIGRATIONS.length}). Upgrade Parley.`,
          );
        }
        if (current === MIGRATIONS.length) return true;
        await client.query(MIGRATIONS[current] as string);
        await client.query("UPDATE parley_schema SET version = $1", [current + 1]);
        return false;
      });
      if (upToDate) return;
    }
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
    const result = this.transactionQueue.then(run, run);
    this.transactionQueue = result.catch(() => undefined);
    return result;
  }

  private async rows(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(text, values)).rows;
  }

  private async execute(text: string, values: unknown[] = []): Promise<void> {
    await this.pool.query(text, values);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.transactionQueue;
    await this.pool.end();
  }

  async getPortal(network: string, chat: string): Promise<Portal | undefined> {
    const [row] = await this.rows("SELECT * FROM portals WHERE network = $1 AND chat = $2", [network, chat]);
    return row && portalFromRow(row);
  }

  async portalsInRoom(roomId: string): Promise<Portal[]> {
    return (await this.rows(`SELECT * FROM portals WHERE room_id = $1 ${PORTAL_ORDER}`, [roomId])).map(portalFromRow);
  }

  async listPortals(network?: string): Promise<Portal[]> {
    const rows = network === undefined
      ? await this.rows(`SELECT * FROM portals ${PORTAL_ORDER}`)
      : await this.rows(`SELECT * FROM portals WHERE network = $1 ${PORTAL_ORDER}`, [network]);
    return rows.map(portalFromRow);
  }

  async upsertPortal(portal: Portal): Promise<void> {
    await this.execute(`
      INSERT INTO portals (network, chat, room_id, kind, name, topic, avatar_mxc, group_chat, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (network, chat) DO UPDATE SET room_id = excluded.room_id, kind = excluded.kind,
        name = excluded.name, topic = excluded.topic, avatar_mxc = excluded.avatar_mxc, group_chat = excluded.group_chat
    `, [
      portal.network, portal.chat, portal.roomId, portal.kind, portal.name ?? null, portal.topic ?? null,
      portal.avatarMxc ?? null, portal.groupChat ?? null, portal.createdAt,
    ]);
  }

  async deletePortal(network: string, chat: string): Promise<void> {
    await this.execute("DELETE FROM portals WHERE network = $1 AND chat = $2", [network, chat]);
  }

  async getGhost(network: string, remoteUserId: string): Promise<Ghost | undefined> {
    const [row] = await this.rows("SELECT * FROM ghosts WHERE network = $1 AND remote_user_id = $2", [network, remoteUserId]);
    return row && ghostFromRow(row);
  }

  async getGhostByMxid(matrixUserId: string): Promise<Ghost | undefined> {
    const [row] = await this.rows("SELECT * FROM ghosts WHERE matrix_user_id = $1", [matrixUserId]);
    return row && ghostFromRow(row);
  }

  async upsertGhost(ghost: Ghost): Promise<void> {
    await this.execute(`
      INSERT INTO ghosts (network, remote_user_id, matrix_user_id, display_name, avatar_source, avatar_mxc, profile_scope)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (network, remote_user_id) DO UPDATE SET matrix_user_id = excluded.matrix_user_id,
        display_name = excluded.display_name, avatar_source = excluded.avatar_source, avatar_mxc = excluded.avatar_mxc,
        profile_scope = excluded.profile_scope
    `, [
      ghost.network, ghost.remoteUserId, ghost.matrixUserId, ghost.displayName ?? null, ghost.avatarSource ?? null,
      ghost.avatarMxc ?? null, ghost.profileScope ?? null,
    ]);
  }

  async addMessageParts(parts: MessagePart[]): Promise<void> {
    if (parts.length === 0) return;
    await this.transaction(async (client) => {
      for (const part of parts) {
        await client.query(`
          INSERT INTO message_parts (room_id, event_id, network, chat, remote_id, part, sender_mxid, thread_root, origin, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
          ON CONFLICT DO NOTHING
        `, [
          part.roomId, part.eventId, part.network, part.chat, part.remoteId, part.part, part.senderMxid,
          part.threadRoot ?? null, part.origin, part.createdAt,
        ]);
      }
    });
  }

  async partsForEvent(eventId: string, network?: string): Promise<MessagePart[]> {
    const rows = network === undefined
      ? await this.rows(`SELECT * FROM message_parts WHERE event_id = $1 ${PART_ORDER}`, [eventId])
      : await this.rows(`SELECT * FROM message_parts WHERE event_id = $1 AND network = $2 ${PART_ORDER}`, [eventId, network]);
    return rows.map(partFromRow);
  }

  async partsForRemote(network: string, chat: string, remoteId: string): Promise<MessagePart[]> {
    const rows = await this.rows(
      `SELECT * FROM message_parts WHERE network = $1 AND chat = $2 AND remote_id = $3 ${PART_ORDER}`,
      [network, chat, remoteId],
    );
    return rows.map(partFromRow);
  }

  async deleteMessageParts(eventId: string): Promise<void> {
    await this.execute("DELETE FROM message_parts WHERE event_id = $1", [eventId]);
  }

  async addReaction(reaction: ReactionRecord): Promise<void> {
    // SQLite's INSERT OR REPLACE deletes the old row and inserts a new one, which moves the
    // reaction to the end of the insertion order: `position = DEFAULT` does the same.
    await this.execute(`
      INSERT INTO reactions (event_id, room_id, target_event_id, network, chat, remote_message_id, reaction_key, sender_mxid)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (event_id) DO UPDATE SET room_id = excluded.room_id, target_event_id = excluded.target_event_id,
        network = excluded.network, chat = excluded.chat, remote_message_id = excluded.remote_message_id,
        reaction_key = excluded.reaction_key, sender_mxid = excluded.sender_mxid, position = DEFAULT
    `, [
      reaction.eventId, reaction.roomId, reaction.targetEventId, reaction.network, reaction.chat, reaction.remoteMessageId,
      reaction.key, reaction.senderMxid,
    ]);
  }

  async getReactionByEvent(eventId: string): Promise<ReactionRecord | undefined> {
    const [row] = await this.rows("SELECT * FROM reactions WHERE event_id = $1", [eventId]);
    return row && reactionFromRow(row);
  }

  async findReaction(targetEventId: string, key: string, senderMxid: string): Promise<ReactionRecord | undefined> {
    const [row] = await this.rows(
      "SELECT * FROM reactions WHERE target_event_id = $1 AND reaction_key = $2 AND sender_mxid = $3 ORDER BY position LIMIT 1",
      [targetEventId, key, senderMxid],
    );
    return row && reactionFromRow(row);
  }

  async countReactions(network: string, chat: string, remoteMessageId: string, key: string): Promise<number> {
    const [row] = await this.rows(
      "SELECT COUNT(*) AS n FROM reactions WHERE network = $1 AND chat = $2 AND remote_message_id = $3 AND reaction_key = $4",
      [network, chat, remoteMessageId, key],
    );
    return row?.n as number;
  }

  async reactionsOnRemote(network: string, chat: string, remoteMessageId: string, key?: string): Promise<ReactionRecord[]> {
    // SQLite reads these through its (…, reaction_key) index, so they come by key (in byte
    // order: the "C" collation), then as inserted.
    const rows = key === undefined
      ? await this.rows(
        `SELECT * FROM reactions WHERE network = $1 AND chat = $2 AND remote_message_id = $3
         ORDER BY reaction_key COLLATE "C", position`,
        [network, chat, remoteMessageId],
      )
      : await this.rows(
        `SELECT * FROM reactions WHERE network = $1 AND chat = $2 AND remote_message_id = $3 AND reaction_key = $4
         ORDER BY position`,
        [network, chat, remoteMessageId, key],
      );
    return rows.map(reactionFromRow);
  }

  async deleteReaction(eventId: string): Promise<void> {
    await this.execute("DELETE FROM reactions WHERE event_id = $1", [eventId]);
  }

  async getUserLinks(matrixUserId: string): Promise<UserLink[]> {
    const rows = await this.rows(
      // SQLite reads these through the primary key, so ties come in remote id order; text in
      // byte order (the "C" collation) as SQLite's BINARY, whatever the database's locale.
      `SELECT * FROM user_links WHERE matrix_user_id = $1
       ORDER BY network COLLATE "C", created_at, remote_user_id COLLATE "C"`,
      [matrixUserId],
    );
    return rows.map(linkFromRow);
  }

  async findUserLinkByRemote(network: string, remoteUserId: string): Promise<UserLink | undefined> {
    const [row] = await this.rows("SELECT * FROM user_links WHERE network = $1 AND remote_user_id = $2", [network, remoteUserId]);
    return row && linkFromRow(row);
  }

  async upsertUserLink(link: UserLink): Promise<void> {
    await this.execute(`
      INSERT INTO user_links (matrix_user_id, network, remote_user_id, remote_group, secret, status, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (matrix_user_id, network, remote_user_id) DO UPDATE SET remote_group = excluded.remote_group,
        secret = excluded.secret, status = excluded.status
    `, [link.matrixUserId, link.network, link.remoteUserId, link.remoteGroup ?? null, link.secret ?? null, link.status, link.createdAt]);
  }

  async deleteUserLink(matrixUserId: string, network: string, remoteUserId: string): Promise<void> {
    await this.execute(
      "DELETE FROM user_links WHERE matrix_user_id = $1 AND network = $2 AND remote_user_id = $3",
      [matrixUserId, network, remoteUserId],
    );
  }

  async inboxAdd(events: InboxEvent[]): Promise<InboxEvent[]> {
    if (events.length === 0) return [];
    // One row at a time, in order, so an event twice in one batch is fresh the first time
    // only and `seq` follows the batch's order, as in SQLite.
    return this.transaction(async (client) => {
      const fresh: InboxEvent[] = [];
      for (const item of events) {
        const inserted = await client.query(`
          INSERT INTO matrix_inbox (event_id, room_id, event_json, received_at, state)
          VALUES ($1, $2, $3, $4, 'pending')
          ON CONFLICT (event_id) DO NOTHING
        `, [item.eventId, item.roomId, JSON.stringify(item.event), item.receivedAt]);
        if (inserted.rowCount === 1) fresh.push(item);
      }
      return fresh;
    });
  }

  async inboxPending(): Promise<InboxEvent[]> {
    return (await this.rows("SELECT * FROM matrix_inbox WHERE state = 'pending' ORDER BY seq")).map(inboxFromRow);
  }

  async inboxKnown(eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await this.rows("SELECT event_id FROM matrix_inbox WHERE event_id = ANY($1::text[])", [eventIds]);
    const known = new Set(rows.map((row) => row.event_id as string));
    return new Set(eventIds.filter((eventId) => known.has(eventId)));
  }

  async inboxFinish(eventId: string, state: Exclude<InboxState, "pending">, error?: string): Promise<void> {
    await this.execute("UPDATE matrix_inbox SET state = $1, error = $2 WHERE event_id = $3", [state, error ?? null, eventId]);
  }

  async inboxScrub(eventId: string): Promise<void> {
    const [row] = await this.rows("SELECT event_json FROM matrix_inbox WHERE event_id = $1", [eventId]);
    if (!row) return;
    const { event_id, room_id, sender, type, origin_server_ts } = JSON.parse(row.event_json as string) as Record<string, unknown>;
    const pruned = { event_id, room_id, sender, type, origin_server_ts, content: {} };
    await this.execute("UPDATE matrix_inbox SET event_json = $1 WHERE event_id = $2", [JSON.stringify(pruned), eventId]);
    // An UPDATE is not enough here: PostgreSQL writes a new row version and leaves the old
    // one, secret included, in the table's file until VACUUM reclaims it, and even then its
    // bytes can linger in the page. VACUUM FULL writes the table afresh into a new file and
    // drops the old one. It locks the inbox while it runs, which is brief: the inbox keeps a
    // week of events, and scrubs are rare (someone pasted a token). What no client can
    // erase is the write-ahead log: the original insert stays in pg_wal until PostgreSQL
    // recycles the segment, and in any WAL archive or replica for as long as they keep it.
    await this.execute("VACUUM FULL matrix_inbox");
  }

  async remoteInboxAdd(network: string, queueKey: string, event: unknown): Promise<number> {
    const [row] = await this.rows(
      "INSERT INTO remote_inbox (network, queue_key, event_json, received_at, state) VALUES ($1, $2, $3, $4, 'pending') RETURNING seq",
      [network, queueKey, JSON.stringify(event), Date.now()],
    );
    return row?.seq as number;
  }

  async remoteInboxPending(network: string): Promise<RemoteInboxItem[]> {
    const rows = await this.rows(
      "SELECT seq, queue_key, event_json FROM remote_inbox WHERE network = $1 AND state = 'pending' ORDER BY seq",
      [network],
    );
    return rows.map((row) => ({ seq: row.seq as number, queueKey: row.queue_key as string, event: JSON.parse(row.event_json as string) }));
  }

  async remoteInboxFinish(seq: number, state: Exclude<InboxState, "pending">, error?: string): Promise<void> {
    await this.execute("UPDATE remote_inbox SET state = $1, error = $2 WHERE seq = $3", [state, error ?? null, seq]);
  }

  async recentMessagesFromNetwork(network: string, chat: string, limit: number): Promise<{ remoteId: string; createdAt: number }[]> {
    const rows = await this.rows(`
      SELECT remote_id, MAX(created_at) AS created_at FROM message_parts
      WHERE network = $1 AND chat = $2 AND origin = 'remote'
      GROUP BY remote_id ORDER BY created_at DESC, MAX(position) DESC LIMIT $3
    `, [network, chat, limit]);
    return rows.map((row) => ({ remoteId: row.remote_id as string, createdAt: row.created_at as number }));
  }

  async latestMessageFromNetwork(network: string, chat: string): Promise<MessagePart | undefined> {
    const [row] = await this.rows(`
      SELECT * FROM message_parts WHERE network = $1 AND chat = $2 AND origin = 'remote'
      ORDER BY created_at DESC, part DESC, position DESC LIMIT 1
    `, [network, chat]);
    return row && partFromRow(row);
  }

  async pruneInboxes(olderThan: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("DELETE FROM matrix_inbox WHERE state != 'pending' AND received_at < $1", [olderThan]);
      await client.query("DELETE FROM remote_inbox WHERE state != 'pending' AND received_at < $1", [olderThan]);
    });
  }

  async getState(scope: string, key: string): Promise<string | undefined> {
    const [row] = await this.rows("SELECT value FROM connector_state WHERE scope = $1 AND key = $2", [scope, key]);
    return row?.value as string | undefined;
  }

  async setState(scope: string, key: string, value: string): Promise<void> {
    await this.execute(
      "INSERT INTO connector_state (scope, key, value) VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
      [scope, key, value],
    );
  }

  async deleteState(scope: string, key: string): Promise<void> {
    await this.execute("DELETE FROM connector_state WHERE scope = $1 AND key = $2", [scope, key]);
  }
}

/** The server could not be reached or refused the login; the message is pg's own. */
export class PostgresConnectError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = "PostgresConnectError";
  }
}
