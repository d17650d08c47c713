/**
 * What the Discord markdown converters need to know about the world, as plain lookups.
 * The connector resolves everything a message refers to before converting it (from its
 * store and from the message payload: `mentions`, `mention_roles`, `mention_everyone`),
 * so the converters themselves do no I/O; tests fill the lookups from tables.
 */

/** A Discord user as Matrix sees them: their ghost, or the Matrix account they linked. */
export interface DiscordUserRef {
  matrixUserId: string;
  displayName: string;
}

/** A Discord channel; `roomIdOrAlias` is set only when the channel is bridged. */
export interface DiscordChannelRef {
  roomIdOrAlias?: string;
  name: string;
}

/** A custom emoji of the guild a message is sent to. */
export interface DiscordGuildEmoji {
  id: string;
  animated: boolean;
}

/** A custom emoji as a message writes it: `<:name:id>` or `<a:name:id>`. */
export interface DiscordEmojiRef {
  id: string;
  name: string;
  animated: boolean;
}

/** Lookups for reading Discord markdown (Discord -> Matrix). */
export interface DiscordParseContext {
  user(discordUserId: string): DiscordUserRef | undefined;
  channel(discordChannelId: string): DiscordChannelRef | undefined;
  /** A role's name, without the leading `@`. */
  roleName(discordRoleId: string): string | undefined;
  /** Where the emoji's image is: Discord's CDN, or an mxc:// URI of a copy already uploaded. */
  emojiImageUrl(emoji: DiscordEmojiRef): string;
  /**
   * Discord's `message.mention_everyone`: whether Discord let this message's `@everyone`
   * or `@here` ping. When false they are only text, on Discord and so on Matrix.
   */
  mentionEveryone: boolean;
}

/** Lookups for writing Discord markdown (Matrix -> Discord). */
export interface DiscordRenderContext {
  /** The Discord user behind a Matrix user: a ghost's remote id, or a linked user's own. */
  discordUserId(matrixUserId: string): string | undefined;
  /** The Discord channel bridged to a Matrix room id or alias. */
  discordChannelId(roomIdOrAlias: string): string | undefined;
  /** A custom emoji of the target guild, by name. */
  guildEmoji(name: string): DiscordGuildEmoji | undefined;
  /** Whether the Matrix sender may ping the whole room, so that `@room` becomes `@everyone`. */
  mayPingEveryone: boolean;
}

/** The image of a custom emoji on Discord's CDN (animated ones as GIF). */
export function discordEmojiCdnUrl(emoji: DiscordEmojiRef): string {
  return `https://cdn.discordapp.com/emojis/${emoji.id}.${emoji.animated ? "gif" : "png"}`;
}

/** Plain data for {@link discordParseContext}, keyed by Discord ids. */
export interface DiscordParseData {
  users?: Record<string, DiscordUserRef>;
  channels?: Record<string, DiscordChannelRef>;
  /** Role id -> role name. */
  roles?: Record<string, string>;
  /** Defaults to {@link discordEmojiCdnUrl}. */
  emojiImageUrl?: (emoji: DiscordEmojiRef) => string;
  mentionEveryone?: boolean;
}

/** Own keys only: an id such as `constructor` must not find Object.prototype. */
function ownEntry<T>(table: Record<string, T> | undefined, key: string): T | undefined {
  return table && Object.hasOwn(table, key) ? table[key] : undefined;
}

export function discordParseContext(data: DiscordParseData): DiscordParseContext {
  return {
    user: (id) => ownEntry(data.users, id),
    channel: (id) => ownEntry(data.channels, id),
    roleName: (id) => ownEntry(data.roles, id),
    emojiImageUrl: data.emojiImageUrl ?? discordEmojiCdnUrl,
    mentionEveryone: data.mentionEveryone ?? false,
  };
}

/** Plain data for {@link discordRenderContext}. */
export interface DiscordRenderData {
  /** Matrix user id -> Discord user id. */
  users?: Record<string, string>;
  /** Matrix room id or alias -> Discord channel id. */
  rooms?: Record<string, string>;
  /** Emoji name -> the guild's emoji of that name. */
  emoji?: Record<string, DiscordGuildEmoji>;
  mayPingEveryone?: boolean;
}

export function discordRenderContext(data: DiscordRenderData): DiscordRenderContext {
  return {
    discordUserId: (matrixUserId) => ownEntry(data.users, matrixUserId),
    discordChannelId: (room) => ownEntry(data.rooms, room),
    guildEmoji: (name) => ownEntry(data.emoji, name),
    mayPingEveryone: data.mayPingEveryone ?? false,
  };
}
