/**
 * Catching up on a channel after downtime: what conversations.history and
 * conversations.replies hold after the newest message Parley bridged, handled like live
 * events in timestamp order. While a channel is being caught up after a (re)connect, its
 * live events wait, so something said during the outage never lands after something said
 * since; a channel nobody asks about is let go after a while.
 */
import type { webApi } from "@slack/bolt";
import type { ConnectorHost } from "../../core/connector.js";
import { slackCall } from "./errors.js";
import { compareTs, tsMinusSeconds } from "./ids.js";
import type { SlackMessage } from "./slack-types.js";

/** Threads started up to a day before the last bridged message are checked for new replies. */
const THREAD_LOOKBACK_SECONDS = 24 * 60 * 60;
const PAGE_SIZE = 200;
const MAX_PAGES = 20;
const LIVE_EVENTS_WAIT_MS = 30_000;

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

/** Messages and thread replies posted after `after`, oldest first, each once. */
export async function missedMessages(client: webApi.WebClient, channel: string, after: string): Promise<SlackMessage[]> {
  const history = await allPages("reading channel history", (cursor) =>
    client.conversations.history({ channel, oldest: tsMinusSeconds(after, THREAD_LOOKBACK_SECONDS), limit: PAGE_SIZE, cursor }));
  const missed = new Map<string, SlackMessage>();
  for (const message of history) if (compareTs(message.ts, after) > 0) missed.set(message.ts, message);
  for (const root of history) {
    if (!root.reply_count || !root.latest_reply || compareTs(root.latest_reply, after) <= 0) continue;
    const replies = await allPages("reading a thread", (cursor) =>
      client.conversations.replies({ channel, ts: root.ts, oldest: after, limit: PAGE_SIZE, cursor }));
    for (const reply of replies) if (reply.ts !== root.ts && compareTs(reply.ts, after) > 0) missed.set(reply.ts, reply);
  }
  return [...missed.values()].sort((a, b) => compareTs(a.ts, b.ts));
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
