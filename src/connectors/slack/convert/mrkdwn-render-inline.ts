/**
 * Inline nodes -> Slack mrkdwn, for one paragraph (line breaks included).
 *
 * The tree is flattened into styled leaves and re-emitted as a sequence of pieces:
 * literal text, markers, and finished tokens (`<url|label>`, `<@U1>`, `:name:`). Only
 * when every piece is known are the invisible helpers of mrkdwn-syntax.ts placed, since
 * whether a `*` would be read as markup depends on the characters on both sides of it:
 *
 * 1. literal `*`, `_`, `~` and `` ` `` that Slack could pair get a NEUTRALISER on the
 *    side facing the text they could enclose (outside bare URLs, which Slack links
 *    whole), and a literal `>`, `•`, `-` or `1.` that starts a line gets one in front;
 * 2. a marker Slack would not honour where it stands (touching a letter or another
 *    marker of its kind, or closing after a bracket), and an emoji shortcode touching
 *    a letter, get a BOUNDARY on that side.
 *
 * Slack lacks three of our styles. Underline is sent as italic, the nearest emphasis
 * Slack has. A spoiler is sent as its text between `||`, the marker Discord users know:
 * Slack cannot hide text, and dropping it would lose the message. Whitespace at the
 * edges of a styled run moves outside the markers, where Slack requires it.
 */
import type { Inline } from "../../../core/format/ast.js";
import type { SlackRenderContext } from "./context.js";
import { type InlineLeaf, type InlineStyle, type StyledLeaf, flattenStyles, plainText } from "./inline-tree.js";
import {
  BARE_URL,
  BOUNDARY,
  NEUTRALISER,
  TOKEN,
  type StyleMarker,
  canClose,
  canOpen,
  escapeEntities,
  isInMarkerRun,
  isMarkerChar,
  isWordChar,
  opensBlock,
} from "./mrkdwn-syntax.js";

type Piece =
  | { kind: "text" | "code"; text: string }
  | { kind: "open" | "close"; marker: StyleMarker | "`" }
  | { kind: "token"; markup: string }
  | { kind: "emoji"; name: string }
  | { kind: "boundary" }
  | { kind: "break" };

type SlackStyle = "bold" | "italic" | "strike";
const MARKER_OF: Readonly<Record<SlackStyle, StyleMarker>> = { bold: "*", italic: "_", strike: "~" };
const MARKER_ORDER: readonly SlackStyle[] = ["bold", "italic", "strike"];
const SPOILER_MARK = "||";

export function renderMrkdwnInlines(inlines: Inline[], ctx: SlackRenderContext): string {
  const leaves = settleWhitespace(splitLines(flattenStyles(withSlackStyles(inlines))));
  const pieces = emitPieces(leaves, ctx);
  neutraliseLiterals(pieces);
  placeBoundaries(pieces);
  return pieces.map(pieceMarkup).join("");
}

/** Rewrites the styles Slack lacks into ones it has (see the module comment). */
function withSlackStyles(inlines: Inline[]): Inline[] {
  return inlines.flatMap((node): Inline[] => {
    switch (node.type) {
      case "underline":
        return [{ type: "italic", children: withSlackStyles(node.children) }];
      case "spoiler":
        return [{ type: "text", text: SPOILER_MARK }, ...withSlackStyles(node.children), { type: "text", text: SPOILER_MARK }];
      case "bold":
      case "italic":
      case "strike":
      case "link":
        return [{ ...node, children: withSlackStyles(node.children) }];
      default:
        return [node];
    }
  });
}

const NO_STYLES: ReadonlySet<InlineStyle> = new Set();

/** Text containing newlines becomes text and line breaks, which no marker may span. */
function splitLines(leaves: StyledLeaf[]): StyledLeaf[] {
  return leaves.flatMap((styled): StyledLeaf[] => {
    const { leaf } = styled;
    if (leaf.type === "line_break") return [{ leaf, styles: NO_STYLES }];
    if (leaf.type === "code") return [{ ...styled, leaf: { type: "code", text: leaf.text.replace(/\n/g, " ") } }];
    if (leaf.type !== "text" || !leaf.text.includes("\n")) return [styled];
    return leaf.text.split("\n").flatMap((line, index): StyledLeaf[] => [
      ...(index > 0 ? [{ leaf: { type: "line_break" } as const, styles: NO_STYLES }] : []),
      { leaf: { type: "text", text: line }, styles: styled.styles },
    ]);
  });
}

function intersect(a: ReadonlySet<InlineStyle>, b: ReadonlySet<InlineStyle>): ReadonlySet<InlineStyle> {
  return new Set([...a].filter((style) => b.has(style)));
}

/** Leading and trailing whitespace of a styled text or code leaf takes only the styles its neighbour shares. */
function settleWhitespace(leaves: StyledLeaf[]): StyledLeaf[] {
  return leaves.flatMap((styled, index): StyledLeaf[] => {
    const { leaf, styles } = styled;
    if (leaf.type !== "text" && leaf.type !== "code") return [styled];
    const before = intersect(styles, leaves[index - 1]?.styles ?? NO_STYLES);
    const after = intersect(styles, leaves[index + 1]?.styles ?? NO_STYLES);
    const [, leading = "", core = "", trailing = ""] = /^(\s*)(.*?)(\s*)$/su.exec(leaf.text)!;
    if (core === "") return leading ? [{ leaf: { type: "text", text: leading }, styles: intersect(before, after) }] : [];
    return [
      ...(leading ? [{ leaf: { type: "text", text: leading } as const, styles: before }] : []),
      { leaf: { ...leaf, text: core }, styles },
      ...(trailing ? [{ leaf: { type: "text", text: trailing } as const, styles: after }] : []),
    ];
  });
}

/** Opens and closes markers as a stack, so spans always nest the way Slack reads them. */
function emitPieces(leaves: StyledLeaf[], ctx: SlackRenderContext): Piece[] {
  const pieces: Piece[] = [];
  const open: SlackStyle[] = [];
  const closeUntil = (wanted: ReadonlySet<InlineStyle>): void => {
    while (open.some((style) => !wanted.has(style))) pieces.push({ kind: "close", marker: MARKER_OF[open.pop()!] });
  };
  for (const { leaf, styles } of leaves) {
    closeUntil(styles);
    for (const style of MARKER_ORDER) {
      if (styles.has(style) && !open.includes(style)) {
        open.push(style);
        pieces.push({ kind: "open", marker: MARKER_OF[style] });
      }
    }
    for (const piece of leafPieces(leaf, ctx)) {
      // Neighbouring text is one piece, so that a line's start (`- `) is seen whole.
      const last = pieces.at(-1);
      if (piece.kind === "text" && last?.kind === "text") last.text += piece.text;
      else pieces.push(piece);
    }
  }
  closeUntil(NO_STYLES);
  return pieces;
}

function leafPieces(leaf: InlineLeaf, ctx: SlackRenderContext): Piece[] {
  switch (leaf.type) {
    case "text":
      return [{ kind: "text", text: leaf.text }];
    case "code":
      return [{ kind: "open", marker: "`" }, { kind: "code", text: leaf.text }, { kind: "close", marker: "`" }];
    case "line_break":
      return [{ kind: "break" }];
    case "link": {
      const label = plainText(leaf.children);
      if (opensOnlyInMatrix(leaf.href)) return [{ kind: "text", text: label || leaf.href }];
      return [{ kind: "token", markup: linkMarkup(leaf.href, label) }];
    }
    case "user_mention": {
      const slackUserId = ctx.slackUserId(leaf.userId);
      return [slackUserId ? { kind: "token", markup: `<@${slackUserId}>` } : { kind: "text", text: leaf.label }];
    }
    case "room_mention": {
      const channelId = ctx.slackChannelId(leaf.roomIdOrAlias);
      return [channelId ? { kind: "token", markup: `<#${channelId}>` } : { kind: "text", text: leaf.label }];
    }
    case "room_ping":
      return [ctx.roomPing ? { kind: "token", markup: `<!${ctx.roomPing}>` } : { kind: "text", text: "@room" }];
    case "emoji":
      return [{ kind: "emoji", name: leaf.name }];
  }
}

/** Schemes no Slack client can open (an inline image's `mxc://`, a `matrix:` URI). */
const MATRIX_ONLY_SCHEMES = new Set(["mxc", "matrix"]);

function opensOnlyInMatrix(href: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  return scheme !== undefined && MATRIX_ONLY_SCHEMES.has(scheme);
}

/** `<url|label>`, or `<url>` when the label is the URL. The label goes as plain text, its markers neutralised. */
function linkMarkup(href: string, label: string): string {
  const url = escapeEntities(href.replace(/\|/g, "%7C")).replace(/&lt;/g, "%3C").replace(/&gt;/g, "%3E");
  const shown = label.replace(/\s+/g, " ").trim();
  if (shown === "" || shown === href) return `<${url}>`;
  return `<${url}|${escapeEntities(neutraliseText(shown, undefined, undefined, false))}>`;
}

function firstChar(piece: Piece | undefined): string | undefined {
  return edgeChar(piece, (text) => /^./su.exec(text)?.[0]);
}

function lastChar(piece: Piece | undefined): string | undefined {
  return edgeChar(piece, (text) => /.$/su.exec(text)?.[0]);
}

function edgeChar(piece: Piece | undefined, pick: (text: string) => string | undefined): string | undefined {
  switch (piece?.kind) {
    case undefined:
    case "break":
      return undefined;
    case "text":
    case "code":
      return pick(piece.text);
    case "open":
    case "close":
      return piece.marker;
    case "token":
    case "emoji":
      return TOKEN;
    case "boundary":
      return BOUNDARY;
  }
}

function neutraliseLiterals(pieces: Piece[]): void {
  pieces.forEach((piece, index) => {
    if (piece.kind !== "text" && piece.kind !== "code") return;
    const before = lastChar(pieces[index - 1]);
    const after = firstChar(pieces[index + 1]);
    if (piece.kind === "code") {
      piece.text = neutraliseText(piece.text, before, after, true);
      return;
    }
    const atLineStart = index === 0 || pieces[index - 1]!.kind === "break";
    piece.text = neutraliseOutsideUrls(piece.text, before, after);
    if (atLineStart && opensBlock(piece.text)) piece.text = NEUTRALISER + piece.text;
  });
}

/**
 * Puts a NEUTRALISER on each side where a literal marker could pair: after one that
 * could open, before one that could close. Inside code only backticks can end the span.
 */
function neutraliseText(text: string, before: string | undefined, after: string | undefined, inCode: boolean): string {
  const chars = Array.from(text);
  let out = "";
  chars.forEach((char, index) => {
    const previous = index > 0 ? chars[index - 1] : before;
    const next = index < chars.length - 1 ? chars[index + 1] : after;
    const pairable = inCode ? char === "`" : isMarkerChar(char);
    const closable = pairable && canClose(previous, next);
    const openable = pairable && !inCode && canOpen(previous, next);
    if (closable && !out.endsWith(NEUTRALISER)) out += NEUTRALISER;
    out += char;
    if (openable) out += NEUTRALISER;
  });
  return out;
}

/**
 * Slack links a bare URL in text whole, so the markers inside it need nothing, and a
 * NEUTRALISER there would become part of the link. Up to the next space, whatever the
 * parser gives back as punctuation: a star or underscore ending a URL could only close
 * a span whose literal opener is already neutralised. To its neighbours a URL is a token.
 */
function neutraliseOutsideUrls(text: string, before: string | undefined, after: string | undefined): string {
  let out = "";
  let start = 0;
  for (const { 0: url, index } of text.matchAll(BARE_URL)) {
    out += neutraliseText(text.slice(start, index), start === 0 ? before : TOKEN, TOKEN, false) + url;
    start = index + url.length;
  }
  return out + neutraliseText(text.slice(start), start === 0 ? before : TOKEN, after, false);
}

/** Which sides of a marker or shortcode need a BOUNDARY for Slack to honour it where it stands. */
function boundariesNeeded(piece: Piece, before: string | undefined, after: string | undefined): [boolean, boolean] {
  switch (piece.kind) {
    case "open":
      return [
        !canOpen(before, "x") || isInMarkerRun(piece.marker, before, undefined),
        !canOpen(undefined, after) || isInMarkerRun(piece.marker, undefined, after),
      ];
    case "close":
      return [
        !canClose(before, undefined) || isInMarkerRun(piece.marker, before, undefined),
        !canClose("x", after) || isInMarkerRun(piece.marker, undefined, after),
      ];
    case "emoji":
      // A shortcode glued to a word (`so:tada:`) is read as text.
      return [isWordChar(before), isWordChar(after)];
    default:
      return [false, false];
  }
}

function placeBoundaries(pieces: Piece[]): void {
  for (let index = 0; index < pieces.length; index++) {
    const before = lastChar(pieces[index - 1]);
    const after = firstChar(pieces[index + 1]);
    const [needsBefore, needsAfter] = boundariesNeeded(pieces[index]!, before, after);
    if (needsAfter && after !== undefined) pieces.splice(index + 1, 0, { kind: "boundary" });
    if (needsBefore && before !== undefined) {
      pieces.splice(index, 0, { kind: "boundary" });
      index++;
    }
  }
}

function pieceMarkup(piece: Piece): string {
  switch (piece.kind) {
    case "text":
    case "code":
      return escapeEntities(piece.text);
    case "open":
    case "close":
      return piece.marker;
    case "token":
      return piece.markup;
    case "emoji":
      return `:${escapeEntities(piece.name)}:`;
    case "boundary":
      return BOUNDARY;
    case "break":
      return "\n";
  }
}
