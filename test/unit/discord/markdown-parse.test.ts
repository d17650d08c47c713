/**
 * Discord markdown -> tree. Inputs and expected meanings come from Discord's own
 * formatting guide and from other bridges' suites (discord-markdown, Out Of Your
 * Element, matrix-appservice-discord, discord-markdown-parser); the row names say which.
 */
import { describe, expect, it } from "vitest";
import type { Block, Document, Inline } from "../../../src/core/format/ast.js";
import { discordParseContext } from "../../../src/connectors/discord/convert/context.js";
import { parseDiscordMarkdown } from "../../../src/connectors/discord/convert/markdown-parse.js";

const t = (text: string): Inline => ({ type: "text", text });
const br: Inline = { type: "line_break" };
const bold = (...children: Inline[]): Inline => ({ type: "bold", children });
const italic = (...children: Inline[]): Inline => ({ type: "italic", children });
const underline = (...children: Inline[]): Inline => ({ type: "underline", children });
const strike = (...children: Inline[]): Inline => ({ type: "strike", children });
const spoiler = (...children: Inline[]): Inline => ({ type: "spoiler", children });
const code = (text: string): Inline => ({ type: "code", text });
const link = (href: string, ...children: Inline[]): Inline => ({
  type: "link",
  href,
  children: children.length > 0 ? children : [t(href)],
});
const p = (...children: Inline[]): Block => ({ type: "paragraph", children });
const quote = (...children: Block[]): Block => ({ type: "quote", children });
const ul = (...items: Block[][]): Block => ({ type: "list", ordered: false, items });

const CRUNCH = "@_discord_239631525350604801:cadence.moe";
const TEST_NICK = "@_discord_12345:localhost";

const ctx = (mentionEveryone = false) =>
  discordParseContext({
    users: {
      "239631525350604801": { matrixUserId: CRUNCH, displayName: "crunch god" },
      "12345": { matrixUserId: TEST_NICK, displayName: "TestNickname" },
    },
    channels: {
      "456": { roomIdOrAlias: "#_discord_123_456:localhost", name: "TestChannel" },
      "678": { name: "TestChannel" },
      "112760669178241024": { roomIdOrAlias: "!kLRqKKUQXcibIMtOpl:cadence.moe", name: "main" },
    },
    roles: { "1234": "!!DLCS!!", "5678": "Master Wonder Mage" },
    mentionEveryone,
  });

interface Row {
  name: string;
  input: string;
  expected: Document;
  /** Discord's message.mention_everyone for this message. */
  everyone?: boolean;
}

const rows: Row[] = [
  // Emphasis (discord-markdown single.test.js, matrix-appservice-discord).
  { name: "plain text", input: "Hello World!", expected: [p(t("Hello World!"))] },
  { name: "bold", input: "This is a **test** with **some bold** text in it", expected: [p(t("This is a "), bold(t("test")), t(" with "), bold(t("some bold")), t(" text in it"))] },
  { name: "italic with *", input: "Hello *World*!", expected: [p(t("Hello "), italic(t("World")), t("!"))] },
  { name: "italic with _", input: "This is a _test_ with _some italicized_ text", expected: [p(t("This is a "), italic(t("test")), t(" with "), italic(t("some italicized")), t(" text"))] },
  { name: "_ italic _ keeps its spaces", input: "_ italic _", expected: [p(italic(t(" italic ")))] },
  { name: "underline", input: "to be __underlined__ or not", expected: [p(t("to be "), underline(t("underlined")), t(" or not"))] },
  { name: "strike glued to a word", input: "~~this~~that", expected: [p(strike(t("this")), t("that"))] },
  { name: "strike with inner spaces", input: "~~ text ~~ stuffs", expected: [p(strike(t(" text ")), t(" stuffs"))] },
  { name: "spoiler", input: "Hello ||world||", expected: [p(t("Hello "), spoiler(t("world")))] },
  { name: "***bold italic*** is italic around bold", input: "***underlined bold***", expected: [p(italic(bold(t("underlined bold"))))] },
  { name: "bold around italic", input: "**bold _italic_**", expected: [p(bold(t("bold "), italic(t("italic"))))] },
  { name: "spoiler around bold (OOYE)", input: "||**beatrice**||", expected: [p(spoiler(bold(t("beatrice"))))] },
  { name: "underline around bold italic", input: "__***all three***__", expected: [p(underline(italic(bold(t("all three")))))] },
  { name: "italic inside italic adds nothing", input: "*a _b_ c*", expected: [p(italic(t("a b c")))] },
  { name: "formatting spans lines", input: "some *awesome* text\nthat **spreads** lines", expected: [p(t("some "), italic(t("awesome")), t(" text"), br, t("that "), bold(t("spreads")), t(" lines"))] },

  // Adversarial emphasis.
  { name: "** alone", input: "**", expected: [p(t("**"))] },
  { name: "unbalanced bold", input: "**bold", expected: [p(t("**bold"))] },
  { name: "unbalanced strike and spoiler", input: "~~a ||b", expected: [p(t("~~a ||b"))] },
  { name: "* before a space does not open italic", input: "*Hello World! *", expected: [p(t("*Hello World! *"))] },
  { name: "2 * 3 * 4 is arithmetic", input: "2 * 3 * 4", expected: [p(t("2 * 3 * 4"))] },
  { name: "snake_case_name stays literal", input: "snake_case_name", expected: [p(t("snake_case_name"))] },
  { name: "underscores inside a word (discord-markdown)", input: "test_ing_stuff", expected: [p(t("test_ing_stuff"))] },
  { name: "escaped markers", input: "\\*escaped\\* and \\_this\\_", expected: [p(t("*escaped* and _this_"))] },
  { name: "escaped backslash then italic", input: "\\\\*a*", expected: [p(t("\\"), italic(t("a")))] },
  { name: "backslash before a letter is literal", input: "C:\\Users\\me", expected: [p(t("C:\\Users\\me"))] },
  { name: "the shrug keeps its arms", input: "¯\\_(ツ)_/¯ *test* ¯\\_(ツ)_/¯", expected: [p(t("¯\\_(ツ)_/¯ "), italic(t("test")), t(" ¯\\_(ツ)_/¯"))] },

  // Code.
  { name: "inline code", input: "Code: `1 + 1 = 2`", expected: [p(t("Code: "), code("1 + 1 = 2"))] },
  { name: "code keeps markdown literal", input: "`code **x** _y_`", expected: [p(code("code **x** _y_"))] },
  { name: "double-backtick code holding a backtick", input: '``function test() { return "`" }``', expected: [p(code('function test() { return "`" }'))] },
  { name: "unmatched backtick after code (discord-markdown)", input: "`Inline `code` with extra marker", expected: [p(code("Inline"), t("code` with extra marker"))] },
  { name: "escaped backtick opens nothing", input: "Code: \\`1 + 1` = 2`", expected: [p(t("Code: `1 + 1"), code("= 2"))] },
  { name: "mentions are not read inside code (OOYE)", input: "`public @Nullable EntityType<?>` @everyone", expected: [p(code("public @Nullable EntityType<?>"), t(" @everyone"))] },
  { name: "fenced code with language", input: "```js\nconst a = 1;\n```", expected: [{ type: "code_block", language: "js", text: "const a = 1;" }] },
  { name: "fenced code between lines of text", input: "text\n```\ncode\nblock\n```\nmore text", expected: [p(t("text")), { type: "code_block", text: "code\nblock" }, p(t("more text"))] },
  { name: "fenced code on one line", input: "look: ```x = **1**``` done", expected: [p(t("look: ")), { type: "code_block", text: "x = **1**" }, p(t(" done"))] },
  { name: "fenced code keeps mentions literal (OOYE)", input: "```java\npublic @Nullable EntityType<?>\n```", expected: [{ type: "code_block", language: "java", text: "public @Nullable EntityType<?>" }] },

  // Blocks.
  { name: "newlines are line breaks", input: "multi\nline", expected: [p(t("multi"), br, t("line"))] },
  { name: "a blank line ends a paragraph", input: "some\n\n\ntext", expected: [p(t("some")), p(t("text"))] },
  { name: "indented lines are not code", input: "some\n    text", expected: [p(t("some"), br, t("    text"))] },
  { name: "quote", input: "> Hello world!", expected: [quote(p(t("Hello world!")))] },
  { name: "quote lines, then text", input: "> one\n> two\nafter", expected: [quote(p(t("one"), br, t("two"))), p(t("after"))] },
  { name: ">>> quotes the rest of the message", input: ">>> Hello world!\nLine 2", expected: [quote(p(t("Hello world!"), br, t("Line 2")))] },
  { name: ">text without a space is no quote (matrix-appservice-discord)", input: ">inb4 tests", expected: [p(t(">inb4 tests"))] },
  { name: "> mid-line is no quote", input: "a > b", expected: [p(t("a > b"))] },
  { name: "quotes do not nest", input: "> > hey", expected: [quote(p(t("> hey")))] },
  { name: "quote holding code", input: "> see `x`\n> ```py\n> print(1)\n> ```", expected: [quote(p(t("see "), code("x")), { type: "code_block", language: "py", text: "print(1)" })] },
  { name: "headings 1-3", input: "# One\n## Two\n### Three", expected: [1, 2, 3].map((level) => ({ type: "heading", level, children: [t(["One", "Two", "Three"][level - 1]!)] }) as Block) },
  { name: "#### is no heading", input: "#### Header", expected: [p(t("#### Header"))] },
  { name: "# needs a space and a line start", input: "#hashtag and This is # Not a header", expected: [p(t("#hashtag and This is # Not a header"))] },
  { name: "heading after a line of text", input: "This is \n# A header", expected: [p(t("This is ")), { type: "heading", level: 1, children: [t("A header")] }] },
  { name: "subtext is plain text", input: "-# edited by a bot\nbody", expected: [p(t("edited by a bot"), br, t("body"))] },
  { name: "bullet list with formatting", input: "- **one**\n- two _2_\n* three", expected: [ul([p(bold(t("one")))], [p(t("two "), italic(t("2")))], [p(t("three"))])] },
  { name: "nested list (OOYE)", input: "* line one\n* line three\n  * nested one\n  * nested two\n* line four", expected: [ul([p(t("line one"))], [p(t("line three")), ul([p(t("nested one"))], [p(t("nested two"))])], [p(t("line four"))])] },
  { name: "ordered list keeps its start", input: "5. test\n6. test more", expected: [{ type: "list", ordered: true, start: 5, items: [[p(t("test"))], [p(t("test more"))]] }] },
  { name: "a line back at the margin ends the list", input: "- item\ntext", expected: [ul([p(t("item"))]), p(t("text"))] },
  { name: "* and a space start a list item, as on Discord", input: "* not a list*", expected: [ul([p(t("not a list*"))])] },
  { name: "-item without a space is text", input: "-item", expected: [p(t("-item"))] },

  // Links.
  { name: "bare URL", input: "See https://google.com", expected: [p(t("See "), link("https://google.com"))] },
  { name: "URL with underscores is not italic", input: "https://example.com/_foo_/bar_", expected: [p(link("https://example.com/_foo_/bar_"))] },
  { name: "URL drops a trailing ) as Discord does", input: "https://en.wikipedia.org/wiki/Ambassador_Theatre_(New_York_City)", expected: [p(link("https://en.wikipedia.org/wiki/Ambassador_Theatre_(New_York_City"), t(")"))] },
  { name: "URL drops trailing punctuation", input: "go to https://example.com.", expected: [p(t("go to "), link("https://example.com"), t("."))] },
  { name: "<URL> is a link without embed", input: "<https://brussell.me>", expected: [p(link("https://brussell.me"))] },
  { name: "masked link", input: "[label](http://example.com)", expected: [p(link("http://example.com", t("label")))] },
  { name: "masked link with embed suppressed and brackets in the label (OOYE)", input: "hey [@mario sports mix [she/her]](<https://matrix.to/#/%40cadence%3Acadence.moe>)", expected: [p(t("hey "), link("https://matrix.to/#/%40cadence%3Acadence.moe", t("@mario sports mix [she/her]")))] },
  { name: "masked link with formatting in its label", input: "[**bold** link](https://x.org/a_(b))", expected: [p(link("https://x.org/a_(b)", bold(t("bold")), t(" link")))] },
  { name: "masked link to javascript: is text", input: "[x](javascript:alert(1))", expected: [p(t("[x](javascript:alert(1))"))] },
  { name: "@everyone inside a URL is no ping (OOYE)", input: "https://github.com/@everyone", everyone: true, expected: [p(link("https://github.com/@everyone"))] },

  // Discord tokens.
  { name: "user mention", input: "<@239631525350604801> Tell me about Phil", expected: [p({ type: "user_mention", userId: CRUNCH, label: "@crunch god" }, t(" Tell me about Phil"))] },
  { name: "nickname mention <@!id>", input: "Hello <@!12345> ", expected: [p(t("Hello "), { type: "user_mention", userId: TEST_NICK, label: "@TestNickname" }, t(" "))] },
  { name: "unknown user", input: "<@999>", expected: [p(t("@unknown-user"))] },
  { name: "<@abc> is no mention", input: "<@abc>", expected: [p(t("<@abc>"))] },
  { name: "bridged channel (matrix-appservice-discord)", input: "Hello <#456>", expected: [p(t("Hello "), { type: "room_mention", roomIdOrAlias: "#_discord_123_456:localhost", label: "#TestChannel" })] },
  { name: "unbridged channel is its name", input: "Hello <#678>", expected: [p(t("Hello #TestChannel"))] },
  { name: "unknown channel", input: "<#3333333>", expected: [p(t("#unknown-channel"))] },
  { name: "role mentions (OOYE)", input: "I'm just <@&1234> testing a few role pings <@&5678> don't mind me", expected: [p(t("I'm just @!!DLCS!! testing a few role pings @Master Wonder Mage don't mind me"))] },
  { name: "unknown and malformed roles", input: "<@&4> and <@&B>", expected: [p(t("@unknown-role and <@&B>"))] },
  { name: "@everyone that pinged", input: "hey @everyone!", everyone: true, expected: [p(t("hey "), { type: "room_ping" }, t("!"))] },
  { name: "@here that pinged", input: "@here", everyone: true, expected: [p({ type: "room_ping" })] },
  { name: "@everyone without permission is text (OOYE)", input: "@everyone <-- this is testing that it DOESN'T mention.", expected: [p(t("@everyone <-- this is testing that it DOESN'T mention."))] },
  { name: "custom emoji", input: "h is for <:hippo:230201364309868544>!", expected: [p(t("h is for "), { type: "emoji", name: "hippo", imageUrl: "https://cdn.discordapp.com/emojis/230201364309868544.png" }, t("!"))] },
  { name: "animated emoji only", input: "<a:partyparrot:393745235223789569>", expected: [p({ type: "emoji", name: "partyparrot", imageUrl: "https://cdn.discordapp.com/emojis/393745235223789569.gif", animated: true })] },
  { name: "emoji triple long name (OOYE)", input: "<:brillillillilliant_move:975572106295259148><:brillillillilliant_move:975572106295259148>", expected: [p(...[1, 2].map(() => ({ type: "emoji", name: "brillillillilliant_move", imageUrl: "https://cdn.discordapp.com/emojis/975572106295259148.png" }) as Inline))] },
  { name: "relative timestamp as UTC text", input: "it is currently <t:1664298780:R>", expected: [p(t("it is currently Tuesday, 27 September 2022 17:13 UTC"))] },
  { name: "pre-epoch timestamp", input: "The 20th century started in <t:-2177452800:F>", expected: [p(t("The 20th century started in Tuesday, 1 January 1901 00:00 UTC"))] },
  { name: "timestamp styles", input: "<t:1618953630> <t:1618953630:t> <t:1618953630:T> <t:1618953630:d> <t:1618953630:D>", expected: [p(t("20 April 2021 21:20 UTC 21:20 UTC 21:20:30 UTC 20/04/2021 20 April 2021"))] },
  { name: "slash command mention", input: "try </airhorn blast:816437322781949972>", expected: [p(t("try /airhorn blast"))] },
  { name: "mention inside bold", input: "**<@12345>**", expected: [p(bold({ type: "user_mention", userId: TEST_NICK, label: "@TestNickname" }))] },
  { name: "a mention in a masked link's label is its name", input: "[<@12345> in <#456>](https://x.org)", expected: [p(link("https://x.org", t("@TestNickname in #TestChannel")))] },
];

describe("parseDiscordMarkdown", () => {
  it.each(rows)("$name", ({ input, expected, everyone }) => {
    expect(parseDiscordMarkdown(input, ctx(everyone))).toEqual(expected);
  });

  it("reads an emoji through the context's image URL builder", () => {
    const uploaded = discordParseContext({ emojiImageUrl: (emoji) => `mxc://example.org/${emoji.name}` });
    expect(parseDiscordMarkdown("<:hippo:230201364309868544>", uploaded)).toEqual([
      p({ type: "emoji", name: "hippo", imageUrl: "mxc://example.org/hippo" }),
    ]);
  });
});
