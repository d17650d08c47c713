/**
 * Emoji shortcodes (`:thumbsup:`) <-> Unicode, from iamcal's emoji-data (the
 * `emoji-datasource` package). That data set is Slack's own shortcode list, and
 * Discord's names are close enough to share it.
 *
 * Skin tones follow Slack's spelling: `thumbsup::skin-tone-2` is 👍🏻, where tones 2..6
 * are the Fitzpatrick modifiers U+1F3FB..U+1F3FF; two-person emoji take `skin-tone-2-4`.
 *
 * Lookups by Unicode ignore U+FE0F (the emoji variation selector), because senders
 * disagree about it: ❤ and ❤️ are the same heart.
 */
import { createRequire } from "node:module";

interface EmojiRecord {
  unified: string;
  non_qualified: string | null;
  short_name: string;
  short_names: string[];
  obsoleted_by?: string;
  skin_variations?: Record<string, { unified: string }>;
}

interface EmojiTables {
  /** Every short name and alias -> its record. */
  byShortcode: Map<string, EmojiRecord>;
  /** Code points without U+FE0F -> the record and the skin-tone key it was found under. */
  byCodePoints: Map<string, { record: EmojiRecord; toneKey?: string }>;
}

const VARIATION_SELECTOR = "FE0F";
const FIRST_TONE_MODIFIER = 0x1f3fb;
const SKIN_TONE_SUFFIX = /::skin-tone-([2-6])(?:-([2-6]))?$/;

let tables: EmojiTables | undefined;

/** Parses the 1.3 MB data file on first use only: most processes touch emoji late or never. */
function loadTables(): EmojiTables {
  if (tables) return tables;
  const records = createRequire(import.meta.url)("emoji-datasource/emoji.json") as EmojiRecord[];
  const byShortcode = new Map<string, EmojiRecord>();
  const byCodePoints = new Map<string, { record: EmojiRecord; toneKey?: string }>();
  const remember = (unified: string, record: EmojiRecord, toneKey?: string): void => {
    const key = withoutVariationSelector(unified);
    const existing = byCodePoints.get(key);
    // An obsoleted record (e.g. gendered-neutral `runner`) must not shadow its successor.
    if (!existing || existing.record.obsoleted_by) byCodePoints.set(key, { record, toneKey });
  };
  for (const record of records) {
    for (const name of record.short_names) byShortcode.set(name, record);
    remember(record.unified, record);
    if (record.non_qualified) remember(record.non_qualified, record);
    for (const [toneKey, variation] of Object.entries(record.skin_variations ?? {})) {
      remember(variation.unified, record, toneKey);
    }
  }
  tables = { byShortcode, byCodePoints };
  return tables;
}

function withoutVariationSelector(unified: string): string {
  return unified
    .toUpperCase()
    .split("-")
    .filter((codePoint) => codePoint !== VARIATION_SELECTOR)
    .join("-");
}

function fromCodePoints(unified: string): string {
  return String.fromCodePoint(...unified.split("-").map((hex) => parseInt(hex, 16)));
}

function toCodePoints(emoji: string): string {
  return Array.from(emoji, (char) => char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")).join("-");
}

function toneModifierHex(tone: number): string {
  return (FIRST_TONE_MODIFIER + tone - 2).toString(16).toUpperCase();
}

function toneNumber(modifierHex: string): number {
  return parseInt(modifierHex, 16) - FIRST_TONE_MODIFIER + 2;
}

/**
 * The Unicode emoji for a shortcode, with or without the surrounding colons:
 * `thumbsup`, `+1`, `:heart:`, `wave::skin-tone-3`. Undefined when the name is unknown
 * (custom workspace emoji are not in this table).
 */
export function unicodeForShortcode(shortcode: string): string | undefined {
  const bare = shortcode.replace(/^:/, "").replace(/:$/, "");
  const toneMatch = SKIN_TONE_SUFFIX.exec(bare);
  const name = toneMatch ? bare.slice(0, toneMatch.index) : bare;
  const record = loadTables().byShortcode.get(name.toLowerCase());
  if (!record) return undefined;
  if (!toneMatch) return fromCodePoints(record.unified);

  const first = toneModifierHex(Number(toneMatch[1]));
  const second = toneMatch[2] ? toneModifierHex(Number(toneMatch[2])) : undefined;
  // Single-person emoji key their variations by one modifier, two-person ones by a pair;
  // a single tone on a two-person emoji means both people.
  const keys = second ? [`${first}-${second}`, first] : [first, `${first}-${first}`];
  const variations = record.skin_variations ?? {};
  const variation = keys.map((key) => variations[key]).find((found) => found !== undefined);
  if (variation) return fromCodePoints(variation.unified);
  // No toned form: Slack shows the emoji followed by the swatch, so do the same.
  return fromCodePoints(record.unified) + fromCodePoints(first);
}

/**
 * Slack's name for a Unicode emoji, as used in reactions: 👍 -> `+1`, 👍🏽 ->
 * `+1::skin-tone-4`, 🤝🏻‍🫲🏿 style pairs -> `handshake::skin-tone-2-6`.
 */
export function shortcodeForUnicode(emoji: string): string | undefined {
  const found = loadTables().byCodePoints.get(withoutVariationSelector(toCodePoints(emoji)));
  if (!found) return undefined;
  if (!found.toneKey) return found.record.short_name;
  const tones = [...new Set(found.toneKey.split("-").map(toneNumber))];
  return `${found.record.short_name}::skin-tone-${tones.join("-")}`;
}

/**
 * The canonical (fully qualified) spelling of an emoji, so that keys compare equal
 * whichever way a client wrote them: `❤` and `❤️` both give `❤️`. Strings that are
 * not a known emoji come back unchanged.
 */
export function normaliseEmoji(emoji: string): string {
  const found = loadTables().byCodePoints.get(withoutVariationSelector(toCodePoints(emoji)));
  if (!found) return emoji;
  const unified = found.toneKey
    ? found.record.skin_variations![found.toneKey]!.unified
    : found.record.unified;
  return fromCodePoints(unified);
}
