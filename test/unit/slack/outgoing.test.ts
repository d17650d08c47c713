import { describe, expect, it } from "vitest";
import type { MatrixSender, OutgoingMedia } from "../../../src/core/connector.js";
import type { MessageStyle } from "../../../src/core/events.js";
import type { Document } from "../../../src/core/format/ast.js";
import {
  alreadyPosted,
  oversizeFileText,
  parleyMetadata,
  postBody,
  reactionName,
  senderIdentity,
  threadPlacement,
  uploadComment,
} from "../../../src/connectors/slack/outgoing.js";
import { ALICE, b, i, mention, p, quote, renderCtx, t, ul } from "./format-fixtures.js";

const alice: MatrixSender = { userId: "@alice:example.org", displayName: "Alice", avatarUrl: "https://parley.example/media/x/y/z/avatar" };

describe("post bodies", () => {
  it.each<[string, Document, MessageStyle, { text: string; blocks?: unknown[] }]>([
    ["plain text", [p(t("hello"))], "text", { text: "hello" }],
    ["formatting and escaping", [p(b(t("a & b")), t(" < c"))], "text", { text: "*a &amp; b* &lt; c" }],
    ["a mention", [p(t("hi "), mention(ALICE, "Alice"))], "text", { text: "hi <@U1>" }],
    ["an emote, in italics", [p(t("waves"))], "emote", { text: "_waves_" }],
    ["an emote with formatting inside", [p(t("waves at "), b(t("everyone")))], "emote", { text: "_waves at *everyone*_" }],
    ["an emote over blocks", [p(t("one")), quote(p(t("two")))], "emote", { text: "_one_\n> _two_" }],
    ["an emote with a list", [ul([p(t("x"))])], "emote", { text: "• _x_" }],
    ["an empty emote", [], "emote", { text: "" }],
    ["a notice, as a context block", [p(i(t("note")))], "notice", { text: "_note_", blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "_note_" }] }] }],
    ["an empty notice", [], "notice", { text: "" }],
    ["a notice too long for a block", [p(t("x".repeat(3001)))], "notice", { text: "x".repeat(3001) }],
  ])("%s", (_name, doc, style, expected) => {
    expect(postBody(doc, style, renderCtx)).toEqual(expected);
  });
});

describe("thread placement", () => {
  const reply = { remoteId: "1.000200", authorName: "Bob", excerpt: "hi" };
  it.each([
    ["a plain message", {}, {}],
    ["a thread message", { threadRoot: "1.000100" }, { thread_ts: "1.000100" }],
    ["a thread message that is also a reply", { threadRoot: "1.000100", replyTo: reply }, { thread_ts: "1.000100" }],
    ["a reply to a top-level message", { replyTo: reply }, { thread_ts: "1.000200" }],
    ["a reply to a message in a thread", { replyTo: { ...reply, threadRoot: "1.000100" } }, { thread_ts: "1.000100", reply_broadcast: true }],
  ])("%s", (_name, message, expected) => {
    expect(threadPlacement(message)).toEqual(expected);
  });
});

describe("the sender as Slack shows them", () => {
  it("is named and pictured", () => {
    expect(senderIdentity(alice)).toEqual({ username: "Alice", icon_url: "https://parley.example/media/x/y/z/avatar" });
  });

  it("without an avatar has no icon", () => {
    expect(senderIdentity({ userId: "@bob:example.org", displayName: "Bob" })).toEqual({ username: "Bob" });
  });

  it("keeps a long name to Slack's 80 characters, not splitting an emoji", () => {
    const username = senderIdentity({ userId: "@x:y", displayName: `${"a".repeat(79)}🎉🎉` }).username;
    expect([...username]).toHaveLength(80);
    expect(username.endsWith("🎉")).toBe(true);
  });

  it("falls back to the user id when the name is blank", () => {
    expect(senderIdentity({ userId: "@x:y", displayName: "  " }).username).toBe("@x:y");
  });

  it("names the sender in an upload's comment, escaped", () => {
    expect(uploadComment(alice, "")).toBe("*Alice*");
    expect(uploadComment(alice, "my _cat_")).toBe("*Alice*: my _cat_");
    expect(uploadComment({ userId: "@a:b", displayName: "A<b>" }, "")).toBe("*A&lt;b&gt;*");
  });
});

describe("files over the upload limit", () => {
  const media = (filename: string, size: number): OutgoingMedia => ({
    kind: "file", filename, mimetype: "application/zip", size, publicUrl: "https://parley.example/media/s/m/sig/big.zip", load: async () => Buffer.alloc(0),
  });

  it("become a link with a note", () => {
    expect(oversizeFileText(media("big.zip", 150 * 1024 * 1024), "")).toBe("<https://parley.example/media/s/m/sig/big.zip|big.zip> (150.0 MiB, too large to upload to Slack)");
  });

  it("keep their caption first, and a label that cannot break the link", () => {
    expect(oversizeFileText(media("a|b<c>.zip", 2048), "look")).toBe("look\n<https://parley.example/media/s/m/sig/big.zip|a¦b&lt;c&gt;.zip> (2.0 KiB, too large to upload to Slack)");
  });

});

describe("reaction names", () => {
  it.each([
    ["👍", "+1"],
    ["👍🏽", "+1::skin-tone-4"],
    ["❤️", "heart"],
    ["❤", "heart"],
    ["🎉", "tada"],
    ["☺️", "relaxed"],
    ["not an emoji", undefined],
  ])("%s is %s", (value, name) => {
    expect(reactionName({ kind: "unicode", value })).toBe(name);
  });

  it("uses a custom emoji's own name", () => {
    expect(reactionName({ kind: "custom", name: "partyparrot" })).toBe("partyparrot");
    expect(reactionName({ kind: "custom", name: "" })).toBeUndefined();
  });
});

describe("recognising Parley's own posts after a restart", () => {
  const history = [
    { ts: "3.0", metadata: { event_type: "parley_matrix_event", event_payload: { event_id: "$other" } } },
    { ts: "2.0", metadata: parleyMetadata("$mine") },
    { ts: "1.0", metadata: { event_type: "someone_else", event_payload: { event_id: "$mine" } } },
    { ts: "0.5" },
  ];

  it("finds the post carrying the event's id", () => {
    expect(alreadyPosted(history, "$mine")).toBe("2.0");
  });

  it("finds nothing for an event never posted, or posted by another app", () => {
    expect(alreadyPosted(history, "$new")).toBeUndefined();
    expect(alreadyPosted(history.slice(2), "$mine")).toBeUndefined();
  });
});
