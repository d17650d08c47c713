/**
 * The lexical rules of Slack mrkdwn, shared by the parser and the renderer so that
 * what one writes the other reads back the same way.
 *
 * Slack has no backslash escape. What it has is a word-boundary rule: `*`, `_`, `~`
 * and `` ` `` only open formatting after a boundary (start, space, some punctuation)
 * and before a non-space, and only close after a non-space and before a boundary. So
 * `snake_case`, `2*3*4` and `¯\_(ツ)_/¯` stay literal in Slack, and two invisible
 * characters steer the rule where we need to:
 *
 * - NEUTRALISER, U+00AD SOFT HYPHEN, placed between a literal marker and the text it
 *   would enclose (`*\u00ADnot bold\u00AD*`), keeps Slack from pairing it: Slack counts
 *   it neither as a space nor as a boundary. The same character before a line's `>`,
 *   `•`, `-` or `1.` keeps that line from becoming a quote or a list item, and between
 *   backticks keeps ``` from opening a code block. It is the character jsx-slack uses
 *   to break quotes; it is invisible unless a browser hyphenates at it.
 * - BOUNDARY, U+200B ZERO WIDTH SPACE, placed outside a marker that touches a letter
 *   (`un\u200B*believ*\u200Bable`), or inside one whose content ends in a closing
 *   bracket (`*(x)\u200B*`), makes the marker count: Slack treats it as a boundary
 *   (jsx-slack's "exact mode" relies on this). It also separates an emoji shortcode
 *   from a word it would otherwise be glued to.
 *
 * The parser drops both characters where they sit next to a marker, so they never
 * reach Matrix. The character sets below are our reading of Slack's behaviour (Slack
 * does not publish its grammar); the renderer follows the same sets, so a round trip
 * through Parley is exact even where Slack might be more lenient.
 */

export const NEUTRALISER = "\u00AD";
export const BOUNDARY = "\u200B";
/** Stands for an indivisible token (`<…>`, a URL, an emoji) when a rule asks for "the character next to it". */
export const TOKEN = "\uFFFC";

export type MarkerChar = "*" | "_" | "~" | "`";
export type StyleMarker = Exclude<MarkerChar, "`">;

export const STYLE_MARKERS: Readonly<Record<StyleMarker, "bold" | "italic" | "strike">> = {
  "*": "bold",
  _: "italic",
  "~": "strike",
};

export function isMarkerChar(char: string | undefined): char is MarkerChar {
  return char === "*" || char === "_" || char === "~" || char === "`";
}

export function isStyleMarker(char: string | undefined): char is StyleMarker {
  return char === "*" || char === "_" || char === "~";
}

/** Characters after which a marker may open. */
const OPEN_AFTER = new Set([..."([{\"'“‘«-*_~`", BOUNDARY, TOKEN]);
/**
 * Characters before which a marker may close. Slack's list is longer than one would
 * guess: `*bold*#`, `*bold*[` and `*bold*=` are bold there, while `*not*(` and
 * `*not*@` are not (the cases of pocka/slack-message-parser issue 34).
 */
const CLOSE_BEFORE = new Set([...".,;:!?)]}[{\"'”’»…-/#$%^+=*_~`", BOUNDARY, TOKEN]);
/** Slack does not close a marker right after a closing bracket (`*foo)*` stays literal). */
const NO_CLOSE_AFTER = new Set([...")]}"]);

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/u.test(char);
}

export function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}\p{M}]/u.test(char);
}

/**
 * Whether a style marker touches another of its kind. Slack reads such a run as text:
 * `**not bold**` and `~~not struck~~`, as Markdown writers type them, show their
 * markers and no formatting.
 */
export function isInMarkerRun(marker: string, before: string | undefined, after: string | undefined): boolean {
  return isStyleMarker(marker) && (before === marker || after === marker);
}

/** Whether a marker between `before` and `after` (undefined at a line's ends) can open a span. */
export function canOpen(before: string | undefined, after: string | undefined): boolean {
  const boundaryBefore = before === undefined || isSpace(before) || OPEN_AFTER.has(before);
  return boundaryBefore && after !== undefined && !isSpace(after) && after !== NEUTRALISER;
}

/** Whether a marker between `before` and `after` (undefined at a line's ends) can close a span. */
export function canClose(before: string | undefined, after: string | undefined): boolean {
  const boundaryAfter = after === undefined || isSpace(after) || CLOSE_BEFORE.has(after);
  return (
    boundaryAfter &&
    before !== undefined &&
    !isSpace(before) &&
    before !== NEUTRALISER &&
    !NO_CLOSE_AFTER.has(before)
  );
}

/**
 * A bare URL, which Slack links whole: markers inside it are not markup. It ends before
 * an escaped `&lt;`/`&gt;` as before a real one; trimUrl then gives back the sentence's
 * punctuation.
 */
export const BARE_URL = /(?<![\p{L}\p{N}])https?:\/\/(?:(?!&[lg]t;)[^\s<>])+/gu;
/** Punctuation that ends a sentence rather than a bare URL. */
const URL_TRAILER = /[.,;:!?'"*_~]+$/;

export function trimUrl(url: string): string {
  let trimmed = url.replace(URL_TRAILER, "");
  // A closing parenthesis belongs to the URL only when the URL opened one.
  while (trimmed.endsWith(")") && count(trimmed, "(") < count(trimmed, ")")) {
    trimmed = trimmed.slice(0, -1).replace(URL_TRAILER, "");
  }
  return trimmed;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Slack's three control characters, escaped the way Slack requires: exactly these and no others. */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">" })[name]!);
}

/** Removes the neutralisers the renderer put next to literal markers (link labels, code). */
export function dropNeutralisers(text: string): string {
  return text.replace(/\u00AD(?=[*_~`])|(?<=[*_~`])\u00AD/g, "");
}

/**
 * How a line opens a block, on the raw (still escaped) line: a quote, a bullet or a
 * numbered item. Used by the parser to split blocks and by the renderer to keep a
 * literal paragraph line from being read as one.
 */
export const QUOTE_LINE = /^(?:&gt;|>)/;
export const QUOTE_REST_OF_MESSAGE = /^(?:&gt;|>){3}/;
/** A bullet may carry U+FE0E, which asks for its text form (jsx-slack writes `▪︎`). */
export const LIST_LINE = /^( *)(?:([•◦▪‣-])\uFE0E?|(\d{1,9})[.)]) +/;
export const CODE_FENCE = "```";

export function opensBlock(rawLine: string): boolean {
  return QUOTE_LINE.test(rawLine) || LIST_LINE.test(rawLine);
}
