/**
 * The lookup contexts the pure converters take, filled before converting: every user,
 * channel and user group a message names is resolved once, through the host (which
 * Matrix user or room stands for it) and the workspace directory (what Slack calls it).
 */
import type { ConnectorHost } from "../../core/connector.js";
import type { Document } from "../../core/format/ast.js";
import { documentInlines } from "../../core/format/document.js";
import type { SlackParseContext, SlackRenderContext, SlackUserRef } from "./convert/context.js";
import { slackParseContext, slackRenderContext, type SlackChannelRef } from "./convert/context.js";
import type { SlackDirectory } from "./directory.js";
import { isPersonId, parseChatId, parseUserId, toChatId, toUserId } from "./ids.js";
import { referencesIn } from "./inbound.js";
import { mayPingRoom, remoteUserFromSlackUser } from "./people.js";
import type { SlackMessage, SlackUser } from "./slack-types.js";

export class SlackContexts {
  constructor(
    private readonly teamId: string,
    private readonly directory: SlackDirectory,
    private readonly host: ConnectorHost,
    private readonly displayNameTemplate: string,
  ) {}

  /** For reading a message from `sender`, whose standing decides whether its room pings ping. */
  async parseContext(message: SlackMessage, sender: SlackUser | undefined): Promise<SlackParseContext> {
    const refs = referencesIn(message);
    const users: Record<string, SlackUserRef> = {};
    for (const id of refs.users) {
      const user = await this.directory.userIfKnown(id);
      if (!user) continue;
      users[id] = {
        matrixUserId: await this.host.matrixUserFor(toUserId(this.teamId, id)),
        displayName: remoteUserFromSlackUser(this.teamId, user, this.displayNameTemplate).displayName,
      };
    }
    const channels: Record<string, SlackChannelRef> = {};
    for (const id of refs.channels) {
      const roomId = await this.host.roomForChat(toChatId(this.teamId, id));
      const name = (await this.directory.channelIfVisible(id))?.name;
      if (roomId || name) channels[id] = { roomIdOrAlias: roomId, name: name ?? id };
    }
    const usergroups: Record<string, string> = {};
    const unlabelled = [...refs.usergroups].flatMap(([id, handle]) => (handle ? [] : [id]));
    const listed = unlabelled.length > 0 ? await this.directory.usergroupHandles(unlabelled) : new Map<string, string>();
    for (const [id, handle] of refs.usergroups) {
      const known = handle ?? listed.get(id);
      if (known) usergroups[id] = known;
    }
    return slackParseContext({ users, channels, usergroups, emoji: await this.directory.emoji(), allowRoomPings: mayPingRoom(sender) });
  }

  /** For writing a Matrix document to this workspace; `@room` becomes `<!channel>` only for senders who may ping. */
  async renderContext(doc: Document, senderMayPingRoom: boolean): Promise<SlackRenderContext> {
    const users: Record<string, string> = {};
    const rooms: Record<string, string> = {};
    for (const inline of documentInlines(doc)) {
      if (inline.type === "user_mention" && !(inline.userId in users)) {
        const remote = await this.host.remoteUserFor(inline.userId);
        const ref = remote ? parseUserId(remote) : undefined;
        // Bots and their personas cannot be mentioned on Slack; their ghosts' pills stay their names.
        if (ref?.teamId === this.teamId && isPersonId(ref.userId)) users[inline.userId] = ref.userId;
      } else if (inline.type === "room_mention" && !(inline.roomIdOrAlias in rooms)) {
        const chat = await this.host.chatForRoom(inline.roomIdOrAlias);
        const ref = chat ? parseChatId(chat) : undefined;
        if (ref?.teamId === this.teamId) rooms[inline.roomIdOrAlias] = ref.channelId;
      }
    }
    return slackRenderContext({ users, rooms, roomPing: senderMayPingRoom ? "channel" : undefined });
  }
}
