/**
 * Bolt's and the Socket Mode client's logging into Parley's log. Their debug output
 * prints every payload (people's messages) and is left out; their info is Parley's
 * debug, since it narrates connections Parley reports itself.
 */
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "winston";

const text = (parts: unknown[]): string =>
  parts.map((part) => (part instanceof Error ? part.message : typeof part === "string" ? part : JSON.stringify(part))).join(" ");

export function boltLogger(log: Logger): BoltLogger {
  return {
    debug: () => undefined,
    info: (...parts: unknown[]) => log.debug(text(parts)),
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
