/**
 * Every id the Discord connector hands the core, made and parsed here and nowhere else.
 *
 * - A chat is a guild's channel: `<guildId>/<channelId>`. The guild is part of it because
 *   aliases name both, and a thread belongs to its parent channel's chat.
 * - A message is its Discord id, or `<threadId>/<messageId>` inside a thread: every REST
 *   call on a thread's message needs the thread, and the parent chat alone does not say it.
 *   A thread's root is the thread's own id, which is also the id of the message it was
 *   started from (Discord gives the thread that message's id).
 * - A user is their Discord id. A webhook is not a person: what one posts under a name is a
 *   persona, `<webhookId>-<8 hex digits of the name>`, so two names behind one webhook (a
 *   relay, PluralKit) are two ghosts rather than one ghost renamed at every message.
 */
import { createHash } from "node:crypto";

const SNOWFLAKE = /^\d{1,20}$/;
const DISCORD_EPOCH = 1420070400000n;

export interface ChannelRef {
  guildId: string;
  channelId: string;
}

export interface MessageRef {
  messageId: string;
  /** The thread the message is in; absent for messages of the channel itself. */
  threadId?: string;
}

export function isSnowflake(id: string): boolean {
  return SNOWFLAKE.test(id);
}

/** Snowflakes sort by time; compared as numbers, as they outgrow doubles. */
export function compareSnowflakes(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** When a snowflake was made, in ms since 1970 (Discord counts from 2015). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake of a moment: "after" it means "made after that time". */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n).toString();
}

export function chatId(guildId: string, channelId: string): string {
  return `${guildId}/${channelId}`;
}

export function parseChatId(chat: string): ChannelRef | undefined {
  const [guildId, channelId, ...rest] = chat.split("/");
  if (rest.length > 0 || !guildId || !channelId || !isSnowflake(guildId) || !isSnowflake(channelId)) return undefined;
  return { guildId, channelId };
}

export function messageRemoteId(messageId: string, threadId?: string): string {
  return threadId === undefined ? messageId : `${threadId}/${messageId}`;
}

export function parseMessageRemoteId(remoteId: string): MessageRef {
  const slash = remoteId.indexOf("/");
  if (slash < 0) return { messageId: remoteId };
  return { threadId: remoteId.slice(0, slash), messageId: remoteId.slice(slash + 1) };
}

/** The channel a message lives in: its thread, or the chat's channel. */
export function messageChannel(chat: ChannelRef, message: MessageRef): string {
  return message.threadId ?? chat.channelId;
}

export function webhookPersonaId(webhookId: string, username: string): string {
  const digest = createHash("sha256").update(username).digest("hex").slice(0, 8);
  return `${webhookId}-${digest}`;
}

/** Whether a remote user id names a Discord account (as opposed to a webhook persona). */
export function isDiscordAccount(userId: string): boolean {
  return isSnowflake(userId);
}

interface Templates {
  ghostLocalpart: string;
  aliasLocalpart: string;
}

/** Ghost localparts and portal aliases, from the config's templates and back. */
export class DiscordIds {
  private readonly ghostPattern: RegExp;
  private readonly aliasPattern: RegExp;

  constructor(private readonly templates: Templates) {
    this.ghostPattern = templatePattern(templates.ghostLocalpart, { userId: `\\d{1,20}(?:-[0-9a-f]{8})?` });
    this.aliasPattern = templatePattern(templates.aliasLocalpart, { guildId: "\\d{1,20}", channelId: "\\d{1,20}" });
  }

  ghostLocalpart(userId: string): string {
    return fill(this.templates.ghostLocalpart, { userId });
  }

  userForGhost(localpart: string): string | undefined {
    return this.ghostPattern.exec(localpart)?.groups?.userId;
  }

  aliasLocalpart(chat: string): string {
    const ref = parseChatId(chat);
    if (!ref) throw new Error(`not a Discord chat id: ${chat}`);
    return fill(this.templates.aliasLocalpart, { guildId: ref.guildId, channelId: ref.channelId });
  }

  chatForAlias(localpart: string): string | undefined {
    const groups = this.aliasPattern.exec(localpart)?.groups;
    return groups?.guildId && groups.channelId ? chatId(groups.guildId, groups.channelId) : undefined;
  }
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The template as an anchored regex whose named groups capture the placeholders. */
function templatePattern(template: string, placeholders: Record<string, string>): RegExp {
  const seen = new Set<string>();
  const source = template
    .split(/(\{[a-zA-Z]+\})/)
    .map((piece) => {
      const name = /^\{([a-zA-Z]+)\}$/.exec(piece)?.[1];
      if (name === undefined) return piece.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const pattern = placeholders[name] ?? "[^_]+";
      // A placeholder used twice must match the same text twice.
      if (seen.has(name)) return `\\k<${name}>`;
      seen.add(name);
      return placeholders[name] ? `(?<${name}>${pattern})` : pattern;
    })
    .join("");
  return new RegExp(`^${source}$`);
}
