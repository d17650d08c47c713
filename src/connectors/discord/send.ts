/**
 * Matrix messages onto Discord through the channel's webhook: posted under the sender's
 * name and avatar, cut into as many messages as Discord needs (every id returned, so an
 * edit or a deletion reaches them all), edited in place, deleted. Files go up with the
 * message when Discord takes them, as a link Parley serves when they are too large.
 */
import { RESTJSONErrorCodes, Routes, type APIMessage, type Client, type RawFile, type REST } from "discord.js";
import type { MatrixSender, OutgoingMedia, OutgoingMessage, SentMessage } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { DiscordConfig } from "./config.js";
import type { EchoGuard } from "./echo.js";
import { discordCall, isDiscordError, toConnectorError } from "./errors.js";
import { isDiscordAccount, messageChannel, messageRemoteId, parseChatId, parseMessageRemoteId, type ChannelRef, type MessageRef } from "./ids.js";
import { avatarUrl, shownName } from "./people.js";
import { composeMessage, existingReplyLine, replyLine, type ComposedMessage, type LinkedFile } from "./outgoing.js";
import type { RenderContexts } from "./render-context.js";
import type { Threads } from "./threads.js";
import { webhookUsername, type SenderNames } from "./webhook-name.js";
import type { ChannelWebhook, ChannelWebhooks } from "./webhooks.js";

const { UnknownWebhook: UNKNOWN_WEBHOOK, UnknownMessage: UNKNOWN_MESSAGE } = RESTJSONErrorCodes;
/** How far back a message resent after a restart is looked for. */
const RESUME_LOOKBACK = 50;

export interface SenderDeps {
  client: Client;
  /** For webhook posts, which are retried by the core rather than by discord.js. */
  webhookRest: REST;
  config: Pick<DiscordConfig, "uploadLimitBytes" | "cdnUrl">;
  webhooks: ChannelWebhooks;
  threads: Threads;
  echo: EchoGuard;
  renders: RenderContexts;
  names: SenderNames;
  /** Where Discord's web app is, for jump links: https://discord.com. */
  webOrigin: string;
  isBridged(chat: string, remoteId: string): Promise<boolean>;
}

interface Post {
  content: string;
  file?: RawFile;
}

interface Author {
  username: string;
  avatar_url?: string;
}

export function chatRef(chat: string): ChannelRef {
  const ref = parseChatId(chat);
  if (!ref) throw new PermanentError(`${chat} is not a Discord channel`);
  return ref;
}

export class DiscordSender {
  constructor(private readonly deps: SenderDeps) {}

  async send(chat: string, message: OutgoingMessage): Promise<SentMessage> {
    const ref = chatRef(chat);
    const threadId = message.threadRoot ? await this.deps.threads.threadFor(ref, message.threadRoot) : undefined;
    const { file, linkedFile } = await this.prepareMedia(message.media);
    const composed = await this.compose(ref, message, linkedFile);
    const posts: Post[] = composed.pieces.map((content) => ({ content }));
    if (file) {
      if (posts.length === 0) posts.push({ content: "" });
      posts[posts.length - 1]!.file = file;
    }
    const author = this.author(ref, message.sender);
    if (message.resumed) {
      const earlier = await this.postedBefore(chat, ref.channelId, threadId, posts, author);
      if (earlier) return { ids: earlier.map((id) => messageRemoteId(id, threadId)) };
    }
    const ids: string[] = [];
    for (const post of posts) ids.push(messageRemoteId(await this.execute(ref.channelId, threadId, post, composed, author), threadId));
    return { ids };
  }

  /** Every part edited in place; parts added when the text grew, removed when it shrank. */
  async edit(chat: string, ids: string[], message: OutgoingMessage): Promise<SentMessage> {
    const ref = chatRef(chat);
    const parts = ids.map(parseMessageRemoteId);
    const threadId = parts[0]?.threadId;
    const webhook = await this.deps.webhooks.forChannel(ref.channelId);
    const first = parts[0] ? await this.webhookMessage(webhook, parts[0]) : undefined;
    const tooLarge = message.media && message.media.size > this.deps.config.uploadLimitBytes ? linkTo(message.media) : undefined;
    const composed = await this.compose(ref, { ...message, replyTo: undefined }, tooLarge, existingReplyLine(first?.content ?? ""));
    const pieces = [...composed.pieces];
    const hasFile = message.media !== undefined && !tooLarge;
    const kept: string[] = [];
    for (const [index, part] of parts.entries()) {
      const piece = pieces[index];
      const holdsFile = hasFile && index === parts.length - 1;
      if (piece === undefined && !holdsFile) {
        await this.deleteOne(ref, part);
        continue;
      }
      await discordCall(() =>
        this.deps.client.rest.patch(Routes.webhookMessage(webhook.id, webhook.token, part.messageId), {
          body: { content: piece ?? "", allowed_mentions: composed.allowedMentions },
          query: threadQuery(part.threadId),
          auth: false,
        }),
      );
      kept.push(messageRemoteId(part.messageId, part.threadId));
    }
    const author = this.author(ref, message.sender);
    for (const piece of pieces.slice(parts.length)) {
      kept.push(messageRemoteId(await this.execute(ref.channelId, threadId, { content: piece }, composed, author), threadId));
    }
    return { ids: kept };
  }

  async delete(chat: string, ids: string[]): Promise<void> {
    const ref = chatRef(chat);
    for (const id of ids) await this.deleteOne(ref, parseMessageRemoteId(id));
  }

  /** Through the webhook when the message is Parley's, else as the bot (a Matrix moderator's redaction). */
  private async deleteOne(ref: ChannelRef, message: MessageRef): Promise<void> {
    const { echo, client, webhooks } = this.deps;
    echo.expectDeletion(message.messageId);
    try {
      const webhook = webhooks.known(ref.channelId);
      const viaWebhook = webhook
        ? await ignoring(UNKNOWN_MESSAGE, () =>
            client.rest.delete(Routes.webhookMessage(webhook.id, webhook.token, message.messageId), { query: threadQuery(message.threadId), auth: false }))
        : false;
      const deleted = viaWebhook || (await ignoring(UNKNOWN_MESSAGE, () => client.rest.delete(Routes.channelMessage(messageChannel(ref, message), message.messageId))));
      // Already gone: no MESSAGE_DELETE will come.
      if (!deleted) echo.cancelDeletion(message.messageId);
    } catch (error) {
      echo.cancelDeletion(message.messageId);
      throw toConnectorError(error);
    }
  }

  private async compose(ref: ChannelRef, message: OutgoingMessage, linkedFile: LinkedFile | undefined, keptReplyLine?: string): Promise<ComposedMessage> {
    const ctx = await this.deps.renders.forDocument(ref.guildId, message.text, message.mayPingRoom);
    const reply = message.replyTo;
    const replyAuthorId = reply?.remoteAuthorId && isDiscordAccount(reply.remoteAuthorId) ? reply.remoteAuthorId : undefined;
    const line = reply
      ? replyLine({ authorDiscordId: replyAuthorId, authorName: reply.authorName, excerpt: reply.excerpt, jumpUrl: this.jumpUrl(ref, reply.remoteId) })
      : keptReplyLine;
    return composeMessage({ style: message.style, text: message.text, replyLine: line, replyAuthorId, linkedFile }, ctx);
  }

  /** The file to upload, or, over the upload limit, the link to show instead. */
  private async prepareMedia(media: OutgoingMedia | undefined): Promise<{ file?: RawFile; linkedFile?: LinkedFile }> {
    if (!media) return {};
    const limit = this.deps.config.uploadLimitBytes;
    if (media.size > limit) return { linkedFile: linkTo(media) };
    const bytes = await media.load();
    if (bytes.length > limit) return { linkedFile: linkTo({ ...media, size: bytes.length }) };
    const name = media.spoiler ? `SPOILER_${media.filename}` : media.filename;
    return { file: { name, data: bytes, contentType: media.mimetype } };
  }

  private author(ref: ChannelRef, sender: MatrixSender): Author {
    const members = this.deps.client.guilds.cache.get(ref.guildId)?.members.cache;
    // Someone who linked their Discord account posts under the name and face Discord knows them by.
    const own = sender.remoteUserId === undefined ? undefined : members?.get(sender.remoteUserId);
    if (own) {
      const look = { nick: own.nickname, avatar: own.avatar };
      const user = { id: own.user.id, username: own.user.username, global_name: own.user.globalName, avatar: own.user.avatar, discriminator: own.user.discriminator };
      return { username: webhookUsername(shownName(user, look), own.user.username), avatar_url: avatarUrl(this.deps.config.cdnUrl, user, look, ref.guildId) };
    }
    const takenOnDiscord = (name: string) =>
      members?.some((member) => shownName({ username: member.user.username, global_name: member.user.globalName }, { nick: member.nickname }).toLowerCase() === name.toLowerCase()) ?? false;
    const username = this.deps.names.nameFor(ref.channelId, sender.userId, sender.displayName, takenOnDiscord);
    return sender.avatarUrl ? { username, avatar_url: sender.avatarUrl } : { username };
  }

  /** Posts one message through the channel's webhook; a webhook someone deleted is made again. */
  private async execute(channelId: string, threadId: string | undefined, post: Post, composed: ComposedMessage, author: Author): Promise<string> {
    const attempt = async (): Promise<string> => {
      const webhook = await this.deps.webhooks.forChannel(channelId);
      const body = {
        content: post.content,
        ...author,
        allowed_mentions: composed.allowedMentions,
        ...(composed.flags ? { flags: composed.flags } : {}),
        ...(post.file ? { attachments: [{ id: 0, filename: post.file.name }] } : {}),
      };
      try {
        const sent = (await this.deps.webhookRest.post(Routes.webhook(webhook.id, webhook.token), {
          body,
          files: post.file ? [post.file] : undefined,
          query: threadQuery(threadId, true),
          auth: false,
        })) as APIMessage;
        return sent.id;
      } catch (error) {
        if (isDiscordError(error, UNKNOWN_WEBHOOK)) await this.deps.webhooks.forget(channelId, webhook.id);
        throw error;
      }
    };
    return discordCall(() => attempt().catch((error: unknown) => (isDiscordError(error, UNKNOWN_WEBHOOK) ? attempt() : Promise.reject(error))));
  }

  private async webhookMessage(webhook: ChannelWebhook, message: MessageRef): Promise<APIMessage> {
    return (await discordCall(() =>
      this.deps.client.rest.get(Routes.webhookMessage(webhook.id, webhook.token, message.messageId), { query: threadQuery(message.threadId), auth: false }),
    )) as APIMessage;
  }

  /**
   * A message delivered again (after a restart, or a failed attempt) may already have been
   * posted; webhooks take no nonce, so the channel's recent messages are the record: a run
   * of the webhook's posts under the sender's name with the same texts, none of which is
   * already mapped to another Matrix event (someone may well say "ok" twice).
   */
  private async postedBefore(chat: string, parentId: string, threadId: string | undefined, posts: Post[], author: Author): Promise<string[] | undefined> {
    const webhook = this.deps.webhooks.known(parentId);
    if (!webhook) return undefined;
    const recent = (await discordCall(() =>
      this.deps.client.rest.get(Routes.channelMessages(threadId ?? parentId), { query: new URLSearchParams({ limit: String(RESUME_LOOKBACK) }) }),
    )) as APIMessage[];
    const candidates = recent.filter((message) => message.webhook_id === webhook.id && message.author.username === author.username);
    const ours: APIMessage[] = [];
    for (const message of candidates.reverse()) {
      if (!(await this.deps.isBridged(chat, messageRemoteId(message.id, threadId)))) ours.push(message);
    }
    for (let start = 0; start + posts.length <= ours.length; start++) {
      const run = ours.slice(start, start + posts.length);
      if (run.every((message, index) => message.content === posts[index]!.content)) return run.map((message) => message.id);
    }
    return undefined;
  }

  private jumpUrl(ref: ChannelRef, remoteId: string): string {
    const target = parseMessageRemoteId(remoteId);
    return `${this.deps.webOrigin}/channels/${ref.guildId}/${messageChannel(ref, target)}/${target.messageId}`;
  }
}

function linkTo(media: Pick<OutgoingMedia, "filename" | "size" | "publicUrl">): LinkedFile {
  return { filename: media.filename, size: media.size, url: media.publicUrl };
}

function threadQuery(threadId: string | undefined, wait = false): URLSearchParams {
  const query = new URLSearchParams();
  if (wait) query.set("wait", "true");
  if (threadId) query.set("thread_id", threadId);
  return query;
}

/** Runs a call; false when Discord answered with the error code given (the thing is not there). */
async function ignoring(code: number, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isDiscordError(error, code)) return false;
    throw error;
  }
}
