import { describe, expect, it } from "vitest";
import { EchoFilter } from "../../../src/connectors/slack/echoes.js";
import { RecentMap } from "../../../src/connectors/slack/recent.js";

const self = { teamId: "T1", botId: "B0PARLEY", botUserId: "U0PARLEY" };

describe("recognising Parley's own doings", () => {
  it("by the app's bot id or bot user on a message", () => {
    const echoes = new EchoFilter(self);
    expect(echoes.isOwnMessage("C1", { ts: "1.1", subtype: "bot_message", bot_id: "B0PARLEY", username: "Alice" })).toBe(true);
    expect(echoes.isOwnMessage("C1", { ts: "1.2", user: "U0PARLEY", bot_id: "B0PARLEY", subtype: "file_share" })).toBe(true);
    expect(echoes.isOwnMessage("C1", { ts: "1.3", subtype: "bot_message", bot_id: "B0OTHER" })).toBe(false);
    expect(echoes.isOwnMessage("C1", { ts: "1.4", user: "U0CAROL" })).toBe(false);
  });

  it("takes no one's message for its own when Slack never said which bot it is", () => {
    const echoes = new EchoFilter({ teamId: "T1", botUserId: "U0PARLEY" });
    expect(echoes.isOwnMessage("C1", { ts: "1.5", user: "U0CAROL" })).toBe(false);
    expect(echoes.isOwnMessage("C1", { ts: "1.6", user: "U0PARLEY" })).toBe(true);
  });

  it("by the timestamps it posted, in that channel only", () => {
    const echoes = new EchoFilter(self);
    echoes.rememberPosted("C1", "2.0");
    expect(echoes.isOwnMessage("C1", { ts: "2.0", subtype: "file_share" })).toBe(true);
    expect(echoes.isOwnMessage("C2", { ts: "2.0", user: "U0CAROL" })).toBe(false);
  });

  it("by the timestamps it deleted", () => {
    const echoes = new EchoFilter(self);
    echoes.rememberDeleted("C1", "3.0");
    expect(echoes.isOwnDeletion("C1", "3.0")).toBe(true);
    expect(echoes.isOwnDeletion("C1", "3.1")).toBe(false);
  });

  it("by its bot user on reactions and joins", () => {
    const echoes = new EchoFilter(self);
    expect(echoes.isOwnUser("U0PARLEY")).toBe(true);
    expect(echoes.isOwnUser("U0CAROL")).toBe(false);
    expect(echoes.isOwnUser(undefined)).toBe(false);
  });
});

describe("recognising what Parley did as a linked person", () => {
  it("knows their posts by timestamp or uploaded file, and nothing else of theirs", () => {
    const echoes = new EchoFilter(self);
    echoes.rememberPostedAsPerson("C1", "5.0");
    echoes.rememberFileAsPerson("F1");
    expect(echoes.isOwnPost("C1", { ts: "5.0", user: "U0ALICE" })).toBe(true);
    expect(echoes.isOwnPost("C1", { ts: "5.1", user: "U0ALICE", subtype: "file_share", files: [{ id: "F1" }] })).toBe(true);
    expect(echoes.isOwnPost("C1", { ts: "5.2", user: "U0ALICE" })).toBe(false);
    // Their later edit of that post, made in a Slack client, is theirs.
    expect(echoes.isOwnMessage("C1", { ts: "5.0", user: "U0ALICE" })).toBe(false);
  });

  it("holds their messages in a channel until posts being made as them there have a timestamp", async () => {
    const echoes = new EchoFilter(self);
    let finish: (ts: string) => void = () => undefined;
    const posting = echoes.whilePostingAs("C1", "U0ALICE", new Promise<string>((resolve) => (finish = resolve)));
    let settled = false;
    const waiting = echoes.postsSettled("C1", "U0ALICE").then(() => (settled = true));
    await echoes.postsSettled("C1", "U0CAROL");
    await echoes.postsSettled("C2", "U0ALICE");
    expect(settled).toBe(false);
    echoes.rememberPostedAsPerson("C1", "6.0");
    finish("6.0");
    await posting;
    await waiting;
    expect(echoes.isOwnPost("C1", { ts: "6.0", user: "U0ALICE" })).toBe(true);
  });

  it("a failed post holds nothing up", async () => {
    const echoes = new EchoFilter(self);
    await expect(echoes.whilePostingAs("C1", "U0ALICE", Promise.reject(new Error("token_revoked")))).rejects.toThrow("token_revoked");
    await echoes.postsSettled("C1", "U0ALICE");
  });

  it("knows their edits by the text Parley sent, once each", () => {
    const echoes = new EchoFilter(self);
    echoes.rememberEditAsPerson("C1", "7.0", "second draft");
    expect(echoes.isOwnEdit("C1", { ts: "7.0", text: "typed on Slack" })).toBe(false);
    expect(echoes.isOwnEdit("C1", { ts: "7.0", text: "second draft" })).toBe(true);
    expect(echoes.isOwnEdit("C1", { ts: "7.0", text: "second draft" })).toBe(false);
  });

  it("knows their reactions by message, person and direction, once each, unless Slack refused them", () => {
    const echoes = new EchoFilter(self);
    echoes.rememberReactionAsPerson("C1", "8.0", "U0ALICE", true);
    echoes.rememberReactionAsPerson("C1", "8.1", "U0ALICE", true);
    echoes.forgetReactionAsPerson("C1", "8.1", "U0ALICE", true);
    expect(echoes.isOwnReactionAsPerson("C1", "8.0", "U0ALICE", false)).toBe(false);
    expect(echoes.isOwnReactionAsPerson("C1", "8.0", "U0CAROL", true)).toBe(false);
    expect(echoes.isOwnReactionAsPerson("C1", "8.0", "U0ALICE", true)).toBe(true);
    expect(echoes.isOwnReactionAsPerson("C1", "8.0", "U0ALICE", true)).toBe(false);
    expect(echoes.isOwnReactionAsPerson("C1", "8.1", "U0ALICE", true)).toBe(false);
  });
});

describe("remembering only what is recent", () => {
  it("forgets the oldest entry beyond its capacity, and a reused key counts as new", () => {
    const recent = new RecentMap<string, number>(2);
    recent.set("a", 1);
    recent.set("b", 2);
    recent.set("a", 3);
    recent.set("c", 4);
    expect(recent.has("b")).toBe(false);
    expect(recent.get("a")).toBe(3);
    expect(recent.get("c")).toBe(4);
  });
});
