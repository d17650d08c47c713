/**
 * Discord messages and their edits as remote events: who wrote it (a person, a bot or a
 * webhook persona), what it shows, where it sits (a chat, a thread of one) and what it
 * replies to. Parley's own messages, system messages and private threads stay behind.
 */
import { MessageType, type APIMessage, type GatewayMessageCreateDispatchData } from "discord.js";
import type { ConnectorHost } from "../../core/connector.js";
import type { RemoteContent, RemoteUser } from "../../core/events.js";
import { isEmptyDocument } from "../../core/format/document.js";
import type { EchoGuard } from "./echo.js";
import { chatId, messageRemoteId } from "./ids.js";
import { messageContent } from "./message-content.js";
import type { ParseContexts } from "./parse-context.js";
import { remoteUserFor, type MemberLook, type PeopleOptions } from "./people.js";
import type { ChannelPlace, Threads } from "./threads.js";

/** People's messages; joins, pins, boosts and thread notices are Discord's own and not bridged. */
const BRIDGED_TYPES = new Set([MessageType.Default, MessageType.Reply, MessageType.ChatInputCommand, MessageType.ContextMenuCommand]);

/** A message as the gateway sends it; catch-up gives REST messages, which lack the guild fields. */
export type GatewayMessage = APIMessage & Partial<Pick<GatewayMessageCreateDispatchData, "guild_id" | "member">>;

/** Commands people type in a Discord channel (`!discord unbridge`); true when one was handled. */
export type DiscordSideCommand = (chat: string, message: GatewayMessage) => Promise<boolean>;

export interface InboundMessageDeps {
  host: () => ConnectorHost;
  echo: EchoGuard;
  threads: Threads;
  contexts: ParseContexts;
  people: PeopleOptions;
  commands: DiscordSideCommand;
  /** Called with every person seen writing, so later profile changes of theirs are followed. */
  sawUser: (user: RemoteUser) => void;
  /** How a member looks in a guild as far as discord.js knows, for messages from history (which lack it). */
  cachedMember: (guildId: string, userId: string) => MemberLook | undefined;
  /** A message as REST has it now, for an update that carried only what changed. */
  fetchMessage: (channelId: string, messageId: string) => Promise<APIMessage>;
}

export class InboundMessages {
  constructor(private readonly deps: InboundMessageDeps) {}

  async created(message: GatewayMessage, guildId: string): Promise<void> {
    if (this.deps.echo.isOwnMessage(message) || !BRIDGED_TYPES.has(message.type)) return;
    const place = await this.bridgedPlace(message.channel_id);
    if (!place) return;
    const chat = chatId(guildId, place.parentId);
    if (await this.deps.commands(chat, message)) return;
    const { sender, content } = await this.read(message, guildId);
    if (isEmptyDocument(content.text) && content.media.length === 0) return;
    await this.deps.host().emit({
      type: "message",
      chat,
      id: messageRemoteId(message.id, place.threadId),
      sender,
      content,
      replyTo: replyTarget(message, place),
      replyMentionsAuthor: pingsRepliedAuthor(message),
      threadRoot: place.threadId,
      timestamp: Date.parse(message.timestamp),
    });
    // From history (catching up) a message can come already edited: that edit is bridged now.
    if (message.edited_timestamp) await this.bridgedEdit(messageRemoteId(message.id, place.threadId), message.edited_timestamp);
  }

  /**
   * Discord also sends MESSAGE_UPDATE when it adds link previews; only a changed edit time is
   * an edit. Live or found in history while catching up, an edit is bridged once: the edit
   * time of the last one bridged is kept, and one no newer is not bridged again.
   */
  async updated(update: GatewayMessage, guildId: string): Promise<void> {
    if (!update.edited_timestamp) return;
    const message = await this.whole(update);
    const editedAt = message.edited_timestamp;
    if (!editedAt || !message.author || this.deps.echo.isOwnMessage(message)) return;
    const place = await this.bridgedPlace(message.channel_id);
    if (!place) return;
    const id = messageRemoteId(message.id, place.threadId);
    const bridged = await this.deps.host().state.get(editedKey(id));
    if (bridged !== undefined && !(Date.parse(editedAt) > Date.parse(bridged))) return;
    const { sender, content } = await this.read(message, guildId);
    await this.deps.host().emit({
      type: "edit",
      chat: chatId(guildId, place.parentId),
      id,
      sender,
      content,
      timestamp: Date.parse(editedAt),
    });
    await this.bridgedEdit(id, editedAt);
  }

  /**
   * Discord has documented MESSAGE_UPDATE as possibly carrying only the fields that changed
   * (always id and channel_id); today it sends the whole message. Anything short of that is
   * read back over REST, keeping the guild fields only the gateway gives.
   */
  private async whole(update: GatewayMessage): Promise<GatewayMessage> {
    if (update.author && typeof update.content === "string" && Array.isArray(update.attachments) && Array.isArray(update.embeds)) return update;
    const fetched = await this.deps.fetchMessage(update.channel_id, update.id);
    return { ...fetched, guild_id: update.guild_id, member: update.member };
  }

  /** A deleted message has no more edits to compare with. */
  async forgetEdits(remoteIds: readonly string[]): Promise<void> {
    for (const id of remoteIds) await this.deps.host().state.delete(editedKey(id));
  }

  private bridgedEdit(remoteId: string, editedAt: string): Promise<void> {
    return this.deps.host().state.set(editedKey(remoteId), editedAt);
  }

  private async bridgedPlace(channelId: string): Promise<ChannelPlace | undefined> {
    const place = await this.deps.threads.locate(channelId);
    return place && !place.isPrivate ? place : undefined;
  }

  private async read(message: GatewayMessage, guildId: string): Promise<{ sender: RemoteUser; content: RemoteContent }> {
    const member = message.member ?? this.deps.cachedMember(guildId, message.author.id);
    const sender = remoteUserFor(this.deps.people, message.author, member, guildId, message.webhook_id);
    this.deps.sawUser(sender);
    const context = await this.deps.contexts.forMessage(guildId, message);
    return { sender, content: messageContent(message, context, this.deps.people.cdnUrl) };
  }
}

/** Connector state: Discord's edit time (ISO 8601) of the last edit of a message that was bridged. */
function editedKey(remoteId: string): string {
  return `edited:${remoteId}`;
}

/** The remote id of the message replied to, when it is in the same channel or thread. */
function replyTarget(message: GatewayMessage, place: ChannelPlace): string | undefined {
  const reference = message.message_reference;
  if (message.type !== MessageType.Reply || !reference?.message_id) return undefined;
  const sameChannel = (reference.channel_id ?? message.channel_id) === message.channel_id;
  return sameChannel ? messageRemoteId(reference.message_id, place.threadId) : undefined;
}

/**
 * Whether the reply notifies the replied-to author, which Discord says by listing them in
 * `mentions`. A webhook (a Matrix person's message) is never listed, as Discord cannot ping
 * it; the client pings by default, so such replies notify the Matrix person.
 */
function pingsRepliedAuthor(message: GatewayMessage): boolean {
  const replied = message.referenced_message;
  if (message.type !== MessageType.Reply || !replied) return false;
  return replied.webhook_id !== undefined || message.mentions.some((user) => user.id === replied.author.id);
}
