import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  WebhookType,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type ThreadMemberFlags,
  type UserFlags,
  type APIChannel,
  type APIEmoji,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIThreadMember,
  type APIUser,
  type APIWebhook,
  type GatewayGuildCreateDispatchData,
} from "discord.js";
import type { ChannelRecord, EmojiRecord, GuildRecord, MemberRecord, RoleRecord, UserRecord, WebhookRecord } from "./model.js";
import { discordTimestamp } from "./snowflake.js";
import type { SimState } from "./state.js";

/** Guild member without its user, as embedded in MESSAGE_CREATE and reaction events. */
export type PartialMember = Omit<APIGuildMember, "user">;

/** Turns records into the JSON Discord sends for users, guilds, channels, roles, emojis and webhooks. */
export class Payloads {
  constructor(
    private readonly state: SimState,
    private readonly botId: string,
    private readonly origin: () => string,
  ) {}

  user(user: UserRecord): APIUser {
    return {
      id: user.id,
      username: user.username,
      // Since the 2023 username migration people have discriminator "0"; bots kept their four digits.
      discriminator: user.bot ? String(1000n + (BigInt(user.id) % 9000n)) : "0",
      global_name: user.globalName,
      avatar: user.avatar,
      ...(user.bot ? { bot: true } : {}),
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
  }

  userById(userId: string): APIUser {
    return this.user(this.state.user(userId));
  }

  partialMember(member: MemberRecord): PartialMember {
    return {
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roleIds],
      joined_at: discordTimestamp(member.joinedAt),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  member(member: MemberRecord): APIGuildMember {
    return { ...this.partialMember(member), user: this.userById(member.userId) };
  }

  role(role: RoleRecord): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: role.hoist,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.botId !== undefined,
      mentionable: role.mentionable,
      flags: 0 as RoleFlags,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  emoji(emoji: EmojiRecord): APIEmoji {
    return {
      id: emoji.id,
      name: emoji.name,
      roles: [],
      require_colons: true,
      managed: false,
      animated: emoji.animated,
      available: true,
    };
  }

  channel(channel: ChannelRecord): APIChannel {
    const common = {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      flags: 0,
    };
    if (channel.thread) {
      const thread = channel.thread;
      const botMember = thread.memberIds.has(this.botId) ? { member: this.threadMember(channel, this.botId) } : {};
      return {
        ...common,
        parent_id: channel.parentId,
        owner_id: thread.ownerId,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
        message_count: thread.messageCount,
        member_count: Math.min(thread.memberIds.size, 50),
        total_message_sent: thread.totalMessageSent,
        thread_metadata: {
          archived: thread.archived,
          auto_archive_duration: thread.autoArchiveDuration,
          archive_timestamp: discordTimestamp(thread.archiveTimestamp),
          locked: thread.locked,
          create_timestamp: discordTimestamp(thread.createdAt),
          ...(channel.type === ChannelType.PrivateThread ? { invitable: true } : {}),
        },
        ...(this.state.channels.get(channel.parentId ?? "")?.type === ChannelType.GuildForum ? { applied_tags: [] } : {}),
        ...botMember,
      } as APIChannel;
    }
    const placed = {
      ...common,
      position: channel.position,
      parent_id: channel.parentId,
      nsfw: channel.nsfw,
      permission_overwrites: channel.overwrites.map((overwrite) => ({
        id: overwrite.id,
        type: overwrite.type,
        allow: overwrite.allow.toString(),
        deny: overwrite.deny.toString(),
      })),
    };
    switch (channel.type) {
      case ChannelType.GuildCategory:
        return placed as APIChannel;
      case ChannelType.GuildVoice:
        return {
          ...placed,
          last_message_id: channel.lastMessageId,
          rate_limit_per_user: 0,
          bitrate: 64000,
          user_limit: 0,
          rtc_region: null,
        } as APIChannel;
      case ChannelType.GuildForum:
        return {
          ...placed,
          topic: channel.topic,
          last_message_id: channel.lastMessageId,
          rate_limit_per_user: 0,
          available_tags: [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          default_thread_rate_limit_per_user: 0,
        } as APIChannel;
      default:
        return {
          ...placed,
          topic: channel.topic,
          last_message_id: channel.lastMessageId,
          rate_limit_per_user: 0,
        } as APIChannel;
    }
  }

  threadMember(thread: ChannelRecord, userId: string): APIThreadMember {
    return {
      id: thread.id,
      user_id: userId,
      join_timestamp: discordTimestamp(thread.thread?.createdAt ?? this.state.now()),
      flags: 0 as ThreadMemberFlags,
    };
  }

  guild(guild: GuildRecord): APIGuild {
    return {
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      region: "deprecated",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: this.state.guildRoles(guild.id).map((role) => this.role(role)),
      emojis: this.state.guildEmojis(guild.id).map((emoji) => this.emoji(emoji)),
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  /**
   * The full guild sent after READY. Without the presences intent Discord lists only the bot itself (and people
   * in voice, which the simulator has none of) in `members`; everyone else must be fetched.
   */
  guildCreate(guild: GuildRecord, withAllMembers: boolean): GatewayGuildCreateDispatchData {
    const members = this.state
      .members(guild.id)
      .filter((member) => withAllMembers || member.userId === this.botId)
      .map((member) => this.member(member));
    return {
      ...this.guild(guild),
      joined_at: discordTimestamp(this.state.findMember(guild.id, this.botId)?.joinedAt ?? guild.createdAt),
      large: false,
      unavailable: false,
      member_count: this.state.members(guild.id).length,
      voice_states: [],
      members,
      channels: this.state.guildChannels(guild.id).map((channel) => this.channel(channel)),
      threads: this.state
        .guildThreads(guild.id)
        .filter((thread) => !thread.thread?.archived)
        .map((thread) => this.channel(thread)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    } as GatewayGuildCreateDispatchData;
  }

  webhook(webhook: WebhookRecord, withToken: boolean): APIWebhook {
    return {
      id: webhook.id,
      type: WebhookType.Incoming,
      guild_id: webhook.guildId,
      channel_id: webhook.channelId,
      name: webhook.name,
      avatar: webhook.avatar,
      application_id: webhook.applicationId,
      ...(withToken
        ? {
            user: this.userById(webhook.creatorId),
            token: webhook.token,
            url: `${this.origin()}/api/webhooks/${webhook.id}/${webhook.token}`,
          }
        : {}),
    };
  }
}
