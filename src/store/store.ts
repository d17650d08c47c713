/**
 * Everything Parley remembers, behind one interface so SQLite and PostgreSQL can both
 * sit behind it. Methods are async even though better-sqlite3 is not, because a
 * PostgreSQL backend will be. No SQL exists outside the store's implementations.
 */

export interface Portal {
  network: string;
  chat: string;
  roomId: string;
  /** Portals of a network's groups (guilds, workspaces) are spaces holding the others. */
  kind: "chat" | "space";
  name?: string;
  topic?: string;
  avatarMxc?: string;
  /** The space's chat id, for a chat portal that sits in one. */
  groupChat?: string;
  createdAt: number;
}

export interface Ghost {
  network: string;
  remoteUserId: string;
  matrixUserId: string;
  displayName?: string;
  /** The remote avatar URL last uploaded, so an unchanged avatar is not uploaded again. */
  avatarSource?: string;
  avatarMxc?: string;
  /**
   * The scope (a Discord guild) whose look the profile shows; people's looks in other
   * scopes are shown per room. Unset until the person is first seen in a scope.
   */
  profileScope?: string;
}

/** One part of the mapping between a Matrix event and remote messages (one-to-many both ways). */
export interface MessagePart {
  roomId: string;
  eventId: string;
  network: string;
  chat: string;
  remoteId: string;
  /** The position of this remote message among the parts one Matrix event became (or vice versa). */
  part: number;
  /** The Matrix user who sent it (a ghost for remote messages). */
  senderMxid: string;
  /** The remote id of the thread root, when the message is in a thread. */
  threadRoot?: string;
  /** Where the message was written: on the network, or on Matrix. */
  origin: "remote" | "matrix";
  createdAt: number;
}

export interface ReactionRecord {
  roomId: string;
  /** The Matrix m.reaction event. */
  eventId: string;
  targetEventId: string;
  network: string;
  chat: string;
  remoteMessageId: string;
  /** The reaction key as Matrix shows it (Unicode or an mxc URI). */
  key: string;
  /** The Matrix user who reacted (a ghost for remote reactions). */
  senderMxid: string;
}

export interface UserLink {
  matrixUserId: string;
  network: string;
  remoteUserId: string;
  /** The workspace or account group the link is for, when the network has them. */
  remoteGroup?: string;
  /** Encrypted credentials; the store never sees them in the clear. */
  secret?: string;
  status: "ok" | "broken";
  createdAt: number;
}

export type InboxState = "pending" | "done" | "failed";

/** A Matrix event taken from a transaction, saved before the transaction is acknowledged. */
export interface InboxEvent {
  eventId: string;
  roomId: string;
  event: Record<string, unknown>;
  receivedAt: number;
}

export interface RemoteInboxItem {
  seq: number;
  queueKey: string;
  event: unknown;
}

export interface Store {
  close(): Promise<void>;

  getPortal(network: string, chat: string): Promise<Portal | undefined>;
  portalsInRoom(roomId: string): Promise<Portal[]>;
  listPortals(network?: string): Promise<Portal[]>;
  upsertPortal(portal: Portal): Promise<void>;
  deletePortal(network: string, chat: string): Promise<void>;

  getGhost(network: string, remoteUserId: string): Promise<Ghost | undefined>;
  getGhostByMxid(matrixUserId: string): Promise<Ghost | undefined>;
  upsertGhost(ghost: Ghost): Promise<void>;

  addMessageParts(parts: MessagePart[]): Promise<void>;
  /** Every part of a Matrix event on one network, in part order. */
  partsForEvent(eventId: string, network?: string): Promise<MessagePart[]>;
  /** Every Matrix event a remote message became, in part order. */
  partsForRemote(network: string, chat: string, remoteId: string): Promise<MessagePart[]>;
  deleteMessageParts(eventId: string): Promise<void>;

  addReaction(reaction: ReactionRecord): Promise<void>;
  getReactionByEvent(eventId: string): Promise<ReactionRecord | undefined>;
  findReaction(targetEventId: string, key: string, senderMxid: string): Promise<ReactionRecord | undefined>;
  /** How many Matrix users still hold this reaction on this remote message. */
  countReactions(network: string, chat: string, remoteMessageId: string, key: string): Promise<number>;
  /** The reactions recorded on a remote message, all or those with one key. */
  reactionsOnRemote(network: string, chat: string, remoteMessageId: string, key?: string): Promise<ReactionRecord[]>;
  deleteReaction(eventId: string): Promise<void>;

  getUserLinks(matrixUserId: string): Promise<UserLink[]>;
  findUserLinkByRemote(network: string, remoteUserId: string): Promise<UserLink | undefined>;
  upsertUserLink(link: UserLink): Promise<void>;
  deleteUserLink(matrixUserId: string, network: string, remoteUserId: string): Promise<void>;

  /** Saves the events not seen before and returns them; events seen before are skipped. */
  inboxAdd(events: InboxEvent[]): Promise<InboxEvent[]>;
  /** Events saved but not finished, oldest first: what to resume after a restart. */
  inboxPending(): Promise<InboxEvent[]>;
  /** Which of these Matrix events the inbox has received (whatever became of them). */
  inboxKnown(eventIds: string[]): Promise<Set<string>>;
  inboxFinish(eventId: string, state: Exclude<InboxState, "pending">, error?: string): Promise<void>;
  /** Drops an event's content from the inbox, and from the file, keeping its id (it carried a secret). */
  inboxScrub(eventId: string): Promise<void>;

  /** Saves a remote event before it is handled; returns its place in the queue. */
  remoteInboxAdd(network: string, queueKey: string, event: unknown): Promise<number>;
  /** A network's remote events saved but not finished, oldest first. */
  remoteInboxPending(network: string): Promise<RemoteInboxItem[]>;
  remoteInboxFinish(seq: number, state: Exclude<InboxState, "pending">, error?: string): Promise<void>;
  /** The newest messages bridged from the network in a chat, newest first, one entry per remote message. */
  recentMessagesFromNetwork(network: string, chat: string, limit: number): Promise<{ remoteId: string; createdAt: number }[]>;
  /** The newest message bridged from the network in a chat, where catching up resumes. */
  latestMessageFromNetwork(network: string, chat: string): Promise<MessagePart | undefined>;
  /** Forgets finished inbox entries older than the cutoff; event ids stay long enough to catch a resend. */
  pruneInboxes(olderThan: number): Promise<void>;

  getState(scope: string, key: string): Promise<string | undefined>;
  setState(scope: string, key: string, value: string): Promise<void>;
  deleteState(scope: string, key: string): Promise<void>;
}
