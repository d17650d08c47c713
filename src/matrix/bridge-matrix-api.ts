import { AppServiceRegistration, Bridge, Logger as SdkLogger, type Intent } from "matrix-appservice-bridge";
import { Writable } from "node:stream";
import type { Logger } from "winston";
import {
  MatrixApiError, type CreateRoomOptions, type MatrixApi, type MatrixEvent,
} from "../core/matrix-api.js";
import type { RegistrationFile } from "./registration.js";
import type { DoublePuppetClient } from "./double-puppet.js";

/** Errors from matrix-bot-sdk carry the HTTP status and the homeserver's JSON body. */
function toMatrixApiError(error: unknown, action: string): MatrixApiError {
  const cause = error as {
    statusCode?: number; body?: { errcode?: string; error?: string }; errcode?: string; message?: string; code?: string;
  };
  const errcode = cause.body?.errcode ?? cause.errcode;
  const detail = cause.body?.error ?? cause.message ?? String(error);
  return new MatrixApiError(`${action} failed: ${errcode ? `${errcode} ` : ""}${detail}`, cause.statusCode, errcode, cause.code);
}

async function attempt<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toMatrixApiError(error, action);
  }
}

/**
 * Sends the SDK's own log lines into our logger at debug level: they are noisy, and
 * whatever matters to an admin Parley logs itself when an action fails.
 */
function routeSdkLogs(log: Logger): void {
  const sdkLog = log.child({ module: "matrix-sdk" });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sdkLog.debug(chunk.toString("utf8").trim());
      done();
    },
  });
  SdkLogger.root.configureLogging({}, sink);
}

/**
 * The MatrixApi over matrix-appservice-bridge's intents. Transactions do not come
 * through the SDK: Parley's own listener takes them (see transactions.ts), so the
 * SDK's listener is never started and its stores are off; Parley keeps its own.
 */
export class BridgeMatrixApi implements MatrixApi {
  readonly botUserId: string;
  private readonly bridge: Bridge;
  private readonly namespaces: RegExp[];
  /** Create events by room: they never change, and power checks read them for every message. */
  private readonly createEvents = new Map<string, MatrixEvent>();

  constructor(
    readonly serverName: string,
    homeserverUrl: string,
    private readonly registration: RegistrationFile,
    log: Logger,
    /** Acts as linked people's own accounts; absent when double puppeting is not set up. */
    private readonly doublePuppet?: DoublePuppetClient,
  ) {
    routeSdkLogs(log);
    this.botUserId = `@${registration.sender_localpart}:${serverName}`;
    this.namespaces = registration.namespaces.users.map((namespace) => new RegExp(`^${namespace.regex}$`));
    const parsed = AppServiceRegistration.fromObject(registration as never);
    if (!parsed) throw new Error("The registration file is not a valid appservice registration");
    this.bridge = new Bridge({
      homeserverUrl,
      domain: serverName,
      registration: parsed,
      disableStores: true,
      suppressEcho: false,
      logRequestOutcome: false,
      controller: { onEvent: () => undefined },
    });
  }

  async initialise(): Promise<void> {
    await this.bridge.initialise();
  }

  private intent(userId: string): Intent {
    return this.bridge.getIntent(userId);
  }

  /** A real person's account, which only the double-puppeting registration may act as. */
  private puppetOf(userId: string): DoublePuppetClient | undefined {
    if (userId === this.botUserId || this.namespaces.some((regex) => regex.test(userId))) return undefined;
    if (!this.doublePuppet) throw new MatrixApiError(`cannot act as ${userId}: double puppeting is not set up`, 403, "M_FORBIDDEN");
    return this.doublePuppet;
  }

  canActAs(userId: string): boolean {
    return userId === this.botUserId || this.namespaces.some((regex) => regex.test(userId)) || this.doublePuppet !== undefined;
  }

  private get client() {
    return this.intent(this.botUserId).matrixClient;
  }

  async sendEvent(as: string, roomId: string, type: string, content: Record<string, unknown>, txnId?: string): Promise<string> {
    const puppet = this.puppetOf(as);
    if (puppet) return puppet.sendEvent(as, roomId, type, content, txnId);
    if (txnId === undefined) {
      return attempt(`sending ${type} to ${roomId}`, async () => (await this.intent(as).sendEvent(roomId, type, content)).event_id);
    }
    // The SDK picks random transaction ids; ours are stable so a replay is recognised.
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
    return attempt(`sending ${type} to ${roomId}`, async () =>
      ((await this.intent(as).matrixClient.doRequest("PUT", path, null, content)) as { event_id: string }).event_id);
  }

  async sendState(as: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
    return attempt(`setting ${type} in ${roomId}`, async () =>
      (await this.intent(as).sendStateEvent(roomId, type, stateKey, content)).event_id);
  }

  async redact(as: string, roomId: string, eventId: string, reason?: string): Promise<void> {
    const puppet = this.puppetOf(as);
    if (puppet) return puppet.redact(as, roomId, eventId, reason);
    await attempt(`redacting ${eventId}`, () => this.intent(as).matrixClient.redactEvent(roomId, eventId, reason));
  }

  async getEvent(roomId: string, eventId: string): Promise<MatrixEvent | undefined> {
    try {
      return (await this.client.getEvent(roomId, eventId)) as unknown as MatrixEvent;
    } catch (error) {
      const failure = toMatrixApiError(error, `fetching ${eventId}`);
      if (failure.status === 404 || failure.errcode === "M_NOT_FOUND") return undefined;
      throw failure;
    }
  }

  async getState<T>(roomId: string, type: string, stateKey = ""): Promise<T | undefined> {
    try {
      return (await this.client.getRoomStateEvent(roomId, type, stateKey)) as T;
    } catch (error) {
      const failure = toMatrixApiError(error, `reading ${type} of ${roomId}`);
      if (failure.status === 404 || failure.errcode === "M_NOT_FOUND") return undefined;
      throw failure;
    }
  }

  async recentEvents(roomId: string, limit: number): Promise<MatrixEvent[]> {
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`;
    const page = (await attempt(`reading the timeline of ${roomId}`, () =>
      this.client.doRequest("GET", path, { dir: "b", limit }))) as { chunk?: MatrixEvent[] };
    return page.chunk ?? [];
  }

  async eventsBefore(roomId: string, eventId: string, limit: number): Promise<MatrixEvent[]> {
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/context/${encodeURIComponent(eventId)}`;
    // Lazy-loading members keeps the room state that /context also returns down to the senders shown.
    const filter = JSON.stringify({ lazy_load_members: true });
    const context = (await attempt(`reading the timeline before ${eventId}`, () =>
      this.client.doRequest("GET", path, { limit: limit * 2, filter }))) as { events_before?: MatrixEvent[] };
    // /context splits `limit` between the events before and after the one asked for.
    return (context.events_before ?? []).slice(0, limit);
  }

  async createEvent(roomId: string): Promise<MatrixEvent | undefined> {
    const known = this.createEvents.get(roomId);
    if (known) return known;
    // `format=event` gives the whole event (the sender is the creator) without reading all of the room's state.
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.create/`;
    try {
      const event = (await this.client.doRequest("GET", path, { format: "event" })) as MatrixEvent;
      if (typeof event.sender !== "string") return undefined;
      this.createEvents.set(roomId, event);
      return event;
    } catch (error) {
      const failure = toMatrixApiError(error, `reading the create event of ${roomId}`);
      if (failure.status === 404 || failure.status === 403) return undefined;
      throw failure;
    }
  }

  async resolveAlias(alias: string): Promise<string | undefined> {
    try {
      return await this.client.resolveRoom(alias);
    } catch {
      return undefined;
    }
  }

  async createRoom(options: CreateRoomOptions): Promise<string> {
    const creator = options.as ?? this.botUserId;
    const initialState = [...(options.initialState ?? [])];
    if (options.avatarMxc) initialState.push({ type: "m.room.avatar", state_key: "", content: { url: options.avatarMxc } });
    const body: Record<string, unknown> = {
      name: options.name,
      topic: options.topic,
      invite: options.invite ?? [],
      is_direct: options.isDirect ?? false,
      visibility: "private",
      preset: options.visibility === "public" ? "public_chat" : "private_chat",
      room_alias_name: options.aliasLocalpart,
      initial_state: initialState,
      // The server makes the creator all-powerful itself; room v12 refuses them in `users`.
      ...(options.powerLevelUsers ? { power_level_content_override: { users: options.powerLevelUsers } } : {}),
    };
    if (options.isSpace) body.creation_content = { type: "m.space" };
    return attempt("creating a room", () => this.intent(creator).matrixClient.createRoom(body));
  }

  async join(userId: string, roomId: string): Promise<void> {
    const puppet = this.puppetOf(userId);
    if (puppet) {
      const member = await this.getState<{ membership?: string }>(roomId, "m.room.member", userId).catch(() => undefined);
      if (member?.membership === "join") return;
      // Someone not in the room is invited by the bot first, as the SDK does for ghosts.
      if (member?.membership !== "invite") await this.invite(roomId, userId).catch(() => undefined);
      return puppet.join(userId, roomId);
    }
    // Intent.join invites the user with the bot first when the room needs an invite.
    await attempt(`joining ${userId} to ${roomId}`, () => this.intent(userId).join(roomId));
  }

  async invite(roomId: string, userId: string, as: string = this.botUserId): Promise<void> {
    await attempt(`inviting ${userId} to ${roomId}`, () => this.intent(as).invite(roomId, userId));
  }

  async leave(userId: string, roomId: string, reason?: string): Promise<void> {
    const puppet = this.puppetOf(userId);
    if (puppet) return puppet.leave(userId, roomId, reason);
    // Straight to the client: the SDK's leave first re-registers the user, which Synapse
    // answers with a 500 for the appservice's own sender.
    await attempt(`${userId} leaving ${roomId}`, () => this.intent(userId).matrixClient.leaveRoom(roomId, reason));
  }

  async members(roomId: string): Promise<Map<string, string>> {
    const events = await attempt(`listing members of ${roomId}`, () => this.client.getRoomMembers(roomId));
    return new Map(events.map((event) => [event.membershipFor, event.effectiveMembership]));
  }

  async ensureUser(userId: string, profile?: { displayName?: string; avatarMxc?: string }): Promise<void> {
    const intent = this.intent(userId);
    await attempt(`registering ${userId}`, () => intent.ensureRegistered());
    if (profile?.displayName !== undefined) await attempt(`naming ${userId}`, () => intent.setDisplayName(profile.displayName as string));
    if (profile?.avatarMxc !== undefined) await attempt(`setting the avatar of ${userId}`, () => intent.setAvatarUrl(profile.avatarMxc as string));
  }

  async getProfile(userId: string): Promise<{ displayName?: string; avatarMxc?: string }> {
    try {
      const profile = (await this.client.getUserProfile(userId)) as { displayname?: string; avatar_url?: string };
      return { displayName: profile.displayname, avatarMxc: profile.avatar_url };
    } catch {
      return {};
    }
  }

  async setTyping(as: string, roomId: string, typing: boolean): Promise<void> {
    const puppet = this.puppetOf(as);
    if (puppet) return puppet.setTyping(as, roomId, typing);
    await attempt(`typing in ${roomId}`, () => this.intent(as).sendTyping(roomId, typing));
  }

  async upload(bytes: Buffer, mimetype: string, filename?: string): Promise<string> {
    return attempt("uploading media", () => this.client.uploadContent(bytes, mimetype, filename));
  }

  async download(mxc: string): Promise<{ bytes: Buffer; mimetype: string }> {
    const result = await attempt(`downloading ${mxc}`, () => this.client.downloadContent(mxc));
    return { bytes: result.data, mimetype: result.contentType ?? "application/octet-stream" };
  }

  async versions(): Promise<string[]> {
    const response = await attempt("asking the homeserver for its versions", () => this.client.getServerVersions());
    return (response as { versions?: string[] }).versions ?? [];
  }

  async ping(): Promise<{ durationMs: number } | { unsupported: string }> {
    const path = `/_matrix/client/v1/appservice/${encodeURIComponent(this.registration.id)}/ping`;
    try {
      const response = (await this.client.doRequest("POST", path, null, { transaction_id: `parley-ping-${Date.now()}` })) as {
        duration_ms?: number;
      };
      return { durationMs: response.duration_ms ?? 0 };
    } catch (error) {
      const failure = toMatrixApiError(error, "pinging the appservice");
      if (failure.status === 404 || failure.errcode === "M_UNRECOGNIZED") return { unsupported: failure.message };
      throw failure;
    }
  }

  async close(): Promise<void> {
    await this.bridge.close().catch(() => undefined);
  }
}
