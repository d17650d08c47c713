import { MessageReferenceType, MessageType, type APIAttachment, type APIMessage, type APIUser, type UserFlags } from "discord.js";
import type { Cdn } from "./cdn.js";
import type { AttachmentRecord, MessageRecord } from "./model.js";
import type { PartialMember, Payloads } from "./payloads.js";
import { discordTimestamp, snowflakeTimestamp } from "./snowflake.js";
import type { SimState } from "./state.js";

/** MESSAGE_CREATE / MESSAGE_UPDATE carry the guild id and the author's member on top of the REST message. */
export type GatewayMessage = APIMessage & {
  guild_id: string;
  member?: PartialMember;
  mentions: Array<APIUser & { member?: PartialMember }>;
};

/** A message as tests inspect it: the REST shape, with each attachment's bytes and a webhook's avatar source. */
export type InspectedMessage = Omit<APIMessage, "attachments"> & {
  attachments: Array<APIAttachment & { bytes: Buffer }>;
  /** The avatar_url a webhook execution asked for, if any. */
  webhookAvatarUrl?: string;
};

export class MessagePayloads {
  constructor(
    private readonly state: SimState,
    private readonly payloads: Payloads,
    private readonly cdn: Cdn,
    private readonly botId: string,
  ) {}

  /** The message object REST returns. */
  rest(message: MessageRecord, withReferenced = true): APIMessage {
    const author = message.author;
    const webhook = author.kind === "webhook" ? this.state.webhooks.get(author.webhookId) : undefined;
    const rendered: APIMessage = {
      id: message.id,
      type: message.type,
      content: message.content,
      channel_id: message.channelId,
      author: author.kind === "user" ? this.payloads.userById(author.userId) : this.webhookAuthor(message),
      attachments: message.attachments.map((attachment) => this.attachment(attachment)),
      embeds: structuredClone(message.embeds),
      mentions: message.mentionUserIds.map((id) => this.payloads.userById(id)),
      mention_roles: [...message.mentionRoleIds],
      pinned: false,
      mention_everyone: message.mentionEveryone,
      tts: message.tts,
      timestamp: discordTimestamp(snowflakeTimestamp(message.id)),
      edited_timestamp: message.editedAt === null ? null : discordTimestamp(message.editedAt),
      flags: message.flags,
      components: [],
    };
    if (author.kind === "webhook") rendered.webhook_id = author.webhookId;
    if (webhook?.applicationId) rendered.application_id = webhook.applicationId;
    if (message.stickerItems.length > 0) rendered.sticker_items = structuredClone(message.stickerItems);
    if (message.position !== undefined) rendered.position = message.position;
    if (message.reactions.length > 0) {
      rendered.reactions = message.reactions.map((reaction) => ({
        emoji: { ...reaction.emoji },
        count: reaction.userIds.length,
        count_details: { burst: 0, normal: reaction.userIds.length },
        me: reaction.userIds.includes(this.botId),
        me_burst: false,
        burst_colors: [],
      }));
    }
    if (message.reference) {
      rendered.message_reference = {
        type: MessageReferenceType.Default,
        channel_id: message.reference.channelId,
        guild_id: message.reference.guildId,
        ...(message.reference.messageId ? { message_id: message.reference.messageId } : {}),
      };
      if (message.type === MessageType.Reply && withReferenced) {
        // null tells clients the replied-to message has been deleted.
        const referenced = this.state.findMessage(message.reference.messageId ?? "");
        rendered.referenced_message = referenced ? this.rest(referenced, false) : null;
      }
    }
    const thread = message.startedThreadId ? this.state.channels.get(message.startedThreadId) : undefined;
    if (thread) rendered.thread = this.payloads.channel(thread);
    return rendered;
  }

  /** The answer to a create request, which (like MESSAGE_CREATE) echoes the nonce; later fetches do not. */
  created(message: MessageRecord): APIMessage {
    return { ...this.rest(message), ...(message.nonce !== undefined ? { nonce: message.nonce } : {}) };
  }

  gateway(message: MessageRecord, withNonce: boolean): GatewayMessage {
    const rest = withNonce ? this.created(message) : this.rest(message);
    const member = message.author.kind === "user" ? this.state.findMember(message.guildId, message.author.userId) : undefined;
    return {
      ...rest,
      guild_id: message.guildId,
      ...(member ? { member: this.payloads.partialMember(member) } : {}),
      mentions: rest.mentions.map((user) => {
        const mentioned = this.state.findMember(message.guildId, user.id);
        return mentioned ? { ...user, member: this.payloads.partialMember(mentioned) } : user;
      }),
    };
  }

  inspect(message: MessageRecord): InspectedMessage {
    const rest = this.rest(message);
    return {
      ...rest,
      attachments: rest.attachments.map((attachment, index) => ({
        ...attachment,
        bytes: this.cdn.get(message.attachments[index]!.blobKey)!.bytes,
      })),
      ...(message.author.kind === "webhook" && message.author.avatarUrl
        ? { webhookAvatarUrl: message.author.avatarUrl }
        : {}),
    };
  }

  attachment(attachment: AttachmentRecord): APIAttachment {
    return {
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      ...this.cdn.attachmentUrls(attachment.blobKey),
      ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
      ...(attachment.width !== undefined ? { width: attachment.width, height: attachment.height ?? null } : {}),
      ...(attachment.description ? { description: attachment.description } : {}),
      ...(attachment.flags ? { flags: attachment.flags } : {}),
    };
  }

  /** Webhook messages are authored by a pseudo-user carrying the webhook's id and the per-message name and avatar. */
  private webhookAuthor(message: MessageRecord): APIUser {
    if (message.author.kind !== "webhook") throw new Error("not a webhook message");
    return {
      id: message.author.webhookId,
      username: message.author.username,
      avatar: message.author.avatar,
      discriminator: "0000",
      global_name: null,
      bot: true,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
    };
  }
}
