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
