import { Writable } from "node:stream";
import winston from "winston";
import { describe, expect, it } from "vitest";
import { createLogger, redact, registerSecret } from "../../src/logging.js";

describe("logging", () => {
  it.each([
    ["token xoxb-123-456-abcdef leaked", "token <redacted> leaked"],
    ["app xapp-1-A0-123-abc", "app <redacted>"],
    ["GET /x?access_token=syt_abc123&y=1", "GET /x?access_token=<redacted>&y=1"],
    ["Authorization: Bearer abcdefgh12345", "Authorization: Bearer <redacted>"],
    ["Authorization: Bot MTA4.secret.token-value", "Authorization: Bot <redacted>"],
    ["MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789", "<redacted>"],
    ["nothing secret here", "nothing secret here"],
  ])("masks token shapes: %s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("masks registered secrets anywhere in an entry, metadata and errors included", () => {
    registerSecret("hunter2-very-secret");
    const lines: string[] = [];
    const log = createLogger({ level: "debug", format: "json", console: false });
    log.add(new winston.transports.Stream({ stream: new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } }) }));
    log.info("config has hunter2-very-secret", { nested: { value: "x hunter2-very-secret y" }, error: new Error("bad hunter2-very-secret") });
    expect(lines.join("")).not.toContain("hunter2-very-secret");
    expect(lines.join("")).toContain("<redacted>");
  });
});
