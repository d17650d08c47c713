import { GatewayDispatchEvents as E } from "discord.js";
import { sameEmoji, type ReactionEmoji } from "./emoji.js";
import { errors } from "./errors.js";
import type { Dispatcher } from "./gateway.js";
import type { MessageRecord, ReactionRecord } from "./model.js";
import type { Payloads } from "./payloads.js";
import { compareSnowflakes } from "./snowflake.js";
import type { SimState } from "./state.js";

/** Discord allows twenty different emojis on one message. */
const MAX_DISTINCT_REACTIONS = 20;

/** Reactions on messages and their MESSAGE_REACTION_* events. Repeating an add or a remove changes nothing. */
export class ReactionService {
  constructor(
    private readonly state: SimState,
    private readonly payloads: Payloads,
    private readonly gateway: Dispatcher,
  ) {}

  add(message: MessageRecord, userId: string, emoji: ReactionEmoji): void {
    let reaction = this.find(message, emoji);
    if (reaction?.userIds.includes(userId)) return;
    if (!reaction) {
      if (message.reactions.length >= MAX_DISTINCT_REACTIONS) throw errors.tooManyReactions();
      reaction = { emoji: { ...emoji }, userIds: [] };
      message.reactions.push(reaction);
    }
    reaction.userIds.push(userId);
    const member = this.state.findMember(message.guildId, userId);
    this.gateway.dispatch(
      E.MessageReactionAdd,
      {
        ...this.eventBase(message, emoji),
        user_id: userId,
        ...(member ? { member: this.payloads.member(member) } : {}),
        ...(message.author.kind === "user" ? { message_author_id: message.author.userId } : {}),
        burst_colors: [],
      },
      { channelId: message.channelId },
    );
  }

  remove(message: MessageRecord, userId: string, emoji: ReactionEmoji): void {
    const reaction = this.find(message, emoji);
    if (!reaction?.userIds.includes(userId)) return;
    reaction.userIds = reaction.userIds.filter((id) => id !== userId);
    if (reaction.userIds.length === 0) message.reactions = message.reactions.filter((r) => r !== reaction);
    this.gateway.dispatch(
      E.MessageReactionRemove,
      { ...this.eventBase(message, emoji), user_id: userId },
      { channelId: message.channelId },
    );
  }

  removeAll(message: MessageRecord): void {
    message.reactions = [];
    this.gateway.dispatch(
      E.MessageReactionRemoveAll,
      { channel_id: message.channelId, message_id: message.id, guild_id: message.guildId },
      { channelId: message.channelId },
    );
  }

  removeEmoji(message: MessageRecord, emoji: ReactionEmoji): void {
    const reaction = this.find(message, emoji);
    if (!reaction) return;
    message.reactions = message.reactions.filter((r) => r !== reaction);
    this.gateway.dispatch(
      E.MessageReactionRemoveEmoji,
      { channel_id: message.channelId, message_id: message.id, guild_id: message.guildId, emoji: this.partial(emoji) },
      { channelId: message.channelId },
    );
  }

  /** Users who reacted, ordered by id, paged with `after` like GET .../reactions/{emoji}. */
  users(message: MessageRecord, emoji: ReactionEmoji, after: string | undefined, limit: number): string[] {
    const reacted = [...(this.find(message, emoji)?.userIds ?? [])].sort(compareSnowflakes);
    return reacted.filter((id) => !after || compareSnowflakes(id, after) > 0).slice(0, limit);
  }

  private find(message: MessageRecord, emoji: ReactionEmoji): ReactionRecord | undefined {
    return message.reactions.find((reaction) => sameEmoji(reaction.emoji, emoji));
  }

  private partial(emoji: ReactionEmoji): ReactionEmoji {
    return emoji.id ? { id: emoji.id, name: emoji.name, animated: emoji.animated ?? false } : { id: null, name: emoji.name };
  }

  private eventBase(message: MessageRecord, emoji: ReactionEmoji) {
    return {
      type: 0,
      channel_id: message.channelId,
      message_id: message.id,
      guild_id: message.guildId,
      emoji: this.partial(emoji),
      burst: false,
    };
  }
}
