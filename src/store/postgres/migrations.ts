/**
 * Numbered schema migrations for PostgreSQL. Each runs once, in order, inside one
 * transaction with the bump of `parley_schema.version`, so a crash mid-migration leaves
 * the previous schema. Never edit a released migration: add the next one.
 *
 * The schema means what SQLite's does (src/store/sqlite/migrations.ts), with these
 * differences, each for a reason:
 * - Millisecond times are BIGINT: they overflow PostgreSQL's 32-bit INTEGER.
 * - `seq` columns are identities, so they only grow, as AUTOINCREMENT does in SQLite.
 * - Tables whose rows SQLite returns in insertion order when sort keys tie (the rowid
 *   breaks the tie there) carry an identity `position` that queries use the same way.
 * - Event JSON stays TEXT, not JSONB, so an event comes back exactly as it was saved.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the schema SQLite reached in its migration 3, which is where PostgreSQL starts.
  `
  CREATE TABLE portals (
    network TEXT NOT NULL,
    chat TEXT NOT NULL,
    room_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('chat', 'space')),
    name TEXT,
    topic TEXT,
    avatar_mxc TEXT,
    group_chat TEXT,
    created_at BIGINT NOT NULL,
    position BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (network, chat)
  );
  CREATE INDEX portals_by_room ON portals (room_id);

  CREATE TABLE ghosts (
    network TEXT NOT NULL,
    remote_user_id TEXT NOT NULL,
    matrix_user_id TEXT NOT NULL UNIQUE,
    display_name TEXT,
    avatar_source TEXT,
    avatar_mxc TEXT,
    PRIMARY KEY (network, remote_user_id)
  );

  CREATE TABLE message_parts (
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    network TEXT NOT NULL,
    chat TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    sender_mxid TEXT NOT NULL,
    thread_root TEXT,
    origin TEXT NOT NULL DEFAULT 'remote' CHECK (origin IN ('remote', 'matrix')),
    created_at BIGINT NOT NULL,
    position BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (network, chat, remote_id, event_id)
  );
  CREATE INDEX message_parts_by_event ON message_parts (event_id);
  CREATE INDEX message_parts_by_chat_time ON message_parts (network, chat, created_at);
  CREATE INDEX message_parts_by_origin_time ON message_parts (network, chat, origin, created_at);

  CREATE TABLE reactions (
    event_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    target_event_id TEXT NOT NULL,
    network TEXT NOT NULL,
    chat TEXT NOT NULL,
    remote_message_id TEXT NOT NULL,
    reaction_key TEXT NOT NULL,
    sender_mxid TEXT NOT NULL,
    position BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX reactions_by_target ON reactions (target_event_id, reaction_key, sender_mxid);
  CREATE INDEX reactions_by_remote ON reactions (network, chat, remote_message_id, reaction_key);

  CREATE TABLE user_links (
    matrix_user_id TEXT NOT NULL,
    network TEXT NOT NULL,
    remote_user_id TEXT NOT NULL,
    remote_group TEXT,
    secret TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'broken')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (matrix_user_id, network, remote_user_id)
  );
  CREATE UNIQUE INDEX user_links_by_remote ON user_links (network, remote_user_id);

  CREATE TABLE matrix_inbox (
    event_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    event_json TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    error TEXT,
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX matrix_inbox_pending ON matrix_inbox (state, seq);

  CREATE TABLE remote_inbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network TEXT NOT NULL,
    queue_key TEXT NOT NULL,
    event_json TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    error TEXT
  );
  CREATE INDEX remote_inbox_pending ON remote_inbox (network, state, seq);

  CREATE TABLE connector_state (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  );
  `,
  // 2: the scope (a Discord guild) whose look a ghost's profile shows, so a person with
  // another nick in another guild is named per room there instead of renamed everywhere.
  `
  ALTER TABLE ghosts ADD COLUMN profile_scope TEXT;
  `,
];
