/**
 * What was said while Parley was not listening (a restart, an outage too long for Discord
 * to resume the session): the messages of a channel and of its active threads after the
 * newest one Parley bridged, fetched from Discord's history oldest first and bridged like
 * live ones. Messages bridged already are recognised by the core by their ids.
 */
import { ChannelType, Routes, type APIMessage, type APIThreadList, type Client } from "discord.js";
import { compareSnowflakes, parseChatId, parseMessageRemoteId, snowflakeAt } from "./ids.js";

const PAGE_SIZE = 100;

export interface CatchUpDeps {
  client: Client;
  /** Bridges a message from history in its guild's order, as a live one would be. */
  replay: (guildId: string, message: APIMessage) => Promise<void>;
}

/**
 * Resumes after the newest message bridged from Discord (`after`, which the core knows
 * from what it actually handled: live events held during a catch-up have not moved it),
 * or, when none has been yet, after the moment the channel was bridged, never earlier.
 */
export async function catchUp(deps: CatchUpDeps, chat: string, after: string | undefined, bridgedAt: number): Promise<void> {
  const ref = parseChatId(chat);
  if (!ref) return;
  const since = after === undefined ? snowflakeAt(bridgedAt) : parseMessageRemoteId(after).messageId;
  const channels = [ref.channelId, ...(await activeThreads(deps.client, ref.guildId, ref.channelId))];
  const missed: APIMessage[] = [];
  for (const channel of channels) missed.push(...(await messagesAfter(deps.client, channel, since)));
  missed.sort((a, b) => compareSnowflakes(a.id, b.id));
  for (const message of missed) await deps.replay(ref.guildId, message);
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
