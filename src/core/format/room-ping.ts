import type { Inline } from "./ast.js";

/**
 * `@room` as the spec's room-notification push rule finds it: a whole word (the
 * characters around it are not letters, digits or `_`), compared case-insensitively as
 * homeservers compare `event_match` patterns.
 */
const ROOM_PING = /(?<![A-Za-z0-9_])@room(?![A-Za-z0-9_])/gi;

/** The text as inlines, every `@room` in it a room ping. */
export function textWithRoomPings(text: string): Inline[] {
  const inlines: Inline[] = [];
  let rest = 0;
  for (const match of text.matchAll(ROOM_PING)) {
    if (match.index > rest) inlines.push({ type: "text", text: text.slice(rest, match.index) });
    inlines.push({ type: "room_ping" });
    rest = match.index + match[0].length;
  }
  if (rest < text.length) inlines.push({ type: "text", text: text.slice(rest) });
  return inlines;
}
