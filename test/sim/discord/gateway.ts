import { EventEmitter, once } from "node:events";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { randomBytes } from "node:crypto";
import {
  GatewayCloseCodes as Close,
  GatewayDispatchEvents as E,
  GatewayOpcodes as Op,
  type APIGuildMember,
  type APIMessage,
  type APIUser,
} from "discord.js";
import { WebSocket, WebSocketServer } from "ws";
import { intentAllows, isMessagePayloadEvent, messageAsSeenWith, PRIVILEGED_INTENTS } from "./intents.js";

/** What the gateway needs to know about the simulated world. */
export interface GatewayWorld {
  readonly token: string;
  readonly applicationId: string;
  /** Privileged intents switched on for the application in the (simulated) developer portal. */
  readonly enabledPrivilegedIntents: number;
  botUser(): APIUser;
  guildIds(): string[];
  guildCreate(guildId: string, intents: number): unknown;
  botCanView(channelId: string): boolean;
  guildMembers(guildId: string): APIGuildMember[];
}

/** Limits a dispatch to sessions that can see the channel it happened in. */
export interface Dispatcher {
  dispatch(event: string, data: unknown, audience?: Audience): void;
}

export interface Audience {
  channelId?: string;
}

interface Dispatch {
  op: Op.Dispatch;
  s: number;
  t: string;
  d: unknown;
}

interface Session {
  id: string;
  intents: number;
  sequence: number;
  /** Everything sent, so a RESUME can replay what the client missed. */
  backlog: Dispatch[];
  socket?: WebSocket;
}

const BACKLOG_LIMIT = 10_000;

/**
 * The gateway half of the simulator: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, sequence numbers and
 * RESUME with replay. Sessions outlive their sockets, so events dispatched while a client is disconnected are
 * delivered when it resumes, as on Discord.
 */
export class Gateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly events = new EventEmitter();
  private paused = false;

  constructor(
    private readonly world: GatewayWorld,
    private readonly heartbeatIntervalMs: number,
    private readonly resumeUrl: () => string,
  ) {}

  attach(http: Server): void {
    http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.paused) {
        socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
  }

  /** Sends an event to every session whose intents (and view of the channel) cover it. */
  dispatch(event: string, data: unknown, audience: Audience = {}): void {
    if (audience.channelId && !this.world.botCanView(audience.channelId)) return;
    for (const session of this.sessions.values()) {
      if (!intentAllows(session.intents, event)) continue;
      const payload = isMessagePayloadEvent(event)
        ? messageAsSeenWith(session.intents, data as APIMessage, this.world.applicationId)
        : data;
      this.send(session, event, payload);
    }
  }

  /** GUILD_CREATE for a guild the bot joins while connected; the member list depends on each session's intents. */
  dispatchGuildCreate(guildId: string): void {
    for (const session of this.sessions.values()) {
      if (intentAllows(session.intents, E.GuildCreate)) {
        this.send(session, E.GuildCreate, this.world.guildCreate(guildId, session.intents));
      }
    }
  }

  /** Closes every live connection with `code`; discord.js resumes after codes such as 4000. */
  drop(code: number): void {
    for (const session of this.sessions.values()) session.socket?.close(code, "Simulated disconnect");
  }

  /** Cuts connections and refuses new ones until `unpause`; dispatches keep queueing for a later RESUME. */
  pause(): void {
    this.paused = true;
    for (const session of this.sessions.values()) session.socket?.terminate();
  }

  unpause(): void {
    this.paused = false;
  }

  get connectedSessions(): number {
    return [...this.sessions.values()].filter((session) => session.socket?.readyState === WebSocket.OPEN).length;
  }

  /** Resolves once a client has identified and received its guilds (at once if one is connected already). */
  async waitForReady(timeoutMs = 15_000): Promise<void> {
    if (this.connectedSessions > 0) return;
    await once(this.events, "ready", { signal: AbortSignal.timeout(timeoutMs) });
  }

  /** Resolves at the next successful RESUME. */
  async waitForResume(timeoutMs = 15_000): Promise<void> {
    await once(this.events, "resumed", { signal: AbortSignal.timeout(timeoutMs) });
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", "ws://localhost").searchParams;
    if (query.get("v") !== "10") return socket.close(Close.InvalidAPIVersion, "Invalid API version");
    if ((query.get("encoding") ?? "json") !== "json") return socket.close(Close.DecodeError, "Only JSON encoding");
    if (query.has("compress")) return socket.close(Close.DecodeError, "Transport compression is not simulated");

    let session: Session | undefined;
    socket.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
    socket.on("message", (raw) => {
      let payload: { op?: number; d?: any };
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        return socket.close(Close.DecodeError, "Decode error");
      }
      switch (payload.op) {
        case Op.Heartbeat:
          return socket.send(JSON.stringify({ op: Op.HeartbeatAck }));
        case Op.Identify:
          if (session) return socket.close(Close.AlreadyAuthenticated, "Already authenticated");
          session = this.identify(socket, payload.d);
          return;
        case Op.Resume:
          if (session) return socket.close(Close.AlreadyAuthenticated, "Already authenticated");
          session = this.resume(socket, payload.d);
          return;
        default:
          if (!session) return socket.close(Close.NotAuthenticated, "Not authenticated");
          if (payload.op === Op.RequestGuildMembers) return this.sendMemberChunk(session, payload.d);
          if (payload.op === Op.PresenceUpdate || payload.op === Op.VoiceStateUpdate) return;
          return socket.close(Close.UnknownOpcode, "Unknown opcode");
      }
    });
    socket.on("close", () => {
      if (session?.socket === socket) session.socket = undefined;
    });
  }

  private validToken(token: unknown): boolean {
    return token === this.world.token || token === `Bot ${this.world.token}`;
  }

  private identify(socket: WebSocket, data: { token?: unknown; intents?: unknown }): Session | undefined {
    if (!this.validToken(data?.token)) {
      socket.close(Close.AuthenticationFailed, "Authentication failed");
      return undefined;
    }
    const intents = typeof data.intents === "number" ? data.intents : NaN;
    if (!Number.isInteger(intents) || intents < 0) {
      socket.close(Close.InvalidIntents, "Invalid intent(s)");
      return undefined;
    }
    if (intents & PRIVILEGED_INTENTS & ~this.world.enabledPrivilegedIntents) {
      socket.close(Close.DisallowedIntents, "Disallowed intent(s)");
      return undefined;
    }
    // A fresh IDENTIFY abandons earlier sessions that nobody is connected to.
    for (const [id, old] of this.sessions) if (!old.socket) this.sessions.delete(id);
    const session: Session = { id: randomBytes(16).toString("hex"), intents, sequence: 0, backlog: [], socket };
    this.sessions.set(session.id, session);
    const guildIds = this.world.guildIds();
    this.send(session, E.Ready, {
      v: 10,
      user: { ...this.world.botUser(), verified: true, mfa_enabled: false, email: null },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl(),
      shard: [0, 1],
      application: { id: this.world.applicationId, flags: 0 },
    });
    for (const guildId of guildIds) this.send(session, E.GuildCreate, this.world.guildCreate(guildId, intents));
    this.events.emit("ready");
    return session;
  }

  private resume(socket: WebSocket, data: { token?: unknown; session_id?: unknown; seq?: unknown }): Session | undefined {
    const session = this.sessions.get(String(data?.session_id));
    const seq = typeof data?.seq === "number" ? data.seq : -1;
    if (!session || !this.validToken(data.token) || seq < 0 || seq > session.sequence) {
      socket.send(JSON.stringify({ op: Op.InvalidSession, d: false, s: null, t: null }));
      return undefined;
    }
    session.socket?.terminate();
    session.socket = socket;
    for (const dispatch of session.backlog) if (dispatch.s > seq) socket.send(JSON.stringify(dispatch));
    this.send(session, E.Resumed, {});
    this.events.emit("resumed");
    return session;
  }

  private sendMemberChunk(session: Session, request: { guild_id?: unknown; query?: unknown; limit?: unknown; user_ids?: unknown; nonce?: unknown }): void {
    const guildIds = Array.isArray(request?.guild_id) ? request.guild_id.map(String) : [String(request?.guild_id)];
    const wanted = request.user_ids === undefined ? undefined : [request.user_ids].flat().map(String);
    const query = typeof request.query === "string" ? request.query.toLowerCase() : "";
    const limit = typeof request.limit === "number" && request.limit > 0 ? request.limit : Infinity;
    for (const guildId of guildIds) {
      const all = this.world.guildMembers(guildId);
      const members = wanted
        ? all.filter((member) => wanted.includes(member.user.id))
        : all.filter((member) => member.user.username.toLowerCase().startsWith(query)).slice(0, limit);
      this.send(session, E.GuildMembersChunk, {
        guild_id: guildId,
        members,
        chunk_index: 0,
        chunk_count: 1,
        ...(wanted ? { not_found: wanted.filter((id) => !members.some((member) => member.user.id === id)) } : {}),
        ...(typeof request.nonce === "string" ? { nonce: request.nonce } : {}),
      });
    }
  }

  private send(session: Session, event: string, data: unknown): void {
    const dispatch: Dispatch = { op: Op.Dispatch, s: ++session.sequence, t: event, d: data };
    session.backlog.push(dispatch);
    if (session.backlog.length > BACKLOG_LIMIT) session.backlog.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(dispatch));
  }
}
