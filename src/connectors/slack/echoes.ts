/**
 * Recognises what Parley itself did on Slack when Slack tells it back, by ids and never
 * by timing: messages carry the app's bot id (or its bot user), reactions its bot user,
 * and the timestamps Parley posted, changed or deleted are remembered for a while,
 * because some events about them (a deleted thread root's tombstone, a file message
 * being processed) carry neither.
 *
 * What Parley does as a linked person carries only their user id, exactly like what they
 * do in a Slack client. So their posts are known by timestamp (and uploaded file id), and
 * a message of theirs waits until every post Parley is making as them in that channel has
 * its timestamp; their edits are known by the text Parley sent, and their reactions by
 * the reaction Parley asked for, each recognised once. Anything else they do is theirs.
 */
import { RecentMap } from "./recent.js";
import type { SlackMessage } from "./slack-types.js";

const REMEMBERED = 5000;

export interface SlackSelf {
  teamId: string;
  /** The app's bot (`B…`), on every message it posts; unknown if Slack did not say. */
  botId?: string;
  /** The app's bot user (`U…`), on reactions and joins it makes. */
  botUserId: string;
}

export class EchoFilter {
  private readonly posted = new RecentMap<string, true>(REMEMBERED);
  private readonly deleted = new RecentMap<string, true>(REMEMBERED);
  private readonly postedAsPerson = new RecentMap<string, true>(REMEMBERED);
  private readonly filesAsPerson = new RecentMap<string, true>(REMEMBERED);
  private readonly editsAsPerson = new RecentMap<string, string[]>(REMEMBERED);
  private readonly reactionsAsPerson = new RecentMap<string, number>(REMEMBERED);
  /** Posts being made as a person, by channel and person. */
  private readonly posting = new Map<string, Set<Promise<unknown>>>();

  constructor(readonly self: SlackSelf) {}

  /** Call before the request that posts or edits `ts` returns, or at least before its echo is handled. */
  rememberPosted(channelId: string, ts: string): void {
    this.posted.set(`${channelId}/${ts}`, true);
  }

  /** Call before asking Slack to delete, since the deletion's event may arrive before the answer. */
  rememberDeleted(channelId: string, ts: string): void {
    this.deleted.set(`${channelId}/${ts}`, true);
  }

  /** A message the app posted or changed as itself: by its bot, or by the timestamps it posted or edited. */
  isOwnMessage(channelId: string, message: SlackMessage): boolean {
    const byOwnBot = this.self.botId !== undefined && message.bot_id === this.self.botId;
    return byOwnBot || message.user === this.self.botUserId || this.posted.has(`${channelId}/${message.ts}`);
  }

  /** A new message Parley posted, as itself or as a linked person (call postsSettled first). */
  isOwnPost(channelId: string, message: SlackMessage): boolean {
    return this.isOwnMessage(channelId, message) || this.postedAsPerson.has(`${channelId}/${message.ts}`) ||
      (message.files ?? []).some((file) => this.filesAsPerson.has(file.id));
  }

  /** Tracks a post being made as `userId`, so their messages in the channel wait for its timestamp. */
  whilePostingAs<T>(channelId: string, userId: string, work: Promise<T>): Promise<T> {
    const key = `${channelId}/${userId}`;
    const running = this.posting.get(key) ?? new Set<Promise<unknown>>();
    this.posting.set(key, running);
    const settled = work.then(() => undefined, () => undefined);
    running.add(settled);
    void settled.then(() => {
      running.delete(settled);
      if (running.size === 0 && this.posting.get(key) === running) this.posting.delete(key);
    });
    return work;
  }

  /** Resolves once every post being made as `userId` in the channel has its timestamp remembered, or failed. */
  async postsSettled(channelId: string, userId: string): Promise<void> {
    const running = this.posting.get(`${channelId}/${userId}`);
    if (running) await Promise.all([...running]);
  }

  rememberPostedAsPerson(channelId: string, ts: string): void {
    this.postedAsPerson.set(`${channelId}/${ts}`, true);
  }

  /** A file uploaded as a person: its message is theirs too, even when its timestamp could not be learnt. */
  rememberFileAsPerson(fileId: string): void {
    this.filesAsPerson.set(fileId, true);
  }

  /** Call before asking Slack to change a message as a person, with the text it will have. */
  rememberEditAsPerson(channelId: string, ts: string, text: string): void {
    const key = `${channelId}/${ts}`;
    this.editsAsPerson.set(key, [...(this.editsAsPerson.get(key) ?? []), text]);
  }

  /** A message_changed that is an edit Parley made as a person; recognised once. */
  isOwnEdit(channelId: string, message: SlackMessage): boolean {
    const key = `${channelId}/${message.ts}`;
    const texts = this.editsAsPerson.get(key);
    const index = texts?.indexOf(message.text ?? "") ?? -1;
    if (!texts || index < 0) return false;
    const rest = texts.filter((_, position) => position !== index);
    if (rest.length > 0) this.editsAsPerson.set(key, rest);
    else this.editsAsPerson.delete(key);
    return true;
  }

  /** Call before adding or removing a reaction as a person; `forget` if Slack refuses it. */
  rememberReactionAsPerson(channelId: string, ts: string, userId: string, added: boolean): void {
    const key = reactionKey(channelId, ts, userId, added);
    this.reactionsAsPerson.set(key, (this.reactionsAsPerson.get(key) ?? 0) + 1);
  }

  forgetReactionAsPerson(channelId: string, ts: string, userId: string, added: boolean): void {
    this.takeReaction(reactionKey(channelId, ts, userId, added));
  }

  /** A reaction_added/removed that Parley made as a person; recognised once. */
  isOwnReactionAsPerson(channelId: string, ts: string, userId: string, added: boolean): boolean {
    return this.takeReaction(reactionKey(channelId, ts, userId, added));
  }

  private takeReaction(key: string): boolean {
    const count = this.reactionsAsPerson.get(key) ?? 0;
    if (count === 0) return false;
    if (count > 1) this.reactionsAsPerson.set(key, count - 1);
    else this.reactionsAsPerson.delete(key);
    return true;
  }

  isOwnDeletion(channelId: string, ts: string): boolean {
    return this.deleted.has(`${channelId}/${ts}`);
  }

  /** A reaction, join or edit made by the app's bot user. */
  isOwnUser(userId: string | undefined): boolean {
    return userId === this.self.botUserId;
  }
}

function reactionKey(channelId: string, ts: string, userId: string, added: boolean): string {
  return `${channelId}/${ts}/${userId}/${added ? "+" : "-"}`;
}
