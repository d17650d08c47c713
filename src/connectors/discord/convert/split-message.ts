/**
 * A message longer than Discord allows, cut into messages that each fit.
 *
 * Cuts fall at the last paragraph break that leaves the piece at least half full, else
 * the last line break, else the last space, else wherever the limit falls (but never
 * between the two halves of a surrogate pair). A cut inside a fenced code block closes
 * the fence at the end of one piece and opens it again, with its language, at the start
 * of the next, and falls only between lines of code where a line allows it.
 *
 * Lengths are counted in UTF-16 code units, which is never less than what Discord counts.
 */

export const DISCORD_MESSAGE_LIMIT = 2000;

const CLOSING_FENCE = "\n```";
const PROSE_BREAKS = ["\n\n", "\n", " "] as const;
const CODE_BREAKS = ["\n"] as const;

interface Cut {
  /** Where the piece ends. */
  end: number;
  /** Where the rest starts, after the separator the cut consumed. */
  resume: number;
}

export function splitDiscordMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = chooseCut(rest, limit, PROSE_BREAKS);
    let fence = openFenceAt(rest, cut.end);
    if (fence !== undefined) {
      cut = chooseCut(rest, limit - CLOSING_FENCE.length, CODE_BREAKS);
      fence = openFenceAt(rest, cut.end);
    }
    // Reopening a fence longer than the piece would never get through the text.
    const reopen = fence !== undefined && cut.resume > fence.length + 1;
    const piece = rest.slice(0, cut.end) + (reopen ? CLOSING_FENCE : "");
    rest = (reopen ? `${fence}\n` : "") + rest.slice(cut.resume);
    if (piece.trim() !== "") pieces.push(piece);
  }
  if (rest.trim() !== "") pieces.push(rest);
  return pieces;
}

function chooseCut(text: string, limit: number, separators: readonly string[]): Cut {
  const candidates = separators.map((separator) => ({ at: text.lastIndexOf(separator, limit), separator }));
  const chosen =
    candidates.find(({ at }) => at >= limit / 2) ?? candidates.filter(({ at }) => at > 0).sort((a, b) => b.at - a.at)[0];
  if (chosen) return { end: chosen.at, resume: chosen.at + chosen.separator.length };
  const end = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return { end, resume: end };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The fence line (```` ``` ```` and its language) of a code block still open at `end`,
 * or undefined outside code. Escaped backticks (`` \` ``) open nothing.
 */
function openFenceAt(text: string, end: number): string | undefined {
  let open: string | undefined;
  for (const fence of text.slice(0, end).matchAll(/(?<!\\)```([a-z0-9_+\-.#]*(?=\n))?/gi)) {
    open = open === undefined ? fence[0] : undefined;
  }
  return open;
}
