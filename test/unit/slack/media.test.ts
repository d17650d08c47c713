import { describe, expect, it } from "vitest";
import { fileTeam } from "../../../src/connectors/slack/media.js";

describe("which workspace's token a URL gets", () => {
  const testApi = ["http://127.0.0.1:4567"];
  it.each([
    ["https://files.slack.com/files-pri/T0123-F0456/cat.png", [], "T0123"],
    ["https://files.slack.com/files-pri/T0123-F0456/download/cat.png", [], "T0123"],
    ["https://files.slack.com/files-tmb/T0123-F0456-abc/cat_360.png", [], "T0123"],
    ["http://127.0.0.1:4567/files-pri/T0123-F0456/cat.png", testApi, "T0123"],
    // Never to anyone else, whatever the path says.
    ["http://files.slack.com/files-pri/T0123-F0456/cat.png", [], undefined],
    ["https://files.slack.com.evil.example/files-pri/T0123-F0456/cat.png", [], undefined],
    ["https://evil.example/files-pri/T0123-F0456/cat.png", testApi, undefined],
    ["https://avatars.slack-edge.com/2024-01-01/123_abc_512.png", [], undefined],
    ["https://files.slack.com/other/T0123-F0456/cat.png", [], undefined],
    ["not a url", [], undefined],
  ])("%s", (url, origins, team) => {
    expect(fileTeam(url, origins)).toBe(team);
  });
});
