// Slack's standard emoji set. emoji-datasource is the data Slack's own clients are built on (iamcal/emoji-data),
// so its short names are exactly the names Slack accepts in reactions and `:name:` text.
import { createRequire } from "node:module";
import type { Team } from "./model.js";

interface EmojiRecord {
  unified: string;
  short_names: string[];
  skin_variations?: Record<string, { unified: string }>;
}

const require = createRequire(import.meta.url);
const records = require("emoji-datasource/emoji.json") as EmojiRecord[];

const byName = new Map<string, EmojiRecord>();
for (const record of records) {
  for (const name of record.short_names) byName.set(name, record);
}

/** Slack's skin-tone-2..6 map to the Fitzpatrick modifiers U+1F3FB..U+1F3FF. */
const SKIN_TONE_CODEPOINTS = ["1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"];

/** The lower-case code point sequence rich_text puts in an emoji element's `unicode`, e.g. "1f604". */
export function standardEmojiUnicode(name: string, skinTone?: number): string | undefined {
  const record = byName.get(name);
  if (!record) return undefined;
  const modifier = skinTone === undefined ? undefined : SKIN_TONE_CODEPOINTS[skinTone - 2];
  const variation = modifier ? record.skin_variations?.[modifier] : undefined;
  return (variation?.unified ?? record.unified).toLowerCase();
}

/** Follows "alias:" entries to the custom emoji's image URL. */
export function customEmojiUrl(team: Team, name: string): string | undefined {
  let value = team.emoji.get(name);
  for (let hops = 0; value?.startsWith("alias:") && hops < 5; hops++) {
    value = team.emoji.get(value.slice("alias:".length));
  }
  return value?.startsWith("alias:") ? undefined : value;
}

/** Whether a workspace emoji of this name exists: its own image, or an alias of another emoji (custom or standard). */
export function isWorkspaceEmoji(team: Team, name: string): boolean {
  const value = team.emoji.get(name);
  if (value === undefined) return false;
  return customEmojiUrl(team, name) !== undefined || (value.startsWith("alias:") && byName.has(value.slice("alias:".length)));
}

/**
 * The name Slack records a reaction under, or undefined when it knows no such emoji. Standard emoji are
 * stored under their first short name (reacting with "thumbsup" records "+1"), keeping any "::skin-tone-N";
 * custom emoji and their aliases keep the name used.
 */
export function canonicalReactionName(team: Team, reactionName: string): string | undefined {
  const [name = "", tone] = reactionName.split("::");
  if (tone !== undefined && !/^skin-tone-[2-6]$/.test(tone)) return undefined;
  const standard = byName.get(name);
  if (standard) return tone === undefined ? standard.short_names[0] : `${standard.short_names[0]}::${tone}`;
  const custom = team.emoji.get(name);
  if (custom === undefined || tone !== undefined) return undefined;
  const target = custom.startsWith("alias:") ? custom.slice("alias:".length) : undefined;
  return target === undefined || byName.has(target) || customEmojiUrl(team, name) !== undefined ? name : undefined;
}
