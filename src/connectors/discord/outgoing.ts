/**
 * A Matrix message as the Discord messages that show it: markdown cut into pieces Discord
 * accepts, the `allowed_mentions` that let exactly the people shown as mentions be pinged
 * (and everyone only when the Matrix sender may ping the room), and the flags for its style.
 * A pure function of the message and a lookup context, tested as a table.
 *
 * - `m.emote` is written as Discord's `/me` writes it, `_text_`; `m.notice` is sent silent
 *   (SUPPRESS_NOTIFICATIONS). message-content.ts reads both back.
 * - A reply cannot be a real Discord reply (webhooks cannot reply), so the message starts
 *   with one small line, `-# ↪ @who: excerpt`, the excerpt linking to the message replied to.
 * - A file over the upload limit is a link Parley serves, with its size, after the text.
 */
import { MessageFlags } from "discord.js";
import type { MessageStyle } from "../../core/events.js";
import type { Block, Document, Inline } from "../../core/format/ast.js";
import { documentInlines } from "../../core/format/document.js";
import type { DiscordRenderContext } from "./convert/context.js";
import { escapeDiscordText } from "./convert/escape.js";
import { renderInlines } from "./convert/inline-render.js";
import { renderDiscordMarkdown } from "./convert/markdown-render.js";
import { normalizeInlines } from "./convert/normalize.js";
import { splitDiscordMessage } from "./convert/split-message.js";
import { formatByteSize } from "../../core/format/byte-size.js";

/** What starts the line that shows what a message replies to. */
const REPLY_LINE_PREFIX = "-# ↪ ";
const MAX_ALLOWED_USERS = 100;

export interface ReplyLine {
  /** The Discord account to show (and ping) as the author, when the author is one. */
  authorDiscordId?: string;
  authorName: string;
  excerpt: string;
  jumpUrl: string;
}

export interface LinkedFile {
  filename: string;
  size: number;
  url: string;
}

export interface ComposeInput {
  style: MessageStyle;
  text: Document;
  /** The first line, from {@link replyLine}, for a reply. */
  replyLine?: string;
  /** The Discord account the reply line mentions, who may be pinged. */
  replyAuthorId?: string;
  /** A file too large to upload, shown as a link. */
  linkedFile?: LinkedFile;
}

export interface AllowedMentions {
  parse: Array<"everyone">;
  users: string[];
  roles: string[];
  replied_user: false;
}

export interface ComposedMessage {
  /** The contents of the Discord messages, in order; empty for a file with no caption. */
  pieces: string[];
  allowedMentions: AllowedMentions;
  flags: number;
}

export function composeMessage(input: ComposeInput, ctx: DiscordRenderContext): ComposedMessage {
  const doc = withLinkedFile(input.text, input.linkedFile);
  const body = input.style === "emote" ? renderEmote(doc, ctx) : renderDiscordMarkdown(doc, ctx);
  const full = [input.replyLine, body].filter((part) => part !== undefined && part !== "").join("\n");
  return {
    pieces: splitDiscordMessage(full),
    allowedMentions: allowedMentions(doc, ctx, input.replyAuthorId),
    flags: input.style === "notice" ? MessageFlags.SuppressNotifications : 0,
  };
}

export function replyLine(reply: ReplyLine): string {
  const who = reply.authorDiscordId
    ? `<@${reply.authorDiscordId}>`
    : `**${escapeDiscordText(reply.authorName, { lineStart: false })}**`;
  const excerpt = reply.excerpt.trim() === "" ? "↗" : escapeDiscordText(reply.excerpt, { lineStart: false, inLinkLabel: true });
  return `${REPLY_LINE_PREFIX}${who}: [${excerpt}](${reply.jumpUrl})`;
}

/** The reply line an already posted message starts with, to keep when it is edited. */
export function existingReplyLine(content: string): string | undefined {
  const [first] = content.split("\n", 1);
  return first?.startsWith(REPLY_LINE_PREFIX) ? first : undefined;
}

/**
 * One paragraph in underscores, exactly as `/me` writes it (and as message-content.ts reads
 * it back). Longer emotes keep their blocks, with each paragraph in italics.
 */
function renderEmote(doc: Document, ctx: DiscordRenderContext): string {
  const [only] = doc;
  if (doc.length === 1 && only?.type === "paragraph") {
    const children = normalizeInlines(only.children, new Set(["italic"]));
    const inner = renderInlines(children, { ctx, italicMarker: "_", inLinkLabel: false }, { lineStart: false, after: "_" });
    return inner.trim() === "" ? "" : `_${inner}_`;
  }
  const italic = doc.map((block): Block => (block.type === "paragraph" ? { type: "paragraph", children: [{ type: "italic", children: block.children }] } : block));
  return renderDiscordMarkdown(italic, ctx);
}

function withLinkedFile(doc: Document, file: LinkedFile | undefined): Document {
  if (!file) return doc;
  const note: Inline[] = [
    { type: "text", text: "📎 " },
    { type: "link", href: file.url, children: [{ type: "text", text: file.filename }] },
    { type: "text", text: ` (${formatByteSize(file.size)}, too large to upload to Discord)` },
  ];
  return [...doc, { type: "paragraph", children: note }];
}


/** Only the people written as `<@id>` may be pinged, and everyone only when the sender may ping the room. */
function allowedMentions(doc: Document, ctx: DiscordRenderContext, replyAuthor: string | undefined): AllowedMentions {
  const users = new Set<string>();
  let pingsRoom = false;
  for (const inline of documentInlines(doc)) {
    if (inline.type === "user_mention") {
      const id = ctx.discordUserId(inline.userId);
      if (id) users.add(id);
    } else if (inline.type === "room_ping") {
      pingsRoom = true;
    }
  }
  if (replyAuthor) users.add(replyAuthor);
  return {
    parse: pingsRoom && ctx.mayPingEveryone ? ["everyone"] : [],
    users: [...users].slice(0, MAX_ALLOWED_USERS),
    roles: [],
    replied_user: false,
  };
}
