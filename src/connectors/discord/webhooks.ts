/**
 * One webhook per bridged channel, through which Matrix people post under their own name
 * and avatar. Made once (or adopted, when Parley's application already owns one there),
 * remembered in the connector's state, and made again only if someone deletes it. Threads
 * use their parent channel's webhook with `thread_id`.
 */
import { Routes, type APIWebhook, type Client } from "discord.js";
import type { ConnectorState } from "../../core/connector.js";
import type { EchoGuard } from "./echo.js";
import { discordCall } from "./errors.js";

export interface ChannelWebhook {
  id: string;
  token: string;
}

const STATE_KEY = "webhooks";
const WEBHOOK_NAME = "Parley";

export class ChannelWebhooks {
  private byChannel = new Map<string, ChannelWebhook>();
  private readonly pending = new Map<string, Promise<ChannelWebhook>>();

  constructor(
    private readonly client: Client,
    private readonly state: () => ConnectorState,
    private readonly echo: EchoGuard,
  ) {}

  /** Reads the webhooks made before, so their messages are known as Parley's from the start. */
  async load(): Promise<void> {
    const saved = await this.state().get(STATE_KEY);
    this.byChannel = new Map(Object.entries(saved ? (JSON.parse(saved) as Record<string, ChannelWebhook>) : {}));
    for (const webhook of this.byChannel.values()) this.echo.addWebhook(webhook.id);
  }

  /** The channel's webhook, made (once, however many messages ask at the same time) when missing. */
  async forChannel(channelId: string): Promise<ChannelWebhook> {
    const known = this.byChannel.get(channelId);
    if (known) return known;
    const running = this.pending.get(channelId);
    if (running) return running;
    const making = this.obtain(channelId).finally(() => this.pending.delete(channelId));
    this.pending.set(channelId, making);
    return making;
  }

  /** The channel's webhook if Parley has one, without making one. */
  known(channelId: string): ChannelWebhook | undefined {
    return this.byChannel.get(channelId);
  }

  /** Forgets a webhook Discord no longer knows (someone deleted it); the next message makes a new one. */
  async forget(channelId: string, webhookId: string): Promise<void> {
    if (this.byChannel.get(channelId)?.id !== webhookId) return;
    this.byChannel.delete(channelId);
    await this.save();
  }

  private async obtain(channelId: string): Promise<ChannelWebhook> {
    const webhook = (await this.adopt(channelId)) ?? (await this.create(channelId));
    this.echo.addWebhook(webhook.id);
    this.byChannel.set(channelId, webhook);
    await this.save();
    return webhook;
  }

  /** A webhook Parley's application made earlier in the channel (its state was lost): reused, not duplicated. */
  private async adopt(channelId: string): Promise<ChannelWebhook | undefined> {
    const existing = (await discordCall(() => this.client.rest.get(Routes.channelWebhooks(channelId)))) as APIWebhook[];
    const ours = existing.find((webhook) => webhook.application_id === this.echo.botId && webhook.token);
    return ours?.token ? { id: ours.id, token: ours.token } : undefined;
  }

  private async create(channelId: string): Promise<ChannelWebhook> {
    const made = (await discordCall(() =>
      this.client.rest.post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME }, reason: "Parley: Matrix messages in this channel" }),
    )) as APIWebhook;
    if (!made.token) throw new Error("Discord made a webhook without a token");
    return { id: made.id, token: made.token };
  }

  private async save(): Promise<void> {
    await this.state().set(STATE_KEY, JSON.stringify(Object.fromEntries(this.byChannel)));
  }
}
