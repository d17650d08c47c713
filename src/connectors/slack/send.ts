/**
 * Actions on Slack for Matrix events: posting under the sender's name and avatar,
 * editing, deleting, reacting and uploading files, paced per channel and with every
 * Slack failure translated for the core's retries and the sender's notice. Each action is
 * done by an actor: Parley's bot, or a linked person's own account, whose posts need no
 * borrowed name or avatar and whose echoes are recognised by what Parley sent.
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

/** Who does it: the app's bot, or a linked person (`asPerson`, their Slack user id) with their token. */
export interface Actor {
  client: webApi.WebClient;
  asPerson?: string;
}

export interface SlackSenderDeps {
  contexts: SlackContexts;
  echoes: EchoFilter;
  pacer: ChannelPacer;
  uploadLimitBytes: number;
  /** The app's bot user, which uploads the files Parley's bot posts. */
  botUserId: string;
  /** Whether a message in a channel is already mapped to a Matrix event. */
  isBridged(channel: string, ts: string): Promise<boolean>;
}

export class SlackSender {
  constructor(private readonly deps: SlackSenderDeps) {}

  async send(channel: string, message: OutgoingMessage, actor: Actor): Promise<SentMessage> {
    const work = this.sendAs(channel, message, actor);
    return actor.asPerson ? this.deps.echoes.whilePostingAs(channel, actor.asPerson, work) : work;
  }

  private async sendAs(channel: string, message: OutgoingMessage, actor: Actor): Promise<SentMessage> {
    if (message.resumed) {
      const posted = await this.findPosted(channel, message, actor);
      if (posted) return { ids: [posted] };
    }
    const ctx = await this.deps.contexts.renderContext(message.text, message.mayPingRoom);
    const body = postBody(message.text, message.style, ctx);
    const media = message.media;
    if (media && media.size <= this.deps.uploadLimitBytes) return this.upload(channel, message, body.text, actor);
    const text = media ? oversizeFileText(media, body.text) : body.text;
    return { ids: [await this.post(channel, message, { text, blocks: media ? undefined : body.blocks }, actor)] };
  }

  async edit(channel: string, ids: string[], message: OutgoingMessage, actor: Actor): Promise<SentMessage> {
    const [ts] = ids;
    if (!ts) return { ids };
    const ctx = await this.deps.contexts.renderContext(message.text, message.mayPingRoom);
    const body = postBody(message.text, message.style, ctx);
    // A file's text is the comment it was uploaded with, which names the sender when the bot posted it.
    const text = message.media && !actor.asPerson ? uploadComment(message.sender, body.text) : body.text;
    if (actor.asPerson) this.deps.echoes.rememberEditAsPerson(channel, ts, text);
    else this.deps.echoes.rememberPosted(channel, ts);
    const { client } = actor;
    await slackCall("editing a message", () =>
      client.chat.update({ channel, ts, text, ...(body.blocks && !message.media ? { blocks: body.blocks } : {}) }));
    return { ids };
  }

  async delete(channel: string, ids: string[], actor: Actor): Promise<void> {
    const { client } = actor;
    for (const ts of ids) {
      this.deps.echoes.rememberDeleted(channel, ts);
      try {
        await client.chat.delete({ channel, ts });
      } catch (error) {
        // Already gone on Slack: what the redaction asked for.
        if (slackErrorCode(error) !== "message_not_found") throw toConnectorError(error, "deleting a message");
      }
    }
  }

  async react(channel: string, ts: string, emoji: OutgoingEmoji, add: boolean, actor: Actor): Promise<void> {
    const name = reactionName(emoji);
    if (!name) throw new PermanentError(`Slack has no emoji for ${emoji.kind === "unicode" ? emoji.value : emoji.name}`);
    const { client, asPerson } = actor;
    if (asPerson) this.deps.echoes.rememberReactionAsPerson(channel, ts, asPerson, add);
    try {
      if (add) await client.reactions.add({ channel, timestamp: ts, name });
      else await client.reactions.remove({ channel, timestamp: ts, name });
    } catch (error) {
      if (asPerson) this.deps.echoes.forgetReactionAsPerson(channel, ts, asPerson, add);
      // The reaction is already in the state asked for.
      const code = slackErrorCode(error);
      if (code === "already_reacted" || code === "no_reaction") return;
      throw toConnectorError(error, add ? "adding a reaction" : "removing a reaction");
    }
  }

  /** A person posts as themselves; the bot under the Matrix sender's name and avatar. */
  private async post(channel: string, message: OutgoingMessage, body: SlackPostBody, actor: Actor): Promise<string> {
    await this.deps.pacer.take(channel);
    const identity = actor.asPerson ? {} : senderIdentity(message.sender);
    const common = { channel, ...identity, ...threadPlacement(message), metadata: parleyMetadata(message.idempotencyKey) };
    const { client } = actor;
    const result = await slackCall("posting a message", () =>
      client.chat.postMessage(body.blocks ? { ...common, text: body.text, blocks: body.blocks } : { ...common, text: body.text }));
    const ts = result.ts as string;
    if (actor.asPerson) this.deps.echoes.rememberPostedAsPerson(channel, ts);
    else this.deps.echoes.rememberPosted(channel, ts);
    return ts;
  }

  /**
   * files.uploadV2 (upload URL, bytes, complete) into the message's thread. The bot posts it
   * with a comment naming the sender; a person's upload carries just their caption.
   */
  private async upload(channel: string, message: OutgoingMessage, caption: string, actor: Actor): Promise<SentMessage> {
    const media = message.media!;
    const bytes = await media.load();
    if (bytes.length > this.deps.uploadLimitBytes) {
      return { ids: [await this.post(channel, message, { text: oversizeFileText({ ...media, size: bytes.length }, caption) }, actor)] };
    }
    await this.deps.pacer.take(channel);
    const { thread_ts } = threadPlacement(message);
    const comment = actor.asPerson ? caption : uploadComment(message.sender, caption);
    const file = { file: bytes, filename: media.filename, title: media.filename, ...(comment ? { initial_comment: comment } : {}) };
    const { client } = actor;
    const result = await slackCall("uploading a file", () =>
      client.filesUploadV2(thread_ts ? { ...file, channel_id: channel, thread_ts } : { ...file, channel_id: channel }));
    const fileId = result.files[0]?.files?.[0]?.id;
    if (fileId && actor.asPerson) this.deps.echoes.rememberFileAsPerson(fileId);
    // Where files.info never shows the share, the channel's history still has the message.
    const ts = (fileId ? await this.shareTs(channel, fileId, client) : undefined) ?? (await this.findPosted(channel, message, actor).catch(() => undefined));
    if (!ts) return { ids: [] };
    if (actor.asPerson) this.deps.echoes.rememberPostedAsPerson(channel, ts);
    else this.deps.echoes.rememberPosted(channel, ts);
    return { ids: [ts] };
  }

  /**
   * The ts of the message that shared an uploaded file, which the upload's answer does not
   * say. The file is posted by now: a failure to learn where is not worth posting it again.
   */
  private async shareTs(channel: string, fileId: string, client: webApi.WebClient): Promise<string | undefined> {
    for (let attempt = 0; attempt < SHARE_LOOKUPS; attempt++) {
      const answer = await client.files.info({ file: fileId }).catch(() => undefined);
      const file = answer?.file;
      const shares = file?.shares as { public?: Record<string, { ts?: string }[]>; private?: Record<string, { ts?: string }[]> } | undefined;
      const ts = (shares?.public?.[channel] ?? shares?.private?.[channel])?.[0]?.ts;
      if (ts) return ts;
      await new Promise((resolve) => setTimeout(resolve, SHARE_LOOKUP_PAUSE_MS));
    }
    return undefined;
  }

  /** After a restart or a failed attempt: the message Parley may have posted for this event already. */
  private async findPosted(channel: string, message: OutgoingMessage, actor: Actor): Promise<string | undefined> {
    const { thread_ts } = threadPlacement(message);
    const { client } = actor;
    const history = await slackCall("reading recent messages", () =>
      client.conversations.history({ channel, limit: RESUME_LOOKBACK, include_all_metadata: true }));
    const found = await this.postedIn(channel, (history.messages ?? []) as SlackMessage[], message, actor);
    if (found || !thread_ts) return found;
    const replies = await slackCall("reading a thread", () =>
      client.conversations.replies({ channel, ts: thread_ts, limit: RESUME_LOOKBACK, include_all_metadata: true }));
    return this.postedIn(channel, (replies.messages ?? []) as SlackMessage[], message, actor);
  }

  /**
   * A post carries the event id in its metadata. An upload cannot: it is recognised as the
   * oldest share of a file of that name (and size) by the same uploader that no other
   * event is mapped to.
   */
  private async postedIn(channel: string, messages: SlackMessage[], message: OutgoingMessage, actor: Actor): Promise<string | undefined> {
    const posted = alreadyPosted(messages, message.idempotencyKey);
    const media = message.media;
    if (posted || !media) return posted;
    const uploader = actor.asPerson ?? this.deps.botUserId;
    for (const candidate of [...messages].reverse()) {
      const file = candidate.files?.[0];
      if (candidate.user !== uploader || file?.name !== media.filename || (media.size > 0 && file.size !== media.size)) continue;
      if (!(await this.deps.isBridged(channel, candidate.ts))) return candidate.ts;
    }
    return undefined;
  }
}
