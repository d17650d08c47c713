// Identifiers shaped like Slack's: prefixed upper-case ids, tokens with their real prefixes, and message
// timestamps ("1700000000.000100") that never repeat and only grow, which Slack guarantees per channel.
import { randomBytes, randomUUID } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomChars(length: number, alphabet = ALPHANUMERIC): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Ids such as T0ABCDEF12, U0ABCDEF12, C0ABCDEF12 (D… for a direct message): a prefix, a zero, then nine characters. */
export function slackId(prefix: "T" | "U" | "C" | "D" | "G" | "B" | "A" | "F" | "S"): string {
  return `${prefix}0${randomChars(9)}`;
}

/** Events API event ids look like "Ev0ABCDEF12". */
export function eventId(): string {
  return `Ev0${randomChars(9)}`;
}

/** Socket Mode envelope ids and client_msg_id are UUIDs. */
export function uuid(): string {
  return randomUUID();
}

/** Slack clients give each rich_text block a short random id such as "2Le" or "lBy4R". */
export function blockId(): string {
  return randomChars(5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
}

function digits(count: number): string {
  return randomChars(count, "0123456789");
}

export const tokens = {
  bot: (): string => `xoxb-${digits(12)}-${digits(13)}-${randomChars(24)}`,
  user: (): string => `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${randomBytes(16).toString("hex")}`,
  app: (appId: string): string => `xapp-1-${appId}-${digits(13)}-${randomBytes(32).toString("hex")}`,
  secret: (): string => randomBytes(16).toString("hex"),
  oauthCode: (): string => `${digits(12)}.${digits(13)}.${randomBytes(32).toString("hex")}`,
};

/**
 * Hands out message timestamps. Slack's ts is Unix seconds with six decimals; it doubles as the message id
 * within a channel, so two messages never share one and later messages always sort after earlier ones.
 */
export class TsClock {
  private lastMicros = 0n;

  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): string {
    const wall = BigInt(Math.floor(this.nowMs() * 1000));
    this.lastMicros = wall > this.lastMicros ? wall : this.lastMicros + 1n;
    const text = this.lastMicros.toString().padStart(7, "0");
    return `${text.slice(0, -6)}.${text.slice(-6)}`;
  }

  /** Whole Unix seconds, as Slack uses for `created`, `event_time` and `updated`. */
  seconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}

/** Orders two ts strings numerically (they are fixed-point decimals, so compare as integers). */
export function compareTs(a: string, b: string): number {
  const toMicros = (ts: string): bigint => {
    const [whole = "0", fraction = ""] = ts.split(".");
    return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
  };
  const diff = toMicros(a) - toMicros(b);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}
