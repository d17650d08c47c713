import { GatewayDispatchEvents as E, GatewayIntentBits as I, type APIMessage } from "discord.js";

/** Which intent a dispatch needs (guild events only; the simulator has no DMs). Unlisted events always arrive. */
const EVENT_INTENT: Partial<Record<E, I>> = {
  [E.GuildCreate]: I.Guilds,
  [E.GuildUpdate]: I.Guilds,
  [E.GuildDelete]: I.Guilds,
  [E.GuildRoleCreate]: I.Guilds,
  [E.GuildRoleUpdate]: I.Guilds,
  [E.GuildRoleDelete]: I.Guilds,
  [E.ChannelCreate]: I.Guilds,
  [E.ChannelUpdate]: I.Guilds,
  [E.ChannelDelete]: I.Guilds,
  [E.ChannelPinsUpdate]: I.Guilds,
  [E.ThreadCreate]: I.Guilds,
  [E.ThreadUpdate]: I.Guilds,
  [E.ThreadDelete]: I.Guilds,
  [E.ThreadListSync]: I.Guilds,
  [E.ThreadMemberUpdate]: I.Guilds,
  [E.ThreadMembersUpdate]: I.GuildMembers,
  [E.GuildMemberAdd]: I.GuildMembers,
  [E.GuildMemberUpdate]: I.GuildMembers,
  [E.GuildMemberRemove]: I.GuildMembers,
  [E.GuildEmojisUpdate]: I.GuildExpressions,
  [E.GuildStickersUpdate]: I.GuildExpressions,
  [E.WebhooksUpdate]: I.GuildWebhooks,
  [E.MessageCreate]: I.GuildMessages,
  [E.MessageUpdate]: I.GuildMessages,
  [E.MessageDelete]: I.GuildMessages,
  [E.MessageDeleteBulk]: I.GuildMessages,
  [E.MessageReactionAdd]: I.GuildMessageReactions,
  [E.MessageReactionRemove]: I.GuildMessageReactions,
  [E.MessageReactionRemoveAll]: I.GuildMessageReactions,
  [E.MessageReactionRemoveEmoji]: I.GuildMessageReactions,
  [E.TypingStart]: I.GuildMessageTyping,
};

export const PRIVILEGED_INTENTS = I.GuildMembers | I.GuildPresences | I.MessageContent;

export function intentAllows(intents: number, event: string): boolean {
  const needed = EVENT_INTENT[event as E];
  return needed === undefined || (intents & needed) !== 0;
}

/**
 * Without MESSAGE_CONTENT an app gets empty content, embeds, attachments and components (and no poll), except for
 * its own messages and messages that mention it. Nested replied-to messages follow the same rule.
 */
export function messageAsSeenWith<M extends APIMessage>(intents: number, message: M, botId: string): M {
  if (intents & I.MessageContent) return message;
  const visible =
    message.author.id === botId || message.mentions.some((user) => user.id === botId);
  const redacted: M = visible
    ? { ...message }
    : { ...message, content: "", embeds: [], attachments: [], components: [] };
  if (!visible) delete redacted.poll;
  if (message.referenced_message) {
    redacted.referenced_message = messageAsSeenWith(intents, message.referenced_message, botId);
  }
  return redacted;
}

export function isMessagePayloadEvent(event: string): boolean {
  return event === E.MessageCreate || event === E.MessageUpdate;
}
