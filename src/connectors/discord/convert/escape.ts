/**
 * Plain text made safe for Discord markdown: after escaping, Discord shows exactly the
 * text, with no formatting, link, mention or ping.
 *
 * The escaping is minimal where Discord's rules allow it, so messages stay readable to
 * anyone who sees the raw text (edits, search, notifications): `snake_case_name`,
 * `2 * 3 * 4`, `a ~ b` and `#hashtag` go through untouched. URLs are never touched, as a
 * backslash inside one would change the link Discord makes of it.
 *
 * A run of text ends where the tree puts another node, whose first character the
 * escaper does not know; at those edges it escapes as if a marker were there.
 */
import { ANGLE_TOKEN_START, BARE_URLS, EVERYONE, LINE_OPENERS } from "./markdown-syntax.js";

export interface EscapeOptions {
  /** The text starts a line, where `>`, `#`, `-#`, `-`, `*` and `1.` open blocks. */
  lineStart: boolean;
  /** The marker of the enclosing italic, which must not appear bare inside it. */
  italicMarker?: "*" | "_";
  /** Inside a masked link's label, where brackets would end the label. */
  inLinkLabel?: boolean;
}

/** What stops `@everyone` and `@here` from pinging while looking the same. */
const PING_BREAKER = "\u200B";

export function escapeDiscordText(text: string, options: EscapeOptions): string {
  return text
    .split("\n")
    .map((line, index) => escapeLine(line, { ...options, lineStart: options.lineStart || index > 0 }))
    .join("\n");
}

function escapeLine(line: string, options: EscapeOptions): string {
  const urlChars = new Set<number>();
  for (const url of line.matchAll(BARE_URLS)) {
    for (let i = url.index; i < url.index + url[0].length; i++) urlChars.add(i);
  }
  const blockOpener = options.lineStart ? blockOpenerIndex(line) : undefined;

  let out = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (urlChars.has(i)) out += char;
    else if (i === blockOpener || needsEscape(line, i, options)) out += `\\${char}`;
    else if (char === "@" && EVERYONE.test(line.slice(i))) out += `@${PING_BREAKER}`;
    else out += char;
  }
  return out;
}

/** Where a line would open a quote, heading, subtext or list item: the character to escape. */
function blockOpenerIndex(line: string): number | undefined {
  for (const opener of LINE_OPENERS) {
    const match = opener.exec(line);
    if (match) return match[1]!.length;
  }
  return undefined;
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);
const isAsciiAlphanumeric = (char: string | undefined) => char !== undefined && /[0-9A-Za-z]/.test(char);

function needsEscape(line: string, i: number, options: EscapeOptions): boolean {
  const char = line[i]!;
  const before = line[i - 1];
  const after = line[i + 1];
  switch (char) {
    case "\\":
      // A backslash only escapes punctuation; before a letter, digit or space it is literal.
      return after === undefined || !/[0-9A-Za-z\s]/.test(after);
    case "`":
      return true;
    case "*":
      // A lone `*` between spaces neither opens nor closes italic (`2 * 3`), except inside `*…*`.
      return options.italicMarker === "*" || !(isSpace(before) && isSpace(after));
    case "_":
      // Between letters or digits `_` cannot close italic (`snake_case`), except inside `_…_`.
      return options.italicMarker === "_" || !(isAsciiAlphanumeric(before) && isAsciiAlphanumeric(after));
    case "~":
    case "|":
      // Strike and spoiler need the character doubled.
      return before === char || after === char || before === undefined || after === undefined;
    case "<":
      return ANGLE_TOKEN_START.test(line.slice(i));
    case "[":
      return options.inLinkLabel === true;
    case "]":
      return options.inLinkLabel === true || after === "(";
    default:
      return false;
  }
}
