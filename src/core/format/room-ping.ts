import type { Inline } from "./ast.js";

/**
 * `@room` as the spec's room-notification push rule finds it: a whole word (the
 * characters around it are not letters, digits or `_`), compared case-insensitively as
 * homeservers compare `event_match` patterns.
 */
const ROOM_PING = /(?<![A-Za-z0-9_])@room(?![A-Za-z0-9_])/gi;

/**
 * A URL written out in the text. `@room` inside one (`https://github.com/@room/x`) is part
 * of the address: turning it into a ping would change where the link goes.
 */
const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+/g;

/** The text as inlines, every `@room` in it a room ping. */
export function textWithRoomPings(text: string): Inline[] {
  const urls = [...text.matchAll(URL_IN_TEXT)].map((url) => ({ start: url.index, end: url.index + url[0].length }));
  const inUrl = (index: number) => urls.some((url) => index >= url.start && index < url.end);
  const inlines: Inline[] = [];
  let rest = 0;
  for (const match of text.matchAll(ROOM_PING)) {
    if (inUrl(match.index)) continue;
    if (match.index > rest) inlines.push({ type: "text", text: text.slice(rest, match.index) });
    inlines.push({ type: "room_ping" });
    rest = match.index + match[0].length;
  }
  if (rest < text.length) inlines.push({ type: "text", text: text.slice(rest) });
  return inlines;
}
