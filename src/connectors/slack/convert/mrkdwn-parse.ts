/**
 * Slack mrkdwn (a message's `text`, as bots and older clients send it) -> Document.
 *
 * Blocks are found line by line: ``` fences (which may open mid-line), `>` quotes
 * (`>>>` quotes the rest of the message), `•`/`-`/`1.` list lines nested by
 * indentation, and paragraphs separated by blank lines. Lines are then parsed inline
 * by mrkdwn-inline.ts. Slack escapes `&`, `<` and `>` as entities; they are decoded
 * only once tokens and quote markers have been recognised.
 */
import type { Block, BlockOf, Document, Inline } from "../../../core/format/ast.js";
import type { SlackParseContext } from "./context.js";
import { plainText } from "./inline-tree.js";
import { parseMrkdwnLine } from "./mrkdwn-inline.js";
import {
  CODE_FENCE,
  LIST_LINE,
  NEUTRALISER,
  QUOTE_LINE,
  QUOTE_REST_OF_MESSAGE,
  decodeEntities,
  opensBlock,
} from "./mrkdwn-syntax.js";
import { parseAngleToken } from "./mrkdwn-tokens.js";

export function parseSlackMrkdwn(text: string, ctx: SlackParseContext): Document {
  return parseBlocks(text.replace(/\r\n?/g, "\n").split("\n"), ctx);
}

/** An indented line under a list item continues it; jsx-slack indents with U+2007 FIGURE SPACE. */
const LIST_CONTINUATION = /^[ \u2007]+\S/;

interface ListEntry {
  indent: number;
  ordered: boolean;
  number: number;
  lines: string[];
}

interface Fence {
  before: string;
  code: string;
  /** Text after the closing fence on its line, which starts a new line of its own. */
  after: string;
  closingLine: number;
}

function parseBlocks(sourceLines: string[], ctx: SlackParseContext): Block[] {
  const lines = [...sourceLines];
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === "") {
      index++;
    } else if (QUOTE_REST_OF_MESSAGE.test(line)) {
      const rest = [stripQuoteMarkers(line, 3), ...lines.slice(index + 1)];
      pushQuote(blocks, parseBlocks(rest, ctx), [line], ctx);
      index = lines.length;
    } else if (QUOTE_LINE.test(line)) {
      const end = quoteEnd(lines, index);
      const quoted = lines.slice(index, end);
      const content = quoted.map((quotedLine) =>
        QUOTE_LINE.test(quotedLine) ? stripQuoteMarkers(quotedLine, 1) : quotedLine,
      );
      pushQuote(blocks, parseBlocks(content, ctx), quoted, ctx);
      index = end;
    } else if (LIST_LINE.test(line)) {
      const entries: ListEntry[] = [];
      index = collectListEntries(lines, index, entries);
      for (let next = 0; next < entries.length; ) {
        const built = buildList(entries, next, ctx);
        blocks.push(built.list);
        next = built.next;
      }
    } else {
      index = parseParagraph(lines, index, blocks, ctx);
    }
  }
  return blocks;
}

function runEnd(lines: string[], from: number, belongs: (line: string) => boolean): number {
  let end = from;
  while (end < lines.length && belongs(lines[end]!)) end++;
  return end;
}

/**
 * A quote is its run of `>` lines, and the unmarked lines after one that opens a ```
 * block, up to the line that closes it: the block belongs to the quote (jsx-slack
 * quotes code that way). A block that never closes leaves the quote at its `>` lines.
 */
function quoteEnd(lines: string[], from: number): number {
  let end = from;
  let inFence = false;
  while (end < lines.length && (inFence || QUOTE_LINE.test(lines[end]!))) {
    if (lines[end]!.split(CODE_FENCE).length % 2 === 0) inFence = !inFence;
    end++;
  }
  return inFence ? runEnd(lines, from, (line) => QUOTE_LINE.test(line)) : end;
}

function stripQuoteMarkers(line: string, count: number): string {
  let rest = line;
  for (let marker = 0; marker < count; marker++) rest = rest.replace(/^(?:&gt;|>)/, "");
  return rest.replace(/^ /, "");
}

/** A quote of nothing (a message that is just `>` or `>>>`) keeps its markers as text rather than vanish. */
function pushQuote(blocks: Block[], children: Block[], rawLines: string[], ctx: SlackParseContext): void {
  if (children.length > 0) blocks.push({ type: "quote", children });
  else blocks.push({ type: "paragraph", children: inlineLines(rawLines.map((line) => line.trimEnd()), ctx) });
}

/** Consecutive lines up to a blank line or another block; a fence ends the paragraph. */
function parseParagraph(lines: string[], start: number, blocks: Block[], ctx: SlackParseContext): number {
  const paragraphLines: string[] = [];
  const flush = (): void => {
    if (paragraphLines.length > 0) blocks.push({ type: "paragraph", children: inlineLines(paragraphLines, ctx) });
  };
  let index = start;
  while (index < lines.length) {
    const line = lines[index]!;
    if (index > start && (line.trim() === "" || opensBlock(line))) break;
    const fence = findFence(lines, index, ctx);
    if (fence) {
      if (fence.before.trim() !== "") paragraphLines.push(fence.before.trimEnd());
      flush();
      blocks.push({ type: "code_block", text: fence.code });
      const after = fence.after.trimStart();
      if (after === "") return fence.closingLine + 1;
      lines[fence.closingLine] = after;
      return fence.closingLine;
    }
    paragraphLines.push(line);
    index++;
  }
  flush();
  return index;
}

/** A ``` on this line and the next ``` after it, on this line or a later one. */
function findFence(lines: string[], lineIndex: number, ctx: SlackParseContext): Fence | undefined {
  const opening = lines[lineIndex]!.indexOf(CODE_FENCE);
  if (opening === -1) return undefined;
  const contentStart = opening + CODE_FENCE.length;
  let searchFrom = contentStart;
  for (let closingLine = lineIndex; closingLine < lines.length; closingLine++) {
    const found = lines[closingLine]!.indexOf(CODE_FENCE, searchFrom);
    if (found !== -1) {
      const closing = lastFenceOfRun(lines[closingLine]!, found);
      const first = lines[lineIndex]!;
      const inside =
        closingLine === lineIndex
          ? first.slice(contentStart, closing)
          : [first.slice(contentStart), ...lines.slice(lineIndex + 1, closingLine), lines[closingLine]!.slice(0, closing)].join("\n");
      return {
        before: first.slice(0, opening),
        code: codeBlockText(inside, ctx),
        after: lines[closingLine]!.slice(closing + CODE_FENCE.length),
        closingLine,
      };
    }
    searchFrom = 0;
  }
  return undefined;
}

/** In a run of more than three backticks the fence is the last three: ```` ```a```` ```` holds "a`". */
function lastFenceOfRun(line: string, fence: number): number {
  let closing = fence;
  while (line[closing + CODE_FENCE.length] === "`") closing++;
  return closing;
}

/**
 * The text of a code block. Slack still wraps links inside it in `<…>`, which read as
 * their URL or label; one newline after the opening and before the closing fence is
 * layout, not content.
 */
function codeBlockText(inside: string, ctx: SlackParseContext): string {
  return inside
    .replace(/<([^<>]*)>|&(?:amp|lt|gt);/g, (whole, tokenBody: string | undefined) => {
      if (tokenBody === undefined) return decodeEntities(whole);
      const token = parseAngleToken(tokenBody, ctx);
      return token ? plainText([token]) : decodeEntities(whole);
    })
    .replace(/^\n/, "")
    .replace(/\n$/, "")
    .replace(/(?<=`)\u00AD(?=`)/g, "");
}

function inlineLines(rawLines: string[], ctx: SlackParseContext): Inline[] {
  return rawLines.flatMap((raw, index): Inline[] => [
    ...(index > 0 ? [{ type: "line_break" } as const] : []),
    ...parseMrkdwnLine(withoutBlockNeutraliser(raw), ctx),
  ]);
}

/** The renderer starts a literal `> x` or `- x` line with a soft hyphen; it is not content. */
function withoutBlockNeutraliser(line: string): string {
  return line.startsWith(NEUTRALISER) && opensBlock(line.slice(1)) ? line.slice(1) : line;
}

/** List lines, and the indented lines continuing them, up to anything else. */
function collectListEntries(lines: string[], start: number, entries: ListEntry[]): number {
  let index = start;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    const match = LIST_LINE.exec(line);
    if (match) {
      entries.push({
        indent: match[1]!.length,
        ordered: match[3] !== undefined,
        number: match[3] === undefined ? 1 : Number(match[3]),
        lines: [line.slice(match[0].length)],
      });
    } else if (LIST_CONTINUATION.test(line)) {
      entries.at(-1)!.lines.push(line.trimStart());
    } else {
      break;
    }
  }
  return index;
}

/** One list from `entries[from]`: deeper entries nest under the item before them. */
function buildList(entries: ListEntry[], from: number, ctx: SlackParseContext): { list: BlockOf<"list">; next: number } {
  const first = entries[from]!;
  const items: Block[][] = [];
  let next = from;
  while (next < entries.length) {
    const entry = entries[next]!;
    if (entry.indent > first.indent && items.length > 0) {
      const nested = buildList(entries, next, ctx);
      items.at(-1)!.push(nested.list);
      next = nested.next;
      continue;
    }
    if (entry.indent !== first.indent || entry.ordered !== first.ordered) break;
    const children = inlineLines(entry.lines, ctx);
    items.push(children.length > 0 ? [{ type: "paragraph", children }] : []);
    next++;
  }
  const list: BlockOf<"list"> = { type: "list", ordered: first.ordered, items };
  if (first.ordered && first.number !== 1) list.start = first.number;
  return { list, next };
}
