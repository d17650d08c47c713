/**
 * Rows of the store's tables, as both SQL backends return them (snake_case columns, NULL for
 * absent values), turned into the store interface's records.
 */
import type { Ghost, InboxEvent, MessagePart, Portal, ReactionRecord, UserLink } from "./store.js";

export type Row = Record<string, unknown>;

const optional = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

export function portalFromRow(row: Row): Portal {
  return {
    network: row.network as string,
    chat: row.chat as string,
    roomId: row.room_id as string,
    kind: row.kind as Portal["kind"],
    name: optional(row.name as string | null),
    topic: optional(row.topic as string | null),
    avatarMxc: optional(row.avatar_mxc as string | null),
    groupChat: optional(row.group_chat as string | null),
    createdAt: row.created_at as number,
  };
}

export function ghostFromRow(row: Row): Ghost {
  return {
    network: row.network as string,
    remoteUserId: row.remote_user_id as string,
    matrixUserId: row.matrix_user_id as string,
    displayName: optional(row.display_name as string | null),
    avatarSource: optional(row.avatar_source as string | null),
    avatarMxc: optional(row.avatar_mxc as string | null),
    profileScope: optional(row.profile_scope as string | null),
  };
}

export function partFromRow(row: Row): MessagePart {
  return {
    roomId: row.room_id as string,
    eventId: row.event_id as string,
    network: row.network as string,
    chat: row.chat as string,
    remoteId: row.remote_id as string,
    part: row.part as number,
    senderMxid: row.sender_mxid as string,
    threadRoot: optional(row.thread_root as string | null),
    origin: row.origin as MessagePart["origin"],
    createdAt: row.created_at as number,
  };
}

export function reactionFromRow(row: Row): ReactionRecord {
  return {
    eventId: row.event_id as string,
    roomId: row.room_id as string,
    targetEventId: row.target_event_id as string,
    network: row.network as string,
    chat: row.chat as string,
    remoteMessageId: row.remote_message_id as string,
    key: row.reaction_key as string,
    senderMxid: row.sender_mxid as string,
  };
}

export function linkFromRow(row: Row): UserLink {
  return {
    matrixUserId: row.matrix_user_id as string,
    network: row.network as string,
    remoteUserId: row.remote_user_id as string,
    remoteGroup: optional(row.remote_group as string | null),
    secret: optional(row.secret as string | null),
    status: row.status as UserLink["status"],
    createdAt: row.created_at as number,
  };
}

export function inboxFromRow(row: Row): InboxEvent {
  return {
    eventId: row.event_id as string,
    roomId: row.room_id as string,
    event: JSON.parse(row.event_json as string) as Record<string, unknown>,
    receivedAt: row.received_at as number,
  };
}
