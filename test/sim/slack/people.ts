// What simulated people do in a Slack client, producing what the client would send: a message typed with
// formatting becomes a rich_text block plus its mrkdwn text and a client_msg_id; an upload becomes a
// file_share message; editing, deleting, reacting and channel changes go through the same workspace actions
// the Web API uses, so the app sees identical events either way.
import { joinChannel } from "./actions/channels.js";
import type { ActionContext } from "./actions/context.js";
import { attachUnfurls, editMessage, postMessage, react, type MessageContent } from "./actions/messages.js";
import { canonicalReactionName, isWorkspaceEmoji, standardEmojiUnicode } from "./emoji.js";
import { describeFile } from "./file-types.js";
import { slackId, uuid } from "./ids.js";
import type { Channel, Json, Message, StoredFile } from "./model.js";
import { mrkdwnFromBlocks, mrkdwnFromRichText, normalizeApiText } from "./mrkdwn.js";
import { richTextFromTyped, type EmojiResolver } from "./rich-text.js";

export interface FileInput {
  name: string;
  bytes: Buffer;
  mimetype?: string;
  filetype?: string;
  title?: string;
  /** "snippet" for text pasted as a code snippet; "hosted" for an uploaded file. */
  mode?: "hosted" | "snippet";
}

export interface TypedMessage {
  /** What the person typed, in Slack's markup; see rich-text.ts. */
  text?: string;
  /** Blocks exactly as a client sent them, for cases the typed-text conversion does not cover. */
  blocks?: Json[];
  thread_ts?: string;
  /** "Also send to #channel" on a thread reply. */
  reply_broadcast?: boolean;
  files?: FileInput[];
  /** A /me message. */
  me?: boolean;
}

export interface UnfurlInput {
  url: string;
  title?: string;
  text?: string;
  service_name?: string;
  image_url?: string;
}

function emojiResolver(context: ActionContext, channel: Channel): EmojiResolver {
  const team = context.state.team(channel.teamId);
  return (name, skinTone) => {
    const unicode = standardEmojiUnicode(name, skinTone);
    if (unicode) return { unicode };
    return skinTone === undefined && isWorkspaceEmoji(team, name) ? {} : undefined;
  };
}

/** The text and blocks a client sends for what was typed (or for explicit blocks). */
export function composeContent(context: ActionContext, channel: Channel, input: { text?: string; blocks?: Json[] }): MessageContent {
  if (input.blocks) return { text: input.text ?? mrkdwnFromBlocks(input.blocks), blocks: input.blocks };
  const typed = input.text ?? "";
  if (!typed.trim()) return { text: "" };
  const richText = richTextFromTyped(typed, emojiResolver(context, channel));
  return { text: mrkdwnFromRichText(richText), blocks: [richText as unknown as Json] };
}

function storeUpload(context: ActionContext, channel: Channel, userId: string, input: FileInput): string {
  const kind = describeFile(input.name, { filetype: input.filetype, mimetype: input.mimetype });
  const file: StoredFile = {
    id: slackId("F"), teamId: channel.teamId, userId, created: context.clock.seconds(), name: input.name,
    title: input.title ?? input.name, mimetype: kind.mimetype, filetype: kind.filetype, prettyType: kind.prettyType,
    mode: input.mode ?? "hosted", bytes: input.bytes, shares: [],
  };
  context.state.files.set(file.id, file);
  return file.id;
}

function requireMember(channel: Channel, userId: string): void {
  if (!channel.members.has(userId)) throw new Error(`${userId} is not in #${channel.name}; have them join first`);
}

export function userPosts(context: ActionContext, channel: Channel, userId: string, input: TypedMessage): Message {
  requireMember(channel, userId);
  if (channel.isArchived) throw new Error(`#${channel.name} is archived`);
  const content = input.me ? { text: normalizeApiText(input.text ?? "") } : composeContent(context, channel, input);
  const fileIds = (input.files ?? []).map((file) => storeUpload(context, channel, userId, file));
  return postMessage(context, channel, { kind: "user", userId, clientMsgId: uuid() }, content, {
    threadTs: input.thread_ts,
    broadcast: input.reply_broadcast,
    fileIds,
    subtype: input.me ? "me_message" : undefined,
  });
}

export function userEdits(context: ActionContext, channel: Channel, message: Message, input: { text?: string; blocks?: Json[] }): void {
  if (!message.user) throw new Error(`message ${message.ts} was not written by a person`);
  editMessage(context, channel, message, message.user, composeContent(context, channel, input));
}

/** Slack's link previews: one attachment per URL, in the shape Slack's unfurler writes. */
export function unfurl(context: ActionContext, channel: Channel, message: Message, previews: UnfurlInput[]): void {
  const offset = message.attachments?.length ?? 0;
  const attachments = previews.map((preview, index) => ({
    id: offset + index + 1,
    from_url: preview.url, original_url: preview.url, title_link: preview.url,
    fallback: [preview.service_name, preview.title].filter(Boolean).join(": ") || preview.url,
    ...(preview.title ? { title: preview.title } : {}),
    ...(preview.text ? { text: preview.text } : {}),
    ...(preview.service_name ? { service_name: preview.service_name } : {}),
    ...(preview.image_url ? { image_url: preview.image_url } : {}),
  }));
  attachUnfurls(context, channel, message, attachments);
}

export function userReacts(context: ActionContext, channel: Channel, message: Message, userId: string, emoji: string, added: boolean): void {
  requireMember(channel, userId);
  const name = canonicalReactionName(context.state.team(channel.teamId), emoji);
  if (!name) throw new Error(`Slack knows no emoji named ${emoji}`);
  const hasReacted = message.reactions.some((reaction) => reaction.name === name && reaction.users.includes(userId));
  if (hasReacted === added) throw new Error(`${userId} has ${added ? "already" : "not"} reacted with ${name}`);
  react(context, channel, message, userId, name, added);
}

export function inviteBot(context: ActionContext, channel: Channel, inviterId?: string): void {
  const team = context.state.team(channel.teamId);
  const inviter = inviterId ?? (context.state.users.has(channel.creator) ? channel.creator : undefined);
  joinChannel(context, channel, team.bot.userId, inviter);
}
