/**
 * Tree -> Discord markdown. Cases carry the inputs and expected meanings of other
 * bridges' suites (Out Of Your Element's event-to-message, matrix-appservice-discord's
 * MatrixMessageProcessor, mautrix-discord's escaper); where Parley escapes less than
 * they do, the row says so. Every output is also read back by our parser, so a row
 * whose markdown Discord would read differently fails.
 */
import { describe, expect, it } from "vitest";
import type { Block, Document, Inline } from "../../../src/core/format/ast.js";
import { discordParseContext, discordRenderContext } from "../../../src/connectors/discord/convert/context.js";
import { parseDiscordMarkdown } from "../../../src/connectors/discord/convert/markdown-parse.js";
import { renderDiscordMarkdown } from "../../../src/connectors/discord/convert/markdown-render.js";

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
const heading = (level: 1 | 2 | 3 | 4 | 5 | 6, ...children: Inline[]): Block => ({ type: "heading", level, children });
const codeBlock = (text: string, language?: string): Block =>
  language ? { type: "code_block", language, text } : { type: "code_block", text };
const quote = (...children: Block[]): Block => ({ type: "quote", children });
const ul = (...items: Block[][]): Block => ({ type: "list", ordered: false, items });
const ol = (start: number, ...items: Block[][]): Block => ({ type: "list", ordered: true, ...(start !== 1 ? { start } : {}), items });

const GHOST = "@_discord_111:example.org";
const LINKED = "@alice:matrix.org";

const ctx = (mayPingEveryone = false) =>
  discordRenderContext({
    users: { [GHOST]: "111", [LINKED]: "222" },
    rooms: { "!room:example.org": "333", "#general:example.org": "444" },
    emoji: {
      hippo: { id: "230201364309868544", animated: false },
      partyparrot: { id: "393745235223789569", animated: true },
    },
    mayPingEveryone,
  });

interface Row {
  name: string;
  doc: Document;
  expected: string;
  everyone?: boolean;
}

const rows: Row[] = [
  // Plain text stays plain (OOYE, matrix-appservice-discord, mautrix-discord escaper).
  { name: "plain text is untouched", doc: [p(t("testing plaintext"))], expected: "testing plaintext" },
  {
    name: "markdown in plain text is escaped, strikethrough too (OOYE lets ~~ through)",
    doc: [p(t("testing **special** ~~things~~ which _should_ *not* `trigger` @any <effects>"))],
    expected: "testing \\*\\*special\\*\\* \\~\\~things\\~\\~ which \\_should\\_ \\*not\\* \\`trigger\\` @any <effects>",
  },
  { name: "escapes simple stuff", doc: [p(t("hello *world* how __are__ you?"))], expected: "hello \\*world\\* how \\_\\_are\\_\\_ you?" },
  { name: "escapes backslash escapes", doc: [p(t("wow \\*this\\* is cool"))], expected: "wow \\\\\\*this\\\\\\* is cool" },
  { name: "a backslash before a letter needs nothing", doc: [p(t("foo\\bar"))], expected: "foo\\bar" },
  { name: "_ inside a word needs nothing (mautrix escapes it)", doc: [p(t("foo_bar snake_case_name"))], expected: "foo_bar snake_case_name" },
  { name: "_ at a word's end is escaped", doc: [p(t("foo_ _bar"))], expected: "foo\\_ \\_bar" },
  { name: "* between letters is escaped", doc: [p(t("foo*bar"))], expected: "foo\\*bar" },
  { name: "lone * between spaces needs nothing", doc: [p(t("2 * 3 * 4"))], expected: "2 * 3 * 4" },
  { name: "single ~ and | need nothing", doc: [p(t("foo~bar a | b"))], expected: "foo~bar a | b" },
  { name: "doubled ~ and | are escaped", doc: [p(t("x||y|| ~~z"))], expected: "x\\|\\|y\\|\\| \\~\\~z" },
  { name: "backticks are always escaped", doc: [p(t("foo`bar ```"))], expected: "foo\\`bar \\`\\`\\`" },
  { name: "several markers together (mautrix)", doc: [p(t("\\_*~|"))], expected: "\\\\\\_\\*~\\|" },
  { name: "< and > that start nothing", doc: [p(t("foo<bar foo>bar <3"))], expected: "foo<bar foo>bar <3" },
  {
    name: "Discord token syntax typed on Matrix stays text",
    doc: [p(t("<@123> <@!1> <#456> <@&7> <:e:789> <a:e:1> <t:1:R> </cmd:1> <id:browse>"))],
    expected: "\\<@123> \\<@!1> \\<#456> \\<@&7> \\<:e:789> \\<a:e:1> \\<t:1:R> \\</cmd:1> \\<id:browse>",
  },
  { name: "@everyone and @here in text never ping", doc: [p(t("hey @everyone and @here"))], expected: "hey @\u200Beveryone and @\u200Bhere" },
  { name: "masked-link syntax in text stays text", doc: [p(t("[not](a link)"))], expected: "[not\\](a link)" },
  { name: "URLs in text are left alone (mautrix)", doc: [p(t("hello_world https://example.com/foo_bar *testing* https://a_b_c/*def*"))], expected: "hello_world https://example.com/foo_bar \\*testing\\* https://a_b_c/*def*" },
  { name: "the shrug keeps its arms", doc: [p(t("¯\\_(ツ)_/¯"))], expected: "¯\\\\\\_(ツ)\\_/¯" },
  {
    name: "lines that would open blocks are escaped",
    doc: [p(t("# not heading"), br, t("> not quote"), br, t("- not list"), br, t("* not list"), br, t("2024. was a year"), br, t("-# not subtext"), br, t(">>> not quote"))],
    expected: "\\# not heading\n\\> not quote\n\\- not list\n\\* not list\n2024\\. was a year\n\\-# not subtext\n\\>>> not quote",
  },
  { name: "the same characters mid-line need nothing", doc: [p(t("a # b > c - d 1. e #tag >text -x"))], expected: "a # b > c - d 1. e #tag >text -x" },
  { name: "newlines inside text start lines too", doc: [p(t("a\n# b"))], expected: "a\n\\# b" },

  // Formatting (OOYE "basic html", "spoilers", "markdown syntax is escaped"; matrix-appservice-discord).
  {
    name: "basic formatting",
    doc: [p(t("this "), bold(t("is")), t(" a "), italic(bold(t("test")), t(" "), underline(t("of"))), t(" "), strike(italic(t("formatting"))))],
    expected: "this **is** a ***test** __of__* ~~*formatting*~~",
  },
  { name: "spoilers", doc: [p(t("this "), bold(t("is")), t(" a "), spoiler(italic(t("test"))), t(" of "), spoiler(t("spoilers")))], expected: "this **is** a ||*test*|| of ||spoilers||" },
  {
    name: "extreme test (OOYE): bold around italic",
    doc: [p(t("this **is** an "), bold(italic(t("extreme"))), t(" \\*test\\* of"))],
    expected: "this \\*\\*is\\*\\* an **_extreme_** \\\\\\*test\\\\\\* of",
  },
  { name: "italic around bold", doc: [p(italic(bold(t("x"))))], expected: "***x***" },
  { name: "italic before bold takes _", doc: [p(italic(t("a")), bold(t("b")))], expected: "_a_**b**" },
  { name: "italic after bold, before a letter", doc: [p(bold(t("b")), italic(t("a")), t("c"))], expected: "**b**_a_\u200Bc" },
  { name: "underline around italic", doc: [p(underline(italic(t("x"))))], expected: "__*x*__" },
  { name: "italic around underline", doc: [p(italic(underline(t("x"))))], expected: "*__x__*" },
  { name: "italic's edge spaces move outside", doc: [p(t("a"), italic(t(" spaced ")), t("b"))], expected: "a *spaced* b" },
  { name: "bold inside bold is one bold", doc: [p(bold(t("a "), bold(t("b"))))], expected: "**a b**" },
  { name: "neighbouring bolds are one bold", doc: [p(bold(t("a")), bold(t("b")))], expected: "**ab**" },
  { name: "empty formatting disappears", doc: [p(t("a"), bold(), t("b"))], expected: "ab" },
  { name: "* inside italic is escaped", doc: [p(italic(t("2 * 3")))], expected: "*2 \\* 3*" },
  { name: "~ ending a strike", doc: [p(strike(t("~x~")))], expected: "~~\\~x\\~\u200B~~" },
  { name: "strikethrough right before underline", doc: [p(strike(t("x")), underline(t("y")))], expected: "~~x~~\u200B__y__" },
  { name: "strikethrough closing an underline", doc: [p(underline(strike(t("x"))))], expected: "__~~x~~\u200B__" },
  { name: "code holding a * inside italic takes _", doc: [p(italic(t("see "), code("*.txt")))], expected: "_see `*.txt`_" },
  {
    name: "code inside a span does not hold the span's marker whole",
    doc: [p(bold(t("run "), code("2 ** 8")), t(" "), spoiler(code("a || b")))],
    expected: "**run `2 *\u200B* 8`** ||`a |\u200B| b`||",
  },
  { name: "line breaks in formatting (matrix-appservice-discord)", doc: [p(italic(t("test")), br, bold(t("ing")))], expected: "*test*\n**ing**" },

  // Code (OOYE "code blocks", matrix-appservice-discord "doesn't parse inside of code").
  { name: "inline code", doc: [p(t("WOW this is "), code("some awesome"), t(" code"))], expected: "WOW this is `some awesome` code" },
  { name: "code keeps markdown and HTML literal", doc: [p(code("*yay*"), t(" "), code("is <em>italic</em>?"))], expected: "`*yay*` `is <em>italic</em>?`" },
  {
    name: "code holding backticks uses double backticks (OOYE)",
    doc: [p(code("backtick in ` the middle"), t(", "), code("backtick at the edge`"))],
    expected: "``backtick in ` the middle``, `` backtick at the edge` ``",
  },
  { name: "two code spans side by side stay two", doc: [p(code("a"), code("b"), t(" "), code("c`"), code("d"))], expected: "`a`\u200B`b` `` c` ``\u200B`d`" },
  { name: "code holding ` and `` can only be fenced (OOYE)", doc: [p(code("` one two ``"))], expected: "``` ` one two `` ```" },
  { name: "code block with language", doc: [codeBlock("is\ncode", "js")], expected: "```js\nis\ncode\n```" },
  {
    name: "code block between paragraphs (OOYE)",
    doc: [p(t("preceding")), codeBlock("code block\n"), p(t("following "), code("code"), t(" is inline"))],
    expected: "preceding\n```\ncode block\n```\nfollowing `code` is inline",
  },
  { name: "code block contents are not escaped", doc: [codeBlock("_input_ = input.replace(/(<\\/?([^ >]+)>)?/g, `*`)")], expected: "```\n_input_ = input.replace(/(<\\/?([^ >]+)>)?/g, `*`)\n```" },
  { name: "``` inside a code block is broken up", doc: [codeBlock('System.out.println("```");', "java")], expected: '```java\nSystem.out.println("``\u200B`");\n```' },
  { name: "a language Discord cannot take is dropped", doc: [codeBlock("x", "my lang")], expected: "```\nx\n```" },

  // Blocks (matrix-appservice-discord headings, blockquotes, lists).
  { name: "headings 1-3", doc: [heading(1, t("fox")), heading(2, t("floof")), heading(3, t("pony"))], expected: "# fox\n## floof\n### pony" },
  { name: "headings 4-6 as bold lines", doc: [heading(4, t("hooves")), heading(6, t("foxies"))], expected: "**hooves**\n**foxies**" },
  { name: "heading with formatting and line breaks", doc: [heading(2, t("a "), italic(t("b")), br, t("c\nd"))], expected: "## a *b* c d" },
  { name: "rule", doc: [p(t("test")), { type: "rule" }, p(t("foxes"))], expected: "test\n----------\nfoxes" },
  { name: "paragraphs are separated by a blank line", doc: [p(t("paragraph one")), p(t("paragraph two"))], expected: "paragraph one\n\nparagraph two" },
  { name: "single quote", doc: [quote(p(t("hey"))), p(t("there"))], expected: "> hey\nthere" },
  { name: "a quote in a quote joins it (Discord does not nest)", doc: [quote(quote(p(t("hey"))), p(t("you"))), p(t("there"))], expected: "> hey\n> \n> you\nthere" },
  { name: "quote holding code", doc: [quote(p(t("see")), codeBlock("print(1)", "py"))], expected: "> see\n> ```py\n> print(1)\n> ```" },
  { name: "text in a quote that looks like a quote", doc: [quote(p(t("> not nested")))], expected: "> \\> not nested" },
  { name: "two quotes in a row stay two", doc: [quote(p(t("a"))), quote(p(t("b")))], expected: "> a\n\n> b" },
  { name: "simple list (matrix-appservice-discord)", doc: [p(t("soru")), ul([p(t("test"))], [p(t("ing"))]), p(t("more"))], expected: "soru\n- test\n- ing\nmore" },
  {
    name: "nested list (OOYE)",
    doc: [ul([p(t("line one"))], [p(t("line three")), ul([p(t("nested one"))], [p(t("nested two"))])], [p(t("line four"))])],
    expected: "- line one\n- line three\n  - nested one\n  - nested two\n- line four",
  },
  { name: "ordered list keeps its start", doc: [ol(5, [p(t("test"))], [p(t("test more"))])], expected: "5. test\n6. test more" },
  { name: "ul in ol", doc: [ol(1, [p(t("test"))], [p(t("test more")), ul([p(t("asdf"))], [p(t("jklö"))])])], expected: "1. test\n2. test more\n   - asdf\n   - jklö" },
  { name: "two lists in a row stay two", doc: [ul([p(t("a"))]), ol(1, [p(t("b"))])], expected: "- a\n\n1. b" },
  { name: "list item with formatting", doc: [ul([p(bold(t("b")), t(" and "), code("c"))])], expected: "- **b** and `c`" },
  { name: "an item's paragraphs become its lines", doc: [ul([p(t("one")), p(t("two"))])], expected: "- one\n  two" },
  { name: "an empty item keeps its place", doc: [ul([], [p(t("b"))])], expected: "- \u200B\n- b" },

  // Links (matrix-appservice-discord "parses links", OOYE "links ... are not broken").
  { name: "link", doc: [p(link("http://example.com", t("link")))], expected: "[link](http://example.com)" },
  { name: "link whose text is its URL", doc: [p(link("http://example.com"))], expected: "http://example.com" },
  { name: "links are not escaped", doc: [p(link("http://example.com/_blah_/", t("link")), t(" "), link("http://example.com/_blah_/"))], expected: "[link](http://example.com/_blah_/) http://example.com/_blah_/" },
  { name: "formatting in a label", doc: [p(link("http://example.com", italic(t("yay?"))))], expected: "[*yay?*](http://example.com)" },
  { name: "a URL followed by text goes in angle brackets", doc: [p(t("see "), link("https://example.com/foo_bar"), t("!"))], expected: "see <https://example.com/foo_bar>!" },
  { name: "a URL Discord would cut short goes in angle brackets", doc: [p(link("https://en.wikipedia.org/wiki/Foo_(bar)"))], expected: "<https://en.wikipedia.org/wiki/Foo_(bar)>" },
  { name: "a URL inside bold goes in angle brackets", doc: [p(bold(link("https://x.org")))], expected: "**<https://x.org>**" },
  { name: "balanced parentheses in a masked link's URL stay", doc: [p(link("https://en.wikipedia.org/wiki/Foo_(bar)", t("wiki")))], expected: "[wiki](https://en.wikipedia.org/wiki/Foo_(bar))" },
  { name: "other URL-ending characters are percent-encoded", doc: [p(link("https://x.org/a)b c<d>", t("x")))], expected: "[x](https://x.org/a%29b%20c%3Cd%3E)" },
  { name: "brackets in a label are escaped", doc: [p(link("https://x.com/a", t("a [label]")))], expected: "[a \\[label\\]](https://x.com/a)" },
  { name: "a link Discord cannot follow keeps its target in text", doc: [p(link("mailto:a@b.c", t("mail me")))], expected: "mail me (mailto:a@b.c)" },
  { name: "an address linked to itself is written once", doc: [p(t("write to "), link("mailto:foo_bar@b.c", t("foo_bar@b.c")))], expected: "write to foo_bar@b.c" },

  // Mentions, pings and emoji.
  { name: "mention of a Discord user's ghost", doc: [p({ type: "user_mention", userId: GHOST, label: "extremity" }, t(" hey"))], expected: "<@111> hey" },
  { name: "mention of a linked Matrix user", doc: [p({ type: "user_mention", userId: LINKED, label: "alice" })], expected: "<@222>" },
  {
    name: "mention of a Matrix-only user is their name, never a ping",
    doc: [p(t("hey "), { type: "user_mention", userId: "@cadence:cadence.moe", label: "mario *sports* mix [she/her]" })],
    expected: "hey mario \\*sports\\* mix [she/her]",
  },
  { name: "bridged room by id and by alias", doc: [p({ type: "room_mention", roomIdOrAlias: "!room:example.org", label: "#worm-farm" }, t(" "), { type: "room_mention", roomIdOrAlias: "#general:example.org", label: "#general" })], expected: "<#333> <#444>" },
  {
    name: "unbridged room links to its permalink (matrix-appservice-discord)",
    doc: [p({ type: "room_mention", roomIdOrAlias: "#_discord_1234_789:localhost", label: "#SomeChannel" })],
    expected: "[#SomeChannel](https://matrix.to/#/#_discord_1234_789:localhost)",
  },
  { name: "an unbridged room's label is escaped", doc: [p({ type: "room_mention", roomIdOrAlias: "!abc:x.org", label: "[off] *topic*" })], expected: "[\\[off\\] \\*topic\\*](https://matrix.to/#/!abc:x.org)" },
  { name: "@room without permission pings nobody", doc: [p(t("hey "), { type: "room_ping" })], expected: "hey @room" },
  { name: "@room with permission is @everyone", doc: [p(t("hey "), { type: "room_ping" })], everyone: true, expected: "hey @everyone" },
  { name: "guild emoji", doc: [p(t("h is for "), { type: "emoji", name: "hippo", imageUrl: "mxc://cadence.moe/qWmbXeRspZRLPcjseyLmeyXC" }, t("!"))], expected: "h is for <:hippo:230201364309868544>!" },
  { name: "animated guild emoji", doc: [p({ type: "emoji", name: "partyparrot", imageUrl: "mxc://x/y", animated: true })], expected: "<a:partyparrot:393745235223789569>" },
  { name: "emoji the guild lacks is its shortcode", doc: [p({ type: "emoji", name: "troll", imageUrl: "mxc://x/troll" })], expected: ":troll:" },
  { name: "an emoji named like an Object method is still unknown", doc: [p({ type: "emoji", name: "constructor", imageUrl: "mxc://x/c" })], expected: ":constructor:" },
];

describe("renderDiscordMarkdown", () => {
  it.each(rows)("$name", ({ doc, expected, everyone }) => {
    expect(renderDiscordMarkdown(doc, ctx(everyone))).toBe(expected);
  });
});

/** Documents Discord can show exactly, so rendering then parsing gives them back. */
const roundTrips: { name: string; doc: Document }[] = [
  { name: "text full of markers", doc: [p(t("a*b _c_ ~~d~~ ||e|| `f` \\g [h](i) <j> 2 * 3 snake_case ¯\\_(ツ)_/¯"))] },
  { name: "line openers", doc: [p(t("# a"), br, t("> b"), br, t("- c"), br, t("1. d"), br, t("-# e"))] },
  { name: "nested emphasis", doc: [p(bold(t("a "), italic(t("b")), t(" c")), t(" "), underline(italic(bold(t("d")))), t(" "), italic(bold(t("e"))), t(" "), bold(italic(t("f"))))] },
  { name: "emphasis side by side", doc: [p(italic(t("a")), bold(t("b")), t(" "), bold(t("c")), italic(t("d")), t(" "), strike(t("e")), spoiler(t("f")))] },
  { name: "code inside italic", doc: [p(italic(t("see "), code("*.txt")), t(" "), italic(code("snake_case")))] },
  { name: "spans ending in their own marker", doc: [p(bold(t("c*")), t(" "), underline(t("d_")), t(" "), italic(t("e*")))] },
  { name: "code", doc: [p(code("a ` b"), t(" "), code("x`"), t(" "), code("**y**"))] },
  { name: "blocks", doc: [heading(1, t("Title")), p(t("intro "), bold(t("here"))), codeBlock("const a = 1;\nconst b = `x`;", "ts"), quote(p(t("q1"), br, t("q2")), p(t("q3"))), ul([p(t("one"))], [p(t("two")), ol(3, [p(t("three"))])]), p(t("end"))] },
  { name: "links", doc: [p(link("https://example.com/a_b"), t(" and "), link("https://x.org/(y)", bold(t("label")), t(" [1]")), t(" "), link("https://z.org"), t("."))] },
  { name: "mentions and emoji", doc: [p({ type: "user_mention", userId: GHOST, label: "@ghost" }, t(" "), { type: "room_mention", roomIdOrAlias: "!room:example.org", label: "#room" }, t(" "), { type: "emoji", name: "hippo", imageUrl: "https://cdn.discordapp.com/emojis/230201364309868544.png" }, t(" "), { type: "room_ping" })] },
];

describe("render then parse", () => {
  // The parser resolves what the renderer wrote back to the same Matrix-side ids.
  const parseCtx = discordParseContext({
    users: { "111": { matrixUserId: GHOST, displayName: "ghost" } },
    channels: { "333": { roomIdOrAlias: "!room:example.org", name: "room" } },
    mentionEveryone: true,
  });

  it.each(roundTrips)("$name", ({ doc }) => {
    expect(parseDiscordMarkdown(renderDiscordMarkdown(doc, ctx(true)), parseCtx)).toEqual(doc);
  });
});
