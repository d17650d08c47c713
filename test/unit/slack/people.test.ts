import { describe, expect, it } from "vitest";
import { fillDisplayName, mayPingRoom, remoteUserFromBot, remoteUserFromSlackUser } from "../../../src/connectors/slack/people.js";
import type { SlackUser } from "../../../src/connectors/slack/slack-types.js";

// A users.info answer as Slack sends it (trimmed to what matters here).
const spengler: SlackUser = {
  id: "W012A3CDE",
  name: "spengler",
  real_name: "Egon Spengler",
  is_bot: false,
  profile: {
    display_name: "spengler",
    real_name: "Egon Spengler",
    image_72: "https://secure.gravatar.com/avatar/abc.jpg?s=72",
    image_192: "https://secure.gravatar.com/avatar/abc.jpg?s=192",
    image_512: "https://secure.gravatar.com/avatar/abc.jpg?s=512",
  },
};

describe("display names", () => {
  it.each([
    ["{displayName}", { displayName: "eg", realName: "Egon Spengler", username: "spengler" }, "eg"],
    ["{displayName}", { displayName: "", realName: "Egon Spengler", username: "spengler" }, "Egon Spengler"],
    ["{displayName}", { displayName: "", realName: "", username: "spengler" }, "spengler"],
    ["{realName} (Slack)", { displayName: "eg", realName: "Egon Spengler", username: "spengler" }, "Egon Spengler (Slack)"],
    ["{username}", { displayName: "eg", realName: "Egon Spengler", username: "spengler" }, "spengler"],
    ["{displayName} [{username}]", { displayName: "eg", username: "spengler" }, "eg [spengler]"],
    ["{unknown}", { displayName: "eg", username: "spengler" }, "{unknown}"],
    ["{realName}", { displayName: "eg", realName: "", username: "spengler" }, "spengler"],
  ])("%s with %j is %s", (template, names, expected) => {
    expect(fillDisplayName(template, names)).toBe(expected);
  });
});

describe("Slack users as ghosts", () => {
  it("take the display name and the largest avatar", () => {
    expect(remoteUserFromSlackUser("T1", spengler, "{displayName}")).toEqual({
      id: "T1/W012A3CDE",
      displayName: "spengler",
      avatarUrl: "https://secure.gravatar.com/avatar/abc.jpg?s=512",
      isBot: false,
    });
  });

  it("fall back to the real name and the smaller avatars", () => {
    const user: SlackUser = { id: "U1", name: "dana", profile: { display_name: "", real_name: "Dana Barrett", image_72: "https://a/72.png" } };
    expect(remoteUserFromSlackUser("T1", user, "{displayName}")).toMatchObject({ displayName: "Dana Barrett", avatarUrl: "https://a/72.png" });
  });

  it("mark bot users as bots", () => {
    expect(remoteUserFromSlackUser("T1", { id: "U9", name: "ci", is_bot: true }, "{displayName}")).toMatchObject({ displayName: "ci", isBot: true });
  });

  it("integrations posting as a bot are named and pictured by their bot profile", () => {
    const bot = { id: "B0ABC", name: "Jenkins", icons: { image_36: "https://i/36.png", image_48: "https://i/48.png", image_72: "https://i/72.png" } };
    expect(remoteUserFromBot("T1", bot, "{displayName}")).toEqual({ id: "T1/B0ABC", displayName: "Jenkins", avatarUrl: "https://i/72.png", isBot: true });
  });
});

describe("who may ping a room with @here, @channel or @everyone", () => {
  it.each<[string, SlackUser | undefined, boolean]>([
    ["a member", { id: "U1" }, true],
    ["a multi-channel guest", { id: "U1", is_restricted: true }, false],
    ["a single-channel guest", { id: "U1", is_ultra_restricted: true }, false],
    ["a bot user", { id: "U1", is_bot: true }, false],
    ["a deactivated user", { id: "U1", deleted: true }, false],
    ["an integration without a user", undefined, false],
  ])("%s: %s", (_who, user, expected) => {
    expect(mayPingRoom(user)).toBe(expected);
  });
});
