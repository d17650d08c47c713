// A person on the Matrix side of an end-to-end test: a small client-server API client over fetch
// that does what a Matrix client would do when its user chats, reacts, edits, uploads and so on.
import { MatrixApiError, matrixFetch, matrixJson, type MatrixRequest } from "./matrix-http.js";
import { waitForEvent, waitForInvite, waitForTyping, type PendingInvite, type SyncResponse, type WaitOptions } from "./matrix-waits.js";

export type { PendingInvite, StrippedStateEvent, SyncResponse, WaitOptions } from "./matrix-waits.js";

export interface MatrixEvent {
  event_id: string;
  type: string;
  sender: string;
  room_id: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

/** The body of `POST /createRoom`; any further spec field passes through. */
export interface CreateRoomOptions {
  name?: string;
  topic?: string;
  preset?: "private_chat" | "public_chat" | "trusted_private_chat";
  visibility?: "public" | "private";
  invite?: string[];
  is_direct?: boolean;
  room_alias_name?: string;
  initial_state?: { type: string; state_key?: string; content: Record<string, unknown> }[];
  power_level_content_override?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface PowerLevelChanges {
  users?: Record<string, number>;
  events?: Record<string, number>;
  [field: string]: unknown;
}

export interface Profile {
  displayname?: string;
  avatar_url?: string;
}

export interface DownloadedMedia {
  bytes: Buffer;
  contentType: string | null;
  contentDisposition: string | null;
}

const CLIENT = "/_matrix/client/v3";
let transactionCounter = 0;

export class MatrixUser {
  /**
   * @param options.asAppservice set when `accessToken` is an appservice's as_token: every request then
   *   asserts `userId` with the `user_id` query parameter, as the appservice spec prescribes.
   */
  constructor(
    readonly baseUrl: string,
    readonly userId: string,
    readonly accessToken: string,
    private readonly options: { asAppservice?: boolean } = {},
  ) {}

  async whoami(): Promise<{ user_id: string; device_id?: string }> {
    return this.json("GET", `${CLIENT}/account/whoami`);
  }

  // --- rooms and membership ---

  async createRoom(options: CreateRoomOptions = {}): Promise<string> {
    const { room_id } = await this.json<{ room_id: string }>("POST", `${CLIENT}/createRoom`, options);
    return room_id;
  }

  /** Starts a DM as Matrix clients do: an is_direct invite plus the m.direct account data entry. */
  async createDirectRoom(userId: string): Promise<string> {
    const roomId = await this.createRoom({ preset: "trusted_private_chat", is_direct: true, invite: [userId] });
    const direct = (await this.getAccountData<Record<string, string[]>>("m.direct")) ?? {};
    await this.setAccountData("m.direct", { ...direct, [userId]: [...(direct[userId] ?? []), roomId] });
    return roomId;
  }

  async joinRoom(roomIdOrAlias: string): Promise<string> {
    const { room_id } = await this.json<{ room_id: string }>("POST", `${CLIENT}/join/${enc(roomIdOrAlias)}`, {});
    return room_id;
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.json("POST", `${CLIENT}/rooms/${enc(roomId)}/leave`, {});
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.json("POST", `${CLIENT}/rooms/${enc(roomId)}/invite`, { user_id: userId });
  }

  async joinedRooms(): Promise<string[]> {
    const { joined_rooms } = await this.json<{ joined_rooms: string[] }>("GET", `${CLIENT}/joined_rooms`);
    return joined_rooms;
  }

  async joinedMembers(roomId: string): Promise<Record<string, { display_name?: string; avatar_url?: string }>> {
    const { joined } = await this.json<{ joined: Record<string, { display_name?: string; avatar_url?: string }> }>(
      "GET",
      `${CLIENT}/rooms/${enc(roomId)}/joined_members`,
    );
    return joined;
  }

  async resolveAlias(alias: string): Promise<string> {
    const { room_id } = await this.json<{ room_id: string }>("GET", `${CLIENT}/directory/room/${enc(alias)}`);
    return room_id;
  }

  // --- account data ---

  /** The user's global account data of this type, or undefined when they have none. */
  async getAccountData<T = Record<string, unknown>>(type: string): Promise<T | undefined> {
    try {
      return await this.json<T>("GET", accountDataPath(this.userId, type));
    } catch (error) {
      if (error instanceof MatrixApiError && error.errcode === "M_NOT_FOUND") return undefined;
      throw error;
    }
  }

  async setAccountData(type: string, content: Record<string, unknown>): Promise<void> {
    await this.json("PUT", accountDataPath(this.userId, type), content);
  }

  // --- profile ---

  async setDisplayName(displayName: string): Promise<void> {
    await this.json("PUT", `${CLIENT}/profile/${enc(this.userId)}/displayname`, { displayname: displayName });
  }

  async setAvatarUrl(mxcUri: string): Promise<void> {
    await this.json("PUT", `${CLIENT}/profile/${enc(this.userId)}/avatar_url`, { avatar_url: mxcUri });
  }

  async getProfile(userId: string): Promise<Profile> {
    return this.json("GET", `${CLIENT}/profile/${enc(userId)}`);
  }

  // --- sending ---

  /**
   * Sends an event. A client retrying a send it is unsure of passes the same `txnId`
   * again, as real clients do, and the homeserver then keeps one event.
   */
  async sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId = nextTransactionId()): Promise<string> {
    const path = `${CLIENT}/rooms/${enc(roomId)}/send/${enc(type)}/${enc(txnId)}`;
    const { event_id } = await this.json<{ event_id: string }>("PUT", path, content);
    return event_id;
  }

  async sendText(roomId: string, body: string, extraContent: Record<string, unknown> = {}): Promise<string> {
    return this.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body, ...extraContent });
  }

  async sendHtml(roomId: string, body: string, html: string): Promise<string> {
    return this.sendText(roomId, body, htmlContent(html));
  }

  /** Replies without a quoted fallback, which the spec dropped in v1.13. */
  async reply(roomId: string, inReplyTo: string, body: string): Promise<string> {
    return this.sendText(roomId, body, { "m.relates_to": { "m.in_reply_to": { event_id: inReplyTo } } });
  }

  /**
   * Replies in a thread the way thread-aware clients do: `m.thread` to the root, with an
   * `is_falling_back` reply to the thread's latest event for clients that do not know threads.
   */
  async sendThreadReply(roomId: string, threadRootId: string, body: string, latestInThread = threadRootId): Promise<string> {
    return this.sendText(roomId, body, {
      "m.relates_to": {
        rel_type: "m.thread",
        event_id: threadRootId,
        is_falling_back: true,
        "m.in_reply_to": { event_id: latestInThread },
      },
    });
  }

  /** Edits a message: `m.new_content` carries the new text, the outer body the `* ` fallback. */
  async edit(roomId: string, eventId: string, newBody: string, newHtml?: string): Promise<string> {
    const newContent = { msgtype: "m.text", body: newBody, ...(newHtml === undefined ? {} : htmlContent(newHtml)) };
    return this.sendEvent(roomId, "m.room.message", {
      msgtype: "m.text",
      body: `* ${newBody}`,
      ...(newHtml === undefined ? {} : htmlContent(`* ${newHtml}`)),
      "m.new_content": newContent,
      "m.relates_to": { rel_type: "m.replace", event_id: eventId },
    });
  }

  async react(roomId: string, eventId: string, key: string): Promise<string> {
    return this.sendEvent(roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key },
    });
  }

  async redact(roomId: string, eventId: string, reason?: string): Promise<string> {
    const path = `${CLIENT}/rooms/${enc(roomId)}/redact/${enc(eventId)}/${nextTransactionId()}`;
    const { event_id } = await this.json<{ event_id: string }>("PUT", path, reason === undefined ? {} : { reason });
    return event_id;
  }

  // --- state ---

  async getState<T = Record<string, unknown>>(roomId: string, type: string, stateKey = ""): Promise<T> {
    return this.json("GET", statePath(roomId, type, stateKey));
  }

  async setState(roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
    const { event_id } = await this.json<{ event_id: string }>("PUT", statePath(roomId, type, stateKey), content);
    return event_id;
  }

  /** Merges `users` and `events` into the current power levels; other fields replace theirs. */
  async setPowerLevels(roomId: string, changes: PowerLevelChanges): Promise<string> {
    const current = await this.getState<PowerLevelChanges>(roomId, "m.room.power_levels");
    return this.setState(roomId, "m.room.power_levels", "", {
      ...current,
      ...changes,
      users: { ...current.users, ...changes.users },
      events: { ...current.events, ...changes.events },
    });
  }

  // --- media ---

  async uploadMedia(bytes: Uint8Array, contentType: string, filename: string): Promise<string> {
    const { content_uri } = await matrixJson<{ content_uri: string }>(
      this.baseUrl,
      this.request("POST", "/_matrix/media/v3/upload", bytes, { filename }, contentType),
    );
    return content_uri;
  }

  /** Downloads through the authenticated media API, the only one that serves new media. */
  async downloadMedia(mxcUri: string): Promise<DownloadedMedia> {
    const match = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(mxcUri);
    if (!match) throw new Error(`not an mxc URI: ${mxcUri}`);
    const [, serverName, mediaId] = match as unknown as [string, string, string];
    const response = await matrixFetch(
      this.baseUrl,
      this.request("GET", `/_matrix/client/v1/media/download/${enc(serverName)}/${enc(mediaId)}`),
    );
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get("content-type"),
      contentDisposition: response.headers.get("content-disposition"),
    };
  }

  // --- reading ---

  async getEvent(roomId: string, eventId: string): Promise<MatrixEvent> {
    return this.json("GET", `${CLIENT}/rooms/${enc(roomId)}/event/${enc(eventId)}`);
  }

  /** One page of the room's timeline; with dir "b" (the default) the newest event comes first. */
  async roomMessages(roomId: string, options: { limit?: number; dir?: "b" | "f"; from?: string } = {}): Promise<MatrixEvent[]> {
    return (await this.roomMessagesPage(roomId, options)).chunk;
  }

  /** The same page with the token (`end`) that continues it; no `end` means the timeline is exhausted. */
  async roomMessagesPage(
    roomId: string,
    options: { limit?: number; dir?: "b" | "f"; from?: string } = {},
  ): Promise<{ chunk: MatrixEvent[]; end?: string }> {
    return this.json<{ chunk: MatrixEvent[]; end?: string }>("GET", `${CLIENT}/rooms/${enc(roomId)}/messages`, undefined, {
      dir: options.dir ?? "b",
      limit: options.limit ?? 50,
      from: options.from,
    });
  }

  /** One /sync call; without `since` it is an initial sync. */
  async sync(options: { since?: string; timeoutMs?: number; filter?: Record<string, unknown> } = {}): Promise<SyncResponse> {
    return this.json("GET", `${CLIENT}/sync`, undefined, {
      since: options.since,
      timeout: options.timeoutMs ?? 0,
      filter: options.filter && JSON.stringify(options.filter),
    });
  }

  // --- waiting for what others do ---

  /**
   * Polls the room's latest `limit` events until one satisfies `predicate` and returns the newest
   * such event; on timeout the error lists the events it saw.
   */
  async waitForEvent(
    roomId: string,
    predicate: (event: MatrixEvent) => boolean,
    options: WaitOptions & { limit?: number } = {},
  ): Promise<MatrixEvent> {
    return waitForEvent(this, roomId, predicate, options);
  }

  /** Waits, via /sync, for a pending invite that satisfies `predicate`, and returns its room id. */
  async waitForInvite(predicate: (invite: PendingInvite) => boolean = () => true, options: WaitOptions = {}): Promise<string> {
    return waitForInvite(this, predicate, options);
  }

  /** Waits, via /sync, until `typist` shows as typing in the room. */
  async waitForTyping(roomId: string, typist: string, options: WaitOptions = {}): Promise<void> {
    return waitForTyping(this, roomId, typist, options);
  }

  // --- plumbing ---

  private async json<T = unknown>(
    method: MatrixRequest["method"],
    path: string,
    body?: unknown,
    query: MatrixRequest["query"] = {},
  ): Promise<T> {
    return matrixJson<T>(this.baseUrl, this.request(method, path, body, query));
  }

  private request(
    method: MatrixRequest["method"],
    path: string,
    body?: unknown,
    query: MatrixRequest["query"] = {},
    contentType?: string,
  ): MatrixRequest {
    const assertion = this.options.asAppservice ? { user_id: this.userId } : {};
    return { method, path, body, contentType, accessToken: this.accessToken, query: { ...query, ...assertion } };
  }
}

function htmlContent(html: string): Record<string, unknown> {
  return { format: "org.matrix.custom.html", formatted_body: html };
}

function statePath(roomId: string, type: string, stateKey: string): string {
  return `${CLIENT}/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`;
}

function accountDataPath(userId: string, type: string): string {
  return `${CLIENT}/user/${enc(userId)}/account_data/${enc(type)}`;
}

/** Unique across test processes and Synapse restarts, so a retry never collides with an old send. */
function nextTransactionId(): string {
  transactionCounter += 1;
  return `parley-test-${process.pid}-${Date.now()}-${transactionCounter}`;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
