/**
 * Slack `rich_text` blocks -> Document. Today's Slack clients send every message this
 * way (with mrkdwn `text` as a fallback), so it is the preferred source.
 *
 * Shapes, from Slack's "Rich text block" reference: a block holds
 * `rich_text_section` (inline elements), `rich_text_list` (`style` bullet|ordered,
 * `indent` 0..8, `offset`, items as sections), `rich_text_preformatted` and
 * `rich_text_quote`. Slack has no nesting beyond that: a sub-list is a separate list
 * element with a larger `indent`, and a list or code block inside a quote is a separate
 * element with `border: 1`. Those flat runs are folded back into a tree here.
 */
import type { Block, BlockOf, Document } from "../../../core/format/ast.js";
import type { SlackParseContext } from "./context.js";
import { type InlineLeaf, type InlineStyle, type StyledLeaf, nestStyles } from "./inline-tree.js";
import {
  broadcastReference,
  channelReference,
  dateReference,
  emojiReference,
  isBroadcastRange,
  linkReference,
  userReference,
  usergroupReference,
} from "./references.js";

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonArray(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

function stringField(element: Json, key: string): string | undefined {
  const value = element[key];
  return typeof value === "string" ? value : undefined;
}

function numberField(element: Json, key: string): number | undefined {
  const value = element[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The Document of a message's `rich_text` blocks, or undefined when it has none. */
export function parseSlackRichText(blocks: unknown[], ctx: SlackParseContext): Document | undefined {
  const richText = jsonArray(blocks).filter((block) => block.type === "rich_text");
  if (richText.length === 0) return undefined;
  return richText.flatMap((block) => parseElements(jsonArray(block.elements), 0, ctx));
}

/** How many quotes an element sits in: a quote is one deeper than its border says. */
function quoteDepth(element: Json): number {
  const border = numberField(element, "border") ?? 0;
  switch (element.type) {
    case "rich_text_quote":
      return border + 1;
    case "rich_text_list":
    case "rich_text_preformatted":
      return border;
    default:
      return 0;
  }
}

function parseElements(elements: Json[], depth: number, ctx: SlackParseContext): Block[] {
  const blocks: Block[] = [];
  let index = 0;
  while (index < elements.length) {
    const element = elements[index]!;
    if (quoteDepth(element) > depth) {
      const end = runEnd(elements, index, (candidate) => quoteDepth(candidate) > depth);
      const children = parseElements(elements.slice(index, end), depth + 1, ctx);
      if (children.length > 0) blocks.push({ type: "quote", children });
      index = end;
    } else if (element.type === "rich_text_list") {
      const end = runEnd(elements, index, (candidate) => candidate.type === "rich_text_list");
      const lists = elements.slice(index, end);
      for (let next = 0; next < lists.length; ) {
        const built = foldLists(lists, next, ctx);
        blocks.push(built.list);
        next = built.next;
      }
      index = end;
    } else {
      blocks.push(...elementBlocks(element, ctx));
      index++;
    }
  }
  return blocks;
}

function runEnd(elements: Json[], from: number, belongs: (element: Json) => boolean): number {
  let end = from;
  while (end < elements.length && belongs(elements[end]!)) end++;
  return end;
}

function elementBlocks(element: Json, ctx: SlackParseContext): Block[] {
  switch (element.type) {
    case "rich_text_section":
    case "rich_text_quote":
      return paragraphs(jsonArray(element.elements), ctx);
    case "rich_text_preformatted": {
      const text = jsonArray(element.elements)
        .map((part) => stringField(part, "text") ?? stringField(part, "url") ?? "")
        .join("");
      return [{ type: "code_block", text }];
    }
    default:
      return [];
  }
}

function listIndent(list: Json): number {
  return numberField(list, "indent") ?? 0;
}

/**
 * One list from `lists[from]` on: later elements with a larger indent become sub-lists
 * of the item before them; the same indent and style continues the list.
 */
function foldLists(lists: Json[], from: number, ctx: SlackParseContext): { list: BlockOf<"list">; next: number } {
  const first = lists[from]!;
  const items: Block[][] = [];
  let next = from;
  while (next < lists.length) {
    const list = lists[next]!;
    if (listIndent(list) > listIndent(first)) {
      const nested = foldLists(lists, next, ctx);
      if (items.length === 0) items.push([]);
      items.at(-1)!.push(nested.list);
      next = nested.next;
      continue;
    }
    if (next > from && (listIndent(list) !== listIndent(first) || list.style !== first.style)) break;
    for (const section of jsonArray(list.elements)) items.push(paragraphs(jsonArray(section.elements), ctx));
    next++;
  }
  const ordered = first.style === "ordered";
  const start = (numberField(first, "offset") ?? 0) + 1;
  const folded: BlockOf<"list"> = { type: "list", ordered, items };
  if (ordered && start !== 1) folded.start = start;
  return { list: folded, next };
}

/** Inline elements as paragraphs: a blank line (two newlines) separates them, one newline is a line break. */
function paragraphs(elements: Json[], ctx: SlackParseContext): Block[] {
  const blocks: Block[] = [];
  let current: StyledLeaf[] = [];
  const flush = (): void => {
    while (current.at(-1)?.leaf.type === "line_break") current.pop();
    if (current.length > 0) blocks.push({ type: "paragraph", children: nestStyles(current) });
    current = [];
  };
  for (const styled of elements.flatMap((element) => elementLeaves(element, ctx))) {
    if (styled.leaf.type === "line_break") {
      if (current.length === 0) continue;
      if (current.at(-1)!.leaf.type === "line_break") {
        flush();
        continue;
      }
    }
    current.push(styled);
  }
  flush();
  return blocks;
}

const SLACK_STYLES: readonly [string, InlineStyle][] = [
  ["bold", "bold"],
  ["italic", "italic"],
  ["strike", "strike"],
  ["underline", "underline"],
];

function stylesOf(element: Json): { styles: ReadonlySet<InlineStyle>; code: boolean } {
  const style = isJson(element.style) ? element.style : {};
  const styles = new Set(SLACK_STYLES.filter(([key]) => style[key] === true).map(([, ours]) => ours));
  return { styles, code: style.code === true };
}

/** One inline element as styled leaves; text is split at newlines into line breaks. */
function elementLeaves(element: Json, ctx: SlackParseContext): StyledLeaf[] {
  const { styles, code } = stylesOf(element);
  const styled = (leaf: InlineLeaf): StyledLeaf => ({ leaf, styles });
  if (element.type === "text") {
    const text = stringField(element, "text") ?? "";
    return text.split("\n").flatMap((line, index): StyledLeaf[] => [
      ...(index > 0 ? [{ leaf: { type: "line_break" } as const, styles: new Set<InlineStyle>() }] : []),
      ...(line === "" ? [] : [styled(code ? { type: "code", text: line } : { type: "text", text: line })]),
    ]);
  }
  const leaf = referenceLeaf(element, code, ctx);
  return leaf ? [styled(leaf)] : [];
}

function referenceLeaf(element: Json, code: boolean, ctx: SlackParseContext): InlineLeaf | undefined {
  switch (element.type) {
    case "link": {
      const href = stringField(element, "url") ?? "";
      const shown = stringField(element, "text") || href;
      return linkReference(href, code ? { type: "code", text: shown } : { type: "text", text: shown });
    }
    case "user":
      return userReference(ctx, stringField(element, "user_id") ?? "");
    case "channel":
      return channelReference(ctx, stringField(element, "channel_id") ?? "");
    case "usergroup":
      return usergroupReference(ctx, stringField(element, "usergroup_id") ?? "");
    case "broadcast": {
      const range = element.range;
      return isBroadcastRange(range) ? broadcastReference(ctx, range) : undefined;
    }
    case "emoji":
      return emojiLeaf(element, ctx);
    case "date":
      return dateReference(numberField(element, "timestamp") ?? NaN, stringField(element, "fallback"), stringField(element, "url"));
    case "color":
      return textLeaf(stringField(element, "value"));
    default: {
      // Newer element types (a message link, canvas, file, workflow…): keep whatever text
      // and link they carry.
      const shown = textLeaf(stringField(element, "text") || stringField(element, "fallback"));
      const url = stringField(element, "url");
      if (!url) return shown;
      return linkReference(url, shown ?? { type: "text", text: url });
    }
  }
}

function textLeaf(text: string | undefined): InlineLeaf | undefined {
  return text ? { type: "text", text } : undefined;
}

/**
 * Slack sends `{name: "wave", skin_tone: 3, unicode: "1f44b-1f3fc"}` for standard emoji
 * and just `{name}` (or `{name, url}` when shared from another workspace) for custom ones.
 */
function emojiLeaf(element: Json, ctx: SlackParseContext): InlineLeaf | undefined {
  const name = stringField(element, "name");
  if (!name) return undefined;
  const tone = numberField(element, "skin_tone");
  const toneInName = name.includes("::skin-tone-");
  const known = emojiReference(ctx, name, tone && !toneInName ? String(tone) : undefined);
  if (known) return known;
  const fromCodePoints = unicodeText(stringField(element, "unicode"));
  if (fromCodePoints) return { type: "text", text: fromCodePoints };
  const url = stringField(element, "url");
  return url ? { type: "emoji", name, imageUrl: url } : { type: "text", text: `:${name}:` };
}

/** `1f44b-1f3fc` -> 👋🏼; undefined for anything that is not a list of code points. */
function unicodeText(hexCodePoints: string | undefined): string | undefined {
  if (!hexCodePoints || !/^[0-9a-f]{1,6}(?:-[0-9a-f]{1,6})*$/i.test(hexCodePoints)) return undefined;
  const codePoints = hexCodePoints.split("-").map((hex) => parseInt(hex, 16));
  return codePoints.every((codePoint) => codePoint <= 0x10ffff) ? String.fromCodePoint(...codePoints) : undefined;
}
