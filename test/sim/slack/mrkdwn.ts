// The `text` Slack derives from a rich_text block: its mrkdwn form, with &, < and > escaped, lists written
// as "• item" / "1. item" lines (nested ones indented by four spaces), quotes as "&gt; " lines and code
// blocks fenced with ```.
import type { RichElement, RichInline, RichList, RichTextBlock, TextStyle } from "./rich-text.js";
import type { Json } from "./model.js";

const BULLETS = ["•", "◦", "▪︎"];

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Escapes what Slack escapes in text an API caller sends: a bare &, < or > becomes an entity, while
 * existing entities and <…> control sequences (mentions, links) are kept.
 */
export function normalizeApiText(text: string): string {
  return text
    .split(/(<[^<>\n]+>)/)
    .map((part, index) =>
      index % 2 === 1 && /^<([@#!]|[a-z][a-z0-9+.-]*:)/i.test(part)
        ? part
        : part.replace(/&(?!(?:amp|lt|gt);)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
    )
    .join("");
}

const MARKERS: Record<keyof TextStyle, string> = { bold: "*", italic: "_", strike: "~", code: "`" };
const STYLE_ORDER = ["bold", "italic", "strike", "code"] as const;

/** An inline element's own text, before any style markers. */
function bare(element: RichInline): string {
  switch (element.type) {
    case "text":
      return escapeMrkdwn(element.text);
    case "user":
      return `<@${element.user_id}>`;
    case "channel":
      // Current Slack clients leave the label empty: <#C0123ABCD|>.
      return `<#${element.channel_id}|>`;
    case "usergroup":
      return `<!subteam^${element.usergroup_id}>`;
    case "broadcast":
      return `<!${element.range}>`;
    case "link":
      return element.text ? `<${element.url}|${escapeMrkdwn(element.text)}>` : `<${element.url}>`;
    case "emoji":
      return `:${element.name}:${element.skin_tone ? `:skin-tone-${element.skin_tone}:` : ""}`;
  }
}

/**
 * Renders a run of inline elements with as few markers as a person would type: a style shared by
 * neighbouring elements is opened once ("*bold _both_*"), and whitespace stays outside markers, which
 * Slack requires.
 */
function inlines(elements: RichInline[]): string {
  let out = "";
  const open: (keyof TextStyle)[] = [];
  let pendingSpace = "";
  for (const element of elements) {
    const style: TextStyle = ("style" in element && element.style) || {};
    const [, lead = "", core = "", trail = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(bare(element)) ?? [];
    if (!core) {
      pendingSpace += lead;
      continue;
    }
    const firstToClose = open.findIndex((key) => !style[key]);
    if (firstToClose >= 0) while (open.length > firstToClose) out += MARKERS[open.pop()!];
    out += pendingSpace + lead;
    for (const key of STYLE_ORDER) {
      if (style[key] && !open.includes(key)) {
        out += MARKERS[key];
        open.push(key);
      }
    }
    out += core;
    pendingSpace = trail;
  }
  while (open.length > 0) out += MARKERS[open.pop()!];
  return out + pendingSpace;
}

function list(element: RichList): string {
  return element.elements
    .map((item, index) => {
      const marker = element.style === "ordered" ? `${(element.offset ?? 0) + index + 1}.` : BULLETS[element.indent % BULLETS.length];
      return `${" ".repeat(4 * element.indent)}${marker} ${inlines(item.elements)}\n`;
    })
    .join("");
}

function block(element: RichElement): string {
  switch (element.type) {
    case "rich_text_section":
      return inlines(element.elements);
    case "rich_text_list":
      return list(element);
    case "rich_text_quote":
      return inlines(element.elements)
        .split("\n")
        .map((line) => `&gt; ${line}`)
        .join("\n");
    case "rich_text_preformatted":
      return `\`\`\`${inlines(element.elements)}\`\`\``;
  }
}

export function mrkdwnFromRichText(richText: RichTextBlock): string {
  let text = "";
  for (const element of richText.elements) {
    if (text && !text.endsWith("\n")) text += "\n";
    text += block(element);
  }
  return text;
}

/** The text for a message that came only as blocks: its rich_text blocks rendered, other blocks skipped. */
export function mrkdwnFromBlocks(blocks: Json[]): string {
  return blocks
    .filter((candidate) => candidate.type === "rich_text")
    .map((richText) => mrkdwnFromRichText(richText as unknown as RichTextBlock))
    .join("\n");
}
