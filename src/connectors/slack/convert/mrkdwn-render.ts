/**
 * Document -> Slack mrkdwn, for a message's `text` (Matrix -> Slack).
 *
 * mrkdwn has paragraphs, quotes and ``` blocks; the rest is drawn with text: headings
 * as a bold line, lists as `• ` / `1. ` lines (nested ones indented four spaces, with
 * `◦` and `▪`), a rule as a line of dashes. The output reads back through
 * parseSlackMrkdwn as the same Document, apart from those drawn-with-text blocks.
 */
import type { Block, BlockOf, Document } from "../../../core/format/ast.js";
import type { SlackRenderContext } from "./context.js";
import { renderMrkdwnInlines } from "./mrkdwn-render-inline.js";
import { CODE_FENCE, NEUTRALISER, escapeEntities } from "./mrkdwn-syntax.js";

const BULLETS = ["•", "◦", "▪"] as const;
const LIST_INDENT = "    ";
const RULE = "———";

export function renderSlackMrkdwn(doc: Document, ctx: SlackRenderContext): string {
  return renderBlocks(doc, ctx);
}

function renderBlocks(blocks: Block[], ctx: SlackRenderContext): string {
  let out = "";
  let previous: Block | undefined;
  for (const block of blocks) {
    const rendered = renderBlock(block, ctx);
    if (rendered === "") continue;
    if (previous) out += needsBlankLine(previous, block) ? "\n\n" : "\n";
    out += rendered;
    previous = block;
  }
  return out;
}

/**
 * Lines of text run together into one paragraph, and list and quote lines into one
 * list or quote, so such neighbours need a blank line between them. After a list it
 * also keeps the next line from reading as the last item's continuation.
 */
function needsBlankLine(previous: Block, next: Block): boolean {
  const textLike = (block: Block): boolean =>
    block.type === "paragraph" || block.type === "heading" || block.type === "rule";
  if (textLike(previous) && textLike(next)) return true;
  return previous.type === "list" || (previous.type === "quote" && next.type === "quote");
}

function renderBlock(block: Block, ctx: SlackRenderContext): string {
  switch (block.type) {
    case "paragraph":
      return renderMrkdwnInlines(block.children, ctx);
    case "heading":
      return renderMrkdwnInlines([{ type: "bold", children: block.children }], ctx);
    case "code_block":
      return `${CODE_FENCE}\n${codeBlockText(block.text)}\n${CODE_FENCE}`;
    case "quote":
      return prefixLines(renderBlocks(block.children, ctx), (line) => (line === "" ? ">" : `> ${line}`));
    case "list":
      return renderList(block, 0, ctx);
    case "rule":
      return RULE;
  }
}

/** Escaped, with a NEUTRALISER inside any run of three backticks that would end the block. */
function codeBlockText(text: string): string {
  return escapeEntities(text).replace(/`{3,}/g, (run) => [...run].join(NEUTRALISER));
}

function prefixLines(text: string, prefix: (line: string) => string): string {
  return text
    .split("\n")
    .map((line) => prefix(line))
    .join("\n");
}

/**
 * An item's first paragraph goes on its bullet line; nested lists follow, indented one
 * level deeper. Anything else in an item is indented under it, which Slack shows
 * but which reads back as more lines of the item.
 */
function renderList(list: BlockOf<"list">, depth: number, ctx: SlackRenderContext): string {
  const indent = LIST_INDENT.repeat(depth);
  const continuation = (line: string): string => (line === "" ? "" : indent + LIST_INDENT + line);
  return list.items
    .map((item, index) => {
      const marker = list.ordered ? `${(list.start ?? 1) + index}. ` : `${BULLETS[depth % BULLETS.length]} `;
      const [first, ...rest] = item;
      const lead = first?.type === "paragraph" ? first.children : [];
      const following = first?.type === "paragraph" ? rest : item;
      const [firstLine = "", ...moreLines] = renderMrkdwnInlines(lead, ctx).split("\n");
      const lines = [indent + marker + firstLine, ...moreLines.map(continuation)];
      for (const block of following) {
        lines.push(
          block.type === "list"
            ? renderList(block, depth + 1, ctx)
            : prefixLines(renderBlock(block, ctx), continuation),
        );
      }
      return lines.join("\n");
    })
    .join("\n");
}
