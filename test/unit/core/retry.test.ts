import { describe, expect, it } from "vitest";
import winston from "winston";
import { PermanentError, RetryLaterError } from "../../../src/core/connector.js";
import { MatrixApiError } from "../../../src/core/matrix-api.js";
import { isTransient, retryThroughOutages, withRetries } from "../../../src/core/retry.js";

const log = winston.createLogger({ silent: true });

describe("isTransient", () => {
  it.each([
    [new RetryLaterError("429", 10), true],
    [new MatrixApiError("bad gateway", 502), true],
    [new MatrixApiError("slow down", 429, "M_LIMIT_EXCEEDED"), true],
    [new MatrixApiError("refused", undefined, undefined, "ECONNREFUSED"), true],
    [new TypeError("fetch failed", { cause: { code: "ECONNRESET" } }), true],
    [new MatrixApiError("forbidden", 403, "M_FORBIDDEN"), false],
    [new MatrixApiError("no status, no socket code"), false],
    [new TypeError("Cannot read properties of undefined"), false],
    [new PermanentError("unknown channel"), false],
    ["a string", false],
  ])("%s is transient: %s", (error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});

describe("withRetries", () => {
  it("retries until the task succeeds, waiting what the network asked", async () => {
    let calls = 0;
    const started = Date.now();
    const result = await withRetries("test", async () => {
      calls++;
      if (calls < 3) throw new RetryLaterError("rate limited", 30);
      return "sent";
    }, log);
    expect(result).toBe("sent");
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("gives up at once on a permanent error", async () => {
    let calls = 0;
    await expect(withRetries("test", async () => { calls++; throw new PermanentError("missing permissions"); }, log))
      .rejects.toThrow("missing permissions");
    expect(calls).toBe(1);
  });

  it("gives up after the attempts run out", async () => {
    let calls = 0;
    await expect(withRetries("test", async () => { calls++; throw new Error("flaky"); }, log,
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 })).rejects.toThrow("flaky");
    expect(calls).toBe(3);
  });
});

describe("retryThroughOutages", () => {
  it("waits out an outage and then finishes", async () => {
    let calls = 0;
    const outcome = await retryThroughOutages("test", async () => {
      calls++;
      if (calls < 3) throw new MatrixApiError("down", 503);
    }, log, () => false);
    expect([outcome, calls]).toEqual(["done", 3]);
  });

  it("stops waiting when Parley stops, leaving the work stored", async () => {
    const outcome = await retryThroughOutages("test", async () => { throw new MatrixApiError("down", 503); }, log, () => true);
    expect(outcome).toBe("stopped");
  });

  it("throws what no wait can fix", async () => {
    await expect(retryThroughOutages("test", async () => { throw new TypeError("bug"); }, log, () => false)).rejects.toThrow("bug");
  });
});
