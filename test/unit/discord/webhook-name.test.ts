import { describe, expect, it } from "vitest";
import { SenderNames, WEBHOOK_NAME_LIMIT, webhookUsername } from "../../../src/connectors/discord/webhook-name.js";

/** Discord's own check of a webhook name, as its API documents it. */
function discordAccepts(name: string): boolean {
  const lower = name.toLowerCase();
  return name.length >= 1 && name.length <= WEBHOOK_NAME_LIMIT && !lower.includes("discord") && !lower.includes("clyde") &&
    lower !== "everyone" && lower !== "here" && name === name.trim();
}

describe("webhook usernames", () => {
  it.each([
    ["an ordinary name", "Alice", "Alice"],
    ["spaces collapsed and trimmed", "  Alice   Liddell ", "Alice Liddell"],
    ["invisible characters dropped", "Al\u200bice\u0007", "Alice"],
    ["a forbidden word kept readable", "Discord fan", "Disc\u043erd fan"],
    ["every forbidden word, in any case", "DISCORD and clyde", "DISC\u041eRD and clyd\u0435"],
    ["everyone is not a name", "everyone", "everyone (Matrix)"],
    ["here is not a name", "HERE", "HERE (Matrix)"],
    ["emoji stay", "🦊 Fox", "🦊 Fox"],
  ])("%s", (_name, input, expected) => {
    const name = webhookUsername(input, "alice");
    expect(name).toBe(expected);
    expect(discordAccepts(name)).toBe(true);
  });

  it("falls back to the localpart when nothing is left", () => {
    expect(webhookUsername(" \u200b ", "alice")).toBe("alice");
    expect(webhookUsername("", "discordian")).toBe("disc\u043erdian");
  });

  it("cuts long names to Discord's limit without splitting an emoji", () => {
    const long = webhookUsername("a".repeat(79) + "🦊🦊", "x");
    expect(long.length).toBeLessThanOrEqual(WEBHOOK_NAME_LIMIT);
    expect(long.endsWith("…")).toBe(true);
    expect(long).not.toMatch(/[\ud800-\udbff]…$/);
  });
});

describe("telling Matrix senders apart", () => {
  const nobodyOnDiscord = () => false;

  it("keeps a name for the first sender and adds the Matrix id for a second one", () => {
    const names = new SenderNames();
    expect(names.nameFor("c1", "@alice:one.org", "Alice", nobodyOnDiscord)).toBe("Alice");
    expect(names.nameFor("c1", "@alice:two.org", "Alice", nobodyOnDiscord)).toBe("Alice (@alice:two.org)");
    expect(names.nameFor("c1", "@alice:one.org", "Alice", nobodyOnDiscord)).toBe("Alice");
    expect(names.nameFor("c1", "@alice:two.org", "alice", nobodyOnDiscord)).toBe("alice (@alice:two.org)");
  });

  it("keeps channels apart", () => {
    const names = new SenderNames();
    names.nameFor("c1", "@alice:one.org", "Alice", nobodyOnDiscord);
    expect(names.nameFor("c2", "@alice:two.org", "Alice", nobodyOnDiscord)).toBe("Alice");
  });

  it("does not let a Matrix user pass for a member of the guild", () => {
    const names = new SenderNames();
    expect(names.nameFor("c1", "@mallory:evil.org", "Bob", (name) => name === "Bob")).toBe("Bob (@mallory:evil.org)");
  });

  it("keeps the suffix within the limit and within the rules", () => {
    const names = new SenderNames();
    names.nameFor("c1", "@a:x.org", "A".repeat(80), nobodyOnDiscord);
    const second = names.nameFor("c1", "@discord:x.org", "A".repeat(80), nobodyOnDiscord);
    expect(second.length).toBeLessThanOrEqual(WEBHOOK_NAME_LIMIT);
    expect(second.endsWith("(@disc\u043erd:x.org)")).toBe(true);
    expect(discordAccepts(second)).toBe(true);
  });
});
