import { describe, expect, it } from "vitest";
import { Permissions } from "../../../src/core/permissions.js";

describe("permissions", () => {
  const permissions = new Permissions([
    { subject: "*", level: "relay" },
    { subject: "example.org", level: "user" },
    { subject: "@boss:example.org", level: "admin" },
    { subject: "@troll:example.org", level: "none" },
  ]);

  it.each([
    ["@boss:example.org", "admin"],
    ["@alice:example.org", "user"],
    ["@troll:example.org", "none"],
    ["@bob:elsewhere.net", "relay"],
    ["@eve:sub.example.org", "relay"],
  ])("the most specific rule decides: %s is %s", (userId, level) => {
    expect(permissions.levelOf(userId)).toBe(level);
  });

  it("orders levels none < relay < user < admin", () => {
    expect(permissions.allows("@alice:example.org", "relay")).toBe(true);
    expect(permissions.allows("@alice:example.org", "admin")).toBe(false);
    expect(permissions.allows("@troll:example.org", "relay")).toBe(false);
  });

  it("lets nobody in when no rule is given", () => {
    expect(new Permissions([]).levelOf("@a:b")).toBe("none");
  });
});
