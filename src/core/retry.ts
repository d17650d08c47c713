import type { Logger } from "winston";
import { PermanentError, RetryLaterError, UnsupportedError } from "./connector.js";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * About a minute and a half of trying before a sender is told: long enough for a network's
 * 5xx storm or a deploy to pass, short enough that the room's later messages are not held long.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 10, baseDelayMs: 250, maxDelayMs: 30_000 };

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
  task: (attempt: number) => Promise<T>,
  log: Logger,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
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

const SOCKET_FAILURES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ESOCKETTIMEDOUT"]);

/**
 * The homeserver or the network is down or overloaded: worth waiting for, however long.
 * Anything else (a 4xx, a bug) is not, or one bad event would hold its room's queue forever.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof RetryLaterError) return true;
  if (!(error instanceof Error)) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status === "number") return status === 429 || status >= 500;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  return SOCKET_FAILURES.has(String(code)) || SOCKET_FAILURES.has(String(causeCode));
}

const OUTAGE_MAX_DELAY_MS = 30_000;

/**
 * Runs a task that must not be lost: while it fails for a reason that passes (an outage),
 * it waits and tries again, for as long as it takes, until `stopping()` says to give up
 * for now (the work stays stored and resumes at the next start). Other failures are thrown.
 */
export async function retryThroughOutages(
  what: string,
  task: (attempt: number) => Promise<void>,
  log: Logger,
  stopping: () => boolean,
): Promise<"done" | "stopped"> {
  for (let attempt = 1; ; attempt++) {
    try {
      await task(attempt);
      return "done";
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (stopping()) return "stopped";
      const delay = Math.min(OUTAGE_MAX_DELAY_MS, 250 * 2 ** Math.min(attempt, 10));
      if (attempt === 1 || attempt % 10 === 0) log.warn(`${what} is waiting for an outage to pass`, { attempt, error: (error as Error).message });
      await sleep(delay);
    }
  }
}
