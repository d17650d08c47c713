// Slack messages as RemoteContent: a table of payloads in the shapes Slack sends (message events,
// bot_message, file_share with files, snippets, attachments) and what Matrix should get from them.
import { describe, expect, it } from "vitest";
import type { RemoteContent } from "../../../src/core/events.js";
import { contextBlocksText, isUserEdit, referencesIn, slackMessageContent } from "../../../src/connectors/slack/inbound.js";
import type { SlackMessage } from "../../../src/connectors/slack/slack-types.js";
import { ALICE, b, code, i, link, mention, p, parseCtx, pre, quote, t } from "./format-fixtures.js";

const richText = (...elements: unknown[]) => [{ type: "rich_text", block_id: "k2jzw", elements }];
const section = (...elements: unknown[]) => ({ type: "rich_text_section", elements });

const image = {
  id: "F0IMAGE", created: 1700000000, name: "cat.png", title: "cat.png", mimetype: "image/png", filetype: "png", pretty_type: "PNG",
  user: "U1", mode: "hosted", size: 48213, url_private: "https://files.slack.com/files-pri/T1-F0IMAGE/cat.png",
  url_private_download: "https://files.slack.com/files-pri/T1-F0IMAGE/download/cat.png", original_w: 640, original_h: 480,
  permalink: "https://acme.slack.com/files/U1/F0IMAGE/cat.png",
};

const cases: [string, SlackMessage, RemoteContent, Map<string, string>?][] = [
  [
    "a message typed in a Slack client: its rich text wins over the text fallback",
    {
      type: "message", user: "U2", ts: "1700000000.000100", client_msg_id: "3f1d…", text: "*hey* <@U1> look", team: "T1",
      blocks: richText(section({ type: "text", text: "hey", style: { bold: true } }, { type: "text", text: " " }, { type: "user", user_id: "U1" }, { type: "text", text: " look" })),
    } as SlackMessage,
    { style: "text", text: [p(b(t("hey")), t(" "), mention(ALICE, "Alice"), t(" look"))], media: [] },
  ],
  [
    "a bot's mrkdwn text, with entities and a link",
    { type: "message", subtype: "bot_message", bot_id: "B1", username: "CI", ts: "1.1", text: "Build _passed_ &amp; <https://ci.example/1|logs>" },
    { style: "text", text: [p(t("Build "), i(t("passed")), t(" & "), link("https://ci.example/1", t("logs")))], media: [] },
  ],
  [
    "a /me message is an emote",
    { type: "message", subtype: "me_message", user: "U1", ts: "1.2", text: "waves" },
    { style: "emote", text: [p(t("waves"))], media: [] },
  ],
  [
    "an app's context blocks are a notice",
    {
      type: "message", subtype: "bot_message", bot_id: "B1", ts: "1.3", text: "Deployed",
      blocks: [{ type: "context", block_id: "c1", elements: [{ type: "mrkdwn", text: "Deployed *v2*" }, { type: "plain_text", text: "by <ci>" }] }],
    },
    { style: "notice", text: [p(t("Deployed "), b(t("v2")), { type: "line_break" }, t("by <ci>"))], media: [] },
  ],
  [
    "section blocks fall back to the text an app must send with them",
    { type: "message", subtype: "bot_message", bot_id: "B1", ts: "1.4", text: "Fallback *text*", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Shiny *block*" } }] },
    { style: "text", text: [p(t("Fallback "), b(t("text")))], media: [] },
  ],
  [
    "an integration's attachment becomes a quote; a link preview is left out",
    {
      type: "message", subtype: "bot_message", bot_id: "B1", ts: "1.5", text: "New issue",
      attachments: [
        { fallback: "Issue #1", pretext: "Opened by *dana*", title: "Crash on start", title_link: "https://issues.example/1", text: "It _crashes_" },
        { fallback: "Example", from_url: "https://example.com", title: "Example Domain", text: "preview" },
        { fallback: "Only a fallback" },
      ],
    },
    {
      style: "text",
      text: [
        p(t("New issue")),
        quote(p(t("Opened by "), b(t("dana"))), p(b(link("https://issues.example/1", t("Crash on start")))), p(t("It "), i(t("crashes")))),
        quote(p(t("Only a fallback"))),
      ],
      media: [],
    },
  ],
  [
    "an attachment's title link is kept only when it is safe to follow",
    { type: "message", subtype: "bot_message", bot_id: "B1", ts: "1.6", text: "", attachments: [{ title: "Click", title_link: "javascript:alert(1)" }] },
    { style: "text", text: [quote(p(b(t("Click"))))], media: [] },
  ],
  [
    "an uploaded image is media with its size, type and dimensions, after the caption",
    { type: "message", subtype: "file_share", user: "U1", ts: "1.7", text: "my cat", files: [image], upload: false, display_as_bot: false } as SlackMessage,
    {
      style: "text",
      text: [p(t("my cat"))],
      media: [{ kind: "image", url: image.url_private_download, filename: "cat.png", mimetype: "image/png", size: 48213, width: 640, height: 480, description: undefined }],
    },
  ],
  [
    "documents, videos and sounds get their kinds; alt text becomes the description",
    {
      type: "message", subtype: "file_share", user: "U1", ts: "1.8", text: "",
      files: [
        { id: "F1", name: "report.pdf", mimetype: "application/pdf", size: 10, url_private: "https://files.slack.com/files-pri/T1-F1/report.pdf" },
        { id: "F2", name: "clip.mp4", mimetype: "video/mp4", size: 20, url_private_download: "https://files.slack.com/files-pri/T1-F2/download/clip.mp4" },
        { id: "F3", name: "hum.mp3", mimetype: "audio/mpeg", size: 30, url_private_download: "https://files.slack.com/files-pri/T1-F3/download/hum.mp3" },
        { ...image, id: "F4", alt_txt: "a sleeping cat" },
      ],
    },
    {
      style: "text",
      text: [],
      media: [
        { kind: "file", url: "https://files.slack.com/files-pri/T1-F1/report.pdf", filename: "report.pdf", mimetype: "application/pdf", size: 10, width: undefined, height: undefined, description: undefined },
        { kind: "video", url: "https://files.slack.com/files-pri/T1-F2/download/clip.mp4", filename: "clip.mp4", mimetype: "video/mp4", size: 20, width: undefined, height: undefined, description: undefined },
        { kind: "audio", url: "https://files.slack.com/files-pri/T1-F3/download/hum.mp3", filename: "hum.mp3", mimetype: "audio/mpeg", size: 30, width: undefined, height: undefined, description: undefined },
        { kind: "image", url: image.url_private_download, filename: "cat.png", mimetype: "image/png", size: 48213, width: 640, height: 480, description: "a sleeping cat" },
      ],
    },
  ],
  [
    "a snippet is shown as code in its language, titled when the title says more than the name",
    {
      type: "message", subtype: "file_share", user: "U1", ts: "1.9", text: "",
      files: [{ id: "F5", name: "hi.py", title: "Greeting", mimetype: "text/plain", filetype: "python", mode: "snippet", url_private: "https://files.slack.com/files-pri/T1-F5/hi.py" }],
    },
    { style: "text", text: [p(b(t("Greeting"))), { type: "code_block", language: "python", text: "print('hi') < 3" }], media: [] },
    new Map([["F5", "print('hi') < 3\n"]]),
  ],
  [
    "a plain-text snippet has no language",
    {
      type: "message", subtype: "file_share", user: "U1", ts: "1.10", text: "",
      files: [{ id: "F6", name: "notes.txt", title: "notes.txt", mimetype: "text/plain", filetype: "text", mode: "snippet", url_private: "https://files.slack.com/files-pri/T1-F6/notes.txt" }],
    },
    { style: "text", text: [pre("a\nb")], media: [] },
    new Map([["F6", "a\nb"]]),
  ],
  [
    "a snippet whose text could not be fetched is bridged as the file",
    {
      type: "message", subtype: "file_share", user: "U1", ts: "1.11", text: "",
      files: [{ id: "F7", name: "big.js", mimetype: "text/javascript", filetype: "javascript", mode: "snippet", size: 999999, url_private: "https://files.slack.com/files-pri/T1-F7/big.js" }],
    },
    {
      style: "text", text: [],
      media: [{ kind: "file", url: "https://files.slack.com/files-pri/T1-F7/big.js", filename: "big.js", mimetype: "text/javascript", size: 999999, width: undefined, height: undefined, description: undefined }],
    },
  ],
  [
    "files Slack no longer shows are left out; files kept elsewhere are links",
    {
      type: "message", subtype: "file_share", user: "U1", ts: "1.12", text: "shared",
      files: [
        { id: "F8", mode: "tombstone" },
        { id: "F9", mode: "hidden_by_limit" },
        { id: "F10", name: "Plan", title: "Q3 Plan", mode: "external", is_external: true, permalink: "https://docs.example/plan" },
      ],
    },
    { style: "text", text: [p(t("shared")), p(link("https://docs.example/plan", t("Q3 Plan")))], media: [] },
  ],
  [
    "a thread broadcast reads like any message",
    { type: "message", subtype: "thread_broadcast", user: "U1", ts: "2.1", thread_ts: "2.0", text: "also `here`" },
    { style: "text", text: [p(t("also "), code("here"))], media: [] },
  ],
];

describe("Slack messages as content", () => {
  it.each(cases)("%s", (_name, message, expected, snippets) => {
    expect(slackMessageContent(message, parseCtx, snippets)).toEqual(expected);
  });
});

describe("what a message names", () => {
  it("collects users, channels and user groups from the text, attachments and blocks", () => {
    const refs = referencesIn({
      ts: "1",
      text: "<@U1> <@W2|someone> <#C1|general> <!subteam^S1|@team> <!subteam^S2>",
      attachments: [{ text: "<@U3>" }],
      blocks: richText(section({ type: "user", user_id: "U4" }, { type: "channel", channel_id: "C2" }, { type: "usergroup", usergroup_id: "S3" })),
    });
    expect([...refs.users].sort()).toEqual(["U1", "U3", "U4", "W2"]);
    expect([...refs.channels].sort()).toEqual(["C1", "C2"]);
    expect(refs.usergroups).toEqual(new Map([["S1", "team"], ["S2", undefined], ["S3", undefined]]));
  });
});

describe("context blocks", () => {
  it.each([
    [[], undefined],
    [[{ type: "section" }], undefined],
    [[{ type: "context", elements: [{ type: "mrkdwn", text: "*a*" }] }, { type: "section" }], undefined],
    [[{ type: "context", elements: [{ type: "image", image_url: "x", alt_text: "y" }, { type: "plain_text", text: "1 < 2" }] }], "1 &lt; 2"],
  ])("%j reads as %s", (blocks, text) => {
    expect(contextBlocksText(blocks)).toBe(text);
  });
});

describe("which changes are edits", () => {
  const original = { ts: "1.0", user: "U1", text: "see https://example.com" };
  it.each<[string, SlackMessage, boolean]>([
    ["link previews arriving (no edited)", { ...original, attachments: [{ from_url: "https://example.com" }] }, false],
    ["a thread gaining replies (no edited)", { ...original, reply_count: 1, latest_reply: "1.5" }, false],
    ["new text", { ...original, text: "see https://example.org", edited: { user: "U1", ts: "1.2" } }, true],
    ["new blocks, same text", { ...original, blocks: richText(section({ type: "text", text: "x" })), edited: { user: "U1", ts: "1.2" } }, true],
    ["marked edited but unchanged", { ...original, edited: { user: "U1", ts: "1.2" } }, false],
  ])("%s: %s", (_name, message, expected) => {
    expect(isUserEdit(message, original)).toBe(expected);
  });

  it("an edit with nothing to compare to is an edit", () => {
    expect(isUserEdit({ ...original, edited: { ts: "1.2" } }, undefined)).toBe(true);
  });
});

