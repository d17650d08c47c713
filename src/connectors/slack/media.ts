/**
 * Downloading from Slack. Files (`url_private`) need the bot token of their workspace,
 * which is sent to Slack's file host only, never to wherever an avatar or emoji URL
 * points. Without the token Slack answers with its sign-in page instead of the file,
 * which is reported as the failure it is rather than bridged as someone's picture.
 */
import type { FetchedMedia } from "../../core/connector.js";
import { RetryLaterError } from "../../core/connector.js";

const SLACK_FILE_HOST = "files.slack.com";
const FILE_PATH = /^\/files-(?:pri|tmb)\/(T[A-Z0-9]+)-F[A-Z0-9]+(?:-[a-z0-9]+)?\//;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * The workspace whose token a URL needs: Slack file URLs name their team
 * (`/files-pri/T…-F…/name`). `fileOrigins` are the origins allowed to receive a token
 * (files.slack.com, and the API's own origin when it is not slack.com, as in tests).
 */
export function fileTeam(url: string, fileOrigins: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const trusted = (parsed.protocol === "https:" && parsed.hostname === SLACK_FILE_HOST) || fileOrigins.includes(parsed.origin);
  return trusted ? FILE_PATH.exec(parsed.pathname)?.[1] : undefined;
}

export async function downloadSlackMedia(url: string, maxBytes: number, token: string | undefined): Promise<FetchedMedia> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
  });
  if (response.status === 429 || response.status >= 500) {
    throw new RetryLaterError(`Slack answered HTTP ${response.status} for a file`);
  }
  if (!response.ok) throw new Error(`Slack answered HTTP ${response.status} for a file`);
  const mimetype = (response.headers.get("content-type") ?? "application/octet-stream").split(";")[0]!.trim();
  const wasSlackFile = FILE_PATH.test(new URL(url).pathname);
  if (wasSlackFile && response.redirected && !FILE_PATH.test(new URL(response.url).pathname)) {
    throw new Error("Slack sent its sign-in page instead of the file: no bot token of its workspace was accepted");
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new Error(`the file is ${declared} bytes, over the ${maxBytes}-byte limit`);
  return { bytes: await readLimited(response, maxBytes), mimetype };
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`the file is over the ${maxBytes}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
