/**
 * The network-neutral tree -> Discord message markdown (Matrix -> Discord).
 *
 * What Discord cannot draw is written in the nearest form it can: headings below `###`
 * as bold lines, a rule as a line of dashes, a quote inside a quote as more of the same
 * quote (Discord does not nest quotes), several paragraphs in one list item as lines.
 * Blocks are written one per line; a blank line separates two paragraphs, and two
 * lists or two quotes that would otherwise run together.
 */
import type { Block, Document, Inline } from "../../../core/format/ast.js";
import type { DiscordRenderContext } from "./context.js";
import { breakFences, renderInlines, type InlineRenderState } from "./inline-render.js";
import { FENCE_LANGUAGE } from "./markdown-syntax.js";
import { normalizeBlocks } from "./normalize.js";

const RULE = "----------";

export function renderDiscordMarkdown(doc: Document, ctx: DiscordRenderContext): string {
  return renderBlocks(normalizeBlocks(doc), { ctx, inLinkLabel: false }, "spaced");
}

/** `compact` keeps a list item's blocks on consecutive lines: a blank line would end the list. */
type Spacing = "spaced" | "compact";

function renderBlocks(blocks: readonly Block[], state: InlineRenderState, spacing: Spacing): string {
  let out = "";
  let previous: Block | undefined;
  for (const block of blocks) {
    const text = renderBlock(block, state);
    if (text === "") continue;
    if (previous) out += spacing === "spaced" && wouldMerge(previous, block) ? "\n\n" : "\n";
    out += text;
    previous = block;
  }
  return out;
}

/** Blocks that read as one when only a newline is between them. */
function wouldMerge(first: Block, second: Block): boolean {
  return first.type === second.type && (first.type === "paragraph" || first.type === "list" || first.type === "quote");
}

function renderBlock(block: Block, state: InlineRenderState): string {
  switch (block.type) {
    case "paragraph":
      return renderInlines(block.children, state, { lineStart: true, after: "" });
    case "heading":
      return renderHeading(block.level, block.children, state);
    case "code_block":
      return renderCodeBlock(block.text, block.language);
    case "quote":
      return prefixLines(renderBlocks(flattenQuotes(block.children), state, "spaced"), () => "> ");
    case "list":
      return block.items.map((item, i) => renderListItem(item, listMarker(block, i), state)).join("\n");
    case "rule":
      return RULE;
  }
}

function renderHeading(level: number, children: readonly Inline[], state: InlineRenderState): string {
  // A heading is one line on Discord.
  const oneLine = children.map((node): Inline => {
    if (node.type === "line_break") return { type: "text", text: " " };
    return node.type === "text" ? { type: "text", text: node.text.replace(/\n/g, " ") } : node;
  });
  if (level > 3) return renderBlock({ type: "paragraph", children: [{ type: "bold", children: oneLine }] }, state);
  const content = renderInlines(oneLine, state, { lineStart: false, after: "" }).trim();
  return content === "" ? "" : `${"#".repeat(level)} ${content}`;
}

function renderCodeBlock(text: string, language: string | undefined): string {
  const code = text.replace(/^\n+|\n+$/g, "");
  if (code === "") return "";
  const fenceLanguage = language && FENCE_LANGUAGE.test(language) ? language : "";
  return "```" + fenceLanguage + "\n" + breakFences(code) + "\n```";
}

function flattenQuotes(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block) => (block.type === "quote" ? flattenQuotes(block.children) : [block]));
}

function listMarker(list: Extract<Block, { type: "list" }>, index: number): string {
  return list.ordered ? `${(list.start ?? 1) + index}. ` : "- ";
}

/** The marker on the item's first line; its other lines indented under the item's text. */
function renderListItem(item: readonly Block[], marker: string, state: InlineRenderState): string {
  // An empty item still needs text after its marker to be an item at all.
  const body = renderBlocks(item, state, "compact") || "\u200B";
  const indent = " ".repeat(marker.length);
  return prefixLines(body, (index) => (index === 0 ? marker : indent));
}

function prefixLines(text: string, prefix: (index: number) => string): string {
  return text
    .split("\n")
    .map((line, index) => prefix(index) + line)
    .join("\n");
}
