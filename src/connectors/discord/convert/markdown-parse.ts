/**
 * Discord message markdown -> the network-neutral tree.
 *
 * Discord has no paragraphs: every newline is a line break. The tree's paragraphs are
 * the runs between blank lines (two or more newlines), and between the blocks Discord
 * draws on their own: fenced code (which may start mid-line), quotes, headings and
 * lists. `-# subtext` has no place in the tree; its text stays as plain text.
 */
import type { Block, Document, Inline } from "../../../core/format/ast.js";
import type { DiscordParseContext } from "./context.js";
import { appendInlines, parseInlines, parseInlineStep, type InlineParseState } from "./inline-parse.js";
import {
  CODE_FENCE,
  HEADING,
  LIST_ITEM,
  QUOTE_LINES,
  QUOTE_PREFIX,
  QUOTE_REST_OF_MESSAGE,
  SUBTEXT,
} from "./markdown-syntax.js";

export function parseDiscordMarkdown(content: string, ctx: DiscordParseContext): Document {
  const state: InlineParseState = { ctx, inLink: false, inItalic: false, depth: 0 };
  return parseBlocks(content.replace(/\r\n?/g, "\n"), state, false);
}

interface BlockMatch {
  length: number;
  blocks: Block[];
}

function parseBlocks(source: string, state: InlineParseState, inQuote: boolean): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[] = [];
  const endParagraph = () => {
    const children = trimLineBreaks(paragraph);
    if (children.some(showsText)) blocks.push({ type: "paragraph", children });
    paragraph = [];
  };

  for (let pos = 0; pos < source.length; ) {
    const rest = source.slice(pos);
    const atLineStart = pos === 0 || source[pos - 1] === "\n";
    const block = (atLineStart ? matchLineStartBlock(rest, state, inQuote) : undefined) ?? matchCodeBlock(rest);
    if (block) {
      endParagraph();
      blocks.push(...block.blocks);
      pos += block.length;
      continue;
    }
    const subtextMarker = atLineStart ? SUBTEXT.exec(rest) : null;
    const newlines = /^\n+/.exec(rest);
    if (subtextMarker) {
      pos += subtextMarker[0].length;
    } else if (newlines) {
      if (newlines[0].length > 1) endParagraph();
      else paragraph.push({ type: "line_break" });
      pos += newlines[0].length;
    } else {
      const step = parseInlineStep(rest, state);
      appendInlines(paragraph, step.nodes);
      pos += step.length;
    }
  }
  endParagraph();
  return blocks;
}

function matchLineStartBlock(source: string, state: InlineParseState, inQuote: boolean): BlockMatch | undefined {
  const quote = inQuote ? undefined : matchQuote(source, state);
  return quote ?? matchHeading(source, state) ?? matchList(source, state, inQuote);
}

/** `> ` on each line, or `>>> ` for the rest of the message. Discord does not nest quotes. */
function matchQuote(source: string, state: InlineParseState): BlockMatch | undefined {
  const restOfMessage = QUOTE_REST_OF_MESSAGE.exec(source);
  const lines = restOfMessage ? undefined : QUOTE_LINES.exec(source);
  if (!restOfMessage && !lines) return undefined;
  const content = restOfMessage ? restOfMessage[1]! : lines![1]!.replace(QUOTE_PREFIX, "");
  const children = parseBlocks(content, state, true);
  const length = (restOfMessage ?? lines)![0].length;
  return { length, blocks: children.length > 0 ? [{ type: "quote", children }] : [] };
}

function matchHeading(source: string, state: InlineParseState): BlockMatch | undefined {
  const match = HEADING.exec(source);
  if (!match) return undefined;
  const level = match[1]!.length as 1 | 2 | 3;
  return { length: match[0].length, blocks: [{ type: "heading", level, children: parseInlines(match[2]!, state) }] };
}

function matchCodeBlock(source: string): BlockMatch | undefined {
  const match = CODE_FENCE.exec(source);
  if (!match) return undefined;
  const language = match[1];
  const text = match[2]!;
  const block: Block = language ? { type: "code_block", language, text } : { type: "code_block", text };
  return { length: match[0].length, blocks: [block] };
}

/**
 * `- `, `* ` or `1. ` items at one indentation. A more indented line belongs to the item
 * above it (a nested list, or more of its text); a blank line or a line back at the
 * list's margin that is not an item ends the list.
 */
function matchList(source: string, state: InlineParseState, inQuote: boolean): BlockMatch | undefined {
  const first = LIST_ITEM.exec(source);
  if (!first) return undefined;
  const margin = first[1]!.length;
  const items: { lines: string[]; contentIndent: number }[] = [];
  let length = 0;
  for (const line of source.split("\n")) {
    const marker = LIST_ITEM.exec(line);
    const indent = /^ */.exec(line)![0].length;
    const current = items.at(-1);
    if (marker && indent === margin) {
      items.push({ lines: [line.slice(marker[0].length)], contentIndent: marker[0].length });
    } else if (current && indent > margin && line.trim() !== "") {
      current.lines.push(line.slice(Math.min(indent, current.contentIndent)));
    } else {
      break;
    }
    length += line.length + 1;
  }
  const bullet = first[2]!;
  const ordered = bullet !== "-" && bullet !== "*";
  const start = ordered ? Number.parseInt(bullet, 10) : 1;
  const list: Block = {
    type: "list",
    ordered,
    ...(start !== 1 ? { start } : {}),
    items: items.map((item) => parseBlocks(item.lines.join("\n"), state, inQuote)),
  };
  return { length: Math.min(length, source.length), blocks: [list] };
}

function trimLineBreaks(inlines: Inline[]): Inline[] {
  let start = 0;
  let end = inlines.length;
  while (start < end && inlines[start]!.type === "line_break") start++;
  while (end > start && inlines[end - 1]!.type === "line_break") end--;
  return inlines.slice(start, end);
}

/** Whether a paragraph would show anything: whitespace and line breaks alone do not. */
function showsText(inline: Inline): boolean {
  return inline.type === "text" ? inline.text.trim() !== "" : inline.type !== "line_break";
}
