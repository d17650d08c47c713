import { describe, expect, it } from "vitest";
import {
  DiscordIds, chatId, compareSnowflakes, isDiscordAccount, messageChannel, messageRemoteId,
  parseChatId, parseMessageRemoteId, snowflakeTime, webhookPersonaId,
} from "../../../src/connectors/discord/ids.js";

const GUILD = "1114567890123456789";
const CHANNEL = "1234567890987654321";
const USER = "239631525350604801";

describe("ghost localparts", () => {
  const ids = new DiscordIds({ ghostLocalpart: "discord_{userId}", aliasLocalpart: "discord_{guildId}_{channelId}" });

  it.each([
    ["a person", USER, `discord_${USER}`],
    ["a webhook persona", webhookPersonaId("987654321987654321", "Captain Hook"), `discord_${webhookPersonaId("987654321987654321", "Captain Hook")}`],
  ])("makes and reads back %s", (_name, user, localpart) => {
    expect(ids.ghostLocalpart(user)).toBe(localpart);
    expect(ids.userForGhost(localpart)).toBe(user);
  });

  it.each([
    ["another network's ghost", "slack_t1_u2"],
    ["the bot", "parley"],
    ["letters where the id goes", "discord_alice"],
    ["an id with something after it", `discord_${USER}_extra`],
    ["an empty id", "discord_"],
  ])("is not fooled by %s", (_name, localpart) => {
    expect(ids.userForGhost(localpart)).toBeUndefined();
  });

  it("follows a configured template with the placeholder in the middle", () => {
    const custom = new DiscordIds({ ghostLocalpart: "_d.{userId}.ghost", aliasLocalpart: "d/{channelId}/{guildId}" });
    expect(custom.ghostLocalpart(USER)).toBe(`_d.${USER}.ghost`);
    expect(custom.userForGhost(`_d.${USER}.ghost`)).toBe(USER);
    expect(custom.userForGhost(`_dx${USER}.ghost`)).toBeUndefined();
    expect(custom.aliasLocalpart(chatId(GUILD, CHANNEL))).toBe(`d/${CHANNEL}/${GUILD}`);
    expect(custom.chatForAlias(`d/${CHANNEL}/${GUILD}`)).toBe(chatId(GUILD, CHANNEL));
  });
});

describe("aliases and chats", () => {
  const ids = new DiscordIds({ ghostLocalpart: "discord_{userId}", aliasLocalpart: "discord_{guildId}_{channelId}" });

  it("turns a chat into its alias and back", () => {
    const chat = chatId(GUILD, CHANNEL);
    expect(chat).toBe(`${GUILD}/${CHANNEL}`);
    expect(ids.aliasLocalpart(chat)).toBe(`discord_${GUILD}_${CHANNEL}`);
    expect(ids.chatForAlias(`discord_${GUILD}_${CHANNEL}`)).toBe(chat);
  });

  it.each([
    ["one id only", `discord_${GUILD}`],
    ["three ids", `discord_${GUILD}_${CHANNEL}_1`],
    ["letters", "discord_general_random"],
    ["another network's alias", `slack_${GUILD}_${CHANNEL}`],
  ])("refuses an alias with %s", (_name, localpart) => {
    expect(ids.chatForAlias(localpart)).toBeUndefined();
  });

  it.each([["", undefined], ["123", undefined], ["1/2/3", undefined], ["a/1", undefined], ["1/2", { guildId: "1", channelId: "2" }]])(
    "parses the chat id %j",
    (chat, expected) => {
      expect(parseChatId(chat)).toEqual(expected);
    },
  );
});

describe("message ids", () => {
  it("are plain in a channel and carry the thread in a thread", () => {
    expect(messageRemoteId("55")).toBe("55");
    expect(messageRemoteId("55", "44")).toBe("44/55");
    expect(parseMessageRemoteId("55")).toEqual({ messageId: "55" });
    expect(parseMessageRemoteId("44/55")).toEqual({ threadId: "44", messageId: "55" });
  });

  it("say which channel the message lives in", () => {
    const chat = { guildId: GUILD, channelId: CHANNEL };
    expect(messageChannel(chat, parseMessageRemoteId("55"))).toBe(CHANNEL);
    expect(messageChannel(chat, parseMessageRemoteId("44/55"))).toBe("44");
  });
});

describe("users", () => {
  it("tell accounts from webhook personas", () => {
    const persona = webhookPersonaId("987654321987654321", "Captain Hook");
    expect(persona).toMatch(/^987654321987654321-[0-9a-f]{8}$/);
    expect(webhookPersonaId("987654321987654321", "Captain Hook")).toBe(persona);
    expect(webhookPersonaId("987654321987654321", "Captain Hook II")).not.toBe(persona);
    expect(isDiscordAccount(USER)).toBe(true);
    expect(isDiscordAccount(persona)).toBe(false);
  });
});

describe("snowflakes", () => {
  it("order by time beyond the precision of doubles", () => {
    expect(compareSnowflakes("1234567890987654321", "1234567890987654322")).toBe(-1);
    expect(compareSnowflakes("999", "1000")).toBe(-1);
    expect(compareSnowflakes("1000", "1000")).toBe(0);
  });

  it("tell when they were made (Discord's documented example)", () => {
    expect(new Date(snowflakeTime("175928847299117063")).toISOString()).toBe("2016-04-30T11:18:25.796Z");
  });
});
