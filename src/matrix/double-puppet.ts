import { randomBytes } from "node:crypto";
import { MatrixApiError } from "../core/matrix-api.js";

/**
 * Acts as linked people's own Matrix accounts through the double-puppeting
 * registration (an appservice may act as any user its namespace claims, by naming them
 * in `user_id`). Only the few calls bridging needs: sending, redacting, joining, leaving
 * and typing.
 */
export class DoublePuppetClient {
  private counter = 0;

  constructor(private readonly homeserverUrl: string, private readonly asToken: string) {}

  private async request(method: string, path: string, userId: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = `${this.homeserverUrl.replace(/\/+$/, "")}/_matrix/client/v3${path}?user_id=${encodeURIComponent(userId)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.asToken}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      throw new MatrixApiError(`${method} ${path} as ${userId} failed: ${(error as Error).message}`, undefined, undefined, code);
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      throw new MatrixApiError(`${method} ${path} as ${userId} failed: ${String(json.errcode ?? "")} ${String(json.error ?? response.statusText)}`,
        response.status, typeof json.errcode === "string" ? json.errcode : undefined);
    }
    return json;
  }

  private txnId(): string {
    return `parley-dp-${Date.now()}-${this.counter++}-${randomBytes(4).toString("hex")}`;
  }

  async sendEvent(userId: string, roomId: string, type: string, content: Record<string, unknown>, txnId = this.txnId()): Promise<string> {
    const path = `/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
    return String((await this.request("PUT", path, userId, content)).event_id);
  }

  async redact(userId: string, roomId: string, eventId: string, reason?: string): Promise<void> {
    const path = `/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/${this.txnId()}`;
    await this.request("PUT", path, userId, reason ? { reason } : {});
  }

  async join(userId: string, roomId: string): Promise<void> {
    await this.request("POST", `/join/${encodeURIComponent(roomId)}`, userId, {});
  }

  async leave(userId: string, roomId: string, reason?: string): Promise<void> {
    await this.request("POST", `/rooms/${encodeURIComponent(roomId)}/leave`, userId, reason ? { reason } : {});
  }

  async setTyping(userId: string, roomId: string, typing: boolean): Promise<void> {
    const path = `/rooms/${encodeURIComponent(roomId)}/typing/${encodeURIComponent(userId)}`;
    await this.request("PUT", path, userId, typing ? { typing, timeout: 30_000 } : { typing });
  }
}
