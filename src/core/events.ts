import type { Document } from "./format/ast.js";

/**
 * What a connector reports from its network, as plain data. Every id here is the
 * connector's own (it makes and parses them in its ids module); the core stores them
 * opaquely and never looks inside.
 */

/** A person or bot on a remote network, as the ghost that stands for them should look. */
export interface RemoteUser {
  id: string;
  displayName: string;
  /** Where the avatar can be fetched with the connector's fetchMedia; absent for none. */
  avatarUrl?: string;
  isBot?: boolean;
  /**
   * Set when this look holds only in part of the network (a Discord guild, where the
   * person may have a nick of their own): the ghost's profile shows the look of the
   * first scope it was seen in, and other scopes' rooms show theirs per room.
   */
  scope?: string;
}

export type MediaKind = "image" | "video" | "audio" | "file" | "sticker";

/** An attachment on a remote message, fetched by the connector only when the core bridges it. */
export interface RemoteMedia {
  kind: MediaKind;
  url: string;
  filename: string;
  mimetype?: string;
  size?: number;
  width?: number;
  height?: number;
  durationMs?: number;
  /** Hidden until clicked on the remote side; stays hidden on Matrix. */
  spoiler?: boolean;
  /** Text that belongs with this file (Slack snippet titles, alt text). */
  description?: string;
}

export type MessageStyle = "text" | "emote" | "notice";

export interface RemoteContent {
  style: MessageStyle;
  /** The formatted text; empty when the message is only attachments. */
  text: Document;
  media: RemoteMedia[];
}

/** A Unicode emoji, or a custom one drawn from an image. */
export type RemoteEmoji =
  | { kind: "unicode"; value: string }
  | { kind: "custom"; id: string; name: string; imageUrl: string; animated?: boolean };

interface ChatEvent {
  /** The connector's id of the chat (channel, DM) the event belongs to. */
  chat: string;
}

export type RemoteEvent =
  | (ChatEvent & {
      type: "message";
      id: string;
      sender: RemoteUser;
      content: RemoteContent;
      /** The remote id of the message this one replies to. */
      replyTo?: string;
      /** The reply notifies the author of the message replied to (Discord's reply ping). */
      replyMentionsAuthor?: boolean;
      /** The remote id of the thread's root message, for a message inside a thread. */
      threadRoot?: string;
      /** A thread reply that was also posted to the channel (Slack "also send to channel"). */
      alsoInChannel?: boolean;
      timestamp: number;
    })
  | (ChatEvent & { type: "edit"; id: string; sender: RemoteUser; content: RemoteContent; timestamp: number })
  | (ChatEvent & { type: "delete"; ids: string[] })
  | (ChatEvent & { type: "reaction"; messageId: string; sender: RemoteUser; emoji: RemoteEmoji })
  | (ChatEvent & { type: "reaction_remove"; messageId: string; sender: RemoteUser; emoji: RemoteEmoji })
  /** A moderator removed every reaction on a message, or every one with `emoji`. */
  | (ChatEvent & { type: "reactions_cleared"; messageId: string; emoji?: RemoteEmoji })
  | (ChatEvent & { type: "typing"; sender: RemoteUser })
  | (ChatEvent & { type: "chat_update"; name?: string; topic?: string; avatarUrl?: string })
  | (ChatEvent & { type: "chat_delete"; reason: string })
  | (ChatEvent & { type: "member"; user: RemoteUser; membership: "join" | "leave" })
  | { type: "user_update"; user: RemoteUser };

export type RemoteEventOf<T extends RemoteEvent["type"]> = Extract<RemoteEvent, { type: T }>;
