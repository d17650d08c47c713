/**
 * Actions on Slack for Matrix events: posting under the sender's name and avatar,
 * editing, deleting, reacting and uploading files, paced per channel and with every
 * Slack failure translated for the core's retries and the sender's notice.
 */
import type { webApi } from "@slack/bolt";
import type { OutgoingEmoji, OutgoingMessage, SentMessage } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { SlackContexts } from "./contexts.js";
import type { EchoFilter } from "./echoes.js";
import { slackCall, slackErrorCode, toConnectorError } from "./errors.js";
import {
  type SlackPostBody,
  alreadyPosted,
  oversizeFileText,
  parleyMetadata,
  postBody,
  reactionName,
  senderIdentity,
  threadPlacement,
  uploadComment,
} from "./outgoing.js";
import type { ChannelPacer } from "./pacer.js";
import type { SlackMessage } from "./slack-types.js";

/** How far back to look for a post made before a restart. */
const RESUME_LOOKBACK = 50;
/** files.info lists a file's shares once Slack has processed the upload: ask a few times. */
const SHARE_LOOKUPS = 10;
const SHARE_LOOKUP_PAUSE_MS = 300;

export interface SlackSenderDeps {
  client: webApi.WebClient;
  contexts: SlackContexts;
  echoes: EchoFilter;
  pacer: ChannelPacer;
  uploadLimitBytes: number;
}

export class SlackSender {
  constructor(private readonly deps: SlackSenderDeps) {}

  async send(channel: string, message: OutgoingMessage): Promise<SentMessage> {
    if (message.resumed) {
      const posted = await this.findPosted(channel, message);
      if (posted) return { ids: [posted] };
    }
    const ctx = await this.deps.contexts.renderContext(message.text, message.mayPingRoom);
    const body = postBody(message.text, message.style, ctx);
    const media = message.media;
    if (media && media.size <= this.deps.uploadLimitBytes) return this.upload(channel, message, body.text);
    const text = media ? oversizeFileText(media, body.text) : body.text;
    return { ids: [await this.post(channel, message, { text, blocks: media ? undefined : body.blocks })] };
  }

  async edit(channel: string, ids: string[], message: OutgoingMessage): Promise<SentMessage> {
    const [ts] = ids;
    if (!ts) return { ids };
    const ctx = await this.deps.contexts.renderContext(message.text, message.mayPingRoom);
    const body = postBody(message.text, message.style, ctx);
    // A file's text is the comment it was uploaded with, which names the sender.
    const text = message.media ? uploadComment(message.sender, body.text) : body.text;
    this.deps.echoes.rememberPosted(channel, ts);
    await slackCall("editing a message", () =>
      this.deps.client.chat.update({ channel, ts, text, ...(body.blocks && !message.media ? { blocks: body.blocks } : {}) }));
    return { ids };
  }

  async delete(channel: string, ids: string[]): Promise<void> {
    for (const ts of ids) {
      this.deps.echoes.rememberDeleted(channel, ts);
      try {
        await this.deps.client.chat.delete({ channel, ts });
      } catch (error) {
        // Already gone on Slack: what the redaction asked for.
        if (slackErrorCode(error) !== "message_not_found") throw toConnectorError(error, "deleting a message");
      }
    }
  }

  async react(channel: string, ts: string, emoji: OutgoingEmoji, add: boolean): Promise<void> {
    const name = reactionName(emoji);
    if (!name) throw new PermanentError(`Slack has no emoji for ${emoji.kind === "unicode" ? emoji.value : emoji.name}`);
    try {
      if (add) await this.deps.client.reactions.add({ channel, timestamp: ts, name });
      else await this.deps.client.reactions.remove({ channel, timestamp: ts, name });
    } catch (error) {
      // The bot's reaction is already in the state asked for.
      const code = slackErrorCode(error);
      if (code === "already_reacted" || code === "no_reaction") return;
      throw toConnectorError(error, add ? "adding a reaction" : "removing a reaction");
    }
  }

  private async post(channel: string, message: OutgoingMessage, body: SlackPostBody): Promise<string> {
    await this.deps.pacer.take(channel);
    const common = { channel, ...senderIdentity(message.sender), ...threadPlacement(message), metadata: parleyMetadata(message.idempotencyKey) };
    const result = await slackCall("posting a message", () =>
      this.deps.client.chat.postMessage(body.blocks ? { ...common, text: body.text, blocks: body.blocks } : { ...common, text: body.text }));
    const ts = result.ts as string;
    this.deps.echoes.rememberPosted(channel, ts);
    return ts;
  }

  /** files.uploadV2 (upload URL, bytes, complete) into the message's thread; the bot posts it, the comment names the sender. */
  private async upload(channel: string, message: OutgoingMessage, caption: string): Promise<SentMessage> {
    const media = message.media!;
    const bytes = await media.load();
    if (bytes.length > this.deps.uploadLimitBytes) {
      return { ids: [await this.post(channel, message, { text: oversizeFileText({ ...media, size: bytes.length }, caption) })] };
    }
    await this.deps.pacer.take(channel);
    const { thread_ts } = threadPlacement(message);
    const file = { file: bytes, filename: media.filename, title: media.filename, initial_comment: uploadComment(message.sender, caption) };
    const result = await slackCall("uploading a file", () =>
      this.deps.client.filesUploadV2(thread_ts ? { ...file, channel_id: channel, thread_ts } : { ...file, channel_id: channel }));
    const fileId = result.files[0]?.files?.[0]?.id;
    const ts = fileId ? await this.shareTs(channel, fileId) : undefined;
    if (!ts) return { ids: [] };
    this.deps.echoes.rememberPosted(channel, ts);
    return { ids: [ts] };
  }

  /** The ts of the message that shared an uploaded file, which the upload's answer does not say. */
  private async shareTs(channel: string, fileId: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < SHARE_LOOKUPS; attempt++) {
      const { file } = await slackCall("looking up an uploaded file", () => this.deps.client.files.info({ file: fileId }));
      const shares = file?.shares as { public?: Record<string, { ts?: string }[]>; private?: Record<string, { ts?: string }[]> } | undefined;
      const ts = (shares?.public?.[channel] ?? shares?.private?.[channel])?.[0]?.ts;
      if (ts) return ts;
      await new Promise((resolve) => setTimeout(resolve, SHARE_LOOKUP_PAUSE_MS));
    }
    return undefined;
  }

  /** After a restart: the message Parley may have posted for this event before it stopped. */
  private async findPosted(channel: string, message: OutgoingMessage): Promise<string | undefined> {
    const { thread_ts } = threadPlacement(message);
    const history = await slackCall("reading recent messages", () =>
      this.deps.client.conversations.history({ channel, limit: RESUME_LOOKBACK, include_all_metadata: true }));
    const found = alreadyPosted((history.messages ?? []) as SlackMessage[], message.idempotencyKey);
    if (found || !thread_ts) return found;
    const replies = await slackCall("reading a thread", () =>
      this.deps.client.conversations.replies({ channel, ts: thread_ts, limit: RESUME_LOOKBACK, include_all_metadata: true }));
    return alreadyPosted((replies.messages ?? []) as SlackMessage[], message.idempotencyKey);
  }
}
