import { timingSafeEqual, createHash } from "node:crypto";
import type { Logger } from "winston";
import { HttpError, readJson, type HttpServer, type Request } from "../http/server.js";
import type { MatrixEvent } from "../core/matrix-api.js";

/** What the appservice API hands to the rest of Parley. */
export interface AppserviceHandler {
  /**
   * Takes a transaction's room events. Must resolve only once they are safely stored:
   * the homeserver will not send them again after we answer 200.
   */
  onEvents(events: MatrixEvent[], txnId: string): Promise<void>;
  /** Typing, receipts and presence: best effort, never stored. */
  onEphemeral(events: Record<string, unknown>[]): void;
  /** Whether a user id in our namespace names someone Parley can stand in for. */
  onUserQuery(userId: string): Promise<boolean>;
  /** Whether an alias in our namespace names a chat Parley can open; creates its room if so. */
  onAliasQuery(alias: string): Promise<boolean>;
}

/** Compared as hashes of equal length, so the time taken says nothing about the token. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Just enough of an event's shape to store and route it; the rest is checked where it is used. */
export function isRoomEvent(value: unknown): value is MatrixEvent {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.event_id === "string" && event.event_id.startsWith("$") &&
    typeof event.room_id === "string" && event.room_id.startsWith("!") &&
    typeof event.type === "string" && event.type.length > 0 &&
    typeof event.sender === "string" && event.sender.startsWith("@") &&
    typeof event.content === "object" && event.content !== null && !Array.isArray(event.content)
  );
}

const TRANSACTION_BODY_LIMIT = 64 * 1024 * 1024;

export function addAppserviceRoutes(server: HttpServer, hsToken: string, handler: AppserviceHandler, log: Logger): void {
  const authorise = (request: Request) => {
    const header = request.headers.authorization;
    if (!header?.startsWith("Bearer ")) {
      throw new HttpError(401, "M_UNAUTHORIZED", "missing the homeserver token in the Authorization header");
    }
    if (!sameToken(header.slice("Bearer ".length), hsToken)) {
      throw new HttpError(403, "M_FORBIDDEN", "wrong homeserver token");
    }
  };

  server.route("PUT", "/_matrix/app/v1/transactions/:txnId", async (request) => {
    authorise(request);
    const txnId = request.params.txnId as string;
    const body = await readJson(request);
    if (typeof body !== "object" || body === null) throw new HttpError(400, "M_BAD_JSON", "the transaction must be an object");
    const { events, ephemeral, "de.sorunome.msc2409.ephemeral": unstableEphemeral } = body as Record<string, unknown>;
    const roomEvents: MatrixEvent[] = [];
    for (const event of Array.isArray(events) ? events : []) {
      if (isRoomEvent(event)) roomEvents.push(event);
      else log.warn("Skipping a malformed event in a transaction", { txnId, event: JSON.stringify(event)?.slice(0, 300) });
    }
    log.debug("Transaction received", { txnId, events: roomEvents.length });
    await handler.onEvents(roomEvents, txnId);
    const ephemeralEvents = [...(Array.isArray(ephemeral) ? ephemeral : []), ...(Array.isArray(unstableEphemeral) ? unstableEphemeral : [])];
    handler.onEphemeral(ephemeralEvents.filter((event): event is Record<string, unknown> => typeof event === "object" && event !== null));
    return { status: 200, body: {} };
  }, TRANSACTION_BODY_LIMIT);

  server.route("GET", "/_matrix/app/v1/users/:userId", async (request) => {
    authorise(request);
    if (await handler.onUserQuery(request.params.userId as string)) return { status: 200, body: {} };
    return { status: 404, body: { errcode: "M_NOT_FOUND", error: "no such user" } };
  });

  server.route("GET", "/_matrix/app/v1/rooms/:alias", async (request) => {
    authorise(request);
    if (await handler.onAliasQuery(request.params.alias as string)) return { status: 200, body: {} };
    return { status: 404, body: { errcode: "M_NOT_FOUND", error: "no such room" } };
  });

  server.route("POST", "/_matrix/app/v1/ping", async (request) => {
    authorise(request);
    return { status: 200, body: {} };
  });
}
