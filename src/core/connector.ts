import type { Logger } from "winston";
import type { Document } from "./format/ast.js";
import type { MediaKind, MessageStyle, RemoteEvent } from "./events.js";
import type { BotCommand } from "./commands/command.js";

/**
 * The contract between Parley's core and one remote network. The core owns Matrix,
 * the store, ordering and retries; a connector owns its network's library, ids and
 * formats. Required methods are what every network can do; the optional ones are
 * capabilities the core checks for before calling, so a network
 * without one gets a clear notice in the room instead of a silent drop.
 */
export interface Connector {
  /** The network's config and id prefix: `discord`, `slack`. */
  readonly network: string;
  /** How people call the network: `Discord`, `Slack`. */
  readonly displayName: string;

  /** Connects and begins emitting events through the host. Resolves once connected. */
  start(host: ConnectorHost): Promise<void>;
  /** Disconnects; no event is emitted after it resolves. */
  stop(): Promise<void>;

  /** Posts a Matrix message; returns the remote ids of the parts it became, in order. */
  sendMessage(chat: string, message: OutgoingMessage): Promise<SentMessage>;
  /** What a chat is called and where it belongs, for creating or refreshing its room. */
  getChat(chat: string): Promise<ChatInfo>;
  /** A remote user's current profile, for their ghost. */
  getUser(user: string): Promise<import("./events.js").RemoteUser>;
  /** Fetches a remote file (avatar, attachment, emoji) with whatever credentials it needs. */
  fetchMedia(url: string, maxBytes: number): Promise<FetchedMedia>;
  /** The chat an alias localpart names (`discord_123_456` -> a channel), if it is one of ours. */
  chatForAlias(localpart: string): string | undefined;
  /** The alias localpart for a chat: the inverse of chatForAlias. */
  aliasForChat(chat: string): string;
  /** The remote user a ghost's localpart stands for, if it is one of ours. */
  userForGhost(localpart: string): string | undefined;
  /** The ghost localpart for a remote user: the inverse of userForGhost. */
  ghostForUser(user: string): string;

  /** Replaces a message's text in every part; returns the parts' ids afterwards. */
  editMessage?(chat: string, ids: string[], message: OutgoingMessage): Promise<SentMessage>;
  deleteMessages?(chat: string, ids: string[], sender: MatrixSender): Promise<void>;
  addReaction?(chat: string, messageId: string, emoji: OutgoingEmoji, sender: MatrixSender): Promise<void>;
  removeReaction?(chat: string, messageId: string, emoji: OutgoingEmoji, sender: MatrixSender): Promise<void>;
  setTyping?(chat: string, sender: MatrixSender, typing: boolean): Promise<void>;
  /**
   * Emits, in order, what happened in a chat after the remote message `after` (the newest
   * Parley bridged from the network), or, when none has been yet, since the time `since`
   * (when the chat was bridged, in ms): messages, and the edits and deletes it can detect.
   * The core calls it at start and after a reconnect, so downtime loses nothing; messages
   * already bridged are recognised by id and not repeated.
   */
  catchUp?(chat: string, after: string | undefined, since: number): Promise<void>;

  /**
   * A Matrix user asks for a private chat with these remote users, by inviting their ghosts to a
   * room: opens (or finds) the conversation on the network, as the user's linked account, and
   * returns its chat id. Rejects with a reason the user is told when it cannot.
   */
  openDirectChat?(matrixUserId: string, users: string[]): Promise<string>;

  /** Commands under `!<network>`, such as `!discord bridge`. */
  readonly commands?: readonly BotCommand[];
  /** Linking people's own accounts through the network's OAuth; the core runs the flow. */
  readonly accounts?: AccountLinking;
}

/** A network's half of account linking: the core keeps state, callbacks, storage and encryption. */
export interface AccountLinking {
  /** Where to send the person's browser to authorise Parley; `state` must come back unchanged. */
  authorizeUrl(state: string, redirectUri: string): string;
  /** Trades the code from the OAuth callback for the account and its credentials. */
  exchangeCode(code: string, redirectUri: string): Promise<LinkedAccount>;
  /** Gives credentials up on the network when their person unlinks, so no copy of them works either. */
  revoke?(credentials: string): Promise<void>;
}

export interface LinkedAccount {
  remoteUserId: string;
  displayName: string;
  /** The workspace or other group the account belongs to, when the network has them. */
  remoteGroup?: string;
  /** Whatever the connector needs to act as the person later (tokens), as text; stored encrypted. */
  credentials?: string;
}

/** What the core gives a connector: a way to report events and to look things up. */
export interface ConnectorHost {
  readonly log: Logger;
  /**
   * Reports an event. Events of one chat must be emitted in the order they happened;
   * the core keeps that order all the way to Matrix. Resolves once the event is stored
   * durably: a network that wants an acknowledgement (Slack) should send it then.
   */
  emit(event: RemoteEvent): Promise<void>;
  /** The Matrix room bridged to a chat, if any. */
  roomForChat(chat: string): Promise<string | undefined>;
  /**
   * The newest messages Parley bridged from this network in a chat (remote ids, newest
   * first): what catching up compares with the network's history to find edits and
   * deletions made while Parley was away.
   */
  recentlyBridged(chat: string, limit: number): Promise<{ remoteId: string; createdAt: number }[]>;
  /**
   * Whether a remote message is already mapped to a Matrix event, either way: a message found
   * while looking for a post lost in a crash is that post only if it is not already another's.
   */
  isBridged(chat: string, remoteId: string): Promise<boolean>;
  /** The chat of this network bridged to a room (by id or alias), if any: for room mentions. */
  chatForRoom(roomIdOrAlias: string): Promise<string | undefined>;
  /** Whether a Matrix user may change the room's power levels: who may bridge or unbridge it. */
  mayManageRoom(roomId: string, userId: string): Promise<boolean>;
  /** The Matrix user's display name in a room (or their global one). */
  displayNameOf(userId: string, roomId?: string): Promise<string>;
  /** The Matrix user standing for a remote user: their own account when linked, else their ghost. */
  matrixUserFor(user: string): Promise<string>;
  /** The remote user a Matrix user is on this network: a ghost's original, or a linked account. */
  remoteUserFor(matrixUserId: string): Promise<string | undefined>;
  /** Posts a notice from the bot in the room bridged to a chat (outages, approvals, errors). */
  notify(chat: string, text: string): Promise<void>;
  /** Posts a notice from the bot in a room, bridged or not: the answer to a request made there. */
  noticeInRoom(roomId: string, text: string): Promise<void>;
  /** Links a chat to a room, after whatever approval the network needs. */
  bridgeChat(chat: string, roomId: string): Promise<void>;
  /** Unlinks a chat (deleted channel, removed bot, `unbridge` from the remote side). */
  unbridgeChat(chat: string, reason: string): Promise<void>;
  /** Durable key-value state of the connector's own (webhook ids, cursors). */
  readonly state: ConnectorState;
  /** Reports the connection going up or down, for `status` and for telling rooms about outages. */
  setConnected(connected: boolean, error?: string): void;
  /** Every chat of this network bridged to a room (outage notices, a guild the bot left). */
  bridgedChats(): Promise<string[]>;
  /** Links a Matrix user to their account on this network (after a token login, say). */
  linkAccount(matrixUserId: string, account: LinkedAccount): Promise<void>;
  /** The decrypted credentials of a Matrix user's working link on this network. */
  credentialsFor(matrixUserId: string): Promise<string | undefined>;
  /** The network refused a linked account's credentials: marks the link broken and tells its owner. */
  linkBroken(matrixUserId: string, reason: string): Promise<void>;
  /** Redacts an event as the bot and forgets Parley's own stored copy of it (a message that carried a secret). */
  redact(roomId: string, eventId: string, reason: string): Promise<void>;
  /**
   * The room of a private chat (a direct message) for the Matrix people in it: made by the ghost
   * of `creator` (so clients show it as a chat with them), inviting `invite`, marked direct. An
   * existing portal's room is returned as it is; undefined when the chat cannot be bridged.
   */
  openPrivatePortal(chat: string, options: { creator: import("./events.js").RemoteUser; invite: string[] }): Promise<string | undefined>;
}

export interface ConnectorState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The Matrix user behind an outgoing action, as the remote side should show them. */
export interface MatrixSender {
  userId: string;
  displayName: string;
  /** A public https URL of their avatar that Parley serves; absent when they have none. */
  avatarUrl?: string;
  /** Their own account on this network when they linked one. */
  remoteUserId?: string;
  /** When the sender is a ghost of another network, relayed through this room. */
  relayedFrom?: string;
}

export interface OutgoingMedia {
  kind: MediaKind;
  filename: string;
  mimetype: string;
  size: number;
  width?: number;
  height?: number;
  spoiler?: boolean;
  /** The bytes, fetched from the homeserver only when the connector uploads them. */
  load(): Promise<Buffer>;
  /** A link Parley serves, for files over the network's upload limit. */
  publicUrl: string;
}

export interface OutgoingReply {
  /** The remote id of the message replied to. */
  remoteId: string;
  /** Who wrote it, as a remote user id when it came from this network. */
  remoteAuthorId?: string;
  /** The remote id of the thread root, when the message replied to sits in a thread. */
  threadRoot?: string;
  authorName: string;
  /** A short plain-text excerpt of what was replied to. */
  excerpt: string;
}

export interface OutgoingMessage {
  sender: MatrixSender;
  style: MessageStyle;
  text: Document;
  media?: OutgoingMedia;
  replyTo?: OutgoingReply;
  /** The remote id of the thread root the message belongs in. */
  threadRoot?: string;
  /** Whether the sender may ping everyone (Matrix power level for `@room`). */
  mayPingRoom: boolean;
  /** Unique per Matrix event and part of the message: a nonce for networks that take one. */
  idempotencyKey: string;
  /**
   * Delivered again, after a restart or a failed attempt (a 5xx or a dropped connection can
   * come after the post was made): it may already be there, so a network with no nonce
   * should look at recent history before posting it again.
   */
  resumed: boolean;
}

export interface SentMessage {
  ids: string[];
}

export type OutgoingEmoji =
  | { kind: "unicode"; value: string }
  /** A Matrix custom emoji (an mxc reaction key) known by its shortcode. */
  | { kind: "custom"; name: string };

export interface ChatInfo {
  name: string;
  topic?: string;
  avatarUrl?: string;
  /** The group the chat belongs to (guild, workspace), made a Matrix space. */
  group?: { id: string; name: string; avatarUrl?: string };
  isDirect?: boolean;
}

export interface FetchedMedia {
  bytes: Buffer;
  mimetype: string;
}

/** A typed refusal: the network cannot do this, said plainly to the person who asked. */
export class UnsupportedError extends Error {
  constructor(network: string, what: string) {
    super(`${what} is not supported on ${network}`);
    this.name = "UnsupportedError";
  }
}

/** A failure the network reported that will not get better by retrying (unknown channel, no permission). */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentError";
  }
}

/** A failure worth retrying later (rate limit, outage); `retryAfterMs` when the network said when. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryLaterError";
  }
}
