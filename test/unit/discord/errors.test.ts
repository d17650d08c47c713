import { DiscordAPIError, HTTPError } from "discord.js";
import { describe, expect, it } from "vitest";
import { PermanentError, RetryLaterError } from "../../../src/core/connector.js";
import { toConnectorError } from "../../../src/connectors/discord/errors.js";
import { threadName } from "../../../src/connectors/discord/threads.js";

/** An error as discord.js throws it for Discord's JSON error body. */
function apiError(status: number, code: number, message: string, extra: Record<string, unknown> = {}): DiscordAPIError {
  return new DiscordAPIError({ code, message, ...extra }, code, status, "POST", "https://discord.com/api/v10/webhooks/1/t", { body: {}, files: undefined });
}

describe("Discord's failures in the core's terms", () => {
  it.each([
    ["a rate limit, with the wait Discord asked for", apiError(429, 0, "You are being rate limited.", { retry_after: 1.234, global: false }), RetryLaterError, 1234],
    ["a server error", apiError(502, 0, "Bad Gateway"), RetryLaterError, undefined],
    ["a server error without a JSON body", new HTTPError(503, "Service Unavailable", "POST", "https://discord.com/api/v10/x", { body: {}, files: undefined }), RetryLaterError, undefined],
    ["a connection that failed", new TypeError("fetch failed"), RetryLaterError, undefined],
  ])("%s is worth retrying", (_name, error, type, retryAfterMs) => {
    const mapped = toConnectorError(error);
    expect(mapped).toBeInstanceOf(type);
    expect((mapped as RetryLaterError).retryAfterMs).toBe(retryAfterMs);
  });

  it.each([
    ["unknown channel", apiError(404, 10003, "Unknown Channel"), "the Discord channel no longer exists"],
    ["missing permissions", apiError(403, 50013, "Missing Permissions"), "the Parley bot lacks a permission it needs there"],
    ["a file too large", apiError(413, 40005, "Request entity too large"), "the file is larger than Discord accepts"],
    ["an invalid form", apiError(400, 50035, "Invalid Form Body"), "Discord refused: Invalid Form Body"],
    ["a channel full of webhooks", apiError(400, 30007, "Maximum number of webhooks reached (15)"),
      "the Discord channel has as many webhooks as Discord allows, so Parley cannot make its own: remove one in the channel's settings"],
  ])("%s is not, and says why", (_name, error, message) => {
    const mapped = toConnectorError(error);
    expect(mapped).toBeInstanceOf(PermanentError);
    expect(mapped.message).toBe(message);
  });

  it("lets the core's own errors through", () => {
    const permanent = new PermanentError("no");
    expect(toConnectorError(permanent)).toBe(permanent);
  });
});

describe("thread names", () => {
  it.each([
    ["the first line of the starter", "Release notes\nmore", "Release notes"],
    ["markdown markers at the start dropped", "# Big news\nbody", "Big news"],
    ["past Parley's reply line", "-# ↪ **Bob**: [hi](https://discord.com/channels/1/2/3)\nmy answer", "my answer"],
    ["a default for a message with no text", "", "Thread"],
    ["cut to Discord's 100 characters", "x".repeat(150), `${"x".repeat(99)}…`],
  ])("%s", (_name, content, expected) => {
    expect(threadName(content)).toBe(expected);
  });
});
