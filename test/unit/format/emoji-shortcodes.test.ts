import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  normaliseEmoji,
  shortcodeForUnicode,
  unicodeForShortcode,
} from "../../../src/core/format/emoji-shortcodes.js";

describe("unicodeForShortcode", () => {
  it.each([
    ["thumbsup", "👍"],
    ["+1", "👍"],
    [":thumbsup:", "👍"],
    ["smile", "😄"],
    ["fox_face", "🦊"],
    ["heart", "\u2764\uFE0F"],
    ["thumbsup::skin-tone-2", "👍🏻"],
    ["+1::skin-tone-6", "👍🏿"],
    [":wave::skin-tone-3:", "👋🏼"],
    ["handshake::skin-tone-3", "🤝🏼"],
    ["handshake::skin-tone-2-5", "🫱🏻\u200D🫲🏾"],
    ["people_holding_hands::skin-tone-4", "🧑🏽\u200D🤝\u200D🧑🏽"],
    ["smile::skin-tone-2", "😄🏻"],
    ["skin-tone-2", "🏻"],
    ["us", "🇺🇸"],
    ["flag-us", "🇺🇸"],
    ["hash", "#\uFE0F\u20E3"],
    ["man-woman-boy", "👨\u200D👩\u200D👦"],
    ["runner", "🏃"],
  ])("%s -> %s", (shortcode, emoji) => {
    expect(unicodeForShortcode(shortcode)).toBe(emoji);
  });

  it.each(["not_an_emoji", "", "::", "thumbsup::skin-tone-9", "constructor", "toString", "partyparrot"])(
    "knows no %j",
    (shortcode) => {
      expect(unicodeForShortcode(shortcode)).toBeUndefined();
    },
  );
});

describe("shortcodeForUnicode", () => {
  it.each([
    ["👍", "+1"],
    ["\u2764", "heart"],
    ["\u2764\uFE0F", "heart"],
    ["☺", "relaxed"],
    ["👍🏽", "+1::skin-tone-4"],
    ["🫱🏻\u200D🫲🏾", "handshake::skin-tone-2-5"],
    ["🧑🏽\u200D🤝\u200D🧑🏽", "people_holding_hands::skin-tone-4"],
    ["🇺🇸", "us"],
    ["#\uFE0F\u20E3", "hash"],
    ["#\u20E3", "hash"],
    ["🏃", "runner"],
  ])("%s -> %s", (emoji, shortcode) => {
    expect(shortcodeForUnicode(emoji)).toBe(shortcode);
  });

  it.each(["a", "👍👍", "", "🏻🏻"])("knows no %j", (text) => {
    expect(shortcodeForUnicode(text)).toBeUndefined();
  });
});

describe("normaliseEmoji", () => {
  it.each([
    ["\u2764", "\u2764\uFE0F"],
    ["\u2764\uFE0F", "\u2764\uFE0F"],
    ["☺", "☺\uFE0F"],
    ["👍", "👍"],
    ["👍🏽", "👍🏽"],
    ["#\u20E3", "#\uFE0F\u20E3"],
    ["hello", "hello"],
    ["", ""],
  ])("%j -> %j", (input, canonical) => {
    expect(normaliseEmoji(input)).toBe(canonical);
  });
});

describe("the whole emoji-datasource table", () => {
  const records = createRequire(import.meta.url)("emoji-datasource/emoji.json") as {
    short_names: string[];
    unified: string;
    skin_variations?: Record<string, unknown>;
  }[];

  it("reads every shortcode back from its own Unicode", () => {
    const mismatches = records.flatMap((record) =>
      record.short_names.flatMap((name) => {
        const emoji = unicodeForShortcode(name)!;
        const back = shortcodeForUnicode(emoji);
        return back !== undefined && unicodeForShortcode(back) === emoji ? [] : [`${name} -> ${emoji} -> ${back}`];
      }),
    );
    expect(mismatches).toEqual([]);
  });

  it("reads every skin tone back", () => {
    const toned = records.filter((record) => record.skin_variations && record.short_names.length > 0);
    const mismatches = toned.flatMap((record) =>
      [2, 3, 4, 5, 6].flatMap((tone) => {
        const shortcode = `${record.short_names[0]}::skin-tone-${tone}`;
        const emoji = unicodeForShortcode(shortcode)!;
        return unicodeForShortcode(shortcodeForUnicode(emoji) ?? "") === emoji ? [] : [shortcode];
      }),
    );
    expect(toned.length).toBeGreaterThan(300);
    expect(mismatches).toEqual([]);
  });
});
