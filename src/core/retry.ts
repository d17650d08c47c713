import type { Logger } from "winston";
import { PermanentError, RetryLaterError, UnsupportedError } from "./connector.js";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors that retrying cannot fix: say so at once instead of after a minute of backoff. */
export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof UnsupportedError;
}

/**
 * Runs a delivery until it succeeds, a permanent error says it never will, or the
 * attempts run out. Waits what the network asked (Retry-After) or doubles the delay
 * with jitter, so a crowd of failed sends does not return at the same instant.
 */
export async function withRetries<T>(
  what: string,
  task: () => Promise<T>,
  log: Logger,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (isPermanent(error) || attempt >= policy.attempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const asked = error instanceof RetryLaterError ? error.retryAfterMs : undefined;
      const delay = asked ?? backoff / 2 + Math.random() * (backoff / 2);
      log.warn(`${what} failed; retrying`, { attempt, delayMs: Math.round(delay), error: (error as Error).message });
      await sleep(delay);
    }
  }
}
