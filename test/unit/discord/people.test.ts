import { describe, expect, it } from "vitest";
import { avatarUrl, ghostDisplayName, remoteUserFor } from "../../../src/connectors/discord/people.js";
import { webhookPersonaId } from "../../../src/connectors/discord/ids.js";

const CDN = "https://cdn.discordapp.com";

// Users as Discord sends them since the 2023 username migration (discriminator "0").
const cadence = { id: "113340068197859328", username: "cadence.worm", global_name: "Cadence", avatar: "b48302623a12bc7c59a71328f72ccb39", discriminator: "0" };
const plain = { id: "772659086046658620", username: "pleasant_hedgehog", global_name: null, avatar: null, discriminator: "0" };
const legacyBot = { id: "1109360903096369153", username: "Matrix Bridge", global_name: null, avatar: null, discriminator: "5328", bot: true };

describe("ghost names", () => {
  it.each([
    ["the nick wins", "{displayName}", cadence, { nick: "cadence (server)" }, "cadence (server)"],
    ["then the global name", "{displayName}", cadence, { nick: null }, "Cadence"],
    ["then the username", "{displayName}", plain, undefined, "pleasant_hedgehog"],
    ["{username} is the username", "{username}", cadence, { nick: "x" }, "cadence.worm"],
    ["{globalName} falls back to the username", "{globalName} (Discord)", plain, undefined, "pleasant_hedgehog (Discord)"],
    ["a template around the name", "{displayName} [d]", cadence, undefined, "Cadence [d]"],
    ["bots are marked", "{displayName}", legacyBot, undefined, "Matrix Bridge (bot)"],
  ])("%s", (_name, template, user, member, expected) => {
    expect(ghostDisplayName(template, user, member)).toBe(expected);
  });
});

describe("avatars", () => {
  it.each([
    ["the account's avatar", cadence, undefined, `${CDN}/avatars/113340068197859328/b48302623a12bc7c59a71328f72ccb39.png`],
    ["the guild avatar first", cadence, { avatar: "a1b2" }, `${CDN}/guilds/112760669178241024/users/113340068197859328/avatars/a1b2.png`],
    // (772659086046658620 >> 22) % 6 = 5
    ["a default avatar from the id", plain, undefined, `${CDN}/embed/avatars/5.png`],
    // 5328 % 5 = 3, the pre-migration rule
    ["a default avatar from an old discriminator", legacyBot, undefined, `${CDN}/embed/avatars/3.png`],
  ])("%s", (_name, user, member, expected) => {
    expect(avatarUrl(CDN, user, member, "112760669178241024")).toBe(expected);
  });
});

describe("remote users", () => {
  const options = { displayNameTemplate: "{displayName}", cdnUrl: CDN };

  it("are people by their account id, as they look in the guild they were seen in", () => {
    expect(remoteUserFor(options, cadence, { nick: "cad" }, "112760669178241024")).toEqual({
      id: "113340068197859328",
      displayName: "cad",
      avatarUrl: `${CDN}/avatars/113340068197859328/b48302623a12bc7c59a71328f72ccb39.png`,
      scope: "112760669178241024",
    });
  });

  it("are people as they look everywhere when their guild membership is unknown", () => {
    expect(remoteUserFor(options, cadence)).toEqual({
      id: "113340068197859328",
      displayName: cadence.global_name,
      avatarUrl: `${CDN}/avatars/113340068197859328/b48302623a12bc7c59a71328f72ccb39.png`,
    });
  });

  it("are webhook personas by webhook and name, marked as bots", () => {
    // A webhook message's author: the webhook's id, the per-message name and avatar.
    const author = { id: "1160893336324931584", username: "PluralKit Member", global_name: null, avatar: "f1e2", discriminator: "0000", bot: true };
    expect(remoteUserFor(options, author, undefined, "112760669178241024", "1160893336324931584")).toEqual({
      id: webhookPersonaId("1160893336324931584", "PluralKit Member"),
      displayName: "PluralKit Member (bot)",
      avatarUrl: `${CDN}/avatars/1160893336324931584/f1e2.png`,
      isBot: true,
    });
  });
});
