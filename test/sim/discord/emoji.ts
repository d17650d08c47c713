import { createRequire } from "node:module";
import { errors } from "./errors.js";
import type { ReactionRecord } from "./model.js";
import type { SimState } from "./state.js";

export type ReactionEmoji = ReactionRecord["emoji"];

interface EmojiDatum {
  unified: string;
  non_qualified: string | null;
  skin_variations?: Record<string, { unified: string; non_qualified: string | null }>;
}

const fromCodepoints = (hex: string) =>
  String.fromCodePoint(...hex.split("-").map((codepoint) => parseInt(codepoint, 16)));

/** Every emoji Discord's picker knows, with and without variation selectors and skin tones. */
const UNICODE_EMOJI: ReadonlySet<string> = new Set(
  (createRequire(import.meta.url)("emoji-datasource/emoji.json") as EmojiDatum[]).flatMap((emoji) =>
    [emoji, ...Object.values(emoji.skin_variations ?? {})]
      .flatMap((variant) => [variant.unified, variant.non_qualified])
      .filter((hex): hex is string => Boolean(hex))
      .map(fromCodepoints),
  ),
);

export function isUnicodeEmoji(text: string): boolean {
  return UNICODE_EMOJI.has(text);
}

/**
 * Parses the emoji of a reaction route (already URL-decoded): a Unicode emoji, or `name:id` (also `a:name:id`)
 * for a custom one. Anything else is Unknown Emoji, as on Discord.
 */
export function parseReactionEmoji(state: SimState, text: string): ReactionEmoji {
  const custom = /^(?:a:)?([\w~-]{2,32}):(\d{1,20})$/.exec(text);
  if (custom) {
    const emoji = state.emojis.get(custom[2]!);
    if (!emoji) throw errors.unknownEmoji();
    return { id: emoji.id, name: emoji.name, animated: emoji.animated };
  }
  if (isUnicodeEmoji(text)) return { id: null, name: text };
  throw errors.unknownEmoji();
}

export function sameEmoji(a: ReactionEmoji, b: ReactionEmoji): boolean {
  return a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;
}

/** How tests name a reaction: the Unicode emoji itself, or `name:id` for custom ones. */
export function emojiLabel(emoji: ReactionEmoji): string {
  return emoji.id ? `${emoji.name}:${emoji.id}` : emoji.name;
}
