/**
 * What the Slack converters need to know about the world, as plain lookups. The
 * connector fills them from its store and Slack's API; tests fill them from tables.
 */
import { unicodeForShortcode } from "../../../core/format/emoji-shortcodes.js";

/** A Slack user as Matrix sees them: usually the ghost puppeting them. */
export interface SlackUserRef {
  matrixUserId: string;
  displayName: string;
}

/** A Slack channel; `roomIdOrAlias` is set only when the channel is bridged. */
export interface SlackChannelRef {
  roomIdOrAlias?: string;
  name: string;
}

/** A workspace emoji: its own image, or an alias of a standard Unicode emoji. */
export type SlackCustomEmoji = { imageUrl: string } | { unicode: string };

/** Lookups for reading Slack markup (Slack -> Matrix). */
export interface SlackParseContext {
  user(slackUserId: string): SlackUserRef | undefined;
  channel(channelId: string): SlackChannelRef | undefined;
  /** The handle of a user group (`S…` id), without the leading `@`. */
  usergroupHandle(usergroupId: string): string | undefined;
  /** A workspace emoji by name, aliases already followed. */
  customEmoji(name: string): SlackCustomEmoji | undefined;
  /** Whether `<!here>`, `<!channel>` and `<!everyone>` from this sender may ping the Matrix room. */
  allowRoomPings: boolean;
}

/** How a Matrix `@room` is sent to Slack, or `undefined` when the sender may not ping. */
export type SlackRoomPing = "here" | "channel" | undefined;

/** Lookups for writing Slack markup (Matrix -> Slack). */
export interface SlackRenderContext {
  /** The Slack user behind a Matrix user: a ghost's remote id, or a puppeted user's own. */
  slackUserId(matrixUserId: string): string | undefined;
  /** The Slack channel bridged to a Matrix room id or alias. */
  slackChannelId(roomIdOrAlias: string): string | undefined;
  roomPing: SlackRoomPing;
}

/** Plain data for {@link slackParseContext}, shaped like Slack's API answers. */
export interface SlackParseData {
  users?: Record<string, SlackUserRef>;
  channels?: Record<string, SlackChannelRef>;
  /** Usergroup id -> handle. */
  usergroups?: Record<string, string>;
  /** As `emoji.list` returns it: name -> image URL, or `alias:othername`. */
  emoji?: Record<string, string>;
  allowRoomPings?: boolean;
}

/** Slack lets aliases point at aliases; stop long before any real chain ends. */
const MAX_ALIAS_HOPS = 8;
const ALIAS_PREFIX = "alias:";

/** Own keys only: a user id such as `constructor` must not find Object.prototype. */
function ownEntry<T>(table: Record<string, T> | undefined, key: string): T | undefined {
  return table && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Follows `alias:` entries of an `emoji.list` answer to an image or a standard emoji. */
export function resolveCustomEmoji(emojiList: Record<string, string>, name: string): SlackCustomEmoji | undefined {
  let current = name;
  for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
    const value = ownEntry(emojiList, current);
    if (value === undefined) {
      // The end of an alias chain may be a standard emoji (`alias:thumbsup`).
      const unicode = hop > 0 ? unicodeForShortcode(current) : undefined;
      return unicode === undefined ? undefined : { unicode };
    }
    if (!value.startsWith(ALIAS_PREFIX)) return { imageUrl: value };
    current = value.slice(ALIAS_PREFIX.length);
  }
  return undefined;
}

export function slackParseContext(data: SlackParseData): SlackParseContext {
  return {
    user: (id) => ownEntry(data.users, id),
    channel: (id) => ownEntry(data.channels, id),
    usergroupHandle: (id) => ownEntry(data.usergroups, id),
    customEmoji: (name) => (data.emoji ? resolveCustomEmoji(data.emoji, name) : undefined),
    allowRoomPings: data.allowRoomPings ?? false,
  };
}

/** Plain data for {@link slackRenderContext}. */
export interface SlackRenderData {
  /** Matrix user id -> Slack user id. */
  users?: Record<string, string>;
  /** Matrix room id or alias -> Slack channel id. */
  rooms?: Record<string, string>;
  roomPing?: SlackRoomPing;
}

export function slackRenderContext(data: SlackRenderData): SlackRenderContext {
  return {
    slackUserId: (matrixUserId) => ownEntry(data.users, matrixUserId),
    slackChannelId: (room) => ownEntry(data.rooms, room),
    roomPing: data.roomPing,
  };
}
