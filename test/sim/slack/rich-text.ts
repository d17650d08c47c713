// What a Slack client's composer produces from what a person typed: the `rich_text` block it sends with every
// message. Input uses the markup people type into Slack: *bold*, _italic_, ~strike~, `code`, ```pre```,
// "> " quotes, "- " / "1. " lists (four spaces or a tab per nesting level), <@U…>, <#C…>, <!here>,
// <url|label>, bare URLs and :emoji:.
import { blockId } from "./ids.js";

export type TextStyle = { bold?: true; italic?: true; strike?: true; code?: true };

export type RichInline =
  | { type: "text"; text: string; style?: TextStyle }
  | { type: "user"; user_id: string; style?: TextStyle }
  | { type: "channel"; channel_id: string; style?: TextStyle }
  | { type: "usergroup"; usergroup_id: string }
  | { type: "broadcast"; range: "here" | "channel" | "everyone" }
  | { type: "link"; url: string; text?: string; style?: TextStyle }
  | { type: "emoji"; name: string; unicode?: string; skin_tone?: number };

export interface RichSection {
  type: "rich_text_section";
  elements: RichInline[];
}

export interface RichList {
  type: "rich_text_list";
  style: "bullet" | "ordered";
  indent: number;
  /** Ordered lists that resume after a nested list continue their numbering from here. */
  offset?: number;
  border: 0;
  elements: RichSection[];
}

export type RichElement =
  | RichSection
  | RichList
  | { type: "rich_text_quote"; elements: RichInline[] }
  | { type: "rich_text_preformatted"; elements: RichInline[]; border: 0 };

export interface RichTextBlock {
  type: "rich_text";
  block_id: string;
  elements: RichElement[];
}

/** Says whether `:name:` is a real emoji, and its code points when it is a standard one. */
export type EmojiResolver = (name: string, skinTone?: number) => { unicode?: string } | undefined;

type Line =
  | { kind: "paragraph" | "quote"; text: string }
  | { kind: "item"; style: RichList["style"]; indent: number; text: string }
  | { kind: "pre"; text: string };

const LIST_ITEM = /^((?: {4}|\t)*)(?:([-*•◦▪])|(\d+)[.)]) +(.*)$/;

function classifyLines(typed: string): Line[] {
  const lines: Line[] = [];
  const raw = typed.split("\n");
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    if (line.startsWith("```")) {
      const body = [line.slice(3)];
      while (!body[body.length - 1]!.endsWith("```") && i + 1 < raw.length) body.push(raw[++i]!);
      const fenced = body.join("\n");
      // The line breaks right inside the fences only open and close the block; they are not content.
      const text = (fenced.endsWith("```") ? fenced.slice(0, -3) : fenced).replace(/^\n/, "").replace(/\n$/, "");
      lines.push({ kind: "pre", text });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const indent = (item[1] ?? "").replace(/ {4}/g, "\t").length;
      lines.push({ kind: "item", style: item[2] ? "bullet" : "ordered", indent, text: item[4] ?? "" });
    } else if (line.startsWith(">")) {
      lines.push({ kind: "quote", text: line.replace(/^> ?/, "") });
    } else {
      lines.push({ kind: "paragraph", text: line });
    }
  }
  return lines;
}

/** Builds the rich_text block a Slack client would send for `typed`. */
export function richTextFromTyped(typed: string, resolveEmoji: EmojiResolver): RichTextBlock {
  const lines = classifyLines(typed);
  const elements: RichElement[] = [];
  // Ordered items already numbered at each indent within the current run of list lines.
  let orderedCounts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.kind === "pre") {
      elements.push({ type: "rich_text_preformatted", elements: [{ type: "text", text: line.text }], border: 0 });
    } else if (line.kind === "item") {
      orderedCounts = orderedCounts.slice(0, line.indent + 1);
      const last = elements[elements.length - 1];
      const continues =
        last?.type === "rich_text_list" && last.indent === line.indent && last.style === line.style && lines[i - 1]?.kind === "item";
      const already = line.style === "ordered" ? (orderedCounts[line.indent] ?? 0) : 0;
      const list: RichList = continues
        ? (last as RichList)
        : { type: "rich_text_list", style: line.style, indent: line.indent, ...(already > 0 ? { offset: already } : {}), border: 0, elements: [] };
      if (!continues) elements.push(list);
      list.elements.push({ type: "rich_text_section", elements: parseInline(line.text, resolveEmoji) });
      if (line.style === "ordered") orderedCounts[line.indent] = (orderedCounts[line.indent] ?? 0) + 1;
    } else {
      orderedCounts = [];
      const run = [line.text];
      while (lines[i + 1]?.kind === line.kind) run.push((lines[++i] as { text: string }).text);
      const inline = parseInline(run.join("\n"), resolveEmoji);
      elements.push(line.kind === "quote" ? { type: "rich_text_quote", elements: inline } : { type: "rich_text_section", elements: inline });
    }
  }
  // A paragraph followed by a list, quote or code block ends with its line break, as Slack clients send it.
  elements.forEach((element, index) => {
    if (element.type !== "rich_text_section" || index === elements.length - 1) return;
    const tail = element.elements[element.elements.length - 1];
    if (tail?.type === "text" && !tail.style) tail.text += "\n";
    else element.elements.push({ type: "text", text: "\n" });
  });
  return { type: "rich_text", block_id: blockId(), elements };
}

const STYLE_OF: Record<string, keyof TextStyle> = { "*": "bold", _: "italic", "~": "strike" };
const isWordChar = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}]/u.test(char);
const isSpace = (char: string | undefined): boolean => char === undefined || /\s/.test(char);

/** Emphasis closes on the same line, after a non-space, before a non-word character. */
function findClosingDelimiter(text: string, open: number): number {
  const delimiter = text[open]!;
  for (let j = open + 2; j < text.length && text[j] !== "\n"; j++) {
    if (text[j] === delimiter && !isSpace(text[j - 1]) && !isWordChar(text[j + 1])) return j;
  }
  return -1;
}

function withStyle(style: TextStyle, added: keyof TextStyle): TextStyle {
  const merged = { ...style, [added]: true as const };
  // Slack writes style keys in this order; keeping it makes payloads read like captured ones.
  const ordered: TextStyle = {};
  for (const key of ["bold", "italic", "strike", "code"] as const) if (merged[key]) ordered[key] = true;
  return ordered;
}

function styled<T extends RichInline>(element: T, style: TextStyle): T {
  return Object.keys(style).length > 0 ? { ...element, style } : element;
}

function angleToken(body: string, style: TextStyle): RichInline | undefined {
  const [target = "", label] = body.split("|", 2);
  if (/^@[UW][A-Z0-9]+$/.test(target)) return styled({ type: "user", user_id: target.slice(1) }, style);
  if (/^#C[A-Z0-9]+$/.test(target)) return styled({ type: "channel", channel_id: target.slice(1) }, style);
  if (/^!(here|channel|everyone)$/.test(target)) return { type: "broadcast", range: target.slice(1) as "here" };
  if (/^!subteam\^S[A-Z0-9]+$/.test(target)) return { type: "usergroup", usergroup_id: target.slice(9) };
  if (/^(https?|mailto|tel):/.test(target)) {
    return styled(label ? { type: "link", url: target, text: label } : { type: "link", url: target }, style);
  }
  return undefined;
}

function parseInline(text: string, resolveEmoji: EmojiResolver, style: TextStyle = {}): RichInline[] {
  const out: RichInline[] = [];
  let plain = "";
  const flush = (): void => {
    if (plain) out.push(styled({ type: "text", text: plain }, style));
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const rest = text.slice(i);
    let consumed = 0;
    let produced: RichInline[] = [];
    if (char === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) [produced, consumed] = [[{ type: "text", text: text.slice(i + 1, end), style: withStyle(style, "code") }], end + 1 - i];
    } else if (char === "<") {
      const end = text.indexOf(">", i);
      const token = end > i ? angleToken(text.slice(i + 1, end), style) : undefined;
      if (token) [produced, consumed] = [[token], end + 1 - i];
    } else if (char === ":") {
      const match = /^:([a-z0-9_+'-]+):(?::skin-tone-([2-6]):)?/.exec(rest);
      const tone = match?.[2] ? Number(match[2]) : undefined;
      const known = match ? resolveEmoji(match[1]!, tone) : undefined;
      if (match && known) {
        const emoji: RichInline = { type: "emoji", name: match[1]!, ...(known.unicode ? { unicode: known.unicode } : {}) };
        if (tone !== undefined) Object.assign(emoji, { skin_tone: tone });
        [produced, consumed] = [[emoji], match[0].length];
      }
    } else if (STYLE_OF[char] && !isWordChar(text[i - 1]) && !isSpace(text[i + 1])) {
      const close = findClosingDelimiter(text, i);
      if (close > 0) [produced, consumed] = [parseInline(text.slice(i + 1, close), resolveEmoji, withStyle(style, STYLE_OF[char]!)), close + 1 - i];
    } else if (!isWordChar(text[i - 1])) {
      const url = /^https?:\/\/[^\s<>]+?(?=[.,!?;:)]*(?:\s|$))/.exec(rest);
      if (url) [produced, consumed] = [[styled({ type: "link", url: url[0] }, style)], url[0].length];
    }
    if (consumed > 0) {
      flush();
      out.push(...produced);
      i += consumed;
    } else {
      plain += char;
      i++;
    }
  }
  flush();
  return mergeAdjacentText(out);
}

function mergeAdjacentText(elements: RichInline[]): RichInline[] {
  const merged: RichInline[] = [];
  for (const element of elements) {
    const previous = merged[merged.length - 1];
    if (element.type === "text" && previous?.type === "text" && JSON.stringify(previous.style) === JSON.stringify(element.style)) {
      merged[merged.length - 1] = { ...previous, text: previous.text + element.text };
    } else {
      merged.push(element);
    }
  }
  return merged;
}
