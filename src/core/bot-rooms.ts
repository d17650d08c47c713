import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import type { Permissions } from "./permissions.js";

const DM_SCOPE = "core:bot-dm";
const DM_OF_USER_SCOPE = "core:bot-dm-of";

/**
 * The bot's own rooms: it accepts invites from people allowed to use the bridge,
 * declines the rest politely, and remembers which rooms are private chats with it
 * (where commands need no prefix and secrets may be exchanged).
 */
export class BotRooms {
  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
    private readonly permissions: Permissions,
    private readonly log: Logger,
  ) {}

  async onBotInvite(event: MatrixEvent): Promise<void> {
    const { room_id: roomId, sender } = event;
    const bot = this.matrix.botUserId;
    if (!this.permissions.allows(sender, "relay")) {
      this.log.info("Declining an invite from a user the permissions do not allow", { roomId, sender });
      await this.matrix.leave(bot, roomId, "Sorry, you are not allowed to use this bridge. Ask its administrator if you think you should be.");
      return;
    }
    await this.matrix.join(bot, roomId);
    if (event.content.is_direct === true) await this.remember(roomId, sender);
    this.log.info("Joined a room on invite", { roomId, sender, direct: event.content.is_direct === true });
    await this.notice(roomId, `Hello! I am the Parley bridge bot. Send "help" to see what I can do.`);
  }

  /** A private chat with the bot: marked direct when invited, or just the bot and this user. */
  async isDirect(roomId: string, userId: string): Promise<boolean> {
    if ((await this.store.getState(DM_SCOPE, roomId)) === userId) return true;
    const members = await this.matrix.members(roomId);
    const joined = [...members].filter(([, membership]) => membership === "join").map(([member]) => member);
    const direct = joined.length === 2 && joined.includes(this.matrix.botUserId) && joined.includes(userId);
    if (direct) await this.remember(roomId, userId);
    return direct;
  }

  /** The private chat a user has with the bot, where Parley tells them about their account. */
  async dmRoomOf(userId: string): Promise<string | undefined> {
    return this.store.getState(DM_OF_USER_SCOPE, userId);
  }

  private async remember(roomId: string, userId: string): Promise<void> {
    await this.store.setState(DM_SCOPE, roomId, userId);
    await this.store.setState(DM_OF_USER_SCOPE, userId, roomId);
  }

  async notice(roomId: string, text: string, html?: string): Promise<void> {
    const content: Record<string, unknown> = { msgtype: "m.notice", body: text };
    if (html) Object.assign(content, { format: "org.matrix.custom.html", formatted_body: html });
    await this.matrix.sendEvent(this.matrix.botUserId, roomId, "m.room.message", content);
  }
}
