/**
 * Catching up on a channel after downtime: what conversations.history and
 * conversations.replies hold after the newest message Parley bridged, handled like live
 * events in timestamp order. While a channel is being caught up after a (re)connect, its
 * live events wait, so something said during the outage never lands after something said
 * since; a channel nobody asks about is let go after a while.
 *
 * The messages bridged most recently are also looked up again, for edits and deletions
 * made while Parley was away (Slack gives up redelivering their events after a while).
 */
import type { webApi } from "@slack/bolt";
import type { ConnectorHost } from "../../core/connector.js";
import { slackCall, slackErrorCode, toConnectorError } from "./errors.js";
import { compareTs, tsMinusSeconds } from "./ids.js";
import type { SlackMessage } from "./slack-types.js";

/** Threads started up to a day before the last bridged message are checked for new replies. */
const THREAD_LOOKBACK_SECONDS = 24 * 60 * 60;
const PAGE_SIZE = 200;
const MAX_PAGES = 20;
const LIVE_EVENTS_WAIT_MS = 30_000;
/** How many of the messages bridged last are looked up again for edits and deletions. */
export const RECHECKED_MESSAGES = 50;

interface Page {
  messages?: unknown[];
  response_metadata?: { next_cursor?: string };
}

async function allPages(what: string, fetchPage: (cursor: string | undefined) => Promise<Page>): Promise<SlackMessage[]> {
  const messages: SlackMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await slackCall(what, () => fetchPage(cursor));
    messages.push(...((answer.messages ?? []) as SlackMessage[]));
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return messages;
}

/**
 * Whether a thread root may have replies from `since` on (or after it). Without
 * `latest_reply`, which Slack does not always include, any thread may.
 */
function hasRepliesSince(root: SlackMessage, since: string, inclusive: boolean): boolean {
  if (!root.reply_count) return false;
  if (!root.latest_reply) return true;
  const order = compareTs(root.latest_reply, since);
  return inclusive ? order >= 0 : order > 0;
}

/** Messages and thread replies posted after `after`, oldest first, each once. */
export async function missedMessages(client: webApi.WebClient, channel: string, after: string): Promise<SlackMessage[]> {
  const history = await allPages("reading channel history", (cursor) =>
    client.conversations.history({ channel, oldest: tsMinusSeconds(after, THREAD_LOOKBACK_SECONDS), limit: PAGE_SIZE, cursor }));
  const missed = new Map<string, SlackMessage>();
  for (const message of history) if (compareTs(message.ts, after) > 0) missed.set(message.ts, message);
  for (const root of history) {
    if (!hasRepliesSince(root, after, false)) continue;
    const replies = await allPages("reading a thread", (cursor) =>
      client.conversations.replies({ channel, ts: root.ts, oldest: after, limit: PAGE_SIZE, cursor }));
    for (const reply of replies) if (reply.ts !== root.ts && compareTs(reply.ts, after) > 0) missed.set(reply.ts, reply);
  }
  return [...missed.values()].sort((a, b) => compareTs(a.ts, b.ts));
}

/** What became of messages Parley bridged, as Slack has them now. */
export interface BridgedNow {
  /** Those still there, oldest first: edited ones carry `edited`, a deleted thread root is a tombstone. */
  present: SlackMessage[];
  /** Those Slack no longer has. */
  deleted: string[];
}

/**
 * Looks the bridged messages (`bridged`, their ts) up again: in history from the oldest of
 * them on, in the threads seen there, and one by one for any not found so (a reply in an
 * older thread, or a message gone). Only Slack saying it has no such message counts as a
 * deletion; one that cannot be looked up is left alone.
 */
export async function bridgedNow(client: webApi.WebClient, channel: string, bridged: string[]): Promise<BridgedNow> {
  if (bridged.length === 0) return { present: [], deleted: [] };
  const wanted = new Set(bridged);
  const oldest = [...wanted].sort(compareTs)[0] as string;
  const found = new Map<string, SlackMessage>();
  const keep = (message: SlackMessage) => {
    if (wanted.has(message.ts)) found.set(message.ts, message);
  };
  // Beyond MAX_PAGES, the oldest are left to the lookups one by one.
  const history = await allPages("reading channel history", (cursor) =>
    client.conversations.history({ channel, oldest: tsMinusSeconds(oldest, THREAD_LOOKBACK_SECONDS), inclusive: true, limit: PAGE_SIZE, cursor }));
  history.forEach(keep);
  for (const root of history) {
    if (!hasRepliesSince(root, oldest, true)) continue;
    const replies = await allPages("reading a thread", (cursor) =>
      client.conversations.replies({ channel, ts: root.ts, oldest, inclusive: true, limit: PAGE_SIZE, cursor }));
    replies.forEach(keep);
  }
  const deleted: string[] = [];
  for (const ts of wanted) {
    if (found.has(ts)) continue;
    const message = await lookUp(client, channel, ts);
    if (message) found.set(ts, message);
    else if (message === null) deleted.push(ts);
  }
  return { present: [...found.values()].sort((a, b) => compareTs(a.ts, b.ts)), deleted: deleted.sort(compareTs) };
}

/** One message by its ts, in or out of a thread; null when Slack has no such message, undefined when unsure. */
async function lookUp(client: webApi.WebClient, channel: string, ts: string): Promise<SlackMessage | null | undefined> {
  try {
    const answer = await client.conversations.replies({ channel, ts, oldest: ts, latest: ts, inclusive: true, limit: 2 });
    return ((answer.messages ?? []) as SlackMessage[]).find((message) => message.ts === ts);
  } catch (error) {
    if (slackErrorCode(error) === "thread_not_found" || slackErrorCode(error) === "message_not_found") return null;
    throw toConnectorError(error, "reading a message");
  }
}

/**
 * Holds a chat's live events while it is caught up after a (re)connect. Only chats
 * bridged at that moment are held: a portal opened later has nothing to catch up on.
 */
export class CatchUpGate {
  /** Chats bridged at the last (re)connect and not caught up since. */
  private pending: Promise<Set<string>> = Promise.resolve(new Set());
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly host: Pick<ConnectorHost, "bridgedChats">, private readonly waitMs = LIVE_EVENTS_WAIT_MS) {}

  /** A new connection: every chat bridged now is caught up again before its live events go on. */
  reset(): void {
    this.pending = this.host.bridgedChats().then((chats) => new Set(chats), () => new Set<string>());
  }

  async ready(chat: string): Promise<void> {
    const pending = await this.pending;
    if (!pending.has(chat)) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.waiters.set(chat, [...(this.waiters.get(chat) ?? []), resolve]);
      timer = setTimeout(() => this.release(chat), this.waitMs).unref();
    });
    clearTimeout(timer);
  }

  /** Stopping: nothing waits for a catch-up that will not come. */
  releaseAll(): void {
    void this.pending.then((pending) => {
      for (const chat of pending) this.release(chat);
    });
  }

  release(chat: string): void {
    // After `pending` is known, like ready(), so a release never slips between its check and its wait.
    void this.pending.then((pending) => {
      pending.delete(chat);
      for (const resolve of this.waiters.get(chat) ?? []) resolve();
      this.waiters.delete(chat);
    });
  }
}
