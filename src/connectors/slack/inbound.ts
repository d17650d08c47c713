/**
 * Slack messages as RemoteContent: pure functions of the message JSON and a lookup
 * context, tested by a table of real payloads.
 *
 * The text comes from the `rich_text` blocks today's clients send, else from the mrkdwn
 * `text` (bots, older clients). A message of `context` blocks only is how apps post a
 * muted aside, and reads as a notice; a `/me` message is an emote. Files become media,
 * except snippets, which are code and shown as code blocks.
 */
import type { MessageStyle, RemoteContent, RemoteMedia } from "../../core/events.js";
import { mediaKindOf } from "../../core/media-kind.js";
import type { Block, Document } from "../../core/format/ast.js";
import type { SlackParseContext } from "./convert/context.js";
import { parseSlackMrkdwn } from "./convert/mrkdwn-parse.js";
import { escapeEntities } from "./convert/mrkdwn-syntax.js";
import { linkReference } from "./convert/references.js";
import { parseSlackRichText } from "./convert/rich-text-parse.js";
import type { SlackAttachment, SlackFile, SlackMessage } from "./slack-types.js";

/** Slack's `filetype` names for plain text, which are not a code language. */
const PLAIN_TEXT_FILETYPES = new Set(["text", "txt", "space"]);

/** Files Slack no longer shows: deleted, or beyond a free workspace's history limit. */
const HIDDEN_FILE_MODES = new Set(["tombstone", "hidden_by_limit"]);

type Json = Record<string, unknown>;

export interface MessageReferences {
  users: Set<string>;
  channels: Set<string>;
  /** User group ids, with the handle when the text carried one (`<!subteam^S1|@team>`). */
  usergroups: Map<string, string | undefined>;
}

/** Every user, channel and user group a message names, so lookups can be made before parsing. */
export function referencesIn(message: SlackMessage): MessageReferences {
  const refs: MessageReferences = { users: new Set(), channels: new Set(), usergroups: new Map() };
  const texts = [message.text ?? "", ...(message.attachments ?? []).flatMap((a) => [a.text ?? "", a.pretext ?? ""])];
  for (const text of texts) {
    for (const match of text.matchAll(/<@([UW][A-Z0-9]+)[|>]/g)) refs.users.add(match[1] as string);
    for (const match of text.matchAll(/<#([CGD][A-Z0-9]+)[|>]/g)) refs.channels.add(match[1] as string);
    for (const match of text.matchAll(/<!subteam\^(S[A-Z0-9]+)(?:\|@?([^>]*))?>/g)) {
      const handle = match[2] || refs.usergroups.get(match[1] as string);
      refs.usergroups.set(match[1] as string, handle || undefined);
    }
  }
  visitJson(message.blocks ?? [], (element) => {
    if (element.type === "user" && typeof element.user_id === "string") refs.users.add(element.user_id);
    if (element.type === "channel" && typeof element.channel_id === "string") refs.channels.add(element.channel_id);
    if (element.type === "usergroup" && typeof element.usergroup_id === "string" && !refs.usergroups.has(element.usergroup_id)) {
      refs.usergroups.set(element.usergroup_id, undefined);
    }
  });
  return refs;
}

function visitJson(value: unknown, visit: (element: Json) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => visitJson(item, visit));
  } else if (value !== null && typeof value === "object") {
    visit(value as Json);
    Object.values(value).forEach((item) => visitJson(item, visit));
  }
}

/** The snippet files of a message, whose text is fetched to show them as code. */
export function snippetFiles(message: SlackMessage): SlackFile[] {
  return (message.files ?? []).filter((file) => file.mode === "snippet");
}

/**
 * What a message says and carries. `snippets` holds the fetched text of snippet files by
 * id; a snippet whose text could not be fetched is bridged as a file instead.
 */
export function slackMessageContent(message: SlackMessage, ctx: SlackParseContext, snippets: ReadonlyMap<string, string> = new Map()): RemoteContent {
  const { style, text } = messageText(message, ctx);
  const blocks: Block[] = [...text, ...attachmentsDocument(message.attachments ?? [], ctx)];
  const media: RemoteMedia[] = [];
  for (const file of message.files ?? []) {
    if (file.mode !== undefined && HIDDEN_FILE_MODES.has(file.mode)) continue;
    const snippet = snippets.get(file.id);
    if (file.mode === "snippet" && snippet !== undefined) blocks.push(...snippetDocument(file, snippet));
    else if (file.is_external || file.mode === "external") blocks.push(externalFileLink(file));
    else if (file.url_private_download ?? file.url_private) media.push(mediaOf(file));
  }
  return { style, text: blocks, media };
}

function messageText(message: SlackMessage, ctx: SlackParseContext): { style: MessageStyle; text: Document } {
  const style: MessageStyle = message.subtype === "me_message" ? "emote" : "text";
  const richText = parseSlackRichText(message.blocks ?? [], ctx);
  if (richText) return { style, text: richText };
  const contextText = contextBlocksText(message.blocks ?? []);
  if (contextText !== undefined) return { style: "notice", text: parseSlackMrkdwn(contextText, ctx) };
  return { style, text: parseSlackMrkdwn(message.text ?? "", ctx) };
}

/** The mrkdwn of a message made of `context` blocks only, or undefined for any other message. */
export function contextBlocksText(blocks: unknown[]): string | undefined {
  if (blocks.length === 0 || !blocks.every((block) => (block as Json)?.type === "context")) return undefined;
  const texts = blocks.flatMap((block) =>
    ((block as Json).elements as Json[] | undefined ?? [])
      .filter((element) => (element.type === "mrkdwn" || element.type === "plain_text") && typeof element.text === "string")
      .map((element) => element.type === "plain_text" ? escapeEntities(element.text as string) : (element.text as string)),
  );
  return texts.join("\n");
}

/**
 * Attachments an integration wrote (not link previews Slack made): a quote per
 * attachment with its pretext, linked title and text, or its fallback when it has none.
 */
function attachmentsDocument(attachments: SlackAttachment[], ctx: SlackParseContext): Block[] {
  const blocks: Block[] = [];
  for (const attachment of attachments) {
    if (attachment.from_url !== undefined || attachment.is_app_unfurl) continue;
    const children: Block[] = [];
    if (attachment.pretext) children.push(...parseSlackMrkdwn(attachment.pretext, ctx));
    if (attachment.title) {
      const title = { type: "text" as const, text: attachment.title };
      children.push({
        type: "paragraph",
        children: [{ type: "bold", children: [attachment.title_link ? linkReference(attachment.title_link, title) : title] }],
      });
    }
    if (attachment.text) children.push(...parseSlackMrkdwn(attachment.text, ctx));
    if (children.length === 0 && attachment.fallback) children.push(...parseSlackMrkdwn(attachment.fallback, ctx));
    if (children.length > 0) blocks.push({ type: "quote", children });
  }
  return blocks;
}

function snippetDocument(file: SlackFile, text: string): Block[] {
  const language = file.filetype && !PLAIN_TEXT_FILETYPES.has(file.filetype) ? file.filetype : undefined;
  const code: Block = { type: "code_block", text: text.replace(/\n$/, ""), ...(language ? { language } : {}) };
  const title = file.title && file.title !== file.name ? file.title : undefined;
  return title ? [{ type: "paragraph", children: [{ type: "bold", children: [{ type: "text", text: title }] }] }, code] : [code];
}

/** A file kept elsewhere (Google Drive and the like): a link, since Slack holds no bytes. */
function externalFileLink(file: SlackFile): Block {
  const label = { type: "text" as const, text: file.title || file.name || "file" };
  const href = file.permalink ?? file.url_private;
  return { type: "paragraph", children: [href ? linkReference(href, label) : label] };
}

export function mediaOf(file: SlackFile): RemoteMedia {
  return {
    kind: mediaKindOf(file.mimetype),
    url: (file.url_private_download ?? file.url_private) as string,
    filename: file.name || file.title || file.id,
    mimetype: file.mimetype,
    size: file.size,
    width: file.original_w,
    height: file.original_h,
    description: file.alt_txt,
  };
}

/**
 * Whether a message_changed is an edit someone made. Slack also sends it when link
 * previews arrive, when a thread gains replies and when files are processed; only an
 * edit carries `edited`, and one that changes nothing readable is not worth a Matrix edit.
 */
export function isUserEdit(message: SlackMessage, previous: SlackMessage | undefined): boolean {
  if (!message.edited) return false;
  if (!previous) return true;
  return message.text !== previous.text || JSON.stringify(message.blocks ?? []) !== JSON.stringify(previous.blocks ?? []);
}
