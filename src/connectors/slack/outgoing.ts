/**
 * Matrix messages as Slack posts: pure functions from the network-neutral message to the
 * arguments of chat.postMessage, chat.update and reactions.*, tested by tables.
 *
 * Text is sent as mrkdwn in `text` (renderSlackMrkdwn escapes `&`, `<` and `>` exactly),
 * not as rich_text blocks: mrkdwn reaches every Slack client and notification as it is,
 * and what Slack clients cannot draw (headings, nested lists) degrades to readable text.
 * An emote is written as Slack shows `/me`, in italics under the sender's name; a notice
 * as a `context` block, Slack's small muted aside, with the same text as its fallback.
 */
import type { types } from "@slack/bolt";
import type { MatrixSender, OutgoingEmoji, OutgoingMedia, OutgoingMessage } from "../../core/connector.js";
import type { MessageStyle } from "../../core/events.js";
import type { Block, Document, Inline } from "../../core/format/ast.js";
import { shortcodeForUnicode } from "../../core/format/emoji-shortcodes.js";
import type { SlackRenderContext } from "./convert/context.js";
import { renderSlackMrkdwn } from "./convert/mrkdwn-render.js";
import { escapeEntities } from "./convert/mrkdwn-syntax.js";
import { formatByteSize } from "../../core/format/byte-size.js";

/** Slack cuts a custom `username` at 80 characters. */
const USERNAME_LIMIT = 80;
/** A context block's text element holds at most 3000 characters; longer notices go as plain text. */
const CONTEXT_TEXT_LIMIT = 3000;
/** What Parley marks its posts with, to recognise them in history after a restart. */
export const PARLEY_EVENT_TYPE = "parley_matrix_event";

export interface SlackPostBody {
  text: string;
  blocks?: types.KnownBlock[];
}

export type ThreadPlacement = { thread_ts?: undefined } | { thread_ts: string; reply_broadcast?: false } | { thread_ts: string; reply_broadcast: true };

export function postBody(doc: Document, style: MessageStyle, ctx: SlackRenderContext): SlackPostBody {
  if (style === "emote") return { text: renderSlackMrkdwn(italicised(doc), ctx) };
  const text = renderSlackMrkdwn(doc, ctx);
  if (style === "notice" && text.length > 0 && text.length <= CONTEXT_TEXT_LIMIT) {
    return { text, blocks: [{ type: "context", elements: [{ type: "mrkdwn", text }] }] };
  }
  return { text };
}

/** The document with every paragraph's text in italics, as Slack draws `/me`. */
function italicised(doc: Document): Document {
  return doc.map((block): Block => {
    switch (block.type) {
      case "paragraph":
      case "heading":
        return { ...block, children: block.children.length > 0 ? [{ type: "italic", children: block.children } as Inline] : [] };
      case "quote":
        return { ...block, children: italicised(block.children) };
      case "list":
        return { ...block, items: block.items.map(italicised) };
      default:
        return block;
    }
  });
}

/** Who the post shows as: the Matrix sender's name and avatar (chat:write.customize). */
export function senderIdentity(sender: MatrixSender): { username: string; icon_url?: string } {
  const username = [...sender.displayName.trim()].slice(0, USERNAME_LIMIT).join("") || sender.userId;
  return sender.avatarUrl ? { username, icon_url: sender.avatarUrl } : { username };
}

/**
 * Where the post goes. A Matrix thread maps to the Slack thread of its root. A Matrix
 * reply outside a thread becomes a reply in the replied message's Slack thread; when
 * that message is itself in a thread, the reply also goes to the channel, as the Matrix
 * user wrote it in the main timeline.
 */
export function threadPlacement(message: Pick<OutgoingMessage, "threadRoot" | "replyTo">): ThreadPlacement {
  if (message.threadRoot) return { thread_ts: message.threadRoot };
  if (!message.replyTo) return {};
  if (message.replyTo.threadRoot) return { thread_ts: message.replyTo.threadRoot, reply_broadcast: true };
  return { thread_ts: message.replyTo.remoteId };
}

/** The comment a file upload carries: who sent it, then the caption. */
export function uploadComment(sender: MatrixSender, caption: string): string {
  const name = `*${escapeEntities(sender.displayName || sender.userId)}*`;
  return caption ? `${name}: ${caption}` : name;
}

/** A file over the upload limit: its caption, then a link Parley serves and why it is a link. */
export function oversizeFileText(media: OutgoingMedia, caption: string): string {
  const label = escapeEntities(media.filename).replace(/\|/g, "¦");
  const note = `<${media.publicUrl}|${label}> (${formatByteSize(media.size)}, too large to upload to Slack)`;
  return caption ? `${caption}\n${note}` : note;
}


/** Slack's name for a reaction (`+1`, `heart`, `wave::skin-tone-3`, a custom name), if it has one. */
export function reactionName(emoji: OutgoingEmoji): string | undefined {
  if (emoji.kind === "custom") return emoji.name || undefined;
  return shortcodeForUnicode(emoji.value);
}

export function parleyMetadata(idempotencyKey: string): { event_type: string; event_payload: { event_id: string } } {
  return { event_type: PARLEY_EVENT_TYPE, event_payload: { event_id: idempotencyKey } };
}

/** The ts of a message Parley already posted for this Matrix event, among messages from history. */
export function alreadyPosted(
  messages: readonly { ts: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[],
  idempotencyKey: string,
): string | undefined {
  return messages.find((message) =>
    message.metadata?.event_type === PARLEY_EVENT_TYPE && message.metadata.event_payload?.event_id === idempotencyKey)?.ts;
}
