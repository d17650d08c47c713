/**
 * One line of Slack mrkdwn -> inline nodes. Formatting never spans lines in Slack, so
 * the block parser hands lines over one at a time.
 *
 * The line is cut into units: single characters, and tokens that markers cannot look
 * inside (`<…>`, bare URLs, code spans, emoji shortcodes). Then `*`, `_` and `~` are
 * paired under the boundary rules of mrkdwn-syntax.ts.
 */
import type { Inline } from "../../../core/format/ast.js";
import type { SlackParseContext } from "./context.js";
import { mergeAdjacentText, plainText } from "./inline-tree.js";
import {
  BARE_URL,
  BOUNDARY,
  NEUTRALISER,
  STYLE_MARKERS,
  TOKEN,
  type StyleMarker,
  canClose,
  canOpen,
  decodeEntities,
  dropNeutralisers,
  isInMarkerRun,
  isMarkerChar,
  isStyleMarker,
  isWordChar,
  trimUrl,
} from "./mrkdwn-syntax.js";
import { parseAngleToken } from "./mrkdwn-tokens.js";
import { emojiReference } from "./references.js";

type Unit = { char: string } | { token: Inline };

/** A `<…>` token, or a bare URL. */
const ANGLE_OR_URL = new RegExp(`<([^<>]*)>|(${BARE_URL.source})`, "gu");
const EMOJI_NAME_CHAR = /[\p{L}\p{N}_+-]/u;
const SKIN_TONE = /^:skin-tone-([2-6](?:-[2-6])?):/;

export function parseMrkdwnLine(rawLine: string, ctx: SlackParseContext): Inline[] {
  const units = emojiTokens(codeSpans(lex(rawLine, ctx)), ctx);
  return new StylePairing(units).build();
}

/** A link's label is styled like a line, but holds no links or mentions of its own. */
function parseLinkLabel(label: string, ctx: SlackParseContext): Inline[] {
  const units: Unit[] = [];
  pushChars(units, label);
  return new StylePairing(emojiTokens(codeSpans(units), ctx)).build();
}

function pushChars(units: Unit[], decoded: string): void {
  for (const char of decoded) units.push({ char });
}

function lex(rawLine: string, ctx: SlackParseContext): Unit[] {
  const units: Unit[] = [];
  let textStart = 0;
  for (const match of rawLine.matchAll(ANGLE_OR_URL)) {
    const [whole, tokenBody, bareUrl] = match;
    let end = match.index + whole.length;
    let token: Inline | undefined;
    if (tokenBody !== undefined) {
      token = parseAngleToken(tokenBody, ctx, (label) => parseLinkLabel(label, ctx));
    } else {
      const url = trimUrl(bareUrl!);
      end = match.index + url.length;
      const href = decodeEntities(url);
      token = { type: "link", href, children: [{ type: "text", text: href }] };
    }
    if (!token) continue;
    pushChars(units, decodeEntities(rawLine.slice(textStart, match.index)));
    units.push({ token });
    textStart = end;
  }
  pushChars(units, decodeEntities(rawLine.slice(textStart)));
  return units;
}

function charAt(units: Unit[], index: number): string | undefined {
  const unit = units[index];
  if (!unit) return undefined;
  return "char" in unit ? unit.char : TOKEN;
}

function charsBetween(units: Unit[], from: number, to: number): string {
  let chars = "";
  for (let index = from; index < Math.min(to, units.length); index++) chars += charAt(units, index);
  return chars;
}

/** Indices where `char` could close a span, ascending, for a binary search per opener. */
function closerIndices(units: Unit[], char: string): number[] {
  const found: number[] = [];
  units.forEach((_, index) => {
    const before = charAt(units, index - 1);
    const after = charAt(units, index + 1);
    if (charAt(units, index) === char && canClose(before, after) && !isInMarkerRun(char, before, after)) {
      found.push(index);
    }
  });
  return found;
}

/** The first entry of `sorted` at or after `from` and before `before`. */
function firstBetween(sorted: number[], from: number, before: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < from) low = middle + 1;
    else high = middle;
  }
  const found = sorted[low];
  return found !== undefined && found < before ? found : undefined;
}

function isBoundaryChar(unit: Unit | undefined): boolean {
  return unit !== undefined && "char" in unit && unit.char === BOUNDARY;
}

/** Backtick spans become code tokens: nothing inside them is markup. */
function codeSpans(units: Unit[]): Unit[] {
  const closers = closerIndices(units, "`");
  const out: Unit[] = [];
  let index = 0;
  while (index < units.length) {
    const opens = charAt(units, index) === "`" && canOpen(charAt(units, index - 1), charAt(units, index + 1));
    const close = opens ? firstBetween(closers, index + 2, units.length) : undefined;
    if (close === undefined) {
      out.push(units[index]!);
      index++;
      continue;
    }
    if (isBoundaryChar(out.at(-1))) out.pop();
    const text = dropNeutralisers(
      units
        .slice(index + 1, close)
        .map((unit) => ("char" in unit ? unit.char : plainText([unit.token])))
        .join(""),
    ).replace(/^\u200B|\u200B$/g, "");
    out.push({ token: { type: "code", text } });
    index = isBoundaryChar(units[close + 1]) ? close + 2 : close + 1;
  }
  return out;
}

/** `:name:` and `:name::skin-tone-3:` become emoji, when the name is a real one. */
function emojiTokens(units: Unit[], ctx: SlackParseContext): Unit[] {
  const out: Unit[] = [];
  let index = 0;
  while (index < units.length) {
    const found = charAt(units, index) === ":" && !isWordChar(charAt(units, index - 1)) && emojiAt(units, index, ctx);
    if (!found) {
      out.push(units[index]!);
      index++;
      continue;
    }
    // Drop the boundaries our renderer puts between a shortcode and a word.
    if (isBoundaryChar(out.at(-1))) out.pop();
    out.push({ token: found.inline });
    index = isBoundaryChar(units[found.end]) ? found.end + 1 : found.end;
  }
  return out;
}

function emojiAt(units: Unit[], colon: number, ctx: SlackParseContext): { inline: Inline; end: number } | undefined {
  let nameEnd = colon + 1;
  while (EMOJI_NAME_CHAR.test(charAt(units, nameEnd) ?? "")) nameEnd++;
  if (nameEnd === colon + 1 || charAt(units, nameEnd) !== ":") return undefined;
  const name = charsBetween(units, colon + 1, nameEnd);

  let end = nameEnd + 1;
  const tone = SKIN_TONE.exec(charsBetween(units, end, end + ":skin-tone-2-3:".length));
  if (tone) end += tone[0].length;
  if (isWordChar(charAt(units, end))) return undefined;

  const inline = emojiReference(ctx, name, tone?.[1]);
  return inline && { inline, end };
}

/** Pairs `*`, `_` and `~` over the units, then builds the nested inline nodes. */
class StylePairing {
  /** Opener index -> closer index. */
  private readonly spans = new Map<number, number>();
  private readonly consumed = new Set<number>();
  private readonly closers = new Map<string, number[]>();

  constructor(private readonly units: Unit[]) {
    for (const marker of Object.keys(STYLE_MARKERS)) this.closers.set(marker, closerIndices(units, marker));
    this.pair(0, units.length);
  }

  private char(index: number): string | undefined {
    return charAt(this.units, index);
  }

  private pair(from: number, to: number): void {
    let index = from;
    while (index < to) {
      const marker = this.char(index);
      const before = this.char(index - 1);
      const after = this.char(index + 1);
      if (isStyleMarker(marker) && canOpen(before, after) && !isInMarkerRun(marker, before, after)) {
        const close = firstBetween(this.closers.get(marker)!, index + 2, to);
        if (close !== undefined) {
          this.spans.set(index, close);
          for (const used of [index - 1, index, index + 1, close - 1, close, close + 1]) {
            // The markers, and any boundary characters the renderer put around them.
            if (used === index || used === close || this.char(used) === BOUNDARY) this.consumed.add(used);
          }
          this.pair(index + 1, close);
          index = close + 1;
          continue;
        }
      }
      index++;
    }
  }

  build(from = 0, to = this.units.length): Inline[] {
    const out: Inline[] = [];
    for (let index = from; index < to; index++) {
      const close = this.spans.get(index);
      if (close !== undefined) {
        const style = STYLE_MARKERS[this.char(index) as StyleMarker];
        out.push({ type: style, children: this.build(index + 1, close) });
        index = close;
        continue;
      }
      if (this.consumed.has(index) || this.isNeutraliserOfLiteral(index)) continue;
      const unit = this.units[index]!;
      out.push("char" in unit ? { type: "text", text: unit.char } : unit.token);
    }
    return mergeAdjacentText(out);
  }

  /** A soft hyphen the renderer put next to a marker that was meant literally. */
  private isNeutraliserOfLiteral(index: number): boolean {
    if (this.char(index) !== NEUTRALISER) return false;
    return [index - 1, index + 1].some((side) => isMarkerChar(this.char(side)) && !this.consumed.has(side));
  }
}
