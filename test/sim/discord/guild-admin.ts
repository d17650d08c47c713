import { ChannelType, GatewayDispatchEvents as E } from "discord.js";
import type { Cdn } from "./cdn.js";
import type { Dispatcher } from "./gateway.js";
import { solidColorPng } from "./image.js";
import type { ChannelRecord, MemberRecord, PermissionOverwrite, RoleRecord, UserRecord } from "./model.js";
import type { Payloads } from "./payloads.js";
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from "./permissions.js";
import { isThread, THREAD_TYPES, type SimState } from "./state.js";

export interface GuildAnnouncer extends Dispatcher {
  dispatchGuildCreate(guildId: string): void;
}

export interface NewGuild {
  name: string;
  icon?: Buffer;
  /** Defaults to a new user made for the purpose. */
  ownerId?: string;
  /** Permissions of the role Discord gives the bot on joining. */
  botPermissions?: bigint;
  everyonePermissions?: bigint;
}

export interface NewChannel {
  name: string;
  type?: ChannelType;
  topic?: string | null;
  parentId?: string;
  nsfw?: boolean;
  overwrites?: PermissionOverwrite[];
}

export interface NewUser {
  username: string;
  global_name?: string | null;
  avatar?: Buffer;
  bot?: boolean;
}

export interface NewRole {
  name: string;
  permissions?: bigint;
  color?: number;
  mentionable?: boolean;
  hoist?: boolean;
}

/** What server admins and users do to the world around messages, each with the gateway event Discord sends. */
export class GuildAdmin {
  constructor(
    private readonly state: SimState,
    private readonly cdn: Cdn,
    private readonly payloads: Payloads,
    private readonly gateway: GuildAnnouncer,
    private readonly botId: string,
  ) {}

  createUser(options: NewUser): UserRecord {
    const id = this.state.ids.next();
    const user: UserRecord = {
      id,
      username: options.username,
      globalName: options.global_name ?? null,
      avatar: options.avatar ? this.cdn.putImage(`avatars/${id}`, options.avatar) : null,
      bot: options.bot ?? false,
    };
    this.state.users.set(id, user);
    return user;
  }

  /** Joins the bot to a new guild with its managed role; a connected client gets GUILD_CREATE. */
  createGuild(options: NewGuild): string {
    const id = this.state.ids.next();
    const ownerId = options.ownerId ?? this.createUser({ username: `owner_${id.slice(-6)}` }).id;
    this.state.guilds.set(id, {
      id,
      name: options.name,
      icon: options.icon ? this.cdn.putImage(`icons/${id}`, options.icon) : null,
      ownerId,
      createdAt: this.state.now(),
    });
    // The @everyone role shares the guild's id.
    this.addRole(id, id, { name: "@everyone", permissions: options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS });
    const botRole = this.addRole(this.state.ids.next(), id, {
      name: this.state.user(this.botId).username,
      permissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    });
    botRole.botId = this.botId;
    this.state.addMember(this.newMember(id, ownerId, {}));
    this.state.addMember(this.newMember(id, this.botId, { roles: [botRole.id] }));
    this.gateway.dispatchGuildCreate(id);
    return id;
  }

  createChannel(guildId: string, options: NewChannel): ChannelRecord {
    this.state.guild(guildId);
    if (options.type !== undefined && THREAD_TYPES.has(options.type)) throw new Error("Threads are made with createThread");
    const channel: ChannelRecord = {
      id: this.state.ids.next(),
      guildId,
      type: options.type ?? ChannelType.GuildText,
      name: options.name,
      topic: options.topic ?? null,
      position: this.state.guildChannels(guildId).length,
      parentId: options.parentId ?? null,
      nsfw: options.nsfw ?? false,
      lastMessageId: null,
      overwrites: options.overwrites ?? [],
    };
    this.state.channels.set(channel.id, channel);
    this.gateway.dispatch(E.ChannelCreate, this.payloads.channel(channel), { channelId: channel.id });
    return channel;
  }

  /** Name, topic and permission overwrites; threads announce changes as THREAD_UPDATE. */
  updateChannel(channelId: string, changes: { name?: string; topic?: string | null; overwrites?: PermissionOverwrite[] }): void {
    const channel = this.state.channel(channelId);
    if (changes.name !== undefined) channel.name = changes.name;
    if (changes.topic !== undefined) channel.topic = changes.topic;
    if (changes.overwrites !== undefined) channel.overwrites = changes.overwrites;
    const event = isThread(channel) ? E.ThreadUpdate : E.ChannelUpdate;
    this.gateway.dispatch(event, this.payloads.channel(channel), { channelId });
  }

  /** Threads inside go with it, and so do the channel's webhooks. */
  deleteChannel(channelId: string): void {
    const channel = this.state.channel(channelId);
    const payload = isThread(channel)
      ? { id: channel.id, guild_id: channel.guildId, parent_id: channel.parentId, type: channel.type }
      : this.payloads.channel(channel);
    this.gateway.dispatch(isThread(channel) ? E.ThreadDelete : E.ChannelDelete, payload, { channelId });
    for (const thread of this.state.guildThreads(channel.guildId)) {
      if (thread.parentId === channelId) this.state.deleteChannel(thread.id);
    }
    for (const webhook of this.state.webhooks.values()) {
      if (webhook.channelId === channelId) this.state.webhooks.delete(webhook.id);
    }
    this.state.deleteChannel(channelId);
  }

  addMember(guildId: string, userId: string, options: { nick?: string | null; roles?: string[] } = {}): void {
    this.state.guild(guildId);
    this.state.user(userId);
    const member = this.newMember(guildId, userId, options);
    this.state.addMember(member);
    this.gateway.dispatch(E.GuildMemberAdd, { ...this.payloads.member(member), guild_id: guildId });
  }

  updateMember(guildId: string, userId: string, changes: { nick?: string | null; roles?: string[] }): void {
    const member = this.state.member(guildId, userId);
    if (changes.nick !== undefined) member.nick = changes.nick;
    if (changes.roles !== undefined) member.roleIds = changes.roles.map((id) => this.state.role(id).id);
    this.announceMember(member);
  }

  /** A profile change reaches bots as GUILD_MEMBER_UPDATE in every shared guild (USER_UPDATE for the bot itself). */
  updateUser(userId: string, changes: { username?: string; global_name?: string | null; avatar?: Buffer | null }): void {
    const user = this.state.user(userId);
    if (changes.username !== undefined) user.username = changes.username;
    if (changes.global_name !== undefined) user.globalName = changes.global_name;
    if (changes.avatar !== undefined) {
      user.avatar = changes.avatar ? this.cdn.putImage(`avatars/${userId}`, changes.avatar) : null;
    }
    if (userId === this.botId) this.gateway.dispatch(E.UserUpdate, this.payloads.user(user));
    for (const guild of this.state.guildsOf(userId)) this.announceMember(this.state.member(guild.id, userId));
  }

  createRole(guildId: string, options: NewRole): RoleRecord {
    this.state.guild(guildId);
    const role = this.addRole(this.state.ids.next(), guildId, options);
    this.gateway.dispatch(E.GuildRoleCreate, { guild_id: guildId, role: this.payloads.role(role) });
    return role;
  }

  createEmoji(guildId: string, name: string, animated: boolean, image?: Buffer): string {
    this.state.guild(guildId);
    const id = this.state.ids.next();
    this.state.emojis.set(id, { id, guildId, name, animated });
    this.cdn.put(`emojis/${id}`, image ?? solidColorPng(32, 32, [255, 204, 77]));
    this.gateway.dispatch(E.GuildEmojisUpdate, {
      guild_id: guildId,
      emojis: this.state.guildEmojis(guildId).map((emoji) => this.payloads.emoji(emoji)),
    });
    return id;
  }

  private addRole(id: string, guildId: string, options: NewRole): RoleRecord {
    const role: RoleRecord = {
      id,
      guildId,
      name: options.name,
      color: options.color ?? 0,
      permissions: options.permissions ?? 0n,
      position: this.state.guildRoles(guildId).length,
      hoist: options.hoist ?? false,
      mentionable: options.mentionable ?? false,
    };
    this.state.roles.set(id, role);
    return role;
  }

  private newMember(guildId: string, userId: string, options: { nick?: string | null; roles?: string[] }): MemberRecord {
    return {
      guildId,
      userId,
      nick: options.nick ?? null,
      roleIds: (options.roles ?? []).map((id) => this.state.role(id).id),
      joinedAt: this.state.now(),
    };
  }

  private announceMember(member: MemberRecord): void {
    this.gateway.dispatch(E.GuildMemberUpdate, { ...this.payloads.member(member), guild_id: member.guildId });
  }
}
