/**
 * Slack's failures in the core's terms: worth retrying later (rate limits, outages), or
 * permanent, with a sentence the sender can act on. The Web API client is told to hand
 * rate limits back instead of waiting them out itself, so the core's retries (which
 * honour Retry-After) and the sender's notice both see them.
 */
import { PermanentError, RetryLaterError } from "../../core/connector.js";

/** Errors Slack answers when it is the one having trouble. */
const TRANSIENT_CODES = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"]);

/** What to tell the sender for the failures a bridge meets in practice. */
const EXPLANATIONS: Record<string, string> = {
  not_in_channel: "Parley's Slack app is not a member of this channel: invite it there on Slack (/invite and the app's name) to bridge messages again",
  channel_not_found: "the Slack channel no longer exists, or Parley's app cannot see it",
  is_archived: "the Slack channel is archived",
  msg_too_long: "the message is too long for Slack",
  no_text: "the message has nothing Slack can show",
  message_not_found: "the Slack message no longer exists",
  cant_update_message: "Slack does not let Parley change that message",
  cant_delete_message: "Slack does not let Parley delete that message",
  edit_window_closed: "Slack's time limit for editing that message has passed",
  invalid_name: "Slack has no emoji of that name",
  too_many_reactions: "the message has as many reactions as Slack allows",
  restricted_action: "a workspace setting forbids this on Slack",
  invalid_auth: "Parley's Slack token is not valid; the bridge administrator needs to check it",
  not_authed: "Parley's Slack token is missing; the bridge administrator needs to check it",
  account_inactive: "Parley's Slack app was removed from the workspace",
  token_revoked: "Parley's Slack token was revoked; the bridge administrator needs a new one",
  missing_scope: "Parley's Slack app lacks a permission it needs; reinstall it from the manifest",
  file_uploads_disabled: "file uploads are turned off in this Slack workspace",
};

interface SlackErrorShape {
  code?: unknown;
  message?: unknown;
  data?: { error?: unknown; needed?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
  original?: { message?: unknown };
}

/** The Slack error code (`not_in_channel`…) of a Web API platform error, if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const shape = error as SlackErrorShape | undefined;
  return shape?.code === "slack_webapi_platform_error" && typeof shape.data?.error === "string" ? shape.data.error : undefined;
}

/** Turns whatever the Web API client threw into a RetryLaterError or a PermanentError. */
export function toConnectorError(error: unknown, what: string): Error {
  if (error instanceof RetryLaterError || error instanceof PermanentError) return error;
  const shape = (error ?? {}) as SlackErrorShape;
  switch (shape.code) {
    case "slack_webapi_rate_limited_error": {
      const seconds = typeof shape.retryAfter === "number" ? shape.retryAfter : undefined;
      return new RetryLaterError(`Slack is rate limiting ${what}`, seconds === undefined ? undefined : seconds * 1000, { cause: error });
    }
    case "slack_webapi_http_error": {
      const status = typeof shape.statusCode === "number" ? shape.statusCode : 0;
      if (status >= 500 || status === 429 || status === 408) return new RetryLaterError(`Slack answered ${what} with HTTP ${status}`, undefined, { cause: error });
      return new PermanentError(`Slack refused ${what} with HTTP ${status}`, { cause: error });
    }
    case "slack_webapi_request_error":
      return new RetryLaterError(`Slack could not be reached for ${what}: ${String(shape.original?.message ?? shape.message)}`, undefined, { cause: error });
    case "slack_webapi_platform_error": {
      const code = slackErrorCode(error) ?? "unknown_error";
      if (TRANSIENT_CODES.has(code)) return new RetryLaterError(`Slack had trouble with ${what} (${code})`, undefined, { cause: error });
      const explanation = EXPLANATIONS[code] ?? `Slack refused it (${code})`;
      return new PermanentError(explanation, { cause: error });
    }
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs a Web API call, translating its failure. */
export async function slackCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toConnectorError(error, what);
  }
}
