// The Events API over HTTP: Slack POSTs each event_callback as JSON to the app's request URL, signed with the
// app's signing secret (X-Slack-Signature = "v0=" + HMAC-SHA256 of "v0:{timestamp}:{body}"), and retries a
// delivery that fails or takes over three seconds, saying so in X-Slack-Retry-Num / X-Slack-Retry-Reason.
import { createHmac, randomBytes } from "node:crypto";
import type { EventTransport } from "./dispatcher.js";
import type { TsClock } from "./ids.js";
import type { Json, Team } from "./model.js";

export interface EventsApiOptions {
  /** Slack answers within 3 s or counts the delivery as failed. */
  timeoutMs: number;
  /** Pause before each retry. Slack waits about 0 s, 1 min and 5 min; tests compress this. */
  retryDelaysMs: number[];
}

export interface HttpDeliveryRecord {
  eventId: string;
  retryNum: number;
  status: number | "timeout" | "connection_failed";
}

export interface SignedPostOptions {
  /** Sign with this secret instead of the team's, to show a receiver rejecting a forged request. */
  signingSecret?: string;
  /** Unix seconds to sign and send; a value over five minutes old must be refused by the receiver. */
  timestamp?: number;
  retry?: { num: number; reason: string };
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export class EventsApiSender implements EventTransport {
  readonly records: HttpDeliveryRecord[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly clock: TsClock,
    private readonly options: EventsApiOptions,
  ) {}

  deliver(team: Team, payload: Json): void {
    void this.deliverWithRetries(team, payload);
  }

  /** One signed POST to the team's request URL, as Slack makes it. */
  async post(team: Team, body: string, options: SignedPostOptions = {}): Promise<{ status: number; body: string }> {
    if (!team.requestUrl) throw new Error(`team ${team.id} has no request URL`);
    const timestamp = options.timestamp ?? this.clock.seconds();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
      "X-Slack-Request-Timestamp": String(timestamp),
      "X-Slack-Signature": slackSignature(options.signingSecret ?? team.app.signingSecret, timestamp, body),
    };
    if (options.retry) {
      headers["X-Slack-Retry-Num"] = String(options.retry.num);
      headers["X-Slack-Retry-Reason"] = options.retry.reason;
    }
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]);
    const response = await fetch(team.requestUrl, { method: "POST", headers, body, signal });
    return { status: response.status, body: await response.text() };
  }

  /** Slack's url_verification handshake: the URL must echo the challenge (as text, JSON or form). */
  async verifyUrl(team: Team): Promise<boolean> {
    const challenge = randomBytes(24).toString("base64url");
    const { status, body } = await this.post(team, JSON.stringify({ token: team.app.verificationToken, challenge, type: "url_verification" }));
    if (status !== 200) return false;
    if (body === challenge) return true;
    try {
      return (JSON.parse(body) as { challenge?: string }).challenge === challenge;
    } catch {
      return new URLSearchParams(body).get("challenge") === challenge;
    }
  }

  stop(): void {
    this.stopping.abort();
  }

  private async deliverWithRetries(team: Team, payload: Json): Promise<void> {
    const body = JSON.stringify(payload);
    let retry: SignedPostOptions["retry"];
    for (let attempt = 0; attempt <= this.options.retryDelaysMs.length; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelaysMs[attempt - 1]).unref());
      }
      if (this.stopping.signal.aborted) return;
      const status = await this.post(team, body, { retry }).then(
        (response) => response.status,
        (error: unknown) => (error instanceof Error && error.name === "TimeoutError" ? ("timeout" as const) : ("connection_failed" as const)),
      );
      this.records.push({ eventId: String(payload.event_id), retryNum: attempt, status });
      if (typeof status === "number" && status >= 200 && status < 300) return;
      retry = { num: attempt + 1, reason: status === "timeout" ? "http_timeout" : status === "connection_failed" ? "connection_failed" : "http_error" };
    }
  }
}
