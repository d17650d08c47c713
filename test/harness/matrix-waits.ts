// Waiting for what other parties (a bridge, another person) do in Matrix: polling until an event
// or an invite shows up, and failing with a message that shows what did show up instead.
import { setTimeout as delay } from "node:timers/promises";
import type { MatrixEvent, MatrixUser } from "./matrix-user.js";

export interface WaitOptions {
  /** 10 s unless given. */
  timeoutMs?: number;
}

export interface PendingInvite {
  roomId: string;
  inviter: string | undefined;
  isDirect: boolean;
  /** The stripped state the server shares with invitees (name, join rules, the invite itself...). */
  state: StrippedStateEvent[];
}

export interface StrippedStateEvent {
  type: string;
  state_key: string;
  sender: string;
  content: Record<string, unknown>;
}

export interface EphemeralEvent {
  type: string;
  content: Record<string, unknown>;
}

/** The parts of a /sync response the harness reads. */
export interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, { timeline?: { events?: MatrixEvent[] }; ephemeral?: { events?: EphemeralEvent[] } }>;
    invite?: Record<string, { invite_state?: { events?: StrippedStateEvent[] } }>;
  };
}

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 150;
/** How long one /sync long-poll may wait, so the deadline is checked now and then. */
const LONG_POLL_MS = 5_000;

/**
 * Request failures (not joined yet, server restarting) are retried until the deadline, and the
 * last one is reported if it comes.
 */
export async function waitForEvent(
  user: MatrixUser,
  roomId: string,
  predicate: (event: MatrixEvent) => boolean,
  options: WaitOptions & { limit?: number } = {},
): Promise<MatrixEvent> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let recent: MatrixEvent[] = [];
  let lastError: unknown;
  for (;;) {
    try {
      recent = await user.roomMessages(roomId, { limit: options.limit ?? 50, dir: "b" });
      lastError = undefined;
      const match = recent.find(predicate);
      if (match) return match;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = recent.slice(0, 20).map(describeEvent).join("\n  ") || "(none)";
      const failure = lastError ? `\nLast request failed: ${String(lastError)}` : "";
      throw new Error(
        `${user.userId} saw no matching event in ${roomId} within ${timeoutMs} ms.${failure}\nLatest events, newest first:\n  ${seen}`,
      );
    }
    await delay(POLL_INTERVAL_MS);
  }
}

/**
 * Follows /sync as a client does: one initial sync, then incremental ones from its token.
 * Repeating an initial sync would not do: Synapse answers identical /sync requests from a
 * cache for two minutes, so a poll that started too early would never see anything new.
 */
async function followSync<T>(
  user: MatrixUser,
  timeoutMs: number,
  find: (sync: SyncResponse) => T | undefined,
  describeFailure: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let since: string | undefined;
  for (;;) {
    const sync = await user.sync({
      since,
      timeoutMs: since === undefined ? 0 : Math.max(0, Math.min(deadline - Date.now(), LONG_POLL_MS)),
      filter: { room: { timeline: { limit: 1 } }, presence: { types: [] } },
    });
    const found = find(sync);
    if (found !== undefined) return found;
    since = sync.next_batch;
    if (Date.now() >= deadline) throw new Error(describeFailure());
  }
}

/** Pending invites stay in every initial sync, so one that came before the call is found too. */
export async function waitForInvite(
  user: MatrixUser,
  predicate: (invite: PendingInvite) => boolean,
  options: WaitOptions = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seen = new Map<string, PendingInvite>();
  return followSync(user, timeoutMs, (sync) => {
    for (const [roomId, room] of Object.entries(sync.rooms?.invite ?? {})) {
      const invite = toPendingInvite(roomId, room.invite_state?.events ?? [], user.userId);
      if (predicate(invite)) return roomId;
      seen.set(roomId, invite);
    }
    return undefined;
  }, () => {
    const described = [...seen.values()].map((i) => `${i.roomId} from ${i.inviter ?? "?"}`).join(", ") || "none";
    return `${user.userId} got no matching invite within ${timeoutMs} ms (pending invites seen: ${described})`;
  });
}

/** Typing shows in the initial sync while it lasts, so typing that began before the call is found too. */
export async function waitForTyping(user: MatrixUser, roomId: string, typist: string, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let lastSeen: string[] = [];
  await followSync(user, timeoutMs, (sync) => {
    const typing = sync.rooms?.join?.[roomId]?.ephemeral?.events?.find((event) => event.type === "m.typing");
    if (!typing) return undefined;
    lastSeen = Array.isArray(typing.content.user_ids) ? (typing.content.user_ids as string[]) : [];
    return lastSeen.includes(typist) ? true : undefined;
  }, () => `${user.userId} did not see ${typist} typing in ${roomId} within ${timeoutMs} ms (last seen typing: ${lastSeen.join(", ") || "nobody"})`);
}

function toPendingInvite(roomId: string, state: StrippedStateEvent[], userId: string): PendingInvite {
  const ownMembership = state.find((event) => event.type === "m.room.member" && event.state_key === userId);
  return { roomId, inviter: ownMembership?.sender, isDirect: ownMembership?.content.is_direct === true, state };
}

function describeEvent(event: MatrixEvent): string {
  return `${event.event_id} ${event.type} from ${event.sender}: ${JSON.stringify(event.content).slice(0, 160)}`;
}
