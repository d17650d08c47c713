/**
 * Asking a Discord channel before a Matrix room is bridged to it. A Matrix moderator's
 * `!discord bridge` posts a request in the channel; a member who may manage the channel's
 * webhooks approves it by reacting ✅ or refuses it with ❌, and nothing crosses until they
 * approve. Unanswered, the request lapses after the configured time. Requests live in
 * memory: one outstanding when Parley restarts is simply asked again.
 */
import { Routes, type APIMessage, type Client } from "discord.js";
import type { Logger } from "winston";
import type { ConnectorHost } from "../../core/connector.js";
import { escapeDiscordText } from "./convert/escape.js";
import { discordCall } from "./errors.js";
import { parseChatId } from "./ids.js";
import { mayManageWebhooks } from "./permissions.js";

const APPROVE = "✅";
const REFUSE = "❌";

interface PendingRequest {
  chat: string;
  roomId: string;
  channelName: string;
  /** Answers in the Matrix room the request came from. */
  reply: (text: string) => Promise<void>;
  timer: NodeJS.Timeout;
}

export interface ApprovalDeps {
  client: Client;
  host: () => ConnectorHost;
  timeoutSeconds: number;
  log: Logger;
}

export class BridgeApprovals {
  /** By the id of the request's Discord message. */
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly deps: ApprovalDeps) {}

  /** Posts the request in the channel; the answer reaches the room through `reply`. */
  async request(chat: string, channelName: string, roomId: string, requester: string, reply: (text: string) => Promise<void>): Promise<void> {
    const ref = parseChatId(chat);
    if (!ref) return;
    const minutes = Math.max(1, Math.round(this.deps.timeoutSeconds / 60));
    const request = (await discordCall(() =>
      this.deps.client.rest.post(Routes.channelMessages(ref.channelId), {
        body: {
          content:
            `**${plain(requester)}** asks to bridge this channel to the Matrix room ${plain(roomId)}: what is said here would be shown there, and the other way round.\n` +
            `Someone who can manage this channel's webhooks can approve with ${APPROVE} or refuse with ${REFUSE} within ${minutes} minute${minutes === 1 ? "" : "s"}.`,
          allowed_mentions: { parse: [] },
        },
      }),
    )) as APIMessage;
    for (const emoji of [APPROVE, REFUSE]) {
      await discordCall(() => this.deps.client.rest.put(Routes.channelMessageOwnReaction(ref.channelId, request.id, encodeURIComponent(emoji))));
    }
    const timer = setTimeout(() => void this.lapse(request.id), this.deps.timeoutSeconds * 1000);
    this.pending.set(request.id, { chat, roomId, channelName, reply, timer });
  }

  /** A reaction on a Discord message: true when it was on a request (and so is not bridged). */
  async onReaction(messageId: string, userId: string, emoji: string): Promise<boolean> {
    const request = this.pending.get(messageId);
    if (!request) return false;
    if (emoji !== APPROVE && emoji !== REFUSE) return true;
    const ref = parseChatId(request.chat);
    if (!ref || !(await mayManageWebhooks(this.deps.client, ref.guildId, ref.channelId, userId))) return true;
    this.settle(messageId);
    const name = await this.nameOf(userId);
    if (emoji === REFUSE) {
      await this.answer(ref.channelId, messageId, `${REFUSE} Refused by ${name}: this channel will not be bridged.`);
      await request.reply(`${name} refused on Discord to bridge #${request.channelName} to this room.`);
      return true;
    }
    await this.deps.host().bridgeChat(request.chat, request.roomId);
    await this.answer(ref.channelId, messageId, `${APPROVE} Approved by ${name}: this channel is now bridged to Matrix.`);
    await request.reply(`${name} approved on Discord: this room is now bridged to #${request.channelName}.`);
    return true;
  }

  /** Whether a room has a request waiting. */
  isWaiting(roomId: string): boolean {
    return [...this.pending.values()].some((request) => request.roomId === roomId);
  }

  stop(): void {
    for (const request of this.pending.values()) clearTimeout(request.timer);
    this.pending.clear();
  }

  private async lapse(messageId: string): Promise<void> {
    const request = this.settle(messageId);
    if (!request) return;
    try {
      const ref = parseChatId(request.chat);
      if (ref) await this.answer(ref.channelId, messageId, "⌛ Nobody answered in time: this channel will not be bridged.");
      await request.reply(`Nobody approved on Discord in time: this room was not bridged to #${request.channelName}. Send the command again to ask again.`);
    } catch (error) {
      this.deps.log.warn("Could not report a lapsed bridge request", { error: (error as Error).message });
    }
  }

  private settle(messageId: string): PendingRequest | undefined {
    const request = this.pending.get(messageId);
    if (!request) return undefined;
    clearTimeout(request.timer);
    this.pending.delete(messageId);
    return request;
  }

  private async answer(channelId: string, messageId: string, text: string): Promise<void> {
    await discordCall(() =>
      this.deps.client.rest.patch(Routes.channelMessage(channelId, messageId), { body: { content: text, allowed_mentions: { parse: [] } } }),
    );
  }

  private async nameOf(userId: string): Promise<string> {
    const user = await this.deps.client.users.fetch(userId).catch(() => undefined);
    return user ? (user.globalName ?? user.username) : "a moderator";
  }
}

function plain(text: string): string {
  return escapeDiscordText(text, { lineStart: false });
}
