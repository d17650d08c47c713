/**
 * A document as the content of a Matrix `m.room.message`: HTML for `formatted_body`
 * (format `org.matrix.custom.html`), a plain `body`, and the `m.mentions` it makes.
 *
 * Paragraphs: one paragraph is written bare and several each in `<p>`, as Element's
 * composer and mautrix bridges (goldmark, then UnwrapSingleParagraph) write them. Line
 * breaks are `<br>`, as everywhere. Out Of Your Element and matrix-appservice-discord
 * join paragraphs with `<br><br>` only because their Discord source has no paragraphs;
 * keeping `<p>` lets Element space paragraphs as its own and lets them be read back.
 */
import type { Block, Document, Inline, InlineOf } from "./ast.js";
import { documentInlines, isUnformattedDocument } from "./document.js";
import { escapeHtml } from "./escape-html.js";
import { matrixToLink } from "./matrix-to.js";
import { renderPlainText } from "./plain-text.js";
import { safeLinkHref } from "./safe-href.js";

export interface MatrixRenderContext {
  /** The mxc:// URI already uploaded for a custom emoji's remote image, if any. */
  emojiMxc?: (imageUrl: string) => string | undefined;
}

/** Message content fields; when `formatted_body` is present the caller sets `format: "org.matrix.custom.html"`. */
export interface MatrixMessageText {
  body: string;
  formatted_body?: string;
  /** The event's `m.mentions`. */
  mentions: { user_ids: string[]; room?: boolean };
}

/** Body, HTML (left out when the document has no formatting, as most bridges do) and mentions. */
export function renderMatrix(doc: Document, ctx: MatrixRenderContext = {}): MatrixMessageText {
  const body = renderPlainText(doc);
  const mentions = mentionsOf(doc);
  return isUnformattedDocument(doc) ? { body, mentions } : { body, formatted_body: renderMatrixHtml(doc, ctx), mentions };
}

/** The document as Matrix HTML, whether or not it has formatting. */
export function renderMatrixHtml(doc: Document, ctx: MatrixRenderContext = {}): string {
  return blocksHtml(doc, "loose", ctx);
}

function mentionsOf(doc: Document): MatrixMessageText["mentions"] {
  const userIds = new Set<string>();
  let room = false;
  for (const inline of documentInlines(doc)) {
    if (inline.type === "user_mention") userIds.add(inline.userId);
    if (inline.type === "room_ping") room = true;
  }
  return room ? { user_ids: [...userIds], room } : { user_ids: [...userIds] };
}

/**
 * "loose" sequences (the message, a quote) wrap every paragraph in `<p>` unless there is
 * only one; in a list item ("tight", as Markdown renders tight lists) a paragraph needs
 * `<p>` only to stay apart from a neighbouring paragraph.
 */
function blocksHtml(blocks: readonly Block[], layout: "loose" | "tight", ctx: MatrixRenderContext): string {
  return blocks
    .map((block, index) => {
      if (block.type !== "paragraph") return blockHtml(block, ctx);
      const content = inlinesHtml(block.children, ctx);
      const wrap =
        layout === "loose"
          ? blocks.length > 1
          : blocks[index - 1]?.type === "paragraph" || blocks[index + 1]?.type === "paragraph";
      return wrap ? `<p>${content}</p>` : content;
    })
    .join("");
}

function blockHtml(block: Exclude<Block, { type: "paragraph" }>, ctx: MatrixRenderContext): string {
  switch (block.type) {
    case "heading":
      return `<h${block.level}>${inlinesHtml(block.children, ctx)}</h${block.level}>`;
    case "code_block": {
      const language = block.language ? ` class="language-${escapeHtml(block.language)}"` : "";
      // Element ends the code with a newline; parsers (ours included) drop one.
      return `<pre><code${language}>${escapeHtml(block.text)}\n</code></pre>`;
    }
    case "quote":
      return `<blockquote>${blocksHtml(block.children, "loose", ctx)}</blockquote>`;
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      const start = block.ordered && block.start !== undefined && block.start !== 1 ? ` start="${block.start}"` : "";
      const items = block.items.map((item) => `<li>${blocksHtml(item, "tight", ctx)}</li>`).join("");
      return `<${tag}${start}>${items}</${tag}>`;
    }
    case "rule":
      return "<hr>";
  }
}

/** Inside a link's label, where HTML allows no other link: pills and links are written as their text. */
type InlineContext = MatrixRenderContext & { insideLink?: boolean };

function inlinesHtml(inlines: readonly Inline[], ctx: InlineContext): string {
  return inlines.map((inline) => inlineHtml(inline, ctx)).join("");
}

const FORMATTING_TAGS = { bold: "strong", italic: "em", underline: "u", strike: "del" } as const;

function inlineHtml(inline: Inline, ctx: InlineContext): string {
  switch (inline.type) {
    case "text":
      return escapeHtml(inline.text).replace(/\n/g, "<br>");
    case "bold":
    case "italic":
    case "underline":
    case "strike": {
      const tag = FORMATTING_TAGS[inline.type];
      return `<${tag}>${inlinesHtml(inline.children, ctx)}</${tag}>`;
    }
    case "spoiler":
      return `<span data-mx-spoiler>${inlinesHtml(inline.children, ctx)}</span>`;
    case "code":
      return `<code>${escapeHtml(inline.text)}</code>`;
    case "link":
      return linkHtml(inline, ctx);
    case "user_mention":
      return ctx.insideLink ? escapeHtml(inline.label || inline.userId) : pill(inline.userId, inline.label);
    case "room_mention":
      return ctx.insideLink ? escapeHtml(inline.label || inline.roomIdOrAlias) : pill(inline.roomIdOrAlias, inline.label);
    case "room_ping":
      return "@room";
    case "emoji": {
      const shortcode = escapeHtml(`:${inline.name}:`);
      const mxc = inline.imageUrl.startsWith("mxc://") ? inline.imageUrl : ctx.emojiMxc?.(inline.imageUrl);
      // Matrix clients load images only from mxc://; without one the shortcode is all we can show.
      return mxc === undefined
        ? shortcode
        : `<img data-mx-emoticon src="${escapeHtml(mxc)}" alt="${shortcode}" title="${shortcode}" height="32">`;
    }
    case "line_break":
      return "<br>";
  }
}

function linkHtml(link: InlineOf<"link">, ctx: InlineContext): string {
  // The parser reads an inline `<img>` as a link to its mxc:// source; write it back as one.
  if (link.href.startsWith("mxc://")) {
    const alt = escapeHtml(renderPlainText([{ type: "paragraph", children: link.children }]));
    return `<img src="${escapeHtml(link.href)}" alt="${alt}">`;
  }
  const href = safeLinkHref(link.href);
  const label = inlinesHtml(link.children, { ...ctx, insideLink: true });
  if (href === undefined || ctx.insideLink) return label || escapeHtml(link.href);
  return `<a href="${escapeHtml(href)}">${label || escapeHtml(href)}</a>`;
}

/** Clients draw a link to a user or room as a pill. */
function pill(id: string, label: string): string {
  return `<a href="${escapeHtml(matrixToLink(id))}">${escapeHtml(label || id)}</a>`;
}
