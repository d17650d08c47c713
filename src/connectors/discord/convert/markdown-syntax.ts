/**
 * The lexical rules of Discord markdown, shared by the parser and the renderer so that
 * what one writes the other reads back the same way.
 *
 * Discord's client parses messages with simple-markdown and Discord-specific rules
 * (the behaviour documented by Discord's "Markdown Text 101" and reproduced by the
 * discord-markdown packages). At each position the rules are tried in a fixed order and
 * the first that matches wins, except bold, italic and underline, which compete: the
 * longest match wins, ties going to italic, then bold. Every pattern below is anchored
 * at the current position.
 */

/** `\` before any character that is not a letter, digit or space makes it literal. */
export const ESCAPE = /^\\([^0-9A-Za-z\s])/;

/**
 * A bare URL: http(s), up to whitespace or `<`, never ending in `.,:;"')]` (so
 * `https://en.wikipedia.org/wiki/Foo_(bar)` links without its last `)`, as on Discord).
 */
export const BARE_URL = /^https?:\/\/[^\s<]*[^\s<.,:;"')\]]/;
/** Every bare URL in a run of text, for the renderer to leave them untouched. */
export const BARE_URLS = new RegExp(BARE_URL.source.slice(1), "g");
/** `<https://…>`: a link whose embed Discord suppresses. */
export const ANGLE_URL = /^<(https?:\/\/[^\s>]+)>/;
const MASKED_URL = String.raw`https?:\/\/(?:\([^\s()]*\)|[^\s()<>])+`;
/**
 * `[label](https://…)` or `[label](<https://…>)`. The label may hold escapes and one level
 * of balanced brackets; the URL one level of balanced parentheses. Only http(s) targets.
 */
export const MASKED_LINK = new RegExp(
  String.raw`^\[((?:\\[\s\S]|\[[^[\]]*\]|[^[\]\\])+)\]\(\s*(?:<(https?:\/\/[^\s<>]+)>|(${MASKED_URL}))\s*\)`,
);
/** A URL a masked link can hold as it is. */
export const MASKED_LINK_TARGET = new RegExp(`^${MASKED_URL}$`);

/** ``` fenced code, anywhere in a message; a first line of one word is the language. */
export const CODE_FENCE = /^```(?:([a-z0-9_+\-.#]+?)\n+)?\n*([\s\S]+?)\n*```/i;
export const FENCE_LANGUAGE = /^[a-z0-9_+\-.#]+$/i;
/** Inline code between equal runs of backticks; the content never ends in a backtick. */
export const INLINE_CODE = /^(`+)([\s\S]*?[^`])\1(?!`)/;

export const BOLD = /^\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)/;
export const UNDERLINE = /^__((?:\\[\s\S]|[^\\])+?)__(?!_)/;
/**
 * `*italic*`: opens before a non-space, holds no lone `*` (a `**` pair is bold inside),
 * and closes after a non-space. `* not italic *` and `2 * 3 * 4` stay literal.
 */
export const ITALIC_STAR = /^\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s*\\]|\*\*)|[^\s*\\])+?)\*(?!\*)/;
/** `_italic_`: closes only before a non-word character, so `snake_case_name` stays literal. */
export const ITALIC_UNDERSCORE = /^_((?:__|\\[\s\S]|[^\\_])+?)_\b/;
export const STRIKE = /^~~([\s\S]+?)~~(?!_)/;
export const SPOILER = /^\|\|([\s\S]+?)\|\|/;

/** Discord's one special case: the shrug keeps its backslash. */
export const SHRUG = /^¯\\_\(ツ\)_\/¯/;

/**
 * A run of plain text: at least one character, up to a character that might start a rule
 * (punctuation, a newline, or `word:` as in a URL scheme).
 */
export const TEXT_RUN = /^[\s\S]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n|\w+:\S|$)/;

/** The angle-bracket tokens Discord replaces with mentions, emoji and timestamps. */
export const USER_MENTION = /^<@!?(\d+)>/;
export const CHANNEL_MENTION = /^<#(\d+)>/;
export const ROLE_MENTION = /^<@&(\d+)>/;
export const CUSTOM_EMOJI = /^<(a?):(\w+):(\d+)>/;
export const TIMESTAMP = /^<t:(-?\d+)(?::([tTdDfFsSR]))?>/;
export const SLASH_COMMAND = /^<\/([^\s:<>/]+(?: [^\s:<>/]+){0,2}):(\d+)>/;
export const EVERYONE = /^@(everyone|here)/;

/**
 * Where `<` would start one of the tokens above or an angle-bracket URL (guild
 * navigation `<id:browse>` included), so a literal `<` there must be escaped.
 */
export const ANGLE_TOKEN_START = /^<(?:[@#:/]|a:|t:|id:|https?:\/\/)/;

/**
 * Blocks that only start at the beginning of a line. Quotes and list items may be
 * indented; headings and subtext may not. `>` needs a space after it.
 */
export const QUOTE_LINES = /^( *> [^\n]*(?:\n *> [^\n]*)*)\n?/;
export const QUOTE_PREFIX = /^ *> /gm;
export const QUOTE_REST_OF_MESSAGE = /^ *>>> ([\s\S]*)/;
export const HEADING = /^(#{1,3}) +(\S[^\n]*?)[ \t]*(?:\n|$)/;
export const SUBTEXT = /^-# +(?=\S)/;
export const LIST_ITEM = /^( *)([*-]|\d{1,9}\.) +(?=\S)/;

/**
 * Lines that would open one of those blocks, for the renderer to keep literal: each
 * pattern captures the text before the one character that must be escaped.
 */
export const LINE_OPENERS: readonly RegExp[] = [
  /^( *)(?=>(?:>>)? )/,
  /^()(?=#{1,3} +\S)/,
  /^()(?=-# +\S)/,
  /^( *)(?=[*-] +\S)/,
  /^( *\d{1,9})(?=\. +\S)/,
];
