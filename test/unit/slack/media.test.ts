import { describe, expect, it } from "vitest";
import { mayCarryToken, teamInFilePath } from "../../../src/connectors/slack/media.js";

const SLACK_API = "https://slack.com/api/";
const TEST_API = "http://127.0.0.1:4567/api/";

describe("which URLs may be sent a workspace's token", () => {
  it.each([
    ["https://files.slack.com/files-pri/T0123-F0456/cat.png", SLACK_API, true],
    ["https://files.slack.com/files-tmb/T0123-F0456-abc/cat_360.png", SLACK_API, true],
    // A proxy or a test serves files beside its API, on any port and path.
    ["http://127.0.0.1:4567/files-pri/T0123-F0456/cat.png", TEST_API, true],
    ["http://127.0.0.1:9999/download/F0456", TEST_API, true],
    // Never to anyone else, whatever the path says.
    ["http://files.slack.com/files-pri/T0123-F0456/cat.png", SLACK_API, false],
    ["https://files.slack.com.evil.example/files-pri/T0123-F0456/cat.png", SLACK_API, false],
    ["https://evil.example/files-pri/T0123-F0456/cat.png", TEST_API, false],
    ["https://avatars.slack-edge.com/2024-01-01/123_abc_512.png", SLACK_API, false],
    ["https://docs.google.com/document/d/1", SLACK_API, false],
    ["https://slack.com/files-pri/T0123-F0456/cat.png", SLACK_API, false],
    ["not a url", TEST_API, false],
  ])("%s (API %s)", (url, api, allowed) => {
    expect(mayCarryToken(url, api)).toBe(allowed);
  });
});

describe("the workspace a file URL names", () => {
  it.each([
    ["https://files.slack.com/files-pri/T0123-F0456/cat.png", "T0123"],
    ["https://files.slack.com/files-pri/T0123-F0456/download/cat.png", "T0123"],
    ["https://files.slack.com/files-tmb/T0123-F0456-abc/cat_360.png", "T0123"],
    ["https://files.slack.com/other/T0123-F0456/cat.png", undefined],
    ["not a url", undefined],
  ])("%s", (url, team) => {
    expect(teamInFilePath(url)).toBe(team);
  });
});
