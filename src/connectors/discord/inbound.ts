/**
 * Discord's gateway dispatches as remote events. The connector reads the raw dispatches
 * (discord.js's `raw` event) rather than discord.js's objects: they are Discord's
 * documented payloads, which the converters and their tests take as they are, and they
 * arrive whether or not discord.js has the message in its cache, so an edit or a reaction
 * on an old message is not lost. discord.js still keeps the connection and the caches of
 * guilds, channels, roles and members that lookups use.
 *
 * Dispatches are handled one at a time per guild, in the order Discord sent them, so a
 * thread's first message never overtakes the thread and an edit never its message.
 */
import {
  ChannelType,
  GatewayDispatchEvents as E,
  type APIEmoji,
  type APIGuildMember,
  type APIUser,
  type Client,
  type GatewayChannelModifyDispatchData,
  type GatewayDispatchPayload,
  type GatewayGuildDeleteDispatchData,
  type GatewayGuildMemberUpdateDispatchData,
  type GatewayGuildModifyDispatchData,
  type GatewayMessageDeleteBulkDispatchData,
  type GatewayMessageDeleteDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayThreadCreateDispatchData,
  type GatewayThreadDeleteDispatchData,
  type GatewayTypingStartDispatchData,
  Routes,
} from "discord.js";
import type { Logger } from "winston";
import type { ConnectorHost } from "../../core/connector.js";
import type { RemoteEmoji, RemoteUser } from "../../core/events.js";
import { KeyedQueue } from "../../core/keyed-queue.js";
import { withRetries } from "../../core/retry.js";
import type { EchoGuard } from "./echo.js";
import { toInboundError } from "./errors.js";
import { chatId, messageRemoteId, parseChatId, parseMessageRemoteId, snowflakeTime } from "./ids.js";
import type { GatewayMessage, InboundMessages } from "./inbound-messages.js";
import { remoteUserFor, type MemberLook, type PeopleOptions } from "./people.js";
import type { Threads } from "./threads.js";

export interface InboundDeps {
  client: Client;
  host: () => ConnectorHost;
  echo: EchoGuard;
  threads: Threads;
  messages: InboundMessages;
  people: PeopleOptions;
  /** Reactions on Parley's own approval requests; true when the reaction was one. */
  approvalReaction: (messageId: string, userId: string, emoji: string) => Promise<boolean>;
  log: Logger;
}

const CHAT_TYPES = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);
/** How many of a chat's recently bridged messages are searched for a deleted thread's. */
const THREAD_LOOKBACK = 500;

/** What a channel or guild looked like before the change a dispatch reports. */
interface CachedBefore {
  name?: string;
  topic?: string;
  icon?: string;
}

export class DiscordInbound {
  private readonly queue: KeyedQueue;
  /** How each person was last bridged, so a profile change is followed only for people Matrix knows. */
  private readonly seenProfiles = new Map<string, string>();

  constructor(private readonly deps: InboundDeps) {
    this.queue = new KeyedQueue((guild, error) => deps.log.error("A Discord event could not be bridged", { guild, error }));
  }

  /**
   * Queues a gateway dispatch behind the others of its guild. It comes before discord.js
   * updates its caches, so what a change changed is read from them now, not when its turn comes.
   */
  accept(packet: GatewayDispatchPayload): void {
    const guildId = guildOf(packet);
    if (guildId === undefined) return;
    const before = this.cachedBefore(packet);
    void this.run(guildId, `Bridging ${packet.t}`, () => this.dispatch(packet, guildId, before));
  }

  /** Runs work (catch-up) in a guild's order; resolves when it is done. */
  run(guildId: string, what: string, task: () => Promise<void>): Promise<void> {
    const classified = async () => {
      try {
        await task();
      } catch (error) {
        throw toInboundError(error);
      }
    };
    return this.queue.push(guildId, () => withRetries(what, classified, this.deps.log));
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Records a person as bridged; a later GUILD_MEMBER_UPDATE of theirs is followed. */
  sawUser(user: RemoteUser): void {
    this.seenProfiles.set(seenKey(user), profileKey(user));
  }

  private cachedBefore(packet: GatewayDispatchPayload): CachedBefore {
    if (packet.t === E.ChannelUpdate) {
      const channel = this.deps.client.channels.cache.get(packet.d.id);
      return {
        name: channel && "name" in channel ? (channel.name ?? undefined) : undefined,
        topic: channel && "topic" in channel ? (channel.topic ?? "") : undefined,
      };
    }
    if (packet.t === E.GuildUpdate) return { icon: this.deps.client.guilds.cache.get(packet.d.id)?.icon ?? undefined };
    return {};
  }

  private async dispatch(packet: GatewayDispatchPayload, guildId: string, before: CachedBefore): Promise<void> {
    const { messages, host } = this.deps;
    switch (packet.t) {
      case E.MessageCreate: return messages.created(packet.d as GatewayMessage, guildId);
      case E.MessageUpdate: return messages.updated(packet.d as GatewayMessage, guildId);
      case E.MessageDelete: return this.deleted(guildId, packet.d);
      case E.MessageDeleteBulk: return this.deleted(guildId, packet.d);
      case E.MessageReactionAdd: return this.reaction(guildId, packet.d, "reaction");
      case E.MessageReactionRemove: return this.reaction(guildId, packet.d, "reaction_remove");
      case E.MessageReactionRemoveAll: return this.reactionsCleared(guildId, packet.d);
      case E.MessageReactionRemoveEmoji: return this.reactionsCleared(guildId, packet.d, packet.d.emoji);
      case E.TypingStart: return this.typing(guildId, packet.d);
      case E.ThreadCreate: return this.threadCreated(guildId, packet.d);
      case E.ThreadDelete: return this.threadDeleted(guildId, packet.d);
      case E.ChannelUpdate: return this.channelUpdated(guildId, packet.d, before);
      case E.ChannelDelete:
        if (CHAT_TYPES.has(packet.d.type)) await host().emit({ type: "chat_delete", chat: chatId(guildId, packet.d.id), reason: "the Discord channel was deleted" });
        return;
      case E.GuildUpdate: return this.guildUpdated(packet.d, before);
      case E.GuildDelete: return this.guildLeft(packet.d);
      case E.GuildMemberUpdate: return this.memberUpdated(packet.d);
      default:
        return;
    }
  }

  /** Messages deleted on Discord: live (MESSAGE_DELETE, MESSAGE_DELETE_BULK) or found missing while catching up. */
  async deleted(guildId: string, data: GatewayMessageDeleteDispatchData | Pick<GatewayMessageDeleteBulkDispatchData, "channel_id" | "ids">): Promise<void> {
    const place = await this.deps.threads.locate(data.channel_id);
    if (!place || place.isPrivate) return;
    await this.deletedIn(guildId, place, "ids" in data ? data.ids : [data.id]);
  }

  /** Messages deleted in a channel or thread known to be bridged (a thread may be gone, and unknown to Discord now). */
  async deletedIn(guildId: string, place: { parentId: string; threadId?: string }, messageIds: string[]): Promise<void> {
    const ids = messageIds.filter((id) => !this.deps.echo.takeDeletion(id));
    if (ids.length === 0) return;
    const remoteIds = ids.map((id) => messageRemoteId(id, place.threadId));
    await this.deps.host().emit({ type: "delete", chat: chatId(guildId, place.parentId), ids: remoteIds });
    await this.deps.messages.forgetEdits(remoteIds);
  }

  private async reaction(guildId: string, data: GatewayMessageReactionAddDispatchData, type: "reaction" | "reaction_remove"): Promise<void> {
    if (this.deps.echo.isBot(data.user_id)) return;
    if (type === "reaction" && (await this.deps.approvalReaction(data.message_id, data.user_id, data.emoji.name ?? ""))) return;
    const place = await this.deps.threads.locate(data.channel_id);
    if (!place || place.isPrivate) return;
    await this.deps.host().emit({
      type,
      chat: chatId(guildId, place.parentId),
      messageId: messageRemoteId(data.message_id, place.threadId),
      sender: await this.person(guildId, data.user_id, data.member),
      emoji: remoteEmoji(data.emoji, this.deps.people.cdnUrl),
    });
  }

  private async reactionsCleared(guildId: string, data: { channel_id: string; message_id: string }, emoji?: APIEmoji): Promise<void> {
    const place = await this.deps.threads.locate(data.channel_id);
    if (!place || place.isPrivate) return;
    await this.deps.host().emit({
      type: "reactions_cleared",
      chat: chatId(guildId, place.parentId),
      messageId: messageRemoteId(data.message_id, place.threadId),
      ...(emoji ? { emoji: remoteEmoji(emoji, this.deps.people.cdnUrl) } : {}),
    });
  }

  private async typing(guildId: string, data: GatewayTypingStartDispatchData): Promise<void> {
    if (this.deps.echo.isBot(data.user_id)) return;
    const place = await this.deps.threads.locate(data.channel_id);
    if (!place || place.isPrivate) return;
    const sender = await this.person(guildId, data.user_id, data.member);
    await this.deps.host().emit({ type: "typing", chat: chatId(guildId, place.parentId), sender });
  }

  /**
   * A thread started on its own has no message in the parent channel for Matrix to hang it
   * from, so Parley posts one as its owner, with the thread's id as its remote id.
   */
  private async threadCreated(guildId: string, thread: GatewayThreadCreateDispatchData): Promise<void> {
    const place = this.deps.threads.remember(thread);
    if (!thread.newly_created || place.isPrivate || !place.threadId || (await this.deps.threads.hasStarterMessage(place))) return;
    const sender = await this.person(guildId, thread.owner_id ?? "", undefined);
    await this.deps.host().emit({
      type: "message",
      chat: chatId(guildId, place.parentId),
      id: place.threadId,
      sender,
      content: {
        style: "emote",
        text: [{ type: "paragraph", children: [{ type: "text", text: "started a thread: " }, { type: "bold", children: [{ type: "text", text: thread.name }] }] }],
        media: [],
      },
      timestamp: snowflakeTime(place.threadId),
    });
  }

  /**
   * A thread deleted takes its messages with it, and Discord sends no MESSAGE_DELETE for them:
   * those Parley bridged recently are looked up and deleted from Matrix.
   */
  private async threadDeleted(guildId: string, thread: GatewayThreadDeleteDispatchData): Promise<void> {
    if (!thread.parent_id || thread.type === ChannelType.PrivateThread) return;
    const chat = chatId(guildId, thread.parent_id);
    const bridged = await this.deps.host().recentlyBridged(chat, THREAD_LOOKBACK);
    const ids = bridged.map(({ remoteId }) => parseMessageRemoteId(remoteId)).filter((ref) => ref.threadId === thread.id).map((ref) => ref.messageId);
    await this.deletedIn(guildId, { parentId: thread.parent_id, threadId: thread.id }, ids.reverse());
  }

  /** A rename or a new topic (a change of permissions or position changes nothing in Matrix). */
  private async channelUpdated(guildId: string, channel: GatewayChannelModifyDispatchData, before: CachedBefore): Promise<void> {
    if (!CHAT_TYPES.has(channel.type)) return;
    const topic = "topic" in channel ? (channel.topic ?? "") : undefined;
    const change = {
      ...(channel.name && channel.name !== before.name ? { name: channel.name } : {}),
      ...(topic !== undefined && topic !== before.topic ? { topic } : {}),
    };
    if (Object.keys(change).length > 0) await this.deps.host().emit({ type: "chat_update", chat: chatId(guildId, channel.id), ...change });
  }

  private async guildUpdated(guild: GatewayGuildModifyDispatchData, before: CachedBefore): Promise<void> {
    if (!guild.icon || guild.icon === before.icon) return;
    const avatarUrl = `${this.deps.people.cdnUrl}/icons/${guild.id}/${guild.icon}.png`;
    for (const chat of await this.chatsOfGuild(guild.id)) await this.deps.host().emit({ type: "chat_update", chat, avatarUrl });
  }

  /** The bot was removed from a guild (an outage sends `unavailable` instead). */
  private async guildLeft(guild: GatewayGuildDeleteDispatchData): Promise<void> {
    if (guild.unavailable) return;
    for (const chat of await this.chatsOfGuild(guild.id)) {
      await this.deps.host().emit({ type: "chat_delete", chat, reason: "the Parley bot was removed from the Discord server" });
    }
  }

  private async memberUpdated(member: GatewayGuildMemberUpdateDispatchData): Promise<void> {
    const user = remoteUserFor(this.deps.people, member.user, member, member.guild_id);
    const seen = this.seenProfiles.get(seenKey(user));
    if (seen === undefined || seen === profileKey(user)) return;
    this.sawUser(user);
    await this.deps.host().emit({ type: "user_update", user });
  }

  private async chatsOfGuild(guildId: string): Promise<string[]> {
    return (await this.deps.host().bridgedChats()).filter((chat) => parseChatId(chat)?.guildId === guildId);
  }

  /** A person by id, as they look in the guild: from the event, the cache, or Discord. */
  private async person(guildId: string, userId: string, member: (MemberLook & { user?: APIUser }) | undefined): Promise<RemoteUser> {
    let user = member?.user;
    let look: MemberLook | undefined = member;
    if (!user) {
      const fetched = (await this.deps.client.rest.get(Routes.guildMember(guildId, userId)).catch(() => undefined)) as APIGuildMember | undefined;
      user = fetched?.user ?? ((await this.deps.client.rest.get(Routes.user(userId))) as APIUser);
      look = fetched;
    }
    const person = remoteUserFor(this.deps.people, user, look, guildId);
    this.sawUser(person);
    return person;
  }
}

function remoteEmoji(emoji: Pick<APIEmoji, "id" | "name" | "animated">, cdnUrl: string): RemoteEmoji {
  if (!emoji.id) return { kind: "unicode", value: emoji.name ?? "" };
  const name = emoji.name ?? "emoji";
  const extension = emoji.animated ? "gif" : "png";
  return { kind: "custom", id: emoji.id, name, imageUrl: `${cdnUrl}/emojis/${emoji.id}.${extension}`, ...(emoji.animated ? { animated: true } : {}) };
}

function guildOf(packet: GatewayDispatchPayload): string | undefined {
  if (packet.t === E.GuildUpdate || packet.t === E.GuildDelete) return packet.d.id;
  const data = packet.d as { guild_id?: unknown } | null;
  return typeof data?.guild_id === "string" ? data.guild_id : undefined;
}

/** A person's looks are remembered per guild: a nick in one guild is no change from another's. */
function seenKey(user: RemoteUser): string {
  return `${user.id}\u0000${user.scope ?? ""}`;
}

function profileKey(user: RemoteUser): string {
  return `${user.displayName}\u0000${user.avatarUrl ?? ""}`;
}
