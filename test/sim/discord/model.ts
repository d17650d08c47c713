import type { APIEmbed, APIStickerItem, ChannelType, MessageType, OverwriteType } from "discord.js";

/**
 * The simulator's own records. They keep references as ids (so a rename shows everywhere at once); payloads.ts and
 * message-payloads.ts turn them into the JSON shapes Discord sends.
 */

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  /** Avatar hash; the image lives in the CDN store under avatars/{id}/{hash}. */
  avatar: string | null;
  bot: boolean;
}

export interface GuildRecord {
  id: string;
  name: string;
  icon: string | null;
  ownerId: string;
  createdAt: number;
}

export interface MemberRecord {
  guildId: string;
  userId: string;
  nick: string | null;
  roleIds: string[];
  joinedAt: number;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  color: number;
  permissions: bigint;
  position: number;
  hoist: boolean;
  mentionable: boolean;
  /** Set on the role Discord creates for a bot when it joins; it cannot be removed from the bot. */
  botId?: string;
}

export interface EmojiRecord {
  id: string;
  guildId: string;
  name: string;
  animated: boolean;
}

export interface PermissionOverwrite {
  id: string;
  type: OverwriteType;
  allow: bigint;
  deny: bigint;
}

export interface ThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: 60 | 1440 | 4320 | 10080;
  archiveTimestamp: number;
  createdAt: number;
  messageCount: number;
  totalMessageSent: number;
  memberIds: Set<string>;
}

export interface ChannelRecord {
  id: string;
  guildId: string;
  type: ChannelType;
  name: string;
  topic: string | null;
  position: number;
  parentId: string | null;
  nsfw: boolean;
  lastMessageId: string | null;
  overwrites: PermissionOverwrite[];
  /** Present on thread channels (types 10, 11, 12). */
  thread?: ThreadState;
}

export interface AttachmentRecord {
  id: string;
  filename: string;
  contentType?: string;
  size: number;
  width?: number;
  height?: number;
  description?: string;
  flags: number;
  /** Key of the bytes in the CDN store. */
  blobKey: string;
}

export interface ReactionRecord {
  emoji: { id: string | null; name: string; animated?: boolean };
  /** In the order they reacted. */
  userIds: string[];
}

/** Who wrote a message: a user account (people and bots alike) or a webhook with per-message overrides. */
export type Author =
  | { kind: "user"; userId: string }
  | { kind: "webhook"; webhookId: string; username: string; avatar: string | null; avatarUrl?: string };

export interface MessageRecord {
  id: string;
  channelId: string;
  guildId: string;
  author: Author;
  type: MessageType;
  content: string;
  embeds: APIEmbed[];
  attachments: AttachmentRecord[];
  stickerItems: APIStickerItem[];
  mentionUserIds: string[];
  mentionRoleIds: string[];
  mentionEveryone: boolean;
  reference?: { messageId?: string; channelId: string; guildId: string };
  editedAt: number | null;
  nonce?: string | number;
  tts: boolean;
  flags: number;
  reactions: ReactionRecord[];
  /** Id of the thread started from this message (equal to the message id, as on Discord). */
  startedThreadId?: string;
  /** Only in threads: roughly the index of the message within the thread. */
  position?: number;
}

export interface WebhookRecord {
  id: string;
  token: string;
  guildId: string;
  channelId: string;
  name: string;
  avatar: string | null;
  creatorId: string;
  /** The application of the bot that created it, as Discord records for webhooks made through the API. */
  applicationId: string | null;
}
