import { describe, expect, it } from "vitest";
import {
  LocalpartTemplate,
  SlackLocalparts,
  compareTs,
  parseChatId,
  parseUserId,
  toChatId,
  toUserId,
  tsMinusSeconds,
  tsToMillis,
} from "../../../src/connectors/slack/ids.js";
import { channelReference } from "../../../src/connectors/slack/commands.js";

const defaults = new SlackLocalparts({ ghostLocalpart: "slack_{teamId}_{userId}", aliasLocalpart: "slack_{teamId}_{channelId}" });

describe("chat and user ids", () => {
  it.each([
    ["T0ABC/C0DEF", { teamId: "T0ABC", channelId: "C0DEF" }],
    ["T1/G2", { teamId: "T1", channelId: "G2" }],
    ["T1/C2/extra", undefined],
    ["T1", undefined],
    ["/C2", undefined],
    ["t1/c2", undefined],
    ["T1/C-2", undefined],
  ])("parses %s", (chat, expected) => {
    expect(parseChatId(chat)).toEqual(expected);
  });

  it("round-trips chats and users", () => {
    expect(parseChatId(toChatId("T9", "C8"))).toEqual({ teamId: "T9", channelId: "C8" });
    expect(parseUserId(toUserId("T9", "U7"))).toEqual({ teamId: "T9", userId: "U7" });
    expect(parseUserId(toUserId("T9", "B6"))).toEqual({ teamId: "T9", userId: "B6" });
  });
});

describe("ghost and alias localparts", () => {
  it.each([
    ["T0ABC/U0XYZ", "slack_t0abc_u0xyz"],
    ["T1/B2", "slack_t1_b2"],
    ["E1/W2", "slack_e1_w2"],
  ])("the ghost of %s is %s, and back", (user, localpart) => {
    expect(defaults.ghostForUser(user)).toBe(localpart);
    expect(defaults.userForGhost(localpart)).toBe(user);
  });

  it.each([
    ["slack_t1_c2", "T1/C2"],
    ["SLACK_T1_C2", "T1/C2"],
    ["slack_t1", undefined],
    ["slack_t1_c2_extra", undefined],
    ["discord_123_456", undefined],
    ["slack_t1_c-2", undefined],
    ["slack__c2", undefined],
  ])("the alias %s names %s", (localpart, chat) => {
    expect(defaults.chatForAlias(localpart)).toBe(chat);
  });

  it("aliases are lowercase and read back", () => {
    expect(defaults.aliasForChat("T0AB/C0CD")).toBe("slack_t0ab_c0cd");
    expect(defaults.chatForAlias(defaults.aliasForChat("T0AB/C0CD"))).toBe("T0AB/C0CD");
  });

  it("follow configured templates, in any order", () => {
    const custom = new SlackLocalparts({ ghostLocalpart: "sl.{userId}.of.{teamId}", aliasLocalpart: "{channelId}-{teamId}-slack" });
    expect(custom.ghostForUser("T1/U2")).toBe("sl.u2.of.t1");
    expect(custom.userForGhost("sl.u2.of.t1")).toBe("T1/U2");
    expect(custom.userForGhost("slxu2xofxt1")).toBeUndefined();
    expect(custom.aliasForChat("T1/C2")).toBe("c2-t1-slack");
    expect(custom.chatForAlias("c2-t1-slack")).toBe("T1/C2");
  });

  it("refuse to make localparts from malformed ids", () => {
    expect(() => defaults.ghostForUser("U2")).toThrow();
    expect(() => defaults.aliasForChat("C2")).toThrow();
  });

  it("a template reads only what it wrote", () => {
    const template = new LocalpartTemplate("x_{a}_{b}");
    expect(template.fill({ a: "Q1", b: "R2" })).toBe("x_q1_r2");
    expect(template.read("x_q1_r2")).toEqual({ a: "Q1", b: "R2" });
    expect(template.read("y_q1_r2")).toBeUndefined();
  });
});

describe("message timestamps", () => {
  it.each([
    ["1700000000.000100", "1700000000.000099", 1],
    ["1700000000.000100", "1700000000.0001", 0],
    ["1700000001.000000", "1700000000.999999", 1],
    ["999999999.999999", "1000000000.000000", -1],
    ["1700000000.1", "1700000000.099999", 1],
  ])("compare %s with %s exactly", (a, b, order) => {
    expect(compareTs(a, b)).toBe(order);
    expect(compareTs(b, a)).toBe(-order || 0);
  });

  it("convert to milliseconds and shift back by seconds", () => {
    expect(tsToMillis("1700000000.123456")).toBe(1700000000123);
    expect(tsMinusSeconds("1700000000.000100", 60)).toBe("1699999940.000100");
    expect(tsMinusSeconds("30.000001", 60)).toBe("0.000001");
  });
});

describe("what !slack bridge accepts as a channel", () => {
  it.each([
    ["C0123ABCD", { idOrName: "C0123ABCD" }],
    ["c0123abcd", { idOrName: "c0123abcd" }],
    ["G0123ABCD", { idOrName: "G0123ABCD" }],
    ["T01/C0123ABCD", { teamId: "T01", idOrName: "C0123ABCD" }],
    ["https://acme.slack.com/archives/C0123ABCD", { idOrName: "C0123ABCD" }],
    ["#general", { idOrName: "general" }],
    ["general", { idOrName: "general" }],
    ["cats", { idOrName: "cats" }],
  ])("%s", (argument, expected) => {
    expect(channelReference(argument)).toEqual(expected);
  });
});
