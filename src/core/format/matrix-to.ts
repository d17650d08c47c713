/**
 * Links to Matrix users, rooms and events. Clients write them as matrix.to permalinks
 * (`https://matrix.to/#/@alice:example.org`), which every client turns into a pill, or
 * as `matrix:` URIs (spec appendix "Matrix URIs": `matrix:u/alice:example.org`).
 * Parsing accepts both; `matrixToLink` writes matrix.to, the form every client reads.
 */

export type MatrixLinkTarget =
  | { kind: "user"; userId: string }
  | { kind: "room"; roomIdOrAlias: string; via: string[] }
  | { kind: "event"; roomIdOrAlias: string; eventId: string; via: string[] };

const MATRIX_TO_PREFIX = /^https?:\/\/matrix\.to\/?#\//i;
const MATRIX_URI_PREFIX = /^matrix:/i;

/** A server name: a DNS name, IPv4 or bracketed IPv6 address, with an optional port. */
const SERVER_NAME = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?`;
const USER_ID = new RegExp(String.raw`^@[^\s:]+:${SERVER_NAME}$`);
const ROOM_ALIAS = new RegExp(String.raw`^#[^\s:]+:${SERVER_NAME}$`);
/** Room ids are opaque; since room version 12 they carry no server name at all. */
const ROOM_ID = /^![^\s/]+$/;
/** Room version 3 event ids are standard base64, which may contain `/`. */
const EVENT_ID = /^\$\S+$/;
/** Longest identifier the spec allows (user ids, aliases, room and event ids alike). */
const MAX_ID_LENGTH = 255;

/**
 * Characters kept readable in a permalink, as Element writes them; everything else in an
 * identifier (notably `/` and `?`, which would split the link) is percent-encoded.
 */
const READABLE_IN_PERMALINK = /%(40|3A|23|24|2B|3D|5B|5D)/gi;

/** The matrix.to permalink of a user, room or alias, or of an event in a room. */
export function matrixToLink(id: string, options: { eventId?: string; via?: readonly string[] } = {}): string {
  const path = [id, options.eventId].filter((part) => part !== undefined).map(encodeIdentifier).join("/");
  const query = (options.via ?? []).map((server) => `via=${encodeURIComponent(server)}`).join("&");
  return `https://matrix.to/#/${path}${query ? `?${query}` : ""}`;
}

/** What a matrix.to link or `matrix:` URI points at, or undefined for any other href. */
export function parseMatrixToLink(href: string): MatrixLinkTarget | undefined {
  const trimmed = href.trim();
  if (MATRIX_URI_PREFIX.test(trimmed)) return parseMatrixUri(trimmed.replace(MATRIX_URI_PREFIX, ""));
  const prefix = MATRIX_TO_PREFIX.exec(trimmed);
  return prefix ? parseMatrixToFragment(trimmed.slice(prefix[0].length)) : undefined;
}

export function isUserId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && USER_ID.test(id);
}

export function isRoomIdOrAlias(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && (ROOM_ID.test(id) || ROOM_ALIAS.test(id));
}

function isEventId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && EVENT_ID.test(id);
}

function encodeIdentifier(id: string): string {
  return encodeURIComponent(id).replace(READABLE_IN_PERMALINK, (escape) => decodeURIComponent(escape));
}

/** `@user:server`, `#alias:server`, `!room:server` or `!room:server/$event`, each part maybe percent-encoded. */
function parseMatrixToFragment(fragment: string): MatrixLinkTarget | undefined {
  const [path = "", query = ""] = splitOnce(fragment, "?");
  const via = new URLSearchParams(query).getAll("via");
  const first = decode(path);
  // A user localpart may contain `/`, so a user link is the whole path.
  if (first !== undefined && isUserId(first)) return { kind: "user", userId: first };

  const eventSeparator = /\/(?:\$|%24)/i.exec(path);
  const roomPart = decode(eventSeparator ? path.slice(0, eventSeparator.index) : path);
  if (roomPart === undefined || !isRoomIdOrAlias(roomPart)) return undefined;
  if (!eventSeparator) return { kind: "room", roomIdOrAlias: roomPart, via };
  const eventId = decode(path.slice(eventSeparator.index + 1));
  return eventId !== undefined && isEventId(eventId)
    ? { kind: "event", roomIdOrAlias: roomPart, eventId, via }
    : undefined;
}

const URI_SIGILS: Record<string, string> = { u: "@", r: "#", roomid: "!" };

/** `u/alice:example.org`, `r/room:example.org`, `roomid/id:example.org/e/event`, with an optional query. */
function parseMatrixUri(rest: string): MatrixLinkTarget | undefined {
  const [beforeFragment = ""] = splitOnce(rest, "#");
  const [path = "", query = ""] = splitOnce(beforeFragment, "?");
  const via = new URLSearchParams(query).getAll("via");
  const [type = "", encodedId = "", eventMarker, encodedEventId, ...extra] = path.split("/");
  const sigil = URI_SIGILS[type];
  const id = decode(encodedId);
  if (sigil === undefined || id === undefined || extra.length > 0) return undefined;
  const fullId = sigil + id;

  if (sigil === "@") return eventMarker === undefined && isUserId(fullId) ? { kind: "user", userId: fullId } : undefined;
  if (!isRoomIdOrAlias(fullId)) return undefined;
  if (eventMarker === undefined) return { kind: "room", roomIdOrAlias: fullId, via };
  const eventId = encodedEventId === undefined ? undefined : decode(encodedEventId);
  if (eventMarker !== "e" || eventId === undefined || !isEventId(`$${eventId}`)) return undefined;
  return { kind: "event", roomIdOrAlias: fullId, eventId: `$${eventId}`, via };
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ""] : [text.slice(0, index), text.slice(index + separator.length)];
}

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined; // malformed percent-encoding: not a link we can read
  }
}
