import { ChannelType } from "discord.js";
import { errors } from "./errors.js";
import type {
  ChannelRecord,
  EmojiRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  RoleRecord,
  UserRecord,
  WebhookRecord,
} from "./model.js";
import { SnowflakeGenerator } from "./snowflake.js";

export const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);

export function isThread(channel: ChannelRecord): boolean {
  return THREAD_TYPES.has(channel.type);
}

/** Everything the simulated Discord knows, with lookups that fail the way the API does (Unknown Channel, ...). */
export class SimState {
  readonly ids: SnowflakeGenerator;
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly roles = new Map<string, RoleRecord>();
  readonly emojis = new Map<string, EmojiRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  private readonly membersByGuild = new Map<string, Map<string, MemberRecord>>();
  private readonly messagesById = new Map<string, MessageRecord>();
  private readonly messageIdsByChannel = new Map<string, string[]>();

  constructor(readonly now: () => number) {
    this.ids = new SnowflakeGenerator(now);
  }

  user(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw errors.unknownUser();
    return user;
  }

  guild(id: string): GuildRecord {
    const guild = this.guilds.get(id);
    if (!guild) throw errors.unknownGuild();
    return guild;
  }

  channel(id: string): ChannelRecord {
    const channel = this.channels.get(id);
    if (!channel) throw errors.unknownChannel();
    return channel;
  }

  role(id: string): RoleRecord {
    const role = this.roles.get(id);
    if (!role) throw errors.unknownRole();
    return role;
  }

  emoji(id: string): EmojiRecord {
    const emoji = this.emojis.get(id);
    if (!emoji) throw errors.unknownEmoji();
    return emoji;
  }

  webhook(id: string): WebhookRecord {
    const webhook = this.webhooks.get(id);
    if (!webhook) throw errors.unknownWebhook();
    return webhook;
  }

  /** A message looked up through its channel, as every message route does: wrong channel means Unknown Message. */
  message(channelId: string, messageId: string): MessageRecord {
    const message = this.messagesById.get(messageId);
    if (!message || message.channelId !== channelId) throw errors.unknownMessage();
    return message;
  }

  findMessage(messageId: string): MessageRecord | undefined {
    return this.messagesById.get(messageId);
  }

  /** Oldest first. */
  channelMessages(channelId: string): MessageRecord[] {
    return (this.messageIdsByChannel.get(channelId) ?? []).map((id) => this.messagesById.get(id)!);
  }

  addMessage(message: MessageRecord): void {
    this.messagesById.set(message.id, message);
    const ids = this.messageIdsByChannel.get(message.channelId) ?? [];
    ids.push(message.id);
    this.messageIdsByChannel.set(message.channelId, ids);
    this.channel(message.channelId).lastMessageId = message.id;
  }

  removeMessage(message: MessageRecord): void {
    this.messagesById.delete(message.id);
    const ids = this.messageIdsByChannel.get(message.channelId) ?? [];
    this.messageIdsByChannel.set(
      message.channelId,
      ids.filter((id) => id !== message.id),
    );
  }

  /** A deleted channel takes its messages with it. */
  deleteChannel(channelId: string): void {
    for (const id of this.messageIdsByChannel.get(channelId) ?? []) this.messagesById.delete(id);
    this.messageIdsByChannel.delete(channelId);
    this.channels.delete(channelId);
  }

  member(guildId: string, userId: string): MemberRecord {
    const member = this.membersByGuild.get(guildId)?.get(userId);
    if (!member) throw errors.unknownMember();
    return member;
  }

  findMember(guildId: string, userId: string): MemberRecord | undefined {
    return this.membersByGuild.get(guildId)?.get(userId);
  }

  /** In join order. */
  members(guildId: string): MemberRecord[] {
    return [...(this.membersByGuild.get(guildId)?.values() ?? [])];
  }

  addMember(member: MemberRecord): void {
    const members = this.membersByGuild.get(member.guildId) ?? new Map<string, MemberRecord>();
    members.set(member.userId, member);
    this.membersByGuild.set(member.guildId, members);
  }

  /** Guilds the user belongs to, in creation order. */
  guildsOf(userId: string): GuildRecord[] {
    return [...this.guilds.values()].filter((guild) => this.findMember(guild.id, userId));
  }

  guildRoles(guildId: string): RoleRecord[] {
    return [...this.roles.values()].filter((role) => role.guildId === guildId);
  }

  guildEmojis(guildId: string): EmojiRecord[] {
    return [...this.emojis.values()].filter((emoji) => emoji.guildId === guildId);
  }

  /** Channels without threads, the way GET /guilds/{id}/channels lists them. */
  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId && !isThread(channel));
  }

  guildThreads(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId && isThread(channel));
  }

  /** Threads take their permissions (and webhooks) from the channel they live in. */
  permissionChannel(channel: ChannelRecord): ChannelRecord {
    return isThread(channel) && channel.parentId ? this.channel(channel.parentId) : channel;
  }
}
