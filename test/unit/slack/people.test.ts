import { describe, expect, it } from "vitest";
import { fillDisplayName, mayPingRoom, remoteUserFromBot, remoteUserFromBotMessage, remoteUserFromSlackUser } from "../../../src/connectors/slack/people.js";
import type { SlackMessage } from "../../../src/connectors/slack/slack-types.js";
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

  describe("an integration's message", () => {
    const bot = { id: "B0HOOK", name: "incoming-webhook", icons: { image_72: "https://i/hook.png" } };
    const posted = (extra: Partial<SlackMessage>): SlackMessage => ({ ts: "1.0", subtype: "bot_message", bot_id: "B0HOOK", ...extra });

    it("under its bot's own name is the bot", () => {
      expect(remoteUserFromBotMessage("T1", "B0HOOK", bot, posted({ username: "incoming-webhook" }), "{displayName}")).toEqual(remoteUserFromBot("T1", bot, "{displayName}"));
      expect(remoteUserFromBotMessage("T1", "B0HOOK", bot, posted({}), "{displayName}").id).toBe("T1/B0HOOK");
    });

    it("under a name of its own is that name, with the message's icon, one ghost per name", () => {
      const github = remoteUserFromBotMessage("T1", "B0HOOK", bot, posted({ username: "github", icons: { image_48: "https://i/gh48.png", image_72: "https://i/gh72.png" } }), "{displayName}");
      expect(github).toEqual({ id: expect.stringMatching(/^T1\/B0HOOKX[0-9A-F]{8}$/), displayName: "github", avatarUrl: "https://i/gh72.png", isBot: true });
      const jira = remoteUserFromBotMessage("T1", "B0HOOK", bot, posted({ username: "jira" }), "{displayName}");
      expect(jira).toMatchObject({ displayName: "jira", avatarUrl: "https://i/hook.png" });
      expect(jira.id).not.toBe(github.id);
      expect(remoteUserFromBotMessage("T1", "B0HOOK", bot, posted({ username: "github" }), "{displayName}").id).toBe(github.id);
    });

    it("from a bot Slack will not describe is named as it posted", () => {
      expect(remoteUserFromBotMessage("T1", "B0GONE", undefined, posted({ bot_id: "B0GONE", username: "Deploys" }), "{displayName}")).toMatchObject({ displayName: "Deploys", isBot: true });
      expect(remoteUserFromBotMessage("T1", "B0GONE", undefined, posted({ bot_id: "B0GONE" }), "{displayName}")).toEqual({ id: "T1/B0GONE", displayName: "B0GONE", isBot: true });
    });
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
