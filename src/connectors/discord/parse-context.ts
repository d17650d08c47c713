/**
 * Fills the lookup context the Discord markdown parser needs (people, channels, roles,
 * emoji) for one message, before the pure converters run: every `<@user>`, `<#channel>` and
 * `<@&role>` in the message's text and embeds is resolved here, from the payload first,
 * then from discord.js's caches, then from Discord.
 */
import { ChannelType, Routes, type APIEmbed, type APIUser, type Client } from "discord.js";
import type { ConnectorHost } from "../../core/connector.js";
import { discordParseContext, type DiscordChannelRef, type DiscordParseContext, type DiscordUserRef } from "./convert/context.js";
import { chatId, type DiscordIds } from "./ids.js";
import { shownName, type MemberLook } from "./people.js";

/** The parts of a message that can refer to people, channels and roles. */
export interface ReferringMessage {
  content: string;
  embeds?: APIEmbed[];
  mentions?: Array<APIUser & { member?: MemberLook }>;
  mention_everyone?: boolean;
  message_snapshots?: Array<{ message: { content: string; embeds?: APIEmbed[] } }>;
}

export interface ParseContextDeps {
  client: Client;
  host: () => ConnectorHost;
  ids: DiscordIds;
  serverName: string;
  cdnUrl: string;
  isAllowedGuild(guildId: string): boolean;
}

const BRIDGEABLE_TYPES = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

export class ParseContexts {
  constructor(private readonly deps: ParseContextDeps) {}

  async forMessage(guildId: string, message: ReferringMessage): Promise<DiscordParseContext> {
    const texts = referringTexts(message);
    const users: Record<string, DiscordUserRef> = {};
    const channels: Record<string, DiscordChannelRef> = {};
    const roles: Record<string, string> = {};
    for (const id of idsIn(texts, /<@!?(\d+)>/g)) {
      const user = await this.user(guildId, id, message.mentions);
      if (user) users[id] = user;
    }
    for (const id of idsIn(texts, /<#(\d+)>/g)) {
      const channel = await this.channel(id);
      if (channel) channels[id] = channel;
    }
    for (const id of idsIn(texts, /<@&(\d+)>/g)) {
      const role = this.deps.client.guilds.cache.get(guildId)?.roles.cache.get(id);
      if (role) roles[id] = role.name;
    }
    return discordParseContext({
      users,
      channels,
      roles,
      mentionEveryone: message.mention_everyone === true,
      emojiImageUrl: (emoji) => `${this.deps.cdnUrl}/emojis/${emoji.id}.${emoji.animated ? "gif" : "png"}`,
    });
  }

  private async user(guildId: string, id: string, mentions: ReferringMessage["mentions"]): Promise<DiscordUserRef | undefined> {
    const mentioned = mentions?.find((user) => user.id === id);
    const name = mentioned ? shownName(mentioned, mentioned.member) : await this.nameOf(guildId, id);
    if (name === undefined) return undefined;
    return { matrixUserId: await this.deps.host().matrixUserFor(id), displayName: name };
  }

  private async nameOf(guildId: string, userId: string): Promise<string | undefined> {
    const member = this.deps.client.guilds.cache.get(guildId)?.members.cache.get(userId);
    if (member) return shownName({ username: member.user.username, global_name: member.user.globalName }, { nick: member.nickname });
    const cached = this.deps.client.users.cache.get(userId);
    if (cached) return shownName({ username: cached.username, global_name: cached.globalName });
    try {
      return shownName((await this.deps.client.rest.get(Routes.user(userId))) as APIUser);
    } catch {
      // An account Discord no longer knows shows as @unknown-user, as in Discord's own client.
      return undefined;
    }
  }

  private async channel(id: string): Promise<DiscordChannelRef | undefined> {
    const channel = this.deps.client.channels.cache.get(id);
    if (!channel || !("guildId" in channel) || !("name" in channel) || typeof channel.name !== "string") return undefined;
    const chat = chatId(channel.guildId, channel.id);
    const bridged = await this.deps.host().roomForChat(chat);
    if (bridged) return { name: channel.name, roomIdOrAlias: bridged };
    // An allowed channel not bridged yet links to its alias, which opens the portal on first join.
    if (BRIDGEABLE_TYPES.has(channel.type) && this.deps.isAllowedGuild(channel.guildId)) {
      return { name: channel.name, roomIdOrAlias: `#${this.deps.ids.aliasLocalpart(chat)}:${this.deps.serverName}` };
    }
    return { name: channel.name };
  }
}

function referringTexts(message: ReferringMessage): string[] {
  const fromEmbeds = (embeds: APIEmbed[] | undefined) =>
    (embeds ?? []).flatMap((embed) => [embed.description ?? "", ...(embed.fields ?? []).map((field) => field.value)]);
  return [
    message.content,
    ...fromEmbeds(message.embeds),
    ...(message.message_snapshots ?? []).flatMap((snapshot) => [snapshot.message.content, ...fromEmbeds(snapshot.message.embeds)]),
  ];
}

function idsIn(texts: string[], pattern: RegExp): string[] {
  return [...new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[1] as string)))];
}
