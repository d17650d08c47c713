/**
 * Asking a Discord channel before a Matrix room is bridged to it. A Matrix moderator's
 * `!discord bridge` posts a request in the channel; a member who may manage the channel's
 * webhooks approves it by reacting ✅ or refuses it with ❌, and nothing crosses until they
 * approve. Unanswered, the request lapses after the configured time. Requests are kept
 * in the connector's state, so a restart loses none: at start each is settled by the answer
 * given while Parley was away, lapsed if its time is up, or waited for again.
 */
import { Routes, type APIMessage, type APIUser, type Client } from "discord.js";
import type { Logger } from "winston";
import type { ConnectorHost } from "../../core/connector.js";
import { escapeDiscordText } from "./convert/escape.js";
import { discordCall } from "./errors.js";
import { parseChatId } from "./ids.js";
import { mayManageWebhooks } from "./permissions.js";

const APPROVE = "✅";
const REFUSE = "❌";

const STATE_KEY = "bridge-requests";

/** A request as kept in the connector's state, by the id of its Discord message. */
interface SavedRequest {
  chat: string;
  /** The Matrix room to bridge, where the answers are told. */
  roomId: string;
  channelName: string;
  expiresAt: number;
}

interface PendingRequest extends SavedRequest {
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
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ApprovalDeps) {}

  /** Posts the request in the channel; the answer is told in the room. */
  async request(chat: string, channelName: string, roomId: string, requester: string): Promise<void> {
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
    const saved: SavedRequest = { chat, roomId, channelName, expiresAt: Date.now() + this.deps.timeoutSeconds * 1000 };
    this.wait(request.id, saved);
    await this.updateSaved((requests) => { requests[request.id] = saved; });
  }

  /** Takes up the requests saved before a restart: answered meanwhile, lapsed, or still open. */
  async resume(): Promise<void> {
    for (const [messageId, request] of Object.entries(await this.saved())) {
      const answer = await this.answerGivenMeanwhile(messageId, request).catch((error: unknown) => {
        this.deps.log.warn("Could not read the answers to a bridge request", { chat: request.chat, error: (error as Error).message });
        return undefined;
      });
      if (answer) await this.decide(messageId, request, answer.userId, answer.emoji);
      else this.wait(messageId, request);
    }
  }

  /** A reaction on a Discord message: true when it was on a request (and so is not bridged). */
  async onReaction(messageId: string, userId: string, emoji: string): Promise<boolean> {
    const request = this.pending.get(messageId);
    if (!request) return false;
    if (emoji !== APPROVE && emoji !== REFUSE) return true;
    const ref = parseChatId(request.chat);
    if (!ref || !(await mayManageWebhooks(this.deps.client, ref.guildId, ref.channelId, userId))) return true;
    if (this.pending.get(messageId) === request) await this.decide(messageId, request, userId, emoji);
    return true;
  }

  /** An entitled member's answer: the room is bridged, or not, and both sides are told. */
  private async decide(messageId: string, request: SavedRequest, userId: string, emoji: string): Promise<void> {
    const ref = parseChatId(request.chat);
    if (!ref) return;
    await this.settle(messageId);
    const name = await this.nameOf(userId);
    const host = this.deps.host();
    if (emoji === REFUSE) {
      await this.answer(ref.channelId, messageId, `${REFUSE} Refused by ${name}: this channel will not be bridged.`);
      await host.noticeInRoom(request.roomId, `${name} refused on Discord to bridge #${request.channelName} to this room.`);
      return;
    }
    await host.bridgeChat(request.chat, request.roomId);
    await this.answer(ref.channelId, messageId, `${APPROVE} Approved by ${name}: this channel is now bridged to Matrix.`);
    await host.noticeInRoom(request.roomId, `${name} approved on Discord: this room is now bridged to #${request.channelName}.`);
  }

  /** Whether a room has a request waiting. */
  isWaiting(roomId: string): boolean {
    return [...this.pending.values()].some((request) => request.roomId === roomId);
  }

  stop(): void {
    for (const request of this.pending.values()) clearTimeout(request.timer);
    this.pending.clear();
  }

  private wait(messageId: string, request: SavedRequest): void {
    const timer = setTimeout(() => void this.lapse(messageId), Math.max(0, request.expiresAt - Date.now()));
    this.pending.set(messageId, { ...request, timer });
  }

  /** The first approval or refusal by someone entitled to give it, among the reactions on the request. */
  private async answerGivenMeanwhile(messageId: string, request: SavedRequest): Promise<{ userId: string; emoji: string } | undefined> {
    const ref = parseChatId(request.chat);
    if (!ref) return undefined;
    for (const emoji of [REFUSE, APPROVE]) {
      const users = (await discordCall(() =>
        this.deps.client.rest.get(Routes.channelMessageReaction(ref.channelId, messageId, encodeURIComponent(emoji))))) as APIUser[];
      for (const user of users) {
        if (!user.bot && (await mayManageWebhooks(this.deps.client, ref.guildId, ref.channelId, user.id))) return { userId: user.id, emoji };
      }
    }
    return undefined;
  }

  private async lapse(messageId: string): Promise<void> {
    const request = await this.settle(messageId);
    if (!request) return;
    try {
      const ref = parseChatId(request.chat);
      if (ref) await this.answer(ref.channelId, messageId, "⌛ Nobody answered in time: this channel will not be bridged.");
      await this.deps.host().noticeInRoom(request.roomId,
        `Nobody approved on Discord in time: this room was not bridged to #${request.channelName}. Send the command again to ask again.`);
    } catch (error) {
      this.deps.log.warn("Could not report a lapsed bridge request", { error: (error as Error).message });
    }
  }

  /** Ends a request, waiting or saved. */
  private async settle(messageId: string): Promise<PendingRequest | undefined> {
    const request = this.pending.get(messageId);
    if (request) clearTimeout(request.timer);
    this.pending.delete(messageId);
    await this.updateSaved((requests) => { delete requests[messageId]; });
    return request;
  }

  private async saved(): Promise<Record<string, SavedRequest>> {
    return JSON.parse((await this.deps.host().state.get(STATE_KEY)) ?? "{}") as Record<string, SavedRequest>;
  }

  /** One change at a time: two answers settled at once must not write back each other's request. */
  private updateSaved(change: (requests: Record<string, SavedRequest>) => void): Promise<void> {
    const update = this.saving.then(async () => {
      const requests = await this.saved();
      change(requests);
      await this.deps.host().state.set(STATE_KEY, JSON.stringify(requests));
    });
    this.saving = update.catch(() => undefined);
    return update;
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
