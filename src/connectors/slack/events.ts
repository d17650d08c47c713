/**
 * Slack's Events API callbacks (over Socket Mode or HTTP) as RemoteEvents, in each
 * channel's order. The handler resolves once the resulting events are stored, which is
 * when the receiver acknowledges the envelope; a redelivered envelope is recognised by
 * its event id. SLACK_EVENT_HANDLERS is also the list of events the app manifest
 * subscribes to (checked by a unit test).
 */
import type { ConnectorHost } from "../../core/connector.js";
import type { RemoteEmoji } from "../../core/events.js";
import { unicodeForShortcode } from "../../core/format/emoji-shortcodes.js";
import { KeyedQueue } from "../../core/keyed-queue.js";
import { resolveCustomEmoji } from "./convert/context.js";
import type { SlackDirectory } from "./directory.js";
import type { EchoFilter } from "./echoes.js";
import { toChatId } from "./ids.js";
import type { MessageEvents } from "./message-events.js";
import { RecentMap } from "./recent.js";
import type { Senders } from "./senders.js";
import type { SlackMessage, SlackUser } from "./slack-types.js";

type Json = Record<string, unknown>;

/** How many envelope ids to remember, to recognise Slack's redeliveries. */
const REMEMBERED_DELIVERIES = 2000;

export interface SlackEventDeps {
  teamId: string;
  host: ConnectorHost;
  directory: SlackDirectory;
  echoes: EchoFilter;
  senders: Senders;
  messages: MessageEvents;
  /** Resolves when live events of the chat may be handled (after catching up on it). */
  ready(chat: string): Promise<void>;
  /**
   * A person's direct or group message came (an event on behalf of `onBehalfOf`, who gave
   * Parley a user token): makes sure its room exists, for the linked people in it.
   */
  privateChat(channelId: string, onBehalfOf: readonly string[]): Promise<void>;
  /** Slack revoked these people's tokens for the app (tokens_revoked). */
  tokensRevoked(userIds: readonly string[]): Promise<void>;
}

type EventHandler = (handler: SlackEvents, event: Json, body: Json) => Promise<void>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Each event type Parley subscribes to, and what it does with it. */
export const SLACK_EVENT_HANDLERS: Readonly<Record<string, EventHandler>> = {
  message: (h, e, body) => h.message(e, body),
  reaction_added: (h, e) => h.reaction(e, true),
  reaction_removed: (h, e) => h.reaction(e, false),
  member_joined_channel: (h, e) => h.memberEvent(e, "join"),
  member_left_channel: (h, e) => h.memberEvent(e, "leave"),
  channel_rename: (h, e) => h.renamed(e),
  group_rename: (h, e) => h.renamed(e),
  channel_archive: (h, e) => h.archived(e, true),
  group_archive: (h, e) => h.archived(e, true),
  channel_unarchive: (h, e) => h.archived(e, false),
  group_unarchive: (h, e) => h.archived(e, false),
  channel_deleted: (h, e) => h.channelDeleted(e),
  group_deleted: (h, e) => h.channelDeleted(e),
  user_change: (h, e) => h.userChanged(e),
  emoji_changed: async (h) => h.emojiChanged(),
  subteam_created: async (h) => h.usergroupsChanged(),
  subteam_updated: async (h) => h.usergroupsChanged(),
  tokens_revoked: (h, e) => h.tokensRevoked(e),
};

/** The events Parley hears on behalf of linked people (user events), for their private chats. */
export const SLACK_USER_EVENTS: readonly string[] = ["message", "reaction_added", "reaction_removed"];

/** The people (not the bot) an event was delivered on behalf of. */
function onBehalfOf(body: Json): string[] {
  const authorizations = Array.isArray(body.authorizations) ? (body.authorizations as Json[]) : [];
  return authorizations.flatMap((authorization) => (authorization.is_bot === false && typeof authorization.user_id === "string" ? [authorization.user_id] : []));
}

const PRIVATE_CHAT_TYPES = new Set(["im", "mpim"]);

export class SlackEvents {
  private readonly chats = new KeyedQueue(() => undefined);
  private readonly deliveries = new RecentMap<string, Promise<void>>(REMEMBERED_DELIVERIES);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SlackEventDeps) {}

  /** One event_callback. Resolves once what it became is stored; rejects if it could not be. */
  handleCallback(body: Json): Promise<void> {
    const eventId = str(body.event_id);
    const earlier = eventId ? this.deliveries.get(eventId) : undefined;
    if (earlier) return earlier;
    const delivery = this.dispatch((body.event ?? {}) as Json, body);
    const settled = delivery.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    if (eventId) {
      this.deliveries.set(eventId, delivery);
      // A failed delivery is tried afresh when Slack sends it again.
      delivery.catch(() => this.deliveries.delete(eventId));
    }
    return delivery;
  }

  /** Resolves once every event being handled has been stored or has failed. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Runs work in a chat's order, behind whatever that chat is already doing; rejects with the work's error. */
  inChat(chat: string, work: () => Promise<void>): Promise<void> {
    let failure: unknown;
    const run = this.chats.push(chat, async () => {
      try {
        await work();
      } catch (error) {
        failure = error;
      }
    });
    return run.then(() => {
      if (failure !== undefined) throw failure;
    });
  }

  private dispatch(event: Json, body: Json): Promise<void> {
    const handler = SLACK_EVENT_HANDLERS[str(event.type) ?? ""];
    if (!handler) {
      this.deps.host.log.debug("Ignoring a Slack event Parley does not use", { type: event.type });
      return Promise.resolve();
    }
    return handler(this, event, body);
  }

  message(event: Json, body: Json = {}): Promise<void> {
    const channelId = str(event.channel);
    if (!channelId) return Promise.resolve();
    const chat = toChatId(this.deps.teamId, channelId);
    return this.inChat(chat, async () => {
      if (PRIVATE_CHAT_TYPES.has(str(event.channel_type) ?? "")) await this.deps.privateChat(channelId, onBehalfOf(body));
      await this.deps.ready(chat);
      await this.deps.messages.handle(channelId, event as unknown as SlackMessage);
    });
  }

  async tokensRevoked(event: Json): Promise<void> {
    const tokens = (event.tokens ?? {}) as { oauth?: unknown };
    const userIds = Array.isArray(tokens.oauth) ? tokens.oauth.filter((id): id is string => typeof id === "string") : [];
    if (userIds.length > 0) await this.deps.tokensRevoked(userIds);
  }

  reaction(event: Json, added: boolean): Promise<void> {
    const item = (event.item ?? {}) as Json;
    const channelId = str(item.channel);
    const ts = str(item.ts);
    const name = str(event.reaction);
    const userId = str(event.user);
    if (item.type !== "message" || !channelId || !ts || !name || !userId || this.deps.echoes.isOwnUser(userId)) return Promise.resolve();
    if (this.deps.echoes.isOwnReactionAsPerson(channelId, ts, userId, added)) return Promise.resolve();
    const chat = toChatId(this.deps.teamId, channelId);
    return this.inChat(chat, async () => {
      await this.deps.ready(chat);
      const emoji = await this.emojiNamed(name);
      if (!emoji) return;
      const { remote } = await this.deps.senders.user(userId);
      await this.deps.host.emit({ type: added ? "reaction" : "reaction_remove", chat, messageId: ts, sender: remote, emoji });
    });
  }

  /** A reaction's emoji: a standard one (skin tones included), or a workspace emoji with its image. */
  private async emojiNamed(name: string): Promise<RemoteEmoji | undefined> {
    const unicode = unicodeForShortcode(name);
    if (unicode) return { kind: "unicode", value: unicode };
    const custom = resolveCustomEmoji(await this.deps.directory.emoji(), name);
    if (!custom) return undefined;
    if ("unicode" in custom) return { kind: "unicode", value: custom.unicode };
    return { kind: "custom", id: `${this.deps.teamId}:${name}`, name, imageUrl: custom.imageUrl };
  }

  /**
   * Joins and leaves. Slack also writes them into the channel as channel_join/leave
   * messages, which catching up reads; the Matrix side takes a second join as a no-op.
   * The app's own bot leaving is worth telling the room: nothing is bridged until it is back.
   */
  memberEvent(event: Json, membership: "join" | "leave"): Promise<void> {
    const channelId = str(event.channel);
    const userId = str(event.user);
    if (!channelId || !userId) return Promise.resolve();
    const chat = toChatId(this.deps.teamId, channelId);
    this.deps.directory.forgetChannel(channelId);
    return this.inChat(chat, async () => {
      if (this.deps.echoes.isOwnUser(userId)) {
        if (membership === "leave") {
          await this.deps.host.notify(chat, "Parley's Slack app was removed from this channel, so nothing is bridged until someone invites it back on Slack (/invite).");
        }
        return;
      }
      const { remote } = await this.deps.senders.user(userId);
      await this.deps.host.emit({ type: "member", chat, user: remote, membership });
    });
  }

  renamed(event: Json): Promise<void> {
    const channel = (event.channel ?? {}) as Json;
    const channelId = str(channel.id);
    const name = str(channel.name);
    if (!channelId || !name) return Promise.resolve();
    this.deps.directory.forgetChannel(channelId);
    const chat = toChatId(this.deps.teamId, channelId);
    return this.inChat(chat, () => this.deps.host.emit({ type: "chat_update", chat, name }));
  }

  /** Archiving keeps the portal: the channel can come back, and its history stays readable. */
  archived(event: Json, archived: boolean): Promise<void> {
    const channelId = str(event.channel);
    if (!channelId) return Promise.resolve();
    this.deps.directory.forgetChannel(channelId);
    const chat = toChatId(this.deps.teamId, channelId);
    const text = archived
      ? "The Slack channel was archived: nothing can be posted there until it is unarchived. This room stays bridged."
      : "The Slack channel was unarchived: messages are bridged again.";
    return this.inChat(chat, () => this.deps.host.notify(chat, text));
  }

  channelDeleted(event: Json): Promise<void> {
    const channelId = str(event.channel);
    if (!channelId) return Promise.resolve();
    const chat = toChatId(this.deps.teamId, channelId);
    return this.inChat(chat, () => this.deps.host.emit({ type: "chat_delete", chat, reason: "the Slack channel was deleted" }));
  }

  async userChanged(event: Json): Promise<void> {
    const user = event.user as SlackUser | undefined;
    if (!user?.id || this.deps.echoes.isOwnUser(user.id)) return;
    this.deps.directory.rememberUser(user);
    await this.deps.host.emit({ type: "user_update", user: this.deps.senders.fromUserObject(user).remote });
  }

  emojiChanged(): void {
    this.deps.directory.forgetEmoji();
  }

  usergroupsChanged(): void {
    this.deps.directory.forgetUsergroups();
  }
}
