/**
 * Slack `message` events (and messages read back from history) as RemoteEvents, one
 * subtype at a time: posts, edits, deletes, joins and leaves, and channel changes that
 * Slack announces as messages. Parley's own doings are recognised by id and dropped.
 */
import type { ConnectorHost } from "../../core/connector.js";
import type { RemoteEvent } from "../../core/events.js";
import { isEmptyDocument } from "../../core/format/document.js";
import type { SlackContexts } from "./contexts.js";
import type { SlackDirectory } from "./directory.js";
import type { BridgedEdits } from "./bridged-edits.js";
import type { InboundCursors } from "./cursors.js";
import type { EchoFilter } from "./echoes.js";
import { compareTs, toChatId, tsToMillis } from "./ids.js";
import { isUserEdit, slackMessageContent, snippetFiles } from "./inbound.js";
import { RecentMap } from "./recent.js";
import type { Sender, Senders } from "./senders.js";
import type { SlackMessage } from "./slack-types.js";

const REMEMBERED_EDITS = 5000;

export interface MessageEventDeps {
  teamId: string;
  host: Pick<ConnectorHost, "emit" | "log">;
  directory: SlackDirectory;
  echoes: EchoFilter;
  senders: Senders;
  contexts: SlackContexts;
  cursors: InboundCursors;
  /** The newest edit bridged per message, durably: what catching up compares history with. */
  edits: BridgedEdits;
  /** A snippet's text, or undefined when it cannot be had (it is then bridged as a file). */
  fetchSnippet(url: string): Promise<string | undefined>;
  /**
   * What to add to the URL of a file in this chat so fetchMedia picks a token that can read
   * it (a person's private chat is not readable with the bot token).
   */
  fileUrlSuffix(chat: string): string;
}

export class MessageEvents {
  /** The newest edit bridged per message, so a redelivered older edit does not undo a newer one. */
  private readonly lastEdits = new RecentMap<string, string>(REMEMBERED_EDITS);

  constructor(private readonly deps: MessageEventDeps) {}

  async handle(channelId: string, message: SlackMessage): Promise<void> {
    const chat = toChatId(this.deps.teamId, channelId);
    switch (message.subtype) {
      case undefined:
      case "bot_message":
      case "me_message":
      case "thread_broadcast":
      case "file_share":
        return this.posted(chat, channelId, message);
      case "message_changed":
        return this.changed(chat, channelId, message);
      case "message_deleted":
        return this.deleted(chat, channelId, message);
      case "channel_join":
      case "group_join":
      case "channel_leave":
      case "group_leave":
        return this.membership(chat, message);
      case "channel_name":
      case "group_name":
        return this.emit({ type: "chat_update", chat, name: message.name });
      case "channel_topic":
      case "group_topic":
      case "channel_purpose":
      case "group_purpose":
        return this.topicChanged(chat, channelId);
      default:
        // Pins, huddles, bookmarks, archive notices (handled as their own events) and the like.
        this.deps.host.log.debug("Ignoring a Slack message subtype", { subtype: message.subtype });
    }
  }

  private async posted(chat: string, channelId: string, message: SlackMessage): Promise<void> {
    if (message.hidden) return;
    // What Parley is posting as this person right now is known by timestamp only once posted.
    if (message.user) await this.deps.echoes.postsSettled(channelId, message.user);
    if (this.deps.echoes.isOwnPost(channelId, message)) return;
    const sender = await this.deps.senders.ofMessage(message);
    if (!sender) return;
    const content = await this.content(chat, message, sender);
    if (isEmptyDocument(content.text) && content.media.length === 0) return;
    const inThread = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    await this.emit({
      type: "message",
      chat,
      id: message.ts,
      sender: sender.remote,
      content,
      ...(inThread ? { threadRoot: message.thread_ts } : {}),
      ...(message.subtype === "thread_broadcast" ? { alsoInChannel: true } : {}),
      timestamp: tsToMillis(message.ts),
    });
    await this.deps.cursors.advance(chat, message.ts);
    // Bridged as edited (caught up after the edit): that edit is not news later.
    if (message.edited) await this.deps.edits.record(chat, message.ts, message.edited.ts);
  }

  private async changed(chat: string, channelId: string, event: SlackMessage): Promise<void> {
    const message = event.message;
    if (!message) return;
    // A deleted thread root with replies stays as a tombstone: on Matrix, the root goes.
    if (message.subtype === "tombstone") {
      if (this.deps.echoes.isOwnDeletion(channelId, message.ts)) return;
      await this.emit({ type: "delete", chat, ids: [message.ts] });
      await this.deps.edits.forget(chat, message.ts);
      return;
    }
    if (this.deps.echoes.isOwnMessage(channelId, message) || this.deps.echoes.isOwnUser(message.edited?.user)) return;
    if (this.deps.echoes.isOwnEdit(channelId, message)) return;
    if (!isUserEdit(message, event.previous_message) || !message.edited) return;
    const key = `${channelId}/${message.ts}`;
    const newest = this.lastEdits.get(key);
    if (newest !== undefined && compareTs(message.edited.ts, newest) <= 0) return;
    if (newest === undefined && !(await this.deps.edits.isNewer(chat, message.ts, message.edited.ts))) return;
    this.lastEdits.set(key, message.edited.ts);
    const sender = await this.deps.senders.ofMessage(message);
    if (!sender) return;
    const content = await this.content(chat, message, sender);
    await this.emit({ type: "edit", chat, id: message.ts, sender: sender.remote, content: { ...content, media: [] }, timestamp: tsToMillis(message.edited.ts) });
    await this.deps.edits.record(chat, message.ts, message.edited.ts);
  }

  private async deleted(chat: string, channelId: string, event: SlackMessage): Promise<void> {
    const ts = event.deleted_ts ?? event.previous_message?.ts;
    if (!ts || this.deps.echoes.isOwnDeletion(channelId, ts)) return;
    await this.emit({ type: "delete", chat, ids: [ts] });
    await this.deps.edits.forget(chat, ts);
  }

  private async membership(chat: string, message: SlackMessage): Promise<void> {
    if (!message.user || this.deps.echoes.isOwnUser(message.user)) return;
    const joined = message.subtype === "channel_join" || message.subtype === "group_join";
    const { remote } = await this.deps.senders.user(message.user);
    await this.emit({ type: "member", chat, user: remote, membership: joined ? "join" : "leave" });
  }

  /** Slack shows the purpose where a channel has no topic; Matrix gets the same. */
  private async topicChanged(chat: string, channelId: string): Promise<void> {
    this.deps.directory.forgetChannel(channelId);
    const channel = await this.deps.directory.channel(channelId);
    await this.emit({ type: "chat_update", chat, topic: channel.topic?.value || channel.purpose?.value || "" });
  }

  private async content(chat: string, shared: SlackMessage, sender: Sender) {
    const message = await this.withFileDetails(shared);
    const suffix = message.files?.length ? this.deps.fileUrlSuffix(chat) : "";
    const snippets = new Map<string, string>();
    for (const file of snippetFiles(message)) {
      const url = file.url_private_download ?? file.url_private;
      const text = url ? await this.deps.fetchSnippet(`${url}${suffix}`) : undefined;
      if (text !== undefined) snippets.set(file.id, text);
    }
    const ctx = await this.deps.contexts.parseContext(message, sender.slack);
    const content = slackMessageContent(message, ctx, snippets);
    return suffix ? { ...content, media: content.media.map((media) => ({ ...media, url: `${media.url}${suffix}` })) } : content;
  }

  /** Files shared from another organisation come as an id and `check_file_info`; files.info says the rest. */
  private async withFileDetails(message: SlackMessage): Promise<SlackMessage> {
    if (!message.files?.some((file) => file.file_access === "check_file_info")) return message;
    const files = await Promise.all(message.files.map(async (file) =>
      file.file_access === "check_file_info" ? ((await this.deps.directory.fileIfReadable(file.id)) ?? file) : file));
    return { ...message, files };
  }

  private emit(event: RemoteEvent): Promise<void> {
    return this.deps.host.emit(event);
  }
}
