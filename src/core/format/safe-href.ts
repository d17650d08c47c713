/**
 * Which URLs may become links or images. The lists are the Matrix spec's ("m.room.message
 * msgtypes", HTML): clients keep `<a href>` only for these schemes and load images only
 * from mxc://. Anything else, javascript: and data: above all, is dropped and only the
 * text around it kept.
 */

const LINK_SCHEMES = new Set(["https", "http", "ftp", "mailto", "magnet"]);
const IMAGE_SCHEMES = new Set(["mxc"]);

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Browsers ignore leading C0 controls and spaces in a URL; so must the check. */
const LEADING_CONTROLS = /^[\u0000-\u0020]+/;

/** The href if a link to it is safe to keep, else undefined. */
export function safeLinkHref(href: string): string | undefined {
  return withAllowedScheme(href, LINK_SCHEMES);
}

/** The image source if it may be shown, else undefined. */
export function safeImageSource(src: string): string | undefined {
  return withAllowedScheme(src, IMAGE_SCHEMES);
}

function withAllowedScheme(url: string, schemes: ReadonlySet<string>): string | undefined {
  const trimmed = url.replace(LEADING_CONTROLS, "").trimEnd();
  if (hasScheme(trimmed, schemes)) return trimmed;
  // Cinny has sent hrefs percent-encoded whole (`https%3A%2F%2F...`); read those too.
  const decoded = tryDecode(trimmed);
  return decoded !== undefined && hasScheme(decoded, schemes) ? decoded : undefined;
}

function hasScheme(url: string, schemes: ReadonlySet<string>): boolean {
  const scheme = SCHEME.exec(url)?.[1];
  return scheme !== undefined && schemes.has(scheme.toLowerCase());
}

function tryDecode(url: string): string | undefined {
  if (SCHEME.test(url)) return undefined; // has a scheme already, just not an allowed one
  try {
    return decodeURIComponent(url);
  } catch {
    return undefined;
  }
}
