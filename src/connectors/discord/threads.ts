/**
 * Threads, both ways. On Discord a thread is a channel of its own under a parent channel;
 * on Matrix it is a run of events in the parent's room hanging off a root event. A Discord
 * thread started from a message has that message's id, so the message is the Matrix root.
 * A thread started on its own has no such message; Parley gives Matrix a root for it (see
 * inbound.ts), whose remote id is again the thread's id. Either way the thread id is the
 * root's remote id, which is what this module works with.
 *
 * Private threads are never bridged: the room would show them to people Discord hides them from.
 */
import { ChannelType, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type Client } from "discord.js";
import { PermanentError } from "../../core/connector.js";
import { discordCall, isDiscordError } from "./errors.js";
import { parseMessageRemoteId, type ChannelRef } from "./ids.js";

const THREAD_TYPES = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);
const THREAD_NAME_LIMIT = 100;

/** Where a channel sits: a channel of its own, or a thread of `parentId`. */
export interface ChannelPlace {
  parentId: string;
  threadId?: string;
  isPrivate: boolean;
}

type ThreadLike = Pick<APIChannel, "id" | "type"> & { parent_id?: string | null };

export class Threads {
  private readonly places = new Map<string, ChannelPlace>();

  constructor(private readonly client: Client) {}

  /** Remembers a channel Discord told us about (THREAD_CREATE, CHANNEL_UPDATE). */
  remember(channel: ThreadLike): ChannelPlace {
    const place: ChannelPlace = THREAD_TYPES.has(channel.type) && channel.parent_id
      ? { parentId: channel.parent_id, threadId: channel.id, isPrivate: channel.type === ChannelType.PrivateThread }
      : { parentId: channel.id, isPrivate: false };
    this.places.set(channel.id, place);
    return place;
  }

  /** Where a channel sits; undefined when Discord does not let the bot see it. */
  async locate(channelId: string): Promise<ChannelPlace | undefined> {
    const known = this.places.get(channelId);
    if (known) return known;
    const cached = this.client.channels.cache.get(channelId);
    if (cached) return this.remember({ id: cached.id, type: cached.type, parent_id: "parentId" in cached ? cached.parentId : null });
    try {
      return this.remember((await this.client.rest.get(Routes.channel(channelId))) as APIChannel);
    } catch (error) {
      if (isDiscordError(error, RESTJSONErrorCodes.UnknownChannel) || isDiscordError(error, RESTJSONErrorCodes.MissingAccess)) return undefined;
      throw error;
    }
  }

  /** Whether the thread was started from a message of its parent (which then has the thread's id). */
  async hasStarterMessage(place: ChannelPlace): Promise<boolean> {
    if (!place.threadId) return false;
    try {
      await this.client.rest.get(Routes.channelMessage(place.parentId, place.threadId));
      return true;
    } catch (error) {
      if (isDiscordError(error, RESTJSONErrorCodes.UnknownMessage)) return false;
      throw error;
    }
  }

  /**
   * The thread to post a Matrix thread reply in, given the root's remote id: the thread
   * that already has that id, or a new one started from the root message.
   */
  async threadFor(chat: ChannelRef, rootRemoteId: string): Promise<string> {
    const root = parseMessageRemoteId(rootRemoteId);
    // A root inside a Discord thread (Matrix threads do not nest): its replies go in that thread.
    if (root.threadId) return root.threadId;
    const place = await this.locate(root.messageId);
    if (place?.threadId) return place.threadId;
    return discordCall(async () => {
      const starter = (await this.client.rest.get(Routes.channelMessage(chat.channelId, root.messageId))) as APIMessage;
      const thread = (await this.client.rest.post(Routes.threads(chat.channelId, root.messageId), {
        body: { name: threadName(starter.content) },
      })) as APIChannel;
      const made = this.remember(thread);
      if (!made.threadId) throw new PermanentError("Discord did not start a thread");
      return made.threadId;
    });
  }
}

/** A thread's name from its first message: the first line of text, short enough for Discord. */
export function threadName(starterContent: string): string {
  const line = starterContent
    .split("\n")
    .map((text) => text.replace(/^(?:-#|>|#{1,3})\s+/, "").trim())
    .find((text) => text !== "" && !text.startsWith("↪"));
  if (!line) return "Thread";
  return line.length > THREAD_NAME_LIMIT ? `${line.slice(0, THREAD_NAME_LIMIT - 1)}…` : line;
}
