import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { imageInfo, solidColorPng } from "./image.js";

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

export interface CdnResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const SIGNED_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Discord's six default avatar colours (blurple, grey, green, yellow, red, pink). */
const DEFAULT_AVATAR_COLOURS: Array<[number, number, number]> = [
  [88, 101, 242], [117, 126, 138], [59, 165, 93], [250, 166, 26], [237, 66, 69], [235, 69, 158],
];

/**
 * cdn.discordapp.com and media.discordapp.net on our own port: images are stored under the path Discord would
 * use, minus the file extension (any .png/.webp/.gif asked for gets the stored bytes, unconverted). Attachment
 * links carry Discord's signed query (ex, is, hm) and stop working without it, as real links do since 2024.
 */
export class Cdn {
  private readonly files = new Map<string, StoredFile>();
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly origin: () => string,
    private readonly now: () => number,
  ) {
    DEFAULT_AVATAR_COLOURS.forEach((colour, index) =>
      this.put(`embed/avatars/${index}`, solidColorPng(128, 128, colour), "image/png"),
    );
  }

  get baseUrl(): string {
    return `${this.origin()}/cdn`;
  }

  get mediaBaseUrl(): string {
    return `${this.origin()}/media`;
  }

  put(key: string, bytes: Buffer, contentType?: string): void {
    this.files.set(key, { bytes, contentType: contentType ?? imageInfo(bytes)?.contentType ?? "application/octet-stream" });
  }

  get(key: string): StoredFile | undefined {
    return this.files.get(key);
  }

  /** Stores an avatar, icon or similar under `{folder}/{hash}` and returns the hash (a_ marks animated ones). */
  putImage(folder: string, bytes: Buffer): string {
    const digest = createHash("md5").update(bytes).digest("hex");
    const hash = imageInfo(bytes)?.contentType === "image/gif" ? `a_${digest}` : digest;
    this.put(`${folder}/${hash}`, bytes);
    return hash;
  }

  /** `key` is `attachments/{channel}/{attachment}/{filename}`, the path Discord serves it from. */
  attachmentUrls(key: string): { url: string; proxy_url: string } {
    const path = `/${key.split("/").map(encodeURIComponent).join("/")}`;
    const issued = Math.floor(this.now() / 1000);
    const expires = Math.floor((this.now() + SIGNED_URL_LIFETIME_MS) / 1000);
    const query = `ex=${expires.toString(16)}&is=${issued.toString(16)}`;
    const signed = `${path}?${query}&hm=${this.sign(path, query)}&`;
    return { url: `${this.baseUrl}${signed}`, proxy_url: `${this.mediaBaseUrl}${signed}` };
  }

  /** Serves `/cdn/...` and `/media/...` paths; `pathname` still has that first segment. */
  serve(pathname: string, query: URLSearchParams): CdnResponse {
    const path = pathname.replace(/^\/(cdn|media)/, "");
    if (path.startsWith("/attachments/")) {
      if (!this.validSignature(path, query)) return text(404, "This content is no longer available.");
      return this.found(`attachments/${decodeURIComponent(path.slice("/attachments/".length))}`);
    }
    const withoutExtension = path.slice(1).replace(/\.(png|jpe?g|webp|gif|json)$/, "");
    return this.found(withoutExtension);
  }

  private found(key: string): CdnResponse {
    const file = this.files.get(key);
    return file ? { status: 200, contentType: file.contentType, body: file.bytes } : text(404, "Not Found");
  }

  private sign(path: string, query: string): string {
    return createHmac("sha256", this.signingKey).update(`${path}?${query}`).digest("hex");
  }

  private validSignature(path: string, query: URLSearchParams): boolean {
    const ex = query.get("ex");
    const is = query.get("is");
    const hm = query.get("hm");
    if (!ex || !is || !hm || parseInt(ex, 16) * 1000 < this.now()) return false;
    const expected = Buffer.from(this.sign(path, `ex=${ex}&is=${is}`));
    const given = Buffer.from(hm);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function text(status: number, message: string): CdnResponse {
  return { status, contentType: "text/plain", body: Buffer.from(message) };
}
