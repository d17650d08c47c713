/**
 * Matrix reactions and typing onto Discord. Discord lets an app react and type only as its
 * bot, so a Matrix reaction is the bot's reaction: the core adds it for the first Matrix
 * user to react and removes it when the last one takes theirs back. Typing shows as the
 * bot typing, which Discord ends by itself after about ten seconds.
 */
import { Routes, type Client } from "discord.js";
import type { OutgoingEmoji } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import { discordCall } from "./errors.js";
import { messageChannel, parseMessageRemoteId } from "./ids.js";
import type { RenderContexts } from "./render-context.js";
import { chatRef } from "./send.js";

export class DiscordReactions {
  constructor(
    private readonly client: Client,
    private readonly renders: RenderContexts,
  ) {}

  async add(chat: string, messageId: string, emoji: OutgoingEmoji): Promise<void> {
    const route = this.route(chat, messageId, emoji);
    await discordCall(() => this.client.rest.put(route));
  }

  async remove(chat: string, messageId: string, emoji: OutgoingEmoji): Promise<void> {
    const route = this.route(chat, messageId, emoji);
    await discordCall(() => this.client.rest.delete(route));
  }

  async typing(chat: string): Promise<void> {
    const ref = chatRef(chat);
    await discordCall(() => this.client.rest.post(Routes.channelTyping(ref.channelId)));
  }

  private route(chat: string, remoteId: string, emoji: OutgoingEmoji): `/${string}` {
    const ref = chatRef(chat);
    const message = parseMessageRemoteId(remoteId);
    return Routes.channelMessageOwnReaction(messageChannel(ref, message), message.messageId, encodeURIComponent(this.identifier(ref.guildId, emoji)));
  }

  /** A Unicode emoji as it is; a custom one as `name:id` of the guild's emoji of that name. */
  private identifier(guildId: string, emoji: OutgoingEmoji): string {
    if (emoji.kind === "unicode") return emoji.value;
    const found = this.renders.guildEmoji(guildId, emoji.name);
    if (!found) throw new PermanentError(`the Discord server has no :${emoji.name}: emoji`);
    return `${found.name}:${found.id}`;
  }
}
