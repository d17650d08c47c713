/**
 * What was said while Parley was not listening (a restart, an outage too long for Discord
 * to resume the session): the messages of a channel and of its active threads after the
 * newest one Parley bridged, fetched from Discord's history oldest first and bridged like
 * live ones. Messages bridged already are recognised by the core by their ids.
 *
 * What was changed meanwhile too, for the chat's most recently bridged messages, in the
 * channel and in its threads: Discord's history around them shows which were edited since
 * the last edit bridged, and which are gone, deleted (all of a thread's, when the thread
 * itself is gone). Edits and deletes follow the new messages.
 */
import { ChannelType, RESTJSONErrorCodes, Routes, type APIMessage, type APIThreadList, type Client } from "discord.js";
import { isDiscordError } from "./errors.js";
import { compareSnowflakes, parseChatId, parseMessageRemoteId, snowflakeAt } from "./ids.js";

const PAGE_SIZE = 100;
/** How many of the newest bridged messages are checked for edits and deletions. */
export const CHECKED_MESSAGES = 50;
/** At most this many pages of history are read to check them (Matrix messages sit between them too). */
const CHECK_PAGES = 5;

export interface CatchUpDeps {
  client: Client;
  /** The remote ids of the newest messages bridged from Discord in a chat, newest first. */
  recentlyBridged: (chat: string, limit: number) => Promise<{ remoteId: string }[]>;
  /** Bridges a message from history in its guild's order, as a live one would be. */
  replay: (guildId: string, message: APIMessage) => Promise<void>;
  /** Bridges a message's edit found in history, unless that edit was bridged already, in its guild's order. */
  replayEdit: (guildId: string, message: APIMessage) => Promise<void>;
  /** Bridges the deletion of messages of the chat's channel or of one of its threads (which may be gone), in its guild's order. */
  replayDeletes: (guildId: string, place: { parentId: string; threadId?: string }, messageIds: string[]) => Promise<void>;
}

/**
 * Resumes after the newest message bridged from Discord (`after`, which the core knows
 * from what it actually handled: live events held during a catch-up have not moved it),
 * or, when none has been yet, after the moment the channel was bridged, never earlier:
 * a channel bridged again was not bridged in between, and what was said then stays there.
 */
export async function catchUp(deps: CatchUpDeps, chat: string, after: string | undefined, bridgedAt: number): Promise<void> {
  const ref = parseChatId(chat);
  if (!ref) return;
  // Read before any new message is replayed: those are current, and not what is checked.
  const bridged = byChannel(ref.channelId, await deps.recentlyBridged(chat, CHECKED_MESSAGES));
  const bridgedSince = snowflakeAt(bridgedAt);
  const lastBridged = after === undefined ? undefined : parseMessageRemoteId(after).messageId;
  const since = lastBridged !== undefined && compareSnowflakes(lastBridged, bridgedSince) > 0 ? lastBridged : bridgedSince;
  const channels = [ref.channelId, ...(await activeThreads(deps.client, ref.guildId, ref.channelId))];
  const missed: APIMessage[] = [];
  for (const channel of channels) missed.push(...(await messagesAfter(deps.client, channel, since)));
  missed.sort((a, b) => compareSnowflakes(a.id, b.id));
  const edited: APIMessage[] = [];
  const deleted = new Map<string, string[]>();
  for (const [channel, ids] of bridged) {
    const changes = await changesTo(deps.client, channel, ids);
    edited.push(...changes.edited);
    if (changes.deleted.length > 0) deleted.set(channel, changes.deleted);
  }
  for (const message of missed) await deps.replay(ref.guildId, message);
  for (const message of edited.sort(byEditTime)) await deps.replayEdit(ref.guildId, message);
  for (const [channel, ids] of deleted) {
    await deps.replayDeletes(ref.guildId, channel === ref.channelId ? { parentId: channel } : { parentId: ref.channelId, threadId: channel }, ids);
  }
}

/** The Discord ids of the bridged messages by the channel or thread they are in, newest first. */
function byChannel(channelId: string, bridged: { remoteId: string }[]): Map<string, string[]> {
  const channels = new Map<string, string[]>();
  for (const { remoteId } of bridged) {
    const ref = parseMessageRemoteId(remoteId);
    const channel = ref.threadId ?? channelId;
    channels.set(channel, [...(channels.get(channel) ?? []), ref.messageId]);
  }
  for (const ids of channels.values()) ids.sort((a, b) => compareSnowflakes(b, a));
  return channels;
}

function byEditTime(a: APIMessage, b: APIMessage): number {
  return Date.parse(a.edited_timestamp!) - Date.parse(b.edited_timestamp!);
}

/**
 * Which of the channel's bridged messages (`bridged`, newest first) carry an edit (oldest
 * edit first; whether it was bridged already is for the replay to tell) and which are no
 * longer in Discord's history. History is read newest first from the newest of them down
 * to the oldest; a message below what was read (too much history between) is not judged.
 */
async function changesTo(client: Client, channelId: string, bridged: string[]): Promise<{ edited: APIMessage[]; deleted: string[] }> {
  const oldest = bridged[bridged.length - 1]!;
  const wanted = new Set(bridged);
  const found = new Map<string, APIMessage>();
  /** The oldest id of the history read so far: every bridged message from it on was looked for. */
  let floor: string | undefined;
  let before = (BigInt(bridged[0]!) + 1n).toString();
  for (let pages = 0; ; pages++) {
    if (pages === CHECK_PAGES) break;
    const query = new URLSearchParams({ before, limit: String(PAGE_SIZE) });
    let page: APIMessage[];
    try {
      page = (await client.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
    } catch (error) {
      // A thread deleted with its messages: Discord sends no MESSAGE_DELETE for them.
      if (isDiscordError(error, RESTJSONErrorCodes.UnknownChannel)) return { edited: [], deleted: [...bridged].reverse() };
      throw error;
    }
    page.sort((a, b) => compareSnowflakes(b.id, a.id));
    for (const message of page) if (wanted.has(message.id)) found.set(message.id, message);
    if (page.length < PAGE_SIZE) {
      floor = "0"; // the beginning of the channel
      break;
    }
    floor = before = page[page.length - 1]!.id;
    if (compareSnowflakes(before, oldest) <= 0) break;
  }
  const edited = [...found.values()].filter((message) => message.edited_timestamp);
  const deleted = floor === undefined ? [] : bridged.filter((id) => !found.has(id) && compareSnowflakes(id, floor!) >= 0).reverse();
  return { edited, deleted };
}

async function activeThreads(client: Client, guildId: string, parentId: string): Promise<string[]> {
  const list = (await client.rest.get(Routes.guildActiveThreads(guildId))) as APIThreadList;
  return list.threads
    .filter((thread) => "parent_id" in thread && thread.parent_id === parentId && thread.type !== ChannelType.PrivateThread)
    .map((thread) => thread.id);
}

/** Every message of a channel after `since`, oldest first; Discord pages them a hundred at a time. */
async function messagesAfter(client: Client, channelId: string, since: string): Promise<APIMessage[]> {
  const found: APIMessage[] = [];
  let cursor = since;
  for (;;) {
    const query = new URLSearchParams({ after: cursor, limit: String(PAGE_SIZE) });
    const page = (await client.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
    if (page.length === 0) return found;
    page.sort((a, b) => compareSnowflakes(a.id, b.id));
    found.push(...page);
    cursor = page[page.length - 1]!.id;
    if (page.length < PAGE_SIZE) return found;
  }
}
