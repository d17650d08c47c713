/**
 * Reading the plain `body` of Matrix messages that have no `formatted_body`.
 */
import type { Document } from "./ast.js";
import { documentFromPlainText } from "./document.js";
import { textWithRoomPings } from "./room-ping.js";

export interface PlainBodyOptions {
  /**
   * Whether `@room` in the text notifies the room: the sender has the power level the
   * room's `notifications.room` asks for (and, with intentional mentions, the event's
   * `m.mentions.room` is set). Otherwise `@room` stays text.
   */
  senderMayPingRoom?: boolean;
}

/** A plain body as a document: newlines are line breaks and no markup is interpreted. */
export function parsePlainBody(body: string, options: PlainBodyOptions = {}): Document {
  const doc = documentFromPlainText(body);
  if (!options.senderMayPingRoom) return doc;
  return doc.map((block) =>
    block.type === "paragraph"
      ? { ...block, children: block.children.flatMap((inline) => (inline.type === "text" ? textWithRoomPings(inline.text) : [inline])) }
      : block,
  );
}

/** `> <@alice:example.org> ...` or, for an emote, `> * <@alice:example.org> ...`. */
const REPLY_FALLBACK_HEADER = /^> (?:\* )?<@[^>\s]+>/;

/**
 * The body without its reply fallback (spec, "Rich replies": the quoted lines, each
 * prefixed `> `, then one blank line). Bodies that do not start with a fallback header
 * come back unchanged, so a message that merely starts with a quote keeps it.
 */
export function stripReplyFallback(body: string): string {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  if (!REPLY_FALLBACK_HEADER.test(lines[0] ?? "")) return body;
  let firstKept = 0;
  while (firstKept < lines.length && isQuotedLine(lines[firstKept] ?? "")) firstKept++;
  if (lines[firstKept] === "") firstKept++;
  return lines.slice(firstKept).join("\n");
}

function isQuotedLine(line: string): boolean {
  return line.startsWith("> ") || line === ">";
}
