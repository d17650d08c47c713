import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { parseSlackRichText } from "../../../src/connectors/slack/convert/rich-text-parse.js";
import {
  ALICE,
  GENERAL_ROOM,
  PARROT_URL,
  b,
  br,
  code,
  emoji,
  i,
  item,
  link,
  mention,
  ol,
  olFrom,
  p,
  parseCtx,
  parseCtxNoPings,
  ping,
  pre,
  quote,
  room,
  s,
  u,
  ul,
} from "./format-fixtures.js";

// Payload builders in Slack's own shapes ("Rich text block" reference).
type Element = Record<string, unknown>;
const richText = (...elements: Element[]): unknown[] => [{ type: "rich_text", block_id: "Xy1", elements }];
const section = (...elements: Element[]): Element => ({ type: "rich_text_section", elements });
const text = (value: string, style?: Record<string, boolean>): Element => ({ type: "text", text: value, ...(style && { style }) });
const richList = (style: "bullet" | "ordered", items: Element[][], extra: Element = {}): Element => ({
  type: "rich_text_list",
  style,
  elements: items.map((elements) => section(...elements)),
  ...extra,
});
const richQuote = (...elements: Element[]): Element => ({ type: "rich_text_quote", elements });
const richPre = (...elements: Element[]): Element => ({ type: "rich_text_preformatted", elements });

type Row = [name: string, blocks: unknown[], expected: Document | undefined];

const noRichText: Row[] = [
  ["no blocks", [], undefined],
  ["only a section block", [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }], undefined],
  ["garbage entries", [null, 3, "rich_text", { type: "divider" }], undefined],
];

const styles: Row[] = [
  ["plain text", richText(section(text("hello"))), [p("hello")]],
  ["bold", richText(section(text("Hello there, "), text("I am a bold rich text block!", { bold: true }))), [p("Hello there, ", b("I am a bold rich text block!"))]],
  ["italic", richText(section(text("x", { italic: true }))), [p(i("x"))]],
  ["strike", richText(section(text("x", { strike: true }))), [p(s("x"))]],
  ["code", richText(section(text("npm test", { code: true }))), [p(code("npm test"))]],
  ["underline", richText(section(text("x", { underline: true }))), [p(u("x"))]],
  ["italic and strike on one element (matrix-slack-parser)", richText(section(text("blah", { italic: true, strike: true }))), [p(i(s("blah")))]],
  ["bold code", richText(section(text("x", { bold: true, code: true }))), [p(b(code("x")))]],
  [
    "neighbouring runs share one wrapper",
    richText(section(text("a ", { bold: true }), text("b", { bold: true, italic: true }), text(" c"))),
    [p(b("a ", i("b")), " c")],
  ],
  [
    "the longer run becomes the outer wrapper",
    richText(section(text("a", { italic: true }), text("b", { bold: true, italic: true }), text("c", { bold: true, italic: true }))),
    [p(i("a", b("bc")))],
  ],
  ["false styles are no styles", richText(section(text("x", { bold: false, italic: false }))), [p("x")]],
  ["a markup-looking text is literal", richText(section(text("*not bold* <b>"))), [p("*not bold* <b>")]],
];

const lines: Row[] = [
  ["a newline is a line break", richText(section(text("line 1\nline 2"))), [p("line 1", br, "line 2")]],
  ["a blank line separates paragraphs", richText(section(text("para 1\n\npara 2"))), [p("para 1"), p("para 2")]],
  ["more blank lines are still one separation", richText(section(text("a\n\n\n\nb"))), [p("a"), p("b")]],
  ["trailing newline before a list is dropped", richText(section(text("Intro:\n")), richList("bullet", [[text("a")]])), [p("Intro:"), ul(item("a"))]],
  ["leading newline is dropped", richText(section(text("\nhello"))), [p("hello")]],
  ["a newline inside styled text", richText(section(text("a\nb", { bold: true }))), [p(b("a"), br, b("b"))]],
  ["an empty section", richText(section()), []],
  ["a section of only newlines", richText(section(text("\n\n"))), []],
];

const elements: Row[] = [
  ["link with text", richText(section({ type: "link", url: "https://matrix.org", text: "Matrix" })), [p(link("https://matrix.org", "Matrix"))]],
  ["link without text", richText(section({ type: "link", url: "https://example.com" })), [p(link("https://example.com", "https://example.com"))]],
  ["bold link", richText(section({ type: "link", url: "https://x.org", text: "x", style: { bold: true } })), [p(b(link("https://x.org", "x")))]],
  ["code-styled link", richText(section({ type: "link", url: "https://x.org", text: "x", style: { code: true } })), [p(link("https://x.org", code("x")))]],
  ["a javascript: link is only its text", richText(section({ type: "link", url: "javascript:alert(1)", text: "x" })), [p("x")]],
  ["mailto link", richText(section({ type: "link", url: "mailto:a@example.org", text: "a@example.org" })), [p(link("mailto:a@example.org", "a@example.org"))]],
  ["known user", richText(section(text("hi "), { type: "user", user_id: "U1" })), [p("hi ", mention(ALICE, "Alice"))]],
  ["unknown user", richText(section({ type: "user", user_id: "U999" })), [p("@U999")]],
  ["bold user", richText(section({ type: "user", user_id: "U1", style: { bold: true } })), [p(b(mention(ALICE, "Alice")))]],
  ["known usergroup", richText(section({ type: "usergroup", usergroup_id: "S1" })), [p("@platform-team")]],
  ["unknown usergroup (mautrix-slack)", richText(section(text("Hi "), { type: "usergroup", usergroup_id: "S123" })), [p("Hi @S123")]],
  ["bridged channel", richText(section({ type: "channel", channel_id: "C1" })), [p(room(GENERAL_ROOM, "#general"))]],
  ["channel that is not bridged", richText(section({ type: "channel", channel_id: "C2" })), [p("#random")]],
  ["unknown channel", richText(section({ type: "channel", channel_id: "C999" })), [p("#C999")]],
  ["broadcast here", richText(section({ type: "broadcast", range: "here" }, text(" look"))), [p(ping, " look")]],
  ["broadcast everyone", richText(section({ type: "broadcast", range: "everyone" })), [p(ping)]],
  ["broadcast with an unknown range is dropped", richText(section(text("a"), { type: "broadcast", range: "galaxy" })), [p("a")]],
  ["standard emoji (matrix-slack-parser)", richText(section({ type: "emoji", name: "fox_face" })), [p("🦊")]],
  ["unknown emoji stays a shortcode (matrix-slack-parser)", richText(section({ type: "emoji", name: "asdf" })), [p(":asdf:")]],
  ["emoji with skin tone", richText(section({ type: "emoji", name: "wave", unicode: "1f44b-1f3fc", skin_tone: 3 })), [p("👋🏼")]],
  ["emoji with the tone in its name", richText(section({ type: "emoji", name: "wave::skin-tone-2" })), [p("👋🏻")]],
  ["emoji newer than our table", richText(section({ type: "emoji", name: "brand_new", unicode: "1fae9" })), [p("🫩")]],
  ["custom emoji", richText(section({ type: "emoji", name: "partyparrot" })), [p(emoji("partyparrot", PARROT_URL))]],
  ["custom emoji alias", richText(section({ type: "emoji", name: "pp" })), [p(emoji("pp", PARROT_URL))]],
  [
    "emoji shared from another workspace",
    richText(section({ type: "emoji", name: "their_logo", url: "https://emoji.slack-edge.com/T9/their_logo/1.png" })),
    [p(emoji("their_logo", "https://emoji.slack-edge.com/T9/their_logo/1.png"))],
  ],
  ["bad unicode falls back to the name", richText(section({ type: "emoji", name: "odd", unicode: "zz-110000" })), [p(":odd:")]],
  ["emoji between texts merges into text", richText(section(text("I "), { type: "emoji", name: "heart" }, text(" it"))), [p("I ❤️ it")]],
  [
    "date with fallback",
    richText(section({ type: "date", timestamp: 1392734382, format: "{date_pretty} at {time}", fallback: "Feb 18, 2014 at 6:39 AM" })),
    [p("Feb 18, 2014 at 6:39 AM")],
  ],
  ["date with link", richText(section({ type: "date", timestamp: 1392734382, format: "{date}", url: "https://example.com", fallback: "Feb 18" })), [p(link("https://example.com", "Feb 18"))]],
  ["date without fallback", richText(section({ type: "date", timestamp: 1392734382, format: "{date}" })), [p("2014-02-18 14:39 UTC")]],
  ["colour", richText(section(text("brand "), { type: "color", value: "#4A154B" })), [p("brand #4A154B")]],
  ["an unknown element with text", richText(section({ type: "canvas_thing", text: "see canvas" })), [p("see canvas")]],
  [
    "a message link keeps its link (mautrix-slack)",
    richText(section(text("take a look at "), { type: "message", text: "testbot in #general", url: "https://example.slack.com/archives/C123/p1234567890123456" })),
    [p("take a look at ", link("https://example.slack.com/archives/C123/p1234567890123456", "testbot in #general"))],
  ],
  ["an unknown element with only a link", richText(section({ type: "canvas_thing", url: "https://x.org/c" })), [p(link("https://x.org/c", "https://x.org/c"))]],
  ["an unknown element's unsafe link is only its text", richText(section({ type: "canvas_thing", text: "c", url: "javascript:alert(1)" })), [p("c")]],
  ["an unknown element without text", richText(section(text("a"), { type: "team", team_id: "T1" })), [p("a")]],
];

const structure: Row[] = [
  ["preformatted", richText(richPre(text("let x = 1;"))), [pre("let x = 1;")]],
  ["preformatted over lines", richText(richPre(text("a\n  b\n"))), [pre("a\n  b\n")]],
  ["preformatted with a link", richText(richPre(text("see "), { type: "link", url: "https://example.com" })), [pre("see https://example.com")]],
  ["quote", richText(richQuote(text("blah"))), [quote(p("blah"))]],
  ["quote over lines", richText(richQuote(text("a\nb", { italic: true }))), [quote(p(i("a"), br, i("b")))]],
  ["bullet list", richText(richList("bullet", [[text("Huddles")], [text("Canvas")]])), [ul(item("Huddles"), item("Canvas"))]],
  ["ordered list", richText(richList("ordered", [[text("one")], [text("two")]])), [ol(item("one"), item("two"))]],
  ["ordered list with an offset", richText(richList("ordered", [[text("three")]], { offset: 2 })), [olFrom(3, item("three"))]],
  ["list item with formatting", richText(richList("bullet", [[text("a "), text("b", { bold: true })]])), [ul(item("a ", b("b")))]],
  [
    "sub-list by indent",
    richText(richList("bullet", [[text("a")], [text("b")]]), richList("ordered", [[text("b1")]], { indent: 1 })),
    [ul(item("a"), [p("b"), ol(item("b1"))])],
  ],
  [
    "back out of a sub-list continues the outer list",
    richText(
      richList("bullet", [[text("a")]]),
      richList("bullet", [[text("a1")]], { indent: 1 }),
      richList("bullet", [[text("a1x")]], { indent: 2 }),
      richList("bullet", [[text("b")]]),
    ),
    [ul([p("a"), ul([p("a1"), ul(item("a1x"))])], item("b"))],
  ],
  [
    "same indent, other style: two lists",
    richText(richList("bullet", [[text("a")]]), richList("ordered", [[text("b")]])),
    [ul(item("a")), ol(item("b"))],
  ],
  [
    "a section between lists separates them",
    richText(richList("bullet", [[text("a")]]), section(text("between")), richList("bullet", [[text("b")]])),
    [ul(item("a")), p("between"), ul(item("b"))],
  ],
  [
    "a list that starts indented",
    richText(richList("bullet", [[text("deep")]], { indent: 2 })),
    [ul(item("deep"))],
  ],
  ["an empty list item", richText(richList("bullet", [[], [text("b")]])), [ul([], item("b"))]],
  [
    "list inside a quote (border)",
    richText(richQuote(text("says:")), richList("bullet", [[text("x")]], { border: 1 })),
    [quote(p("says:"), ul(item("x")))],
  ],
  [
    "code inside a quote (border)",
    richText(richQuote(text("run")), { ...richPre(text("ls")), border: 1 }),
    [quote(p("run"), pre("ls"))],
  ],
  [
    "quote, then text outside it",
    richText(richQuote(text("q")), section(text("reply"))),
    [quote(p("q")), p("reply")],
  ],
  [
    "two rich_text blocks are one document",
    [...richText(section(text("one"))), { type: "divider" }, ...richText(section(text("two")))],
    [p("one"), p("two")],
  ],
  [
    "malformed parts are skipped",
    [{ type: "rich_text", elements: [null, { type: "rich_text_section", elements: "nope" }, section({ type: "text" }, text("ok"))] }],
    [p("ok")],
  ],
  ["rich_text without elements", [{ type: "rich_text" }], []],
];

/** The onboarding message of Slack's rich-text tutorial, as sent. */
const tutorialMessage: unknown[] = [
  { type: "header", text: { type: "plain_text", text: "Onboarding Week 1" } },
  {
    type: "rich_text",
    elements: [
      section({ type: "emoji", name: "office" }, text(" Company business", { bold: true })),
      richList("bullet", [
        [text("Fill out your W-2")],
        [text("Enroll in "), { type: "link", text: "benefits", url: "https://salesforcebenefits.com" }],
        [text("Fill out your Slack profile, including:")],
      ]),
      richList("ordered", [[text("Time zone")], [text("Pronouns")]], { indent: 1 }),
    ],
  },
  { type: "divider" },
  {
    type: "rich_text",
    elements: [
      section({ type: "emoji", name: "speech_balloon" }, text(" Inspirational quote of the day", { bold: true })),
      richQuote(text("Having no destination I am never lost. - Ikkyū.")),
    ],
  },
];

describe("parseSlackRichText", () => {
  describe.each([
    ["messages without rich text", noRichText],
    ["styles", styles],
    ["newlines", lines],
    ["elements", elements],
    ["sections, lists, quotes and code", structure],
  ] as const)("%s", (_, rows) => {
    it.each(rows)("%s", (_name, blocks, expected) => {
      expect(parseSlackRichText(blocks, parseCtx)).toEqual(expected);
    });
  });

  it("reads Slack's rich-text tutorial message", () => {
    expect(parseSlackRichText(tutorialMessage, parseCtx)).toEqual([
      p("🏢", b(" Company business")),
      ul(
        item("Fill out your W-2"),
        item("Enroll in ", link("https://salesforcebenefits.com", "benefits")),
        [p("Fill out your Slack profile, including:"), ol(item("Time zone"), item("Pronouns"))],
      ),
      p("💬", b(" Inspirational quote of the day")),
      quote(p("Having no destination I am never lost. - Ikkyū.")),
    ]);
  });

  it.each(["here", "channel", "everyone"])("keeps @%s as text when the sender may not ping", (range) => {
    expect(parseSlackRichText(richText(section({ type: "broadcast", range })), parseCtxNoPings)).toEqual([p(`@${range}`)]);
  });
});
