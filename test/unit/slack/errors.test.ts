import { describe, expect, it } from "vitest";
import { PermanentError, RetryLaterError } from "../../../src/core/connector.js";
import { slackErrorCode, toConnectorError } from "../../../src/connectors/slack/errors.js";

// Errors shaped as @slack/web-api throws them (code, and data / statusCode / retryAfter / original).
const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: "slack_webapi_platform_error", data: { ok: false, error } });
const rateLimited = (retryAfter: number) => Object.assign(new Error("rate limited"), { code: "slack_webapi_rate_limited_error", retryAfter });
const http = (statusCode: number) => Object.assign(new Error(`HTTP ${statusCode}`), { code: "slack_webapi_http_error", statusCode });
const request = () => Object.assign(new Error("A request error occurred"), { code: "slack_webapi_request_error", original: new Error("connect ECONNREFUSED") });

describe("Slack failures in the core's terms", () => {
  it("a rate limit is retried after what Retry-After said", () => {
    const error = toConnectorError(rateLimited(7), "posting a message");
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBe(7000);
  });

  it.each([500, 502, 503, 429, 408])("HTTP %d is retried", (status) => {
    expect(toConnectorError(http(status), "x")).toBeInstanceOf(RetryLaterError);
  });

  it.each([400, 403, 404])("HTTP %d is permanent", (status) => {
    expect(toConnectorError(http(status), "x")).toBeInstanceOf(PermanentError);
  });

  it("an unreachable Slack is retried", () => {
    const error = toConnectorError(request(), "posting a message");
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it.each(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"])("%s in the body is retried", (code) => {
    expect(toConnectorError(platform(code), "x")).toBeInstanceOf(RetryLaterError);
  });

  it.each([
    ["not_in_channel", "Parley's Slack app is not a member of this channel: invite it there on Slack (/invite and the app's name) to bridge messages again"],
    ["channel_not_found", "the Slack channel no longer exists, or Parley's app cannot see it"],
    ["is_archived", "the Slack channel is archived"],
    ["msg_too_long", "the message is too long for Slack"],
    ["token_revoked", "Parley's Slack token was revoked; the bridge administrator needs a new one"],
    ["missing_scope", "Parley's Slack app lacks a permission it needs; reinstall it from the manifest"],
    ["something_new", "Slack refused it (something_new)"],
  ])("%s is permanent, with a sentence the sender can act on", (code, text) => {
    const error = toConnectorError(platform(code), "posting a message");
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(text);
  });

  it("passes the core's own errors and unknown failures through", () => {
    const retry = new RetryLaterError("later");
    expect(toConnectorError(retry, "x")).toBe(retry);
    const odd = new TypeError("fetch failed");
    expect(toConnectorError(odd, "x")).toBe(odd);
  });

  it("reads the code of a platform error only", () => {
    expect(slackErrorCode(platform("already_reacted"))).toBe("already_reacted");
    expect(slackErrorCode(http(500))).toBeUndefined();
    expect(slackErrorCode(undefined)).toBeUndefined();
  });
});
