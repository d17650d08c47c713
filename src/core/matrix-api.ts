/**
 * The small slice of Matrix the core needs. Only src/matrix/ implements it (over
 * matrix-appservice-bridge), which keeps the core testable and the SDK in one place.
 * `as` names the user acting: the bot or one of Parley's ghosts.
 */
export interface MatrixApi {
  readonly botUserId: string;
  readonly serverName: string;
  /** Whether Parley may post as this user: the bot, a ghost, or anyone when double puppeting is set up. */
  canActAs(userId: string): boolean;

  /**
   * Sends an event. With a `txnId`, sending again with the same one returns the first
   * event instead of posting twice (the homeserver remembers transaction ids a while),
   * which makes a replay after a crash safe.
   */
  sendEvent(as: string, roomId: string, type: string, content: Record<string, unknown>, txnId?: string): Promise<string>;
  sendState(as: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string>;
  redact(as: string, roomId: string, eventId: string, reason?: string): Promise<void>;
  getEvent(roomId: string, eventId: string): Promise<MatrixEvent | undefined>;
  getState<T = Record<string, unknown>>(roomId: string, type: string, stateKey?: string): Promise<T | undefined>;
  /** The room's latest events, newest first, as the bot sees them. */
  recentEvents(roomId: string, limit: number): Promise<MatrixEvent[]>;
  /** The events just before one in its room's timeline, newest first, as the bot sees them. */
  eventsBefore(roomId: string, eventId: string, limit: number): Promise<MatrixEvent[]>;
  /** The room's create event, sender included (it never changes, so it may be remembered). */
  createEvent(roomId: string): Promise<MatrixEvent | undefined>;
  /** The room an alias points to, if it exists. */
  resolveAlias(alias: string): Promise<string | undefined>;

  createRoom(options: CreateRoomOptions): Promise<string>;
  /** Makes `userId` a member, inviting it with the bot first when needed. */
  join(userId: string, roomId: string): Promise<void>;
  /** Invites `userId`, as the bot unless `as` names another user Parley acts as. */
  invite(roomId: string, userId: string, as?: string): Promise<void>;
  leave(userId: string, roomId: string, reason?: string): Promise<void>;
  /** Members of a room and their membership, as the bot sees them. */
  members(roomId: string): Promise<Map<string, string>>;

  /** Registers a ghost if needed and sets its profile. */
  ensureUser(userId: string, profile?: { displayName?: string; avatarMxc?: string }): Promise<void>;
  getProfile(userId: string): Promise<{ displayName?: string; avatarMxc?: string }>;
  setTyping(as: string, roomId: string, typing: boolean): Promise<void>;

  upload(bytes: Buffer, mimetype: string, filename?: string): Promise<string>;
  /** Downloads media with the bot's authentication (authenticated media since Matrix 1.11). */
  download(mxc: string): Promise<{ bytes: Buffer; mimetype: string }>;

  /** Homeserver versions, which also proves it is reachable. */
  versions(): Promise<string[]>;
  /** Asks the homeserver to call us back now, so a backlog of transactions is redelivered at once. */
  ping(): Promise<{ durationMs: number } | { unsupported: string }>;
}

export interface MatrixEvent {
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  state_key?: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

export interface CreateRoomOptions {
  /** Creator; the bot by default. */
  as?: string;
  name?: string;
  topic?: string;
  avatarMxc?: string;
  aliasLocalpart?: string;
  invite?: string[];
  isDirect?: boolean;
  isSpace?: boolean;
  /** Users and their power levels on top of the creator's. */
  powerLevelUsers?: Record<string, number>;
  /** Public rooms join by alias; private ones by invite. */
  visibility?: "public" | "private";
  initialState?: { type: string; state_key: string; content: Record<string, unknown> }[];
}

/** An error from the homeserver, with its Matrix errcode when it sent one. */
export class MatrixApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly errcode?: string,
    /** The socket error (ECONNREFUSED, ETIMEDOUT…) when no answer came at all. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "MatrixApiError";
  }
}
