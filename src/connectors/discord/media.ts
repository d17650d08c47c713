/**
 * Downloads from Discord's CDN: attachments, avatars, guild icons, emoji and stickers.
 * Only URLs under the configured CDN are fetched, so a URL in someone's message can never
 * make Parley fetch from elsewhere, and never more than the caller's limit.
 */
import type { FetchedMedia } from "../../core/connector.js";
import { PermanentError, RetryLaterError } from "../../core/connector.js";

const TIMEOUT_MS = 60_000;

export async function fetchDiscordMedia(cdnUrl: string, url: string, maxBytes: number): Promise<FetchedMedia> {
  if (!url.startsWith(`${cdnUrl}/`)) throw new PermanentError(`not a Discord CDN address: ${url}`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new RetryLaterError(`Discord's CDN could not be reached: ${(error as Error).message}`, undefined, { cause: error });
  }
  if (response.status === 429 || response.status >= 500) throw new RetryLaterError(`Discord's CDN answered ${response.status}`);
  if (!response.ok || !response.body) throw new PermanentError(`Discord's CDN answered ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new PermanentError(`the file is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new PermanentError(`the file is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return { bytes: Buffer.concat(chunks), mimetype: response.headers.get("content-type")?.split(";")[0]?.trim() || "application/octet-stream" };
}
