/**
 * Fills the lookup context the Discord markdown renderer needs for one Matrix message:
 * which Discord account each mentioned Matrix user stands for, which channel each
 * mentioned room is bridged to, and the guild's custom emoji by name.
 */
import type { Client } from "discord.js";
import type { ConnectorHost } from "../../core/connector.js";
import type { Document } from "../../core/format/ast.js";
import { documentInlines } from "../../core/format/document.js";
import { discordRenderContext, type DiscordGuildEmoji, type DiscordRenderContext } from "./convert/context.js";
import { isDiscordAccount, parseChatId } from "./ids.js";

export class RenderContexts {
  constructor(
    private readonly client: Client,
    private readonly host: () => ConnectorHost,
  ) {}

  async forDocument(guildId: string, doc: Document, mayPingEveryone: boolean): Promise<DiscordRenderContext> {
    const users: Record<string, string> = {};
    const rooms: Record<string, string> = {};
    const emoji: Record<string, DiscordGuildEmoji> = {};
    for (const inline of documentInlines(doc)) {
      if (inline.type === "user_mention" && !(inline.userId in users)) {
        // Only a real account can be mentioned; a ghost of a webhook persona shows by name.
        const remote = await this.host().remoteUserFor(inline.userId);
        if (remote && isDiscordAccount(remote)) users[inline.userId] = remote;
      } else if (inline.type === "room_mention" && !(inline.roomIdOrAlias in rooms)) {
        const chat = await this.host().chatForRoom(inline.roomIdOrAlias);
        const channel = chat ? parseChatId(chat)?.channelId : undefined;
        if (channel) rooms[inline.roomIdOrAlias] = channel;
      } else if (inline.type === "emoji") {
        const found = this.guildEmoji(guildId, inline.name);
        if (found) emoji[inline.name] = found;
      }
    }
    return discordRenderContext({ users, rooms, emoji, mayPingEveryone });
  }

  guildEmoji(guildId: string, name: string): (DiscordGuildEmoji & { name: string }) | undefined {
    const found = this.client.guilds.cache.get(guildId)?.emojis.cache.find((candidate) => candidate.name === name);
    return found ? { id: found.id, name, animated: found.animated ?? false } : undefined;
  }
}
