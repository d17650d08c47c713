/**
 * How Slack's events reach bolt, acknowledged only once Parley has stored what they
 * became, so an event is never acknowledged and then lost. Bolt's own receivers
 * acknowledge an Events API envelope before any listener runs; these hand the envelope
 * to bolt and acknowledge after `processEvent` resolves. An event that fails is left
 * unacknowledged, and Slack sends it again.
 *
 * - Socket Mode: bolt's SocketModeReceiver keeps the connection (reconnects included);
 *   only its envelope handling is replaced.
 * - HTTP: the Events API posts to a path on Parley's own listener; the signature
 *   (`v0=` HMAC of the body with the signing secret, at most five minutes old) is
 *   checked before anything is read from the body.
 */
import { SocketModeReceiver, isValidSlackRequest, type App, type Logger as BoltLogger, type Receiver } from "@slack/bolt";
import type { Logger } from "winston";
import { HttpError, type Handler } from "../../http/server.js";

type Json = Record<string, unknown>;

export interface DeliveredEvent {
  body: Json;
  retryNum?: number;
  retryReason?: string;
}

/** The part both receivers share: bolt processes the event, and the caller acknowledges afterwards. */
abstract class StoredAckReceiver implements Receiver {
  private app?: App;

  init(app: App): void {
    this.app = app;
  }

  abstract start(): Promise<unknown>;
  abstract stop(): Promise<unknown>;

  /** Resolves once bolt's middleware (and so Parley's handler) has finished with the event. */
  protected async process(event: DeliveredEvent): Promise<void> {
    if (!this.app) throw new Error("the Slack receiver was not given its app");
    await this.app.processEvent({ ...event, ack: async () => undefined });
  }
}

export interface SocketReceiverOptions {
  appToken: string;
  apiUrl: string;
  logger: BoltLogger;
  log: Logger;
  onConnection(connected: boolean): void;
}

export class SocketModeStoredAckReceiver extends StoredAckReceiver {
  private readonly inner: SocketModeReceiver;

  constructor(private readonly options: SocketReceiverOptions) {
    super();
    this.inner = new SocketModeReceiver({
      appToken: options.appToken,
      logger: options.logger,
      installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
    });
    const socket = this.inner.client;
    socket.removeAllListeners("slack_event");
    socket.on("slack_event", (args: { ack: () => Promise<void>; type: string; body: Json; retry_num?: number; retry_reason?: string }) => {
      void this.onEnvelope(args);
    });
    socket.on("connected", () => options.onConnection(true));
    socket.on("close", () => options.onConnection(false));
  }

  start(): Promise<unknown> {
    return this.inner.start();
  }

  stop(): Promise<unknown> {
    return this.inner.stop();
  }

  private async onEnvelope(args: { ack: () => Promise<void>; type: string; body: Json; retry_num?: number; retry_reason?: string }): Promise<void> {
    try {
      // Interactivity and slash commands are not used; acknowledging them stops Slack resending.
      if (args.type === "events_api") await this.process({ body: args.body, retryNum: args.retry_num, retryReason: args.retry_reason });
      await args.ack();
    } catch (error) {
      this.options.log.warn("A Slack event was not stored; Slack will send it again", { error: (error as Error).message });
    }
  }
}

export class HttpStoredAckReceiver extends StoredAckReceiver {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  deliver(event: DeliveredEvent): Promise<void> {
    return this.process(event);
  }
}

export interface HttpEndpointWorkspace {
  /** Undefined while the workspace is still starting. */
  teamId: string | undefined;
  signingSecret: string;
  receiver: HttpStoredAckReceiver;
}

/**
 * The workspaces an event was delivered for: its team_id, which in a channel shared with
 * another organisation can be that organisation's, and the teams of its authorizations.
 */
function installationTeams(body: Json): string[] {
  const authorizations = Array.isArray(body.authorizations) ? (body.authorizations as Json[]) : [];
  return [body.team_id, ...authorizations.map((authorization) => authorization.team_id)].filter((team): team is string => typeof team === "string");
}

/** The Events API endpoint: verifies, answers Slack's URL check, and routes each callback to its workspace. */
export function slackEventsHandler(workspaces: () => readonly HttpEndpointWorkspace[], log: Logger): Handler {
  return async (request) => {
    const candidates = workspaces();
    // Before the connector has started, Slack is asked to try again (it retries failed deliveries).
    if (candidates.length === 0) return { status: 503, body: "" };
    const raw = (await request.body()).toString("utf8");
    const signature = String(request.headers["x-slack-signature"] ?? "");
    const timestamp = Number(request.headers["x-slack-request-timestamp"] ?? NaN);
    const signedBy = candidates.filter((workspace) =>
      isValidSlackRequest({ signingSecret: workspace.signingSecret, body: raw, headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp } }));
    if (signedBy.length === 0) throw new HttpError(401, "M_FORBIDDEN", "the Slack signature does not match");
    let body: Json;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      throw new HttpError(400, "M_NOT_JSON", "the body is not JSON");
    }
    if (body.type === "url_verification") return { status: 200, body: { challenge: body.challenge } };
    const installedIn = installationTeams(body);
    const workspace = signedBy.find((candidate) => candidate.teamId !== undefined && installedIn.includes(candidate.teamId));
    if (!workspace) {
      // Still starting: Slack retries a failed delivery, by which time the workspace is known.
      if (signedBy.some((candidate) => candidate.teamId === undefined)) return { status: 503, body: "" };
      log.warn("A Slack event came for a workspace Parley is not set up for", { teamId: body.team_id });
      return { status: 200, body: "" };
    }
    const retry = request.headers["x-slack-retry-num"];
    try {
      await workspace.receiver.deliver({ body, retryNum: retry === undefined ? undefined : Number(retry), retryReason: request.headers["x-slack-retry-reason"] as string | undefined });
    } catch (error) {
      log.warn("A Slack event was not stored; Slack will send it again", { error: (error as Error).message });
      return { status: 500, body: "" };
    }
    return { status: 200, body: "" };
  };
}
