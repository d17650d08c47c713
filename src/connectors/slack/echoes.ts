/**
 * Recognises what Parley itself did on Slack when Slack tells it back, by ids and never
 * by timing: messages carry the app's bot id (or its bot user), reactions its bot user,
 * and the timestamps Parley posted, changed or deleted are remembered for a while,
 * because some events about them (a deleted thread root's tombstone, a file message
 * being processed) carry neither.
 */
import { RecentMap } from "./recent.js";
import type { SlackMessage } from "./slack-types.js";

const REMEMBERED = 5000;

export interface SlackSelf {
  teamId: string;
  /** The app's bot (`B…`), on every message it posts. */
  botId: string;
  /** The app's bot user (`U…`), on reactions and joins it makes. */
  botUserId: string;
}

export class EchoFilter {
  private readonly posted = new RecentMap<string, true>(REMEMBERED);
  private readonly deleted = new RecentMap<string, true>(REMEMBERED);

  constructor(readonly self: SlackSelf) {}

  /** Call before the request that posts or edits `ts` returns, or at least before its echo is handled. */
  rememberPosted(channelId: string, ts: string): void {
    this.posted.set(`${channelId}/${ts}`, true);
  }

  /** Call before asking Slack to delete, since the deletion's event may arrive before the answer. */
  rememberDeleted(channelId: string, ts: string): void {
    this.deleted.set(`${channelId}/${ts}`, true);
  }

  isOwnMessage(channelId: string, message: SlackMessage): boolean {
    return message.bot_id === this.self.botId || message.user === this.self.botUserId || this.posted.has(`${channelId}/${message.ts}`);
  }

  isOwnDeletion(channelId: string, ts: string): boolean {
    return this.deleted.has(`${channelId}/${ts}`);
  }

  /** A reaction, join or edit made by the app's bot user. */
  isOwnUser(userId: string | undefined): boolean {
    return userId === this.self.botUserId;
  }
}
