/**
 * A linked person's Slack direct messages and group direct messages, as Matrix rooms.
 *
 * Parley's bot is in none of them, so everything goes through the person's own token:
 * Slack delivers their conversations' events to the app as events on behalf of users
 * (the manifest's user events message.im and message.mpim, with im:history and
 * mpim:history granted), over the same Socket Mode connection or Events API endpoint as
 * the bot's; history, names and files are read with their token. The first message of a
 * conversation opens its room, made by the ghost of the other person and inviting the
 * linked people in it. The person whose token reads a conversation is its owner, kept in
 * the connector's state so it outlives restarts.
 */
import type { ChatInfo, ConnectorHost } from "../../core/connector.js";
import { PermanentError, RetryLaterError } from "../../core/connector.js";
import type { RemoteUser } from "../../core/events.js";
import { slackCall } from "./errors.js";
import { toChatId } from "./ids.js";
import type { Puppet, Puppets } from "./puppets.js";
import type { Senders } from "./senders.js";
import type { SlackChannel } from "./slack-types.js";

const OWNER_KEY = "private-chat-owner:";

export interface DirectChatDeps {
  teamId: string;
  host: Pick<ConnectorHost, "state" | "roomForChat" | "openPrivatePortal" | "log">;
  puppets: Puppets;
  senders: Senders;
}

export interface OpenedChat {
  chat: string;
  channelId: string;
  /** The other people, as Slack user ids. */
  others: string[];
  /** The room, when it exists already. */
  roomId?: string;
}

export class DirectChats {
  constructor(private readonly deps: DirectChatDeps) {}

  /** The Matrix user whose token reads a private chat, when it is one of Parley's. */
  owner(chat: string): Promise<string | undefined> {
    return this.deps.host.state.get(`${OWNER_KEY}${chat}`);
  }

  /** The owner's working account, to read the chat with. */
  async ownerPuppet(chat: string): Promise<Puppet | undefined> {
    const owner = await this.owner(chat);
    return owner ? this.deps.puppets.forMatrixUser(owner, this.deps.teamId) : undefined;
  }

  /**
   * A message of a private chat arrived on behalf of these people: opens the chat's room if it
   * has none, owned by the first of them who linked their account here.
   */
  async ensureRoom(channelId: string, onBehalfOf: readonly string[]): Promise<void> {
    const chat = toChatId(this.deps.teamId, channelId);
    if (await this.deps.host.roomForChat(chat)) return;
    for (const slackUserId of onBehalfOf) {
      const puppet = await this.deps.puppets.forSlackUser(this.deps.teamId, slackUserId);
      if (!puppet) continue;
      try {
        await this.deps.host.state.set(`${OWNER_KEY}${chat}`, puppet.matrixUserId);
        const others = (await this.members(channelId, puppet)).filter((id) => id !== puppet.slackUserId);
        await this.openRoom(chat, puppet, others);
      } catch (error) {
        // Slack having trouble: the event fails and comes again. A refusal (a scope not granted) will not change.
        if (error instanceof RetryLaterError) throw error;
        this.deps.host.log.warn("Could not open the room of a private Slack chat", { chat, error: (error as Error).message });
      }
      return;
    }
    this.deps.host.log.debug("A private Slack chat of nobody linked", { chat });
  }

  /**
   * Opens (or finds) the conversation of a linked person with these Slack users, as them, and
   * its room, inviting them to it. `roomId` is where it was already, if it was.
   */
  async open(matrixUserId: string, slackUserIds: readonly string[], options: { room: boolean }): Promise<OpenedChat> {
    const puppet = await this.deps.puppets.forMatrixUser(matrixUserId, this.deps.teamId);
    if (!puppet) throw new PermanentError('Link your Slack account first: send "slack link" in your private chat with me.');
    const others = [...new Set(slackUserIds)].filter((id) => id !== puppet.slackUserId);
    if (others.length === 0) throw new PermanentError("That is your own Slack account.");
    const answer = await this.deps.puppets.call(puppet, () =>
      slackCall("opening a Slack conversation", () => puppet.client.conversations.open({ users: others.join(",") })));
    const channelId = (answer.channel as { id?: string } | undefined)?.id;
    if (!channelId) throw new PermanentError("Slack did not open the conversation");
    const chat = toChatId(this.deps.teamId, channelId);
    const existing = await this.deps.host.roomForChat(chat);
    if (!(existing && (await this.ownerPuppet(chat)))) await this.deps.host.state.set(`${OWNER_KEY}${chat}`, matrixUserId);
    if (existing || !options.room) return { chat, channelId, others, roomId: existing };
    await this.openRoom(chat, puppet, others);
    return { chat, channelId, others };
  }

  /** What a private chat is called, read with its owner's token; undefined when it is not one of Parley's. */
  async chatInfo(channelId: string): Promise<ChatInfo | undefined> {
    const chat = toChatId(this.deps.teamId, channelId);
    const puppet = await this.ownerPuppet(chat);
    if (!puppet) return undefined;
    const channel = await this.channel(channelId, puppet);
    const others = channel.is_im && channel.user ? [channel.user] : (await this.members(channelId, puppet)).filter((id) => id !== puppet.slackUserId);
    const names = await Promise.all(others.map(async (id) => (await this.deps.senders.user(id)).remote.displayName));
    return { name: names.join(", ") || channel.name || channelId, isDirect: true };
  }

  private async openRoom(chat: string, owner: Puppet, others: readonly string[]): Promise<void> {
    const invite = [owner.matrixUserId];
    // Other linked people in a group chat see it too.
    for (const other of others) {
      const linked = await this.deps.puppets.forSlackUser(this.deps.teamId, other);
      if (linked && !invite.includes(linked.matrixUserId)) invite.push(linked.matrixUserId);
    }
    const creator: RemoteUser = (await this.deps.senders.user(others[0] ?? owner.slackUserId)).remote;
    await this.deps.host.openPrivatePortal(chat, { creator, invite });
  }

  private async channel(channelId: string, puppet: Puppet): Promise<SlackChannel> {
    const answer = await this.deps.puppets.call(puppet, () =>
      slackCall("looking up a conversation", () => puppet.client.conversations.info({ channel: channelId })));
    return answer.channel as SlackChannel;
  }

  /** The people in a conversation, as its owner sees it. */
  private async members(channelId: string, puppet: Puppet): Promise<string[]> {
    const channel = await this.channel(channelId, puppet);
    if (channel.is_im && channel.user) return [puppet.slackUserId, channel.user];
    const answer = await this.deps.puppets.call(puppet, () =>
      slackCall("listing a conversation's members", () => puppet.client.conversations.members({ channel: channelId, limit: 100 })));
    return (answer.members ?? []) as string[];
  }
}
