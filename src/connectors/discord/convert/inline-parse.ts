/**
 * Discord's inline markdown: emphasis, spoilers, code, links, escapes and Discord's own
 * tokens. One step at a time, so the block parser can interleave its line-start rules,
 * as Discord's single rule loop does.
 */
import type { Inline } from "../../../core/format/ast.js";
import type { DiscordParseContext } from "./context.js";
import { matchDiscordToken } from "./discord-tokens.js";
import {
  ANGLE_URL,
  BARE_URL,
  BOLD,
  CODE_FENCE,
  ESCAPE,
  INLINE_CODE,
  ITALIC_STAR,
  ITALIC_UNDERSCORE,
  MASKED_LINK,
  SHRUG,
  SPOILER,
  STRIKE,
  TEXT_RUN,
  UNDERLINE,
} from "./markdown-syntax.js";

export interface InlineParseState {
  ctx: DiscordParseContext;
  /** Inside a link's label, where links do not nest. */
  inLink: boolean;
  /** Inside italic, where Discord adds nothing for italic again. */
  inItalic: boolean;
  /** How many formatting spans enclose this text. */
  depth: number;
}

export interface InlineStep {
  /** Characters consumed: always at least one. */
  length: number;
  nodes: Inline[];
}

/**
 * Past this many nested spans, markers are read as text. Real messages never come
 * close; it bounds the work a message built only of `*` can cause.
 */
const MAX_DEPTH = 6;

type Emphasis = "bold" | "underline" | "italic";

/** Bold, underline and italic compete: the longest match wins, ties to italic, then bold. */
const EMPHASIS: readonly { type: Emphasis; pattern: RegExp; tieBreak: number }[] = [
  { type: "italic", pattern: ITALIC_STAR, tieBreak: 0.2 },
  { type: "italic", pattern: ITALIC_UNDERSCORE, tieBreak: 0.2 },
  { type: "bold", pattern: BOLD, tieBreak: 0.1 },
  { type: "underline", pattern: UNDERLINE, tieBreak: 0 },
];

/** Appends nodes, joining adjacent text so the tree has one text node per run. */
export function appendInlines(target: Inline[], nodes: readonly Inline[]): void {
  for (const node of nodes) {
    const last = target.at(-1);
    if (node.type === "text" && last?.type === "text") {
      target[target.length - 1] = { type: "text", text: last.text + node.text };
    } else if (node.type !== "text" || node.text !== "") {
      target.push(node);
    }
  }
}

/** A whole run of inline markdown: newlines are line breaks, fenced code is inline code. */
export function parseInlines(source: string, state: InlineParseState): Inline[] {
  const nodes: Inline[] = [];
  for (let pos = 0; pos < source.length; ) {
    const step = parseInlineStep(source.slice(pos), state);
    appendInlines(nodes, step.nodes);
    pos += step.length;
  }
  return nodes;
}

/** The inline construct at the start of `source`, or the plain text up to the next one. */
export function parseInlineStep(source: string, state: InlineParseState): InlineStep {
  return (
    (state.depth < MAX_DEPTH ? matchSpan(source, SPOILER, "spoiler", state) : undefined) ??
    matchFencedCodeInline(source) ??
    (source.startsWith("\n") ? { length: 1, nodes: [{ type: "line_break" }] } : undefined) ??
    matchEscape(source) ??
    (state.inLink ? undefined : matchLink(source, state)) ??
    matchToken(source, state) ??
    (state.depth < MAX_DEPTH ? matchEmphasis(source, state) : undefined) ??
    (state.depth < MAX_DEPTH ? matchSpan(source, STRIKE, "strike", state) : undefined) ??
    matchInlineCode(source) ??
    matchText(source)
  );
}

function nested(state: InlineParseState, change: Partial<InlineParseState> = {}): InlineParseState {
  return { ...state, depth: state.depth + 1, ...change };
}

function matchSpan(
  source: string,
  pattern: RegExp,
  type: "spoiler" | "strike",
  state: InlineParseState,
): InlineStep | undefined {
  const match = pattern.exec(source);
  if (!match) return undefined;
  return { length: match[0].length, nodes: [{ type, children: parseInlines(match[1]!, nested(state)) }] };
}

/** A ``` block inside inline formatting: the tree has no block there, so it is inline code. */
function matchFencedCodeInline(source: string): InlineStep | undefined {
  const match = CODE_FENCE.exec(source);
  return match ? { length: match[0].length, nodes: [{ type: "code", text: match[2]! }] } : undefined;
}

function matchEscape(source: string): InlineStep | undefined {
  const match = ESCAPE.exec(source);
  return match ? { length: match[0].length, nodes: [{ type: "text", text: match[1]! }] } : undefined;
}

function matchLink(source: string, state: InlineParseState): InlineStep | undefined {
  const bare = ANGLE_URL.exec(source) ?? BARE_URL.exec(source);
  if (bare) {
    const href = bare[1] ?? bare[0];
    return { length: bare[0].length, nodes: [{ type: "link", href, children: [{ type: "text", text: href }] }] };
  }
  const masked = MASKED_LINK.exec(source);
  if (!masked) return undefined;
  const href = masked[2] ?? masked[3]!;
  const children = parseInlines(masked[1]!, nested(state, { inLink: true }));
  return { length: masked[0].length, nodes: [{ type: "link", href, children }] };
}

function matchToken(source: string, state: InlineParseState): InlineStep | undefined {
  const token = matchDiscordToken(source, state.ctx);
  if (!token) return undefined;
  // A mention is itself a link (a pill on Matrix); inside a link's label it can only be its name.
  const { node } = token;
  const isMention = node.type === "user_mention" || node.type === "room_mention";
  return { length: token.length, nodes: [isMention && state.inLink ? { type: "text", text: node.label } : node] };
}

function matchEmphasis(source: string, state: InlineParseState): InlineStep | undefined {
  let best: { type: Emphasis; match: RegExpExecArray; quality: number } | undefined;
  for (const { type, pattern, tieBreak } of EMPHASIS) {
    const match = pattern.exec(source);
    const quality = match ? match[0].length + tieBreak : -1;
    if (match && (!best || quality > best.quality)) best = { type, match, quality };
  }
  if (!best) return undefined;
  const italic = best.type === "italic";
  const children = parseInlines(best.match[1]!, nested(state, italic ? { inItalic: true } : {}));
  const nodes: Inline[] = italic && state.inItalic ? children : [{ type: best.type, children }];
  return { length: best.match[0].length, nodes };
}

function matchInlineCode(source: string): InlineStep | undefined {
  const match = INLINE_CODE.exec(source);
  if (!match) return undefined;
  // Discord shows inline code trimmed, which also lets code end in a backtick: `` x` ``.
  const content = match[2]!;
  return { length: match[0].length, nodes: [{ type: "code", text: content.trim() || content }] };
}

function matchText(source: string): InlineStep {
  // TEXT_RUN takes at least one character, and never half of a surrogate pair.
  const text = (SHRUG.exec(source) ?? TEXT_RUN.exec(source))![0];
  return { length: text.length, nodes: [{ type: "text", text }] };
}
