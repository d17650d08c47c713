/**
 * What a Discord channel is called and where it belongs, for its Matrix room, and whether it
 * may be bridged at all: only text and announcement channels of allowed guilds that the bot
 * can see. A refusal is a PermanentError whose message says why, for the person who asked.
 */
import { ChannelType, Routes, type APIChannel, type APIGuild, type Client } from "discord.js";
import type { ChatInfo } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { DiscordConfig } from "./config.js";
import { discordCall } from "./errors.js";
import { parseChatId } from "./ids.js";

const BRIDGEABLE_TYPES = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

export class DiscordChats {
  constructor(
    private readonly client: Client,
    private readonly config: Pick<DiscordConfig, "allowedGuilds" | "spaces" | "cdnUrl">,
  ) {}

  isAllowedGuild(guildId: string): boolean {
    return this.config.allowedGuilds.length === 0 || this.config.allowedGuilds.includes(guildId);
  }

  async getChat(chat: string): Promise<ChatInfo> {
    const ref = parseChatId(chat);
    if (!ref) throw new PermanentError(`${chat} does not name a Discord channel`);
    if (!this.isAllowedGuild(ref.guildId)) throw new PermanentError("this Discord server is not one the bridge may bridge");
    const channel = (await discordCall(() => this.client.rest.get(Routes.channel(ref.channelId)))) as APIChannel;
    if (!("guild_id" in channel) || channel.guild_id !== ref.guildId) throw new PermanentError("that channel is not in that Discord server");
    if (!BRIDGEABLE_TYPES.has(channel.type)) throw new PermanentError("only text and announcement channels can be bridged");
    const guild = (await discordCall(() => this.client.rest.get(Routes.guild(ref.guildId)))) as APIGuild;
    const icon = guild.icon ? `${this.config.cdnUrl}/icons/${guild.id}/${guild.icon}.png` : undefined;
    const topic = "topic" in channel && channel.topic ? channel.topic : undefined;
    return {
      name: channel.name ?? ref.channelId,
      ...(topic ? { topic } : {}),
      ...(icon ? { avatarUrl: icon } : {}),
      ...(this.config.spaces ? { group: { id: guild.id, name: guild.name, ...(icon ? { avatarUrl: icon } : {}) } } : {}),
    };
  }
}
