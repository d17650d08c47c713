// Socket Mode as Slack runs it: apps.connections.open hands out a single-use WebSocket URL, the server greets
// each connection with `hello`, sends events as `events_api` envelopes and expects each to be acknowledged with
// its envelope_id. Unacknowledged envelopes are sent again with retry_attempt/retry_reason; events that happen
// while the app has no connection wait for the next one, since Slack would retry them.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { uuid } from "./ids.js";
import type { EventTransport } from "./dispatcher.js";
import type { Json, Team } from "./model.js";

export interface SocketModeOptions {
  /** How long Slack waits for an ack before sending the envelope again. */
  ackTimeoutMs: number;
  /** Slack retries an event three times before giving up on it. */
  maxRetries: number;
  /** Slack pings its Socket Mode connections; the client notices when the pings stop. */
  pingIntervalMs: number;
  /** After a `disconnect` message Slack closes the connection itself if the client has not. */
  disconnectGraceMs: number;
}

interface Envelope {
  id: string;
  payload: Json;
  attempt: number;
  reason: string;
  connection?: Connection;
  timer?: NodeJS.Timeout;
}

interface Connection {
  socket: WebSocket;
  retiring: boolean;
  timers: NodeJS.Timeout[];
}

/** What happened to one envelope, for tests that assert on delivery. */
export interface EnvelopeRecord {
  envelopeId: string;
  eventId: string;
  retryAttempt: number;
  outcome: "sent" | "acked" | "gave_up";
}

interface AppLink {
  connections: Connection[];
  waiting: Envelope[];
  inFlight: Map<string, Envelope>;
  hellos: number;
  helloWaiters: { target: number; resolve: () => void }[];
}

export class SocketModeHub implements EventTransport {
  readonly records: EnvelopeRecord[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, Team>();
  private readonly links = new Map<string, AppLink>();

  constructor(private readonly options: SocketModeOptions) {}

  /** apps.connections.open: a fresh single-use ticket for this app. */
  issueTicket(team: Team): string {
    const ticket = uuid();
    this.tickets.set(ticket, team);
    return ticket;
  }

  /** Takes over an HTTP upgrade on /link/; a missing or reused ticket is refused. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(request.url ?? "/", "http://sim").searchParams.get("ticket") ?? "";
    const team = this.tickets.get(ticket);
    if (!team) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.tickets.delete(ticket);
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(team, ws));
  }

  deliver(team: Team, payload: Json): void {
    this.send(this.link(team.id), { id: uuid(), payload, attempt: 0, reason: "" });
  }

  /** Cuts every connection of the app without a close handshake, as a network failure would. */
  dropSocket(teamId: string): void {
    const link = this.link(teamId);
    for (const connection of [...link.connections]) {
      this.forget(link, connection);
      connection.socket.terminate();
    }
  }

  /** Sends Slack's `disconnect` message; the client is expected to reconnect, and is cut off if it does not. */
  sendDisconnect(teamId: string, reason: "refresh_requested" | "warning" | "link_disabled"): void {
    for (const connection of this.link(teamId).connections) {
      connection.retiring = true;
      connection.socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-sim" } }));
      const cutOff = setTimeout(() => connection.socket.terminate(), this.options.disconnectGraceMs);
      connection.timers.push(cutOff.unref());
    }
  }

  /** Slack stops retrying an event it could not deliver (after about an hour without a connection): it is lost. */
  giveUpWaiting(teamId: string): number {
    const given = this.link(teamId).waiting.splice(0);
    for (const envelope of given) {
      this.records.push({ envelopeId: envelope.id, eventId: String(envelope.payload.event_id), retryAttempt: envelope.attempt, outcome: "gave_up" });
    }
    return given.length;
  }

  openConnections(teamId: string): number {
    return this.link(teamId).connections.filter((connection) => !connection.retiring).length;
  }

  /** Resolves once the app has a live connection; with `fresh`, only for a connection made after this call. */
  waitForConnected(teamId: string, fresh: boolean): Promise<void> {
    const link = this.link(teamId);
    if (!fresh && this.openConnections(teamId) > 0) return Promise.resolve();
    return new Promise((resolve) => link.helloWaiters.push({ target: link.hellos + 1, resolve }));
  }

  /** Shuts down: lets closing handshakes (a client stopping) finish briefly, closes the rest as "going away". */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const link of this.links.values()) {
      for (const envelope of link.inFlight.values()) clearTimeout(envelope.timer);
      for (const { socket, timers } of link.connections) {
        timers.forEach(clearTimeout);
        closing.push(
          new Promise<void>((resolve) => {
            const cutOff = setTimeout(() => socket.terminate(), 1000);
            socket.once("close", () => {
              clearTimeout(cutOff);
              resolve();
            });
            if (socket.readyState === socket.OPEN) socket.close(1001, "going away");
          }),
        );
      }
    }
    await Promise.all(closing);
    this.server.close();
  }

  private link(teamId: string): AppLink {
    let link = this.links.get(teamId);
    if (!link) {
      link = { connections: [], waiting: [], inFlight: new Map(), hellos: 0, helloWaiters: [] };
      this.links.set(teamId, link);
    }
    return link;
  }

  private accept(team: Team, socket: WebSocket): void {
    const link = this.link(team.id);
    const connection: Connection = { socket, retiring: false, timers: [] };
    link.connections.push(connection);
    socket.on("message", (data) => this.onClientMessage(link, data.toString()));
    socket.on("close", () => this.forget(link, connection));
    socket.on("error", () => this.forget(link, connection));
    connection.timers.push(setInterval(() => socket.ping(), this.options.pingIntervalMs).unref());
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: link.connections.length,
        debug_info: { host: "applink-sim", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: team.app.id },
      }),
    );
    link.hellos++;
    for (const waiter of link.helloWaiters.filter((candidate) => candidate.target <= link.hellos)) waiter.resolve();
    link.helloWaiters = link.helloWaiters.filter((candidate) => candidate.target > link.hellos);
    for (const envelope of link.waiting.splice(0)) this.send(link, envelope);
  }

  private forget(link: AppLink, connection: Connection): void {
    if (!link.connections.includes(connection)) return;
    link.connections.splice(link.connections.indexOf(connection), 1);
    connection.timers.forEach(clearTimeout);
    // Whatever it had not acknowledged times out on Slack's side and is retried elsewhere.
    for (const envelope of link.inFlight.values()) {
      if (envelope.connection !== connection) continue;
      clearTimeout(envelope.timer);
      link.inFlight.delete(envelope.id);
      this.retry(link, envelope, "timeout");
    }
  }

  private send(link: AppLink, envelope: Envelope): void {
    const connection = [...link.connections].reverse().find((candidate) => !candidate.retiring) ?? link.connections[link.connections.length - 1];
    if (!connection) {
      // No socket: Slack's delivery fails now and is retried, so the event arrives on the next connection.
      if (envelope.attempt === 0) Object.assign(envelope, { attempt: 1, reason: "connection_failed" });
      link.waiting.push(envelope);
      return;
    }
    envelope.connection = connection;
    connection.socket.send(
      JSON.stringify({
        envelope_id: envelope.id,
        payload: envelope.payload,
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: envelope.attempt,
        retry_reason: envelope.reason,
      }),
    );
    this.records.push({ envelopeId: envelope.id, eventId: String(envelope.payload.event_id), retryAttempt: envelope.attempt, outcome: "sent" });
    envelope.timer = setTimeout(() => {
      link.inFlight.delete(envelope.id);
      this.retry(link, envelope, "timeout");
    }, this.options.ackTimeoutMs).unref();
    link.inFlight.set(envelope.id, envelope);
  }

  private retry(link: AppLink, envelope: Envelope, reason: string): void {
    if (envelope.attempt >= this.options.maxRetries) {
      this.records.push({ envelopeId: envelope.id, eventId: String(envelope.payload.event_id), retryAttempt: envelope.attempt, outcome: "gave_up" });
      return;
    }
    this.send(link, { id: uuid(), payload: envelope.payload, attempt: envelope.attempt + 1, reason });
  }

  private onClientMessage(link: AppLink, text: string): void {
    let message: { envelope_id?: unknown };
    try {
      message = JSON.parse(text) as { envelope_id?: unknown };
    } catch {
      return;
    }
    const envelope = typeof message.envelope_id === "string" ? link.inFlight.get(message.envelope_id) : undefined;
    if (!envelope) return;
    clearTimeout(envelope.timer);
    link.inFlight.delete(envelope.id);
    this.records.push({ envelopeId: envelope.id, eventId: String(envelope.payload.event_id), retryAttempt: envelope.attempt, outcome: "acked" });
  }
}
