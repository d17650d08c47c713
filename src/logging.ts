import winston from "winston";
import type { LoggingConfig } from "./config/config.js";

/**
 * Secrets that must never reach a log line, whatever logs them: the tokens from the
 * config and registration are registered at start, and common token shapes are
 * masked even when nobody registered them (a token echoed back in an error body).
 */
const registeredSecrets = new Set<string>();

const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g, // Slack bot, user and legacy tokens
  /\bxapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g, // Discord bot tokens
  /(access_token=)[^&\s"]+/g,
  /(Bearer |Bot )[A-Za-z0-9._~+/=-]{8,}/g,
];

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) registeredSecrets.add(secret);
}

export function redact(text: string): string {
  let result = text;
  for (const secret of registeredSecrets) result = result.split(secret).join("<redacted>");
  for (const pattern of TOKEN_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: unknown) => `${typeof prefix === "string" ? prefix : ""}<redacted>`);
  }
  return result;
}

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return redact(value.stack ?? value.message);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, depth + 1)]));
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) info[key] = redactDeep(info[key]);
  return info;
});

const textLine = winston.format.printf(({ timestamp, level, message, module, ...rest }) => {
  const context = Object.entries(rest)
    .filter(([key]) => typeof key === "string" && !key.startsWith("Symbol("))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const where = module ? ` [${String(module)}]` : "";
  return `${String(timestamp)} ${level}${where} ${String(message)}${context ? ` (${context})` : ""}`;
});

/** `extraTransports` receive the same redacted entries (tests read the log through one). */
export function createLogger(config: LoggingConfig, extraTransports: winston.transport[] = []): winston.Logger {
  const shape = config.format === "json" ? winston.format.json() : textLine;
  const transports: winston.transport[] = [...extraTransports];
  if (config.console) transports.push(new winston.transports.Console({ stderrLevels: ["error", "warn"] }));
  if (config.file) transports.push(new winston.transports.File({ filename: config.file }));
  return winston.createLogger({
    level: config.level,
    format: winston.format.combine(redactFormat(), winston.format.errors({ stack: true }), winston.format.timestamp(), shape),
    transports: transports.length > 0 ? transports : [new winston.transports.Console({ silent: true })],
  });
}
