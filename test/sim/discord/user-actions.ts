import { ChannelType, MessageFlags, StickerFormatType, type APIEmbed } from "discord.js";
import type { Cdn } from "./cdn.js";
import { isUnicodeEmoji, parseReactionEmoji, type ReactionEmoji } from "./emoji.js";
import { solidColorPng } from "./image.js";
import { CLIENT_DEFAULT_MENTIONS } from "./mentions.js";
import type { MessageDraft, MessageService } from "./messages.js";
import type { ChannelRecord, MessageRecord } from "./model.js";
import type { ReactionService } from "./reactions.js";
import type { SimState } from "./state.js";
import type { ThreadService, ThreadType } from "./threads.js";

export interface UserAttachment {
  filename: string;
  bytes: Buffer;
  contentType?: string;
  /** The client marks spoilers by prefixing the file name with SPOILER_. */
  spoiler?: boolean;
  description?: string;
}

export interface UserSticker {
  name: string;
  formatType?: StickerFormatType;
  bytes?: Buffer;
}

/** What a person types in the Discord client. */
export interface UserMessage {
  content?: string;
  attachments?: UserAttachment[];
  /** A reply pings the replied-to author unless `mention` is false (the client's @ON/@OFF toggle). */
  replyTo?: string | { messageId: string; mention?: boolean };
  stickers?: UserSticker[];
  embeds?: APIEmbed[];
  /** Sent with `@silent`: Discord sets SUPPRESS_NOTIFICATIONS and nobody is notified. */
  silent?: boolean;
}

/** A Unicode emoji, `name:id`, or a custom emoji by id (one from a server the simulator does not know needs name). */
export type EmojiInput = string | { id: string; name?: string; animated?: boolean };

export interface NewThread {
  name: string;
  ownerId: string;
  /** Start the thread from this message (it takes the message's id). */
  fromMessageId?: string;
  /** For standalone threads; people get public ones unless they choose otherwise. */
  type?: ThreadType;
  /** Required in forum channels: the post itself. */
  firstMessage?: UserMessage;
}

/** Simulated people using the Discord client: turns their actions into the same service calls REST uses. */
export class UserActions {
  constructor(
    private readonly state: SimState,
    private readonly cdn: Cdn,
    private readonly messages: MessageService,
    private readonly reactions: ReactionService,
    private readonly threads: ThreadService,
  ) {}

  sendMessage(channelId: string, userId: string, message: UserMessage): MessageRecord {
    this.requireMember(this.state.channel(channelId), userId);
    return this.messages.create(channelId, { kind: "user", userId }, this.draft(message)).message;
  }

  editMessage(messageId: string, changes: { content?: string; embeds?: APIEmbed[] }): MessageRecord {
    return this.messages.edit(this.message(messageId), changes);
  }

  deleteMessage(messageId: string): void {
    this.messages.delete(this.message(messageId));
  }

  react(messageId: string, userId: string, emoji: EmojiInput): void {
    const message = this.message(messageId);
    this.requireMember(this.state.channel(message.channelId), userId);
    this.reactions.add(message, userId, this.emoji(emoji));
  }

  unreact(messageId: string, userId: string, emoji: EmojiInput): void {
    this.reactions.remove(this.message(messageId), userId, this.emoji(emoji));
  }

  /** Every reaction on the message, or every one with `emoji`, removed as a moderator does from the client. */
  clearReactions(messageId: string, emoji?: EmojiInput): void {
    const message = this.message(messageId);
    if (emoji === undefined) this.reactions.removeAll(message);
    else this.reactions.removeEmoji(message, this.emoji(emoji));
  }

  createThread(parentId: string, options: NewThread): ChannelRecord {
    const parent = this.state.channel(parentId);
    this.requireMember(parent, options.ownerId);
    if (parent.type === ChannelType.GuildForum || parent.type === ChannelType.GuildMedia) {
      if (!options.firstMessage) throw new Error("A forum post needs its first message (firstMessage)");
      const author = { kind: "user" as const, userId: options.ownerId };
      return this.threads.forumPost(parentId, author, { name: options.name }, this.draft(options.firstMessage)).thread;
    }
    if (options.fromMessageId) {
      return this.threads.fromMessage(this.state.message(parentId, options.fromMessageId), options.ownerId, options);
    }
    return this.threads.standalone(parentId, options.ownerId, { name: options.name, type: options.type ?? ChannelType.PublicThread });
  }

  private draft(message: UserMessage): MessageDraft {
    const reply = typeof message.replyTo === "string" ? { messageId: message.replyTo } : message.replyTo;
    return {
      ...(message.content !== undefined ? { content: message.content } : {}),
      ...(message.embeds ? { embeds: message.embeds } : {}),
      uploads: (message.attachments ?? []).map((attachment) => ({
        ...attachment,
        filename: attachment.spoiler && !attachment.filename.startsWith("SPOILER_") ? `SPOILER_${attachment.filename}` : attachment.filename,
      })),
      ...(message.stickers ? { stickerItems: message.stickers.map((sticker) => this.sticker(sticker)) } : {}),
      ...(reply ? { reply: { messageId: reply.messageId } } : {}),
      ...(message.silent ? { flags: MessageFlags.SuppressNotifications } : {}),
      allowedMentions: { ...CLIENT_DEFAULT_MENTIONS, replied_user: reply?.mention ?? true },
    };
  }

  private sticker(sticker: UserSticker) {
    const id = this.state.ids.next();
    this.cdn.put(`stickers/${id}`, sticker.bytes ?? solidColorPng(160, 160, [114, 137, 218]));
    return { id, name: sticker.name, format_type: sticker.formatType ?? StickerFormatType.PNG };
  }

  private emoji(input: EmojiInput): ReactionEmoji {
    if (typeof input === "string") {
      return isUnicodeEmoji(input) ? { id: null, name: input } : parseReactionEmoji(this.state, input);
    }
    const known = this.state.emojis.get(input.id);
    if (known) return { id: known.id, name: known.name, animated: known.animated };
    // People with Nitro react with emojis from servers the bot is not in.
    if (!input.name) throw new Error(`Unknown custom emoji ${input.id}: give its name to use it as an external emoji`);
    return { id: input.id, name: input.name, animated: input.animated ?? false };
  }

  private message(messageId: string): MessageRecord {
    const message = this.state.findMessage(messageId);
    if (!message) throw new Error(`No message ${messageId} in the simulator`);
    return message;
  }

  private requireMember(channel: ChannelRecord, userId: string): void {
    if (!this.state.findMember(channel.guildId, userId)) {
      throw new Error(`User ${userId} is not a member of guild ${channel.guildId}; call addMember first`);
    }
  }
}
