/**
 * Downloading from Slack. Files (`url_private`) need a token of their workspace (the
 * bot's, or a person's for their private chats), which is sent to Slack's file host only,
 * never to wherever an avatar, emoji or external file URL points. Without the token Slack
 * answers with its sign-in page instead of the file, which is reported as the failure it
 * is rather than bridged as someone's picture.
 */
import type { FetchedMedia } from "../../core/connector.js";
import { RetryLaterError } from "../../core/connector.js";

const SLACK_FILE_HOST = "files.slack.com";
const FILE_PATH = /^\/files-(?:pri|tmb)\/(T[A-Z0-9]+)-F[A-Z0-9]+(?:-[a-z0-9]+)?\//;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Whether a URL may be sent a workspace's token: Slack's file host over HTTPS, or the
 * host of the configured API URL when that is not slack.com (a proxy or a test serves
 * files there, on whatever port and path it likes). Never the host an avatar, an emoji
 * or an external file lives on.
 */
export function mayCarryToken(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:" && parsed.hostname === SLACK_FILE_HOST) return true;
  const api = new URL(apiUrl);
  return api.hostname !== "slack.com" && parsed.protocol === api.protocol && parsed.hostname === api.hostname;
}

/** The workspace a Slack file URL names (`/files-pri/T…-F…/name`), for URLs stored without their chat. */
export function teamInFilePath(url: string): string | undefined {
  try {
    return FILE_PATH.exec(new URL(url).pathname)?.[1];
  } catch {
    return undefined;
  }
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
  // Slack answers a file request it does not accept the token for by redirecting to its sign-in page.
  if (token && response.redirected && mimetype === "text/html") {
    throw new Error("Slack sent its sign-in page instead of the file: the workspace's token was not accepted");
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
