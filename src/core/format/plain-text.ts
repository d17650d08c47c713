/**
 * A document as plain text, for a Matrix `body`, notifications, reply previews and
 * networks without formatting. Like Element's plain bodies it reads as light Markdown:
 * inline markup disappears, but code is fenced, quotes are prefixed `> ` and list items
 * `- ` or `1. `, since without them the structure would be lost.
 */
import type { Block, Document, Inline, InlineOf } from "./ast.js";
import { safeLinkHref } from "./safe-href.js";

export function renderPlainText(doc: Document): string {
  return blocksText(doc, "\n\n");
}

function blocksText(blocks: readonly Block[], separator: string): string {
  return blocks.map(blockText).join(separator);
}

function blockText(block: Block): string {
  switch (block.type) {
    case "paragraph":
    case "heading":
      return inlinesText(block.children);
    case "code_block": {
      const fence = fenceFor(block.text, 3);
      return `${fence}${block.language ?? ""}\n${block.text}\n${fence}`;
    }
    case "quote":
      return blocksText(block.children, "\n\n")
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    case "list":
      return block.items
        .map((item, index) => listItemText(item, block.ordered ? `${(block.start ?? 1) + index}. ` : "- "))
        .join("\n");
    case "rule":
      return "---";
  }
}

/** Continuation lines are indented to the item's text, so nested lists read as nested. */
function listItemText(item: readonly Block[], marker: string): string {
  const [first = "", ...rest] = blocksText(item, "\n").split("\n");
  const indent = " ".repeat(marker.length);
  return [`${marker}${first}`.trimEnd(), ...rest.map((line) => (line === "" ? "" : indent + line))].join("\n");
}

function inlinesText(inlines: readonly Inline[]): string {
  return inlines.map(inlineText).join("");
}

function inlineText(inline: Inline): string {
  switch (inline.type) {
    case "text":
      return inline.text;
    case "bold":
    case "italic":
    case "underline":
    case "strike":
      return inlinesText(inline.children);
    case "spoiler":
      // The spec's plain fallback for a spoiler does not give it away (it links an upload
      // instead); notifications and reply previews must not either.
      return "[Spoiler]";
    case "code":
      return inlineCode(inline.text);
    case "link":
      return linkText(inline);
    case "user_mention":
      return inline.label || inline.userId;
    case "room_mention":
      return inline.label || inline.roomIdOrAlias;
    case "room_ping":
      return "@room";
    case "emoji":
      return `:${inline.name}:`;
    case "line_break":
      return "\n";
  }
}

/** `label (url)`, or just the url when the label says nothing more; unsafe urls are left out. */
function linkText(link: InlineOf<"link">): string {
  const label = inlinesText(link.children);
  const href = safeLinkHref(link.href);
  if (href === undefined) return label;
  if (label === "") return href;
  return label === href || `mailto:${label}` === href ? label : `${label} (${href})`;
}

function inlineCode(code: string): string {
  const fence = fenceFor(code, 1);
  const padding = code.startsWith("`") || code.endsWith("`") ? " " : "";
  return `${fence}${padding}${code}${padding}${fence}`;
}

/** A run of backticks longer than any inside the code, as Markdown needs. */
function fenceFor(code: string, minimum: number): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(minimum, longestRun + 1));
}
