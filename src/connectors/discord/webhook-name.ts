/**
 * The name a Matrix user's message carries on Discord, within Discord's rules for webhook
 * names: 1 to 80 characters after Discord trims and collapses whitespace, never containing
 * "clyde" or "discord", never just "everyone" or "here". A forbidden word keeps its look,
 * one letter swapped for its Cyrillic twin, so "Discord fan" stays readable rather than
 * being refused (and the whole message with it).
 *
 * Two Matrix users with the same name would look like one person on Discord, and so would a
 * Matrix user named like a member of the guild: the later one gets their Matrix id added.
 */

export const WEBHOOK_NAME_LIMIT = 80;

const FORBIDDEN: ReadonlyArray<[RegExp, (word: string) => string]> = [
  [/discord/gi, (word) => swapLetter(word, 4)],
  [/clyde/gi, (word) => swapLetter(word, 4)],
];
/** Latin letters and the Cyrillic letters drawn the same. */
const CYRILLIC_TWINS: Record<string, string> = { o: "\u043e", O: "\u041e", e: "\u0435", E: "\u0415" };
/** Characters Discord strips from names or that draw nothing. */
const INVISIBLE = /[\u0000-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
const RESERVED = new Set(["everyone", "here"]);

/** A display name Discord accepts; `fallback` (the Matrix id's localpart) when nothing is left of it. */
export function webhookUsername(displayName: string, fallback: string): string {
  let name = safeWords(displayName.replace(INVISIBLE, "").replace(/\s+/g, " ").trim());
  if (name === "") name = safeWords(fallback);
  if (RESERVED.has(name.toLowerCase())) name = `${name} (Matrix)`;
  return truncate(name, WEBHOOK_NAME_LIMIT);
}

/** `name (suffix)`, shortening the name rather than the suffix to stay within the limit. */
function withSuffix(name: string, suffix: string): string {
  const tail = ` (${safeWords(suffix)})`;
  return `${truncate(name, Math.max(1, WEBHOOK_NAME_LIMIT - tail.length))}${tail}`.slice(0, WEBHOOK_NAME_LIMIT);
}

function safeWords(text: string): string {
  return FORBIDDEN.reduce((result, [pattern, swap]) => result.replace(pattern, swap), text);
}

function swapLetter(word: string, index: number): string {
  const letter = word[index] ?? "";
  return word.slice(0, index) + (CYRILLIC_TWINS[letter] ?? letter) + word.slice(index + 1);
}

/** Cut to `limit` UTF-16 units (never more than Discord counts), without splitting a surrogate pair. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - 1;
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * Keeps Matrix senders apart on Discord, per channel: the first to use a name keeps it,
 * later ones with the same name (or one a guild member goes by) get their Matrix id added.
 */
export class SenderNames {
  private readonly owners = new Map<string, string>();

  /** `takenOnDiscord` says whether a member of the guild is shown under the name. */
  nameFor(channelId: string, userId: string, displayName: string, takenOnDiscord: (name: string) => boolean): string {
    const name = webhookUsername(displayName, localpart(userId));
    const key = `${channelId}\u0000${name.toLowerCase()}`;
    const owner = this.owners.get(key);
    if (owner === userId) return name;
    if (owner === undefined && !takenOnDiscord(name)) {
      this.owners.set(key, userId);
      return name;
    }
    return withSuffix(name, userId);
  }
}

function localpart(userId: string): string {
  return userId.replace(/^@/, "").split(":")[0] || userId;
}
