import { randomBytes } from "node:crypto";
import { ChannelType, GatewayDispatchEvents as E } from "discord.js";
import type { Cdn } from "./cdn.js";
import { errors, invalidField } from "./errors.js";
import type { Dispatcher } from "./gateway.js";
import type { MessageDraft, MessageService } from "./messages.js";
import type { MessageRecord, WebhookRecord } from "./model.js";
import type { SimState } from "./state.js";
import type { ThreadService } from "./threads.js";

export interface WebhookExecution {
  draft: MessageDraft;
  username?: string;
  avatarUrl?: string;
  threadId?: string;
  /** Forum channels only: make a new post with this title. */
  threadName?: string;
}

const WEBHOOK_CHANNEL_TYPES = new Set([
  ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildVoice, ChannelType.GuildForum, ChannelType.GuildMedia,
]);
const MAX_WEBHOOKS_PER_CHANNEL = 15;
const AVATAR_FETCH_TIMEOUT_MS = 3000;

/** Webhook names and per-message usernames: 1..80 characters and never "clyde" or "discord". */
export function validateWebhookName(field: string, name: string): void {
  if (name.length < 1 || name.length > 80) {
    throw invalidField(field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.");
  }
  for (const forbidden of ["clyde", "discord"]) {
    if (name.toLowerCase().includes(forbidden)) {
      throw invalidField(field, "USERNAME_INVALID_CONTAINS", `Username cannot contain "${forbidden}"`);
    }
  }
}

/** Incoming webhooks: created by the bot, executed with their token (no bot authorization) by anyone. */
export class WebhookService {
  constructor(
    private readonly state: SimState,
    private readonly cdn: Cdn,
    private readonly messages: MessageService,
    private readonly threads: ThreadService,
    private readonly gateway: Dispatcher,
    private readonly applicationId: string,
  ) {}

  create(channelId: string, creatorId: string, options: { name: string; avatar?: Buffer }): WebhookRecord {
    const channel = this.state.channel(channelId);
    if (!WEBHOOK_CHANNEL_TYPES.has(channel.type)) throw errors.wrongChannelType();
    validateWebhookName("name", options.name);
    if (this.inChannel(channelId).length >= MAX_WEBHOOKS_PER_CHANNEL) throw errors.tooManyWebhooks();
    const id = this.state.ids.next();
    const webhook: WebhookRecord = {
      id,
      token: randomBytes(51).toString("base64url").slice(0, 68),
      guildId: channel.guildId,
      channelId,
      name: options.name,
      avatar: options.avatar ? this.cdn.putImage(`avatars/${id}`, options.avatar) : null,
      creatorId,
      applicationId: creatorId === this.applicationId ? this.applicationId : null,
    };
    this.state.webhooks.set(id, webhook);
    this.gateway.dispatch(E.WebhooksUpdate, { guild_id: channel.guildId, channel_id: channelId });
    return webhook;
  }

  delete(webhook: WebhookRecord): void {
    this.state.webhooks.delete(webhook.id);
    this.gateway.dispatch(E.WebhooksUpdate, { guild_id: webhook.guildId, channel_id: webhook.channelId });
  }

  inChannel(channelId: string): WebhookRecord[] {
    return [...this.state.webhooks.values()].filter((webhook) => webhook.channelId === channelId);
  }

  /** Unknown Webhook for a bad id, Invalid Webhook Token for a bad token. */
  authenticate(webhookId: string, token: string): WebhookRecord {
    const webhook = this.state.webhook(webhookId);
    if (webhook.token !== token) throw errors.invalidWebhookToken();
    return webhook;
  }

  async execute(webhook: WebhookRecord, execution: WebhookExecution): Promise<MessageRecord> {
    if (execution.username !== undefined) validateWebhookName("username", execution.username);
    const channel = this.state.channel(webhook.channelId);
    const isForum = channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia;
    const targetId = execution.threadId ? this.threadOf(webhook, execution.threadId) : webhook.channelId;
    if (isForum && !execution.threadId && !execution.threadName) throw errors.forumNeedsThread();
    this.messages.validateDraft(execution.draft);

    // Discord fetches avatar_url when the message is sent and keeps its own copy under the webhook's id.
    const fetchedAvatar = execution.avatarUrl ? await this.fetchAvatar(webhook, execution.avatarUrl) : undefined;
    const author = {
      kind: "webhook" as const,
      webhookId: webhook.id,
      username: execution.username ?? webhook.name,
      avatar: fetchedAvatar ?? webhook.avatar,
      ...(execution.avatarUrl ? { avatarUrl: execution.avatarUrl } : {}),
    };
    if (isForum && !execution.threadId) {
      return this.threads.forumPost(channel.id, author, { name: execution.threadName! }, execution.draft).message;
    }
    return this.messages.create(targetId, author, execution.draft).message;
  }

  /** A message this webhook sent, looked up in its channel or in the given thread of it. */
  message(webhook: WebhookRecord, messageId: string, threadId: string | undefined): MessageRecord {
    const channelId = threadId ? this.threadOf(webhook, threadId) : webhook.channelId;
    const message = this.state.message(channelId, messageId);
    if (message.author.kind !== "webhook" || message.author.webhookId !== webhook.id) throw errors.unknownMessage();
    return message;
  }

  private threadOf(webhook: WebhookRecord, threadId: string): string {
    const thread = this.state.channel(threadId);
    if (thread.parentId !== webhook.channelId || !thread.thread) throw errors.unknownChannel();
    return thread.id;
  }

  private async fetchAvatar(webhook: WebhookRecord, url: string): Promise<string | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(AVATAR_FETCH_TIMEOUT_MS) });
      if (!response.ok) return undefined;
      return this.cdn.putImage(`avatars/${webhook.id}`, Buffer.from(await response.arrayBuffer()));
    } catch {
      return undefined;
    }
  }
}
