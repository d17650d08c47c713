/**
 * Discord's failures in the core's terms: what retrying can fix (rate limits, outages,
 * a connection that broke) becomes RetryLaterError, what it cannot (an unknown channel,
 * missing permissions, a file too large) becomes PermanentError, so the core retries the
 * first with backoff and tells the sender about the second at once.
 *
 * discord.js already waits out 429s and retries 5xx and timeouts a few times on its own;
 * what reaches here is what it gave up on.
 */
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from "discord.js";
import { PermanentError, RetryLaterError } from "../../core/connector.js";
import { isTransient } from "../../core/retry.js";

/** Why Discord refused, in words for the notice the sender sees. */
const EXPLANATIONS: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: "the Discord channel no longer exists",
  [RESTJSONErrorCodes.UnknownMessage]: "the Discord message no longer exists",
  [RESTJSONErrorCodes.UnknownWebhook]: "Parley's webhook in the channel was deleted",
  [RESTJSONErrorCodes.MissingAccess]: "the Parley bot cannot see that channel",
  [RESTJSONErrorCodes.MissingPermissions]: "the Parley bot lacks a permission it needs there",
  [RESTJSONErrorCodes.RequestEntityTooLarge]: "the file is larger than Discord accepts",
  [RESTJSONErrorCodes.UnknownEmoji]: "Discord does not know that emoji",
  [RESTJSONErrorCodes.MaximumNumberOfWebhooksReached]:
    "the Discord channel has as many webhooks as Discord allows, so Parley cannot make its own: remove one in the channel's settings",
  [RESTJSONErrorCodes.MaximumNumberOfWebhooksPerGuildReached]:
    "the Discord server has as many webhooks as Discord allows, so Parley cannot make one for this channel: remove one in the server's settings",
};

function discordErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

export function isDiscordError(error: unknown, code: number): boolean {
  return discordErrorCode(error) === code;
}

/** The same failure as a core error; errors that are already the core's pass through. */
export function toConnectorError(error: unknown): Error {
  if (error instanceof PermanentError || error instanceof RetryLaterError) return error;
  if (error instanceof RateLimitError) return new RetryLaterError("Discord is rate limiting Parley", error.retryAfter, { cause: error });
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) {
      const retryAfter = (error.rawError as { retry_after?: unknown }).retry_after;
      const retryAfterMs = typeof retryAfter === "number" ? Math.ceil(retryAfter * 1000) : undefined;
      return new RetryLaterError("Discord is rate limiting Parley", retryAfterMs, { cause: error });
    }
    if (error.status >= 500) return new RetryLaterError(`Discord answered ${error.status}`, undefined, { cause: error });
    const explanation = typeof error.code === "number" ? EXPLANATIONS[error.code] : undefined;
    return new PermanentError(explanation ?? `Discord refused: ${error.message}`, { cause: error });
  }
  if (error instanceof HTTPError) {
    if (error.status === 429 || error.status >= 500) return new RetryLaterError(`Discord answered ${error.status}`, undefined, { cause: error });
    return new PermanentError(`Discord refused with HTTP ${error.status}`, { cause: error });
  }
  // No answer at all: the connection failed or timed out.
  return new RetryLaterError(`Discord could not be reached: ${(error as Error).message ?? String(error)}`, undefined, { cause: error });
}

/**
 * A failure while bridging a gateway dispatch. A payload that does not have the shape
 * Discord documents makes code fail with a TypeError or RangeError, and retrying the
 * same payload cannot help: it is given up at once, so it never holds up the guild's
 * later events. A lost connection (fetch's TypeError with a socket error) is retried.
 */
export function toInboundError(error: unknown): Error {
  const malformed = error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
  if (malformed && !isTransient(error)) return new PermanentError(`a Discord event Parley cannot read: ${error.message}`, { cause: error });
  return toConnectorError(error);
}

/** Runs a Discord call, turning its failure into the core's kind. */
export async function discordCall<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw toConnectorError(error);
  }
}
