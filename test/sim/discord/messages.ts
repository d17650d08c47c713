import {
  ChannelType,
  GatewayDispatchEvents as E,
  MessageFlags,
  MessageType,
  PermissionFlagsBits as P,
  type APIEmbed,
  type APIStickerItem,
} from "discord.js";
import { attachEmbeds, storeUploads, type Upload } from "./attachments.js";
import type { Cdn } from "./cdn.js";
import { errors, invalidField } from "./errors.js";
import type { Dispatcher } from "./gateway.js";
import {
  CLIENT_DEFAULT_MENTIONS,
  resolveMentions,
  validateAllowedMentions,
  WEBHOOK_DEFAULT_MENTIONS,
  type AllowedMentions,
} from "./mentions.js";
import type { MessagePayloads } from "./message-payloads.js";
import type { Author, ChannelRecord, MessageRecord } from "./model.js";
import { hasPermission } from "./permissions.js";
import type { Payloads } from "./payloads.js";
import { snowflakeTimestamp } from "./snowflake.js";
import type { SimState } from "./state.js";

export interface MessageDraft {
  content?: string;
  embeds?: APIEmbed[];
  uploads?: Upload[];
  /** Absent means the platform default for the author: everything for people and bots, users only for webhooks. */
  allowedMentions?: AllowedMentions;
  reply?: { messageId: string; failIfNotExists?: boolean };
  nonce?: string | number;
  enforceNonce?: boolean;
  stickerItems?: APIStickerItem[];
  tts?: boolean;
  flags?: number;
}

export interface MessageEdit {
  content?: string;
  embeds?: APIEmbed[];
  /** Ids of the existing attachments to keep; absent keeps them all. */
  keepAttachmentIds?: string[];
  uploads?: Upload[];
  allowedMentions?: AllowedMentions;
}

export interface MessageServiceOptions {
  botId: string;
  uploadLimitBytes: number;
  /**
   * MESSAGE_UPDATE with only id, channel_id, guild_id and what the edit changed: Discord's docs
   * long said an update "may contain only a subset of the full message object payload".
   */
  subsetUpdates?: boolean;
}

const TEXT_CHANNEL_TYPES = new Set([
  ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildVoice,
  ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread,
]);
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsVoiceMessage;
/** "Checked for uniqueness in the past few minutes": the simulator remembers nonces for five. */
const NONCE_MEMORY_MS = 5 * 60_000;
const BULK_DELETE_MAX_AGE_MS = 14 * 24 * 60 * 60_000;

/** The fields an edit touched, with those Discord always sends. */
function subsetUpdate(whole: Record<string, unknown>, edit: MessageEdit): Record<string, unknown> {
  const changed = [
    ...(edit.content !== undefined ? ["content", "mentions", "mention_roles", "mention_everyone"] : []),
    ...(edit.embeds !== undefined || edit.uploads || edit.keepAttachmentIds ? ["embeds", "attachments"] : []),
  ];
  return Object.fromEntries(["id", "channel_id", "guild_id", "edited_timestamp", ...changed].filter((key) => key in whole).map((key) => [key, whole[key]]));
}

function authorKey(author: Author): string {
  return author.kind === "user" ? author.userId : author.webhookId;
}

/** Creating, editing and deleting messages, with the validation and gateway events Discord applies to each. */
export class MessageService {
  private readonly nonces = new Map<string, { messageId: string; at: number }>();

  constructor(
    private readonly state: SimState,
    private readonly cdn: Cdn,
    private readonly payloads: Payloads,
    private readonly render: MessagePayloads,
    private readonly gateway: Dispatcher,
    private readonly options: MessageServiceOptions,
  ) {}

  /** `created` is false when an enforced nonce matched a recent message, which is returned instead. */
  create(channelId: string, author: Author, draft: MessageDraft, presetId?: string): { message: MessageRecord; created: boolean } {
    const channel = this.state.channel(channelId);
    if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw errors.nonTextChannel();
    this.validateDraft(draft);
    const nonceKey = draft.nonce === undefined ? undefined : `${authorKey(author)}:${draft.nonce}`;
    if (nonceKey && draft.enforceNonce) {
      const seen = this.nonces.get(nonceKey);
      const original = seen && this.state.now() - seen.at < NONCE_MEMORY_MS ? this.state.findMessage(seen.messageId) : undefined;
      if (original) return { message: original, created: false };
    }
    this.reopenThread(channel);

    const replied = draft.reply ? this.state.findMessage(draft.reply.messageId) : undefined;
    if (draft.reply && replied?.channelId !== channelId && draft.reply.failIfNotExists !== false) {
      throw invalidField("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
    }
    const reply = replied?.channelId === channelId ? replied : undefined;
    const stored = storeUploads(this.state, this.cdn, channelId, draft.uploads ?? [], this.options.uploadLimitBytes);
    const { embeds, attachments } = attachEmbeds(draft.embeds ?? [], stored, (a) => this.render.attachment(a));
    const content = draft.content ?? "";
    const allowed = draft.allowedMentions ?? (author.kind === "webhook" ? WEBHOOK_DEFAULT_MENTIONS : CLIENT_DEFAULT_MENTIONS);
    const mentions = resolveMentions(content, allowed, {
      state: this.state,
      guildId: channel.guildId,
      mayMentionEveryone: this.mayMentionEveryone(author, channel),
      ...(reply?.author.kind === "user" ? { repliedUserId: reply.author.userId } : {}),
    });

    const id = presetId ?? this.state.ids.next();
    const message: MessageRecord = {
      id,
      channelId,
      guildId: channel.guildId,
      author,
      type: reply ? MessageType.Reply : MessageType.Default,
      content,
      embeds,
      attachments,
      stickerItems: draft.stickerItems ?? [],
      mentionUserIds: mentions.userIds,
      mentionRoleIds: mentions.roleIds,
      mentionEveryone: mentions.everyone,
      editedAt: null,
      tts: draft.tts ?? false,
      flags: (draft.flags ?? 0) & SETTABLE_FLAGS,
      reactions: [],
      ...(reply ? { reference: { messageId: reply.id, channelId, guildId: channel.guildId } } : {}),
      ...(draft.nonce !== undefined ? { nonce: draft.nonce } : {}),
    };
    if (channel.thread) {
      const isStarter = id === channel.id;
      message.position = isStarter ? 0 : channel.thread.totalMessageSent;
      if (!isStarter) {
        channel.thread.totalMessageSent += 1;
        channel.thread.messageCount += 1;
      }
    }
    this.state.addMessage(message);
    if (nonceKey) this.nonces.set(nonceKey, { messageId: id, at: this.state.now() });
    this.gateway.dispatch(E.MessageCreate, this.render.gateway(message, true), { channelId });
    return { message, created: true };
  }

  edit(message: MessageRecord, edit: MessageEdit): MessageRecord {
    validateAllowedMentions(edit.allowedMentions);
    const uploads = edit.uploads ?? [];
    const kept = edit.keepAttachmentIds
      ? message.attachments.filter((attachment) => edit.keepAttachmentIds!.includes(attachment.id))
      : message.attachments;
    if (kept.length + uploads.length > 10) throw invalidField("attachments", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    if (edit.content !== undefined) this.validateContent(edit.content);
    const added = storeUploads(this.state, this.cdn, message.channelId, uploads, this.options.uploadLimitBytes);
    const resolved = attachEmbeds(edit.embeds ?? message.embeds, [...kept, ...added], (a) => this.render.attachment(a));
    const content = edit.content ?? message.content;
    if (!content.trim() && resolved.embeds.length === 0 && resolved.attachments.length === 0 && message.stickerItems.length === 0) {
      throw errors.emptyMessage();
    }
    if (edit.content !== undefined) {
      // Mentions are worked out afresh from the new content, with default allowances unless the edit says otherwise.
      const channel = this.state.channel(message.channelId);
      const repliedUserId = message.reference?.messageId ? this.repliedUser(message.reference.messageId) : undefined;
      const mentions = resolveMentions(content, edit.allowedMentions ?? CLIENT_DEFAULT_MENTIONS, {
        state: this.state,
        guildId: message.guildId,
        mayMentionEveryone: this.mayMentionEveryone(message.author, channel),
        ...(repliedUserId && message.mentionUserIds.includes(repliedUserId) ? { repliedUserId } : {}),
      });
      message.mentionUserIds = mentions.userIds;
      message.mentionRoleIds = mentions.roleIds;
      message.mentionEveryone = mentions.everyone;
    }
    message.content = content;
    message.embeds = resolved.embeds;
    message.attachments = resolved.attachments;
    message.editedAt = this.state.now();
    const whole = this.render.gateway(message, false);
    const update = this.options.subsetUpdates ? subsetUpdate(whole as unknown as Record<string, unknown>, edit) : whole;
    this.gateway.dispatch(E.MessageUpdate, update, { channelId: message.channelId });
    return message;
  }

  /**
   * Discord's own link previews: it adds embeds to a message some time after it was sent and
   * announces them with MESSAGE_UPDATE, the edit time untouched, since nobody edited anything.
   */
  unfurl(message: MessageRecord, embeds: APIEmbed[]): void {
    message.embeds = [...message.embeds, ...embeds.map((embed) => ({ ...structuredClone(embed), type: embed.type ?? ("link" as APIEmbed["type"]) }))];
    this.gateway.dispatch(E.MessageUpdate, this.render.gateway(message, false), { channelId: message.channelId });
  }

  delete(message: MessageRecord): void {
    this.state.removeMessage(message);
    const channel = this.state.channel(message.channelId);
    if (channel.thread && message.id !== channel.id) channel.thread.messageCount -= 1;
    this.gateway.dispatch(
      E.MessageDelete,
      { id: message.id, channel_id: message.channelId, guild_id: message.guildId },
      { channelId: message.channelId },
    );
  }

  /** Ids that do not exist still count towards the 2..100 limit and are skipped, as on Discord. */
  bulkDelete(channelId: string, ids: string[]): void {
    const channel = this.state.channel(channelId);
    if (ids.length < 2 || ids.length > 100) throw errors.bulkDeleteCount();
    if (new Set(ids).size !== ids.length) throw invalidField("messages", "BASE_TYPE_DUPLICATE", "Duplicate message ids.");
    if (ids.some((id) => this.state.now() - snowflakeTimestamp(id) > BULK_DELETE_MAX_AGE_MS)) throw errors.bulkDeleteTooOld();
    const found = ids.map((id) => this.state.findMessage(id)).filter((m): m is MessageRecord => m?.channelId === channelId);
    for (const message of found) this.state.removeMessage(message);
    this.gateway.dispatch(
      E.MessageDeleteBulk,
      { ids: found.map((message) => message.id), channel_id: channelId, guild_id: channel.guildId },
      { channelId },
    );
  }

  /** Messages Discord itself writes (THREAD_CREATED and the like): no validation, no mentions. */
  system(channelId: string, userId: string, type: MessageType, content: string, referencedChannelId: string): MessageRecord {
    const channel = this.state.channel(channelId);
    const message: MessageRecord = {
      id: this.state.ids.next(),
      channelId,
      guildId: channel.guildId,
      author: { kind: "user", userId },
      type,
      content,
      embeds: [],
      attachments: [],
      stickerItems: [],
      mentionUserIds: [],
      mentionRoleIds: [],
      mentionEveryone: false,
      reference: { channelId: referencedChannelId, guildId: channel.guildId },
      editedAt: null,
      tts: false,
      flags: 0,
      reactions: [],
    };
    this.state.addMessage(message);
    this.gateway.dispatch(E.MessageCreate, this.render.gateway(message, false), { channelId });
    return message;
  }

  typing(channelId: string, userId: string): void {
    const channel = this.state.channel(channelId);
    const member = this.state.member(channel.guildId, userId);
    this.gateway.dispatch(
      E.TypingStart,
      {
        channel_id: channelId,
        guild_id: channel.guildId,
        user_id: userId,
        timestamp: Math.floor(this.state.now() / 1000),
        member: this.payloads.member(member),
      },
      { channelId },
    );
  }

  /** Throws what Discord would answer to an invalid draft (too long, empty, conflicting allowed_mentions). */
  validateDraft(draft: MessageDraft): void {
    validateAllowedMentions(draft.allowedMentions);
    this.validateContent(draft.content ?? "");
    if ((draft.embeds?.length ?? 0) > 10) throw invalidField("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    if ((draft.uploads?.length ?? 0) > 10) throw invalidField("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    if (typeof draft.nonce === "string" && draft.nonce.length > 25) {
      throw invalidField("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    const empty = !draft.content?.trim() && !draft.embeds?.length && !draft.uploads?.length && !draft.stickerItems?.length;
    if (empty) throw errors.emptyMessage();
  }

  private validateContent(content: string): void {
    if (content.length > 2000) throw invalidField("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
  }

  private mayMentionEveryone(author: Author, channel: ChannelRecord): boolean {
    return author.kind === "webhook" || hasPermission(this.state, channel, author.userId, P.MentionEveryone);
  }

  private repliedUser(messageId: string): string | undefined {
    const replied = this.state.findMessage(messageId);
    return replied?.author.kind === "user" ? replied.author.userId : undefined;
  }

  /** Posting in an archived (but not locked) thread brings it back, as Discord does. */
  private reopenThread(channel: ChannelRecord): void {
    if (!channel.thread?.archived) return;
    if (channel.thread.locked) throw errors.archivedThread();
    channel.thread.archived = false;
    channel.thread.archiveTimestamp = this.state.now();
    this.gateway.dispatch(E.ThreadUpdate, this.payloads.channel(channel), { channelId: channel.id });
  }
}
