// Web API arguments as Slack reads them: form fields are strings (objects and arrays arrive JSON-encoded),
// JSON bodies carry real values, and booleans may be true/false or 1/0.
import type { Json, Team } from "../model.js";

/** An `ok: false` answer. Slack reports method failures in the body of an HTTP 200. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Json = {},
  ) {
    super(code);
  }
}

export class Params {
  constructor(readonly raw: Record<string, unknown>) {}

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    return typeof value === "string" ? value : String(value);
  }

  /** A required argument; Slack names the missing one in its own error code for some methods. */
  require(name: string, error = "invalid_arguments"): string {
    const value = this.string(name);
    if (value === undefined) throw new SlackApiError(error, { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === "") return undefined;
    return value === true || value === "true" || value === "1" || value === 1;
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = Number.parseInt(value, 10);
    if (Number.isNaN(parsed)) throw new SlackApiError("invalid_arguments");
    return parsed;
  }

  /** Structured arguments (blocks, attachments, files): a JSON string in forms, the value itself in JSON bodies. */
  json<T>(name: string, error = "invalid_arguments"): T | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw new SlackApiError(error);
    }
  }
}

/** Who is calling, resolved from the token. */
export interface Caller {
  team: Team;
  kind: "bot" | "user" | "app";
  /** The bot user for bot tokens, the person for user tokens; absent for app-level tokens. */
  userId?: string;
  scopes: string[];
  /** The token the call came with. */
  token: string;
}
