import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { renderSlackMrkdwn } from "../../../src/connectors/slack/convert/mrkdwn-render.js";
import {
  ALICE,
  GENERAL_ROOM,
  PARROT_URL,
  SHY,
  ZWSP,
  b,
  br,
  code,
  emoji,
  h,
  i,
  item,
  link,
  mention,
  ol,
  olFrom,
  p,
  ping,
  pre,
  quote,
  renderCtx,
  renderCtxChannelPing,
  renderCtxNoPings,
  room,
  rule,
  s,
  spoiler,
  u,
  ul,
} from "./format-fixtures.js";

type Row = [name: string, doc: Document, mrkdwn: string];

const escaping: Row[] = [
  ["plain text", [p("Hello world!")], "Hello world!"],
  [
    "the three control characters (matrix-appservice-slack)",
    [p("Let's talk about <html> and the & character")],
    "Let's talk about &lt;html&gt; and the &amp; character",
  ],
  ["nothing else is escaped", [p(`"quotes" 'apostrophes' © é`)], `"quotes" 'apostrophes' © é`],
  ["an entity typed as text", [p("&amp;")], "&amp;amp;"],
  ["entities typed as text (jsx-slack)", [p("true &amp;& false A&lt;=&gt;B &heart;")], "true &amp;amp;&amp; false A&amp;lt;=&amp;gt;B &amp;heart;"],
  ["a > inside a line", [p("a > b")], "a &gt; b"],
];

const styles: Row[] = [
  ["bold", [p("This is ", b("bold"), "!")], "This is *bold*!"],
  ["an emote's italic (matrix-appservice-slack)", [p(i("This is not sarcasm"))], "_This is not sarcasm_"],
  ["strike", [p(s("x"))], "~x~"],
  ["inline code", [p("run ", code("npm test"))], "run `npm test`"],
  ["italic inside bold", [p(b("a ", i("b")), " c")], "*a _b_* c"],
  ["one leaf with two styles puts bold outside", [p(i(b("both")))], "*_both_*"],
  ["underline becomes italic", [p(u("under"))], "_under_"],
  ["underline inside italic adds nothing", [p(i("a ", u("b")))], "_a b_"],
  ["spoiler is shown between bars", [p("it was ", spoiler("him"))], "it was ||him||"],
  ["whitespace moves outside the markers", [p("a", b(" padded "), "b")], `a *padded* b`],
  ["whitespace-only bold is plain", [p("a", b(" "), "b")], "a b"],
  ["empty bold vanishes", [p("a", b(), "b")], "ab"],
  ["bold inside a word gets boundaries", [p("un", b("believ"), "able")], `un${ZWSP}*believ*${ZWSP}able`],
  ["a closer after a bracket gets a boundary", [p(b("(x)"))], `*(x)${ZWSP}*`],
  ["brackets around bold need nothing", [p("(", b("x"), ")")], "(*x*)"],
  ["neighbouring styles", [p(b("a"), i("b"))], "*a*_b_"],
  ["overlapping styles close and reopen", [p(i("a ", b("b")), b("c"))], "_a *b*_*c*"],
  ["styles stop at a line break", [p(b("a", br, "b"))], "*a*\n*b*"],
  ["styles stop at a newline in text", [p(b("a\nb"))], "*a*\n*b*"],
  ["code never spans lines", [p(code("a\nb"))], "`a b`"],
  ["spaces around code move outside", [p("x", code(" y "), "z")], "x `y` z"],
  ["a backtick inside code that could close it", [p(code("a` b"))], `\`a${SHY}\` b\``],
  ["bold code", [p(b(code("x")))], "*`x`*"],
  // Slack reads `**` as text, so the marker and the literal star are kept apart.
  ["a literal star inside bold", [p(b("x*"), " ", b("*x"))], `*x${SHY}*${ZWSP}* *${ZWSP}*${SHY}x*`],
  ["a tilde inside strike", [p(s("~x~"))], `~${ZWSP}~${SHY}x${SHY}~${ZWSP}~`],
];

const literals: Row[] = [
  ["stars typed as text stay literal", [p("*not bold*")], `*${SHY}not bold${SHY}*`],
  ["underscores typed as text", [p("_not italic_")], `_${SHY}not italic${SHY}_`],
  ["tildes typed as text", [p("~not struck~")], `~${SHY}not struck${SHY}~`],
  ["backticks typed as text", [p("`not code`")], `\`${SHY}not code${SHY}\``],
  ["snake_case needs nothing", [p("snake_case_name")], "snake_case_name"],
  ["multiplication needs nothing", [p("2*3*4")], "2*3*4"],
  ["the shrug needs nothing", [p("¯\\_(ツ)_/¯")], "¯\\_(ツ)_/¯"],
  ["spaced stars need nothing", [p("a * b")], "a * b"],
  ["a lone star needs nothing", [p("*")], "*"],
  ["Markdown's double stars stay as typed", [p("**not bold**")], `*${SHY}*${SHY}not bold${SHY}*${SHY}*`],
  ["a path that could open strike", [p("~/.config")], `~${SHY}/.config`],
  ["a quote marker at the start", [p("> not a quote")], `${SHY}&gt; not a quote`],
  ["a dash bullet at the start", [p("- not a list")], `${SHY}- not a list`],
  ["a number at the start", [p("1. not a list")], `${SHY}1. not a list`],
  ["a bullet at the start", [p("• not a list")], `${SHY}• not a list`],
  ["a bullet in text presentation at the start", [p("▪\uFE0E not a list")], `${SHY}▪\uFE0E not a list`],
  [
    "markers inside a bare URL are part of it",
    [p("see https://example.com/?q=*foo* and https://example.com/a_b_")],
    "see https://example.com/?q=*foo* and https://example.com/a_b_",
  ],
  ["markers after a bare URL", [p("https://x.com/a *not bold*")], `https://x.com/a *${SHY}not bold${SHY}*`],
  ["a dash split from its space by a style", [p("-", b(" x"))], `${SHY}- *x*`],
  ["a quote marker after a line break", [p("a", br, "> b")], `a\n${SHY}&gt; b`],
  ["three backticks", [p("a ``` b")], `a \`${SHY}\`${SHY}\` b`],
  ["an unmapped mention whose name looks like markup", [p(mention("@x:example.org", "*Star*"))], `*${SHY}Star${SHY}*`],
];

const linksAndMentions: Row[] = [
  [
    "a labelled link (matrix-appservice-slack)",
    [p("This bridge is built on the ", link("https://matrix.org", "Matrix"), " protocol.")],
    "This bridge is built on the <https://matrix.org|Matrix> protocol.",
  ],
  [
    "several links (matrix-appservice-slack)",
    [p(link("http://example.com", "a"), " b ", link("http://example.net", "c"))],
    "<http://example.com|a> b <http://example.net|c>",
  ],
  ["a link labelled with its URL", [p(link("https://example.com", "https://example.com"))], "<https://example.com>"],
  ["a link without a label", [p(link("https://example.com"))], "<https://example.com>"],
  ["an ampersand in a URL", [p(link("https://example.com/?a=1&b=2", "https://example.com/?a=1&b=2"))], "<https://example.com/?a=1&amp;b=2>"],
  ["a bar and brackets in a URL", [p(link("https://example.com/a|b>c", "x"))], "<https://example.com/a%7Cb%3Ec|x>"],
  ["a label with control characters and stars", [p(link("https://x.org", "a <b> & *c*"))], `<https://x.org|a &lt;b&gt; &amp; *${SHY}c${SHY}*>`],
  ["a bold link", [p(b(link("https://x.org", "x")))], "*<https://x.org|x>*"],
  ["a link's label is plain text", [p(link("https://x.org", b("x"), " y"))], "<https://x.org|x y>"],
  ["a mailto link", [p(link("mailto:a@example.org", "a@example.org"))], "<mailto:a@example.org|a@example.org>"],
  ["an inline image Slack cannot open shows its alt text (slackify-markdown)", [p(link("mxc://example.org/abc", "logo.png"))], "logo.png"],
  ["a matrix: URI shows its label", [p(link("matrix:r/elsewhere:example.org", "#elsewhere"))], "#elsewhere"],
  ["a user pill (matrix-appservice-slack)", [p("Hello! ", mention(ALICE, "Alice"))], "Hello! <@U1>"],
  ["a user without a Slack account", [p("Hello! ", mention("@stranger:example.org", "Stranger"))], "Hello! Stranger"],
  ["a bold mention", [p(b(mention(ALICE, "Alice")))], "*<@U1>*"],
  ["a room pill (matrix-appservice-slack)", [p("You should join my room ", room(GENERAL_ROOM, "#general"))], "You should join my room <#C1>"],
  ["a room pill by alias", [p(room("#general:example.org", "#general:example.org"))], "<#C1>"],
  ["a room that is not bridged", [p(room("#elsewhere:example.org", "#elsewhere:example.org"))], "#elsewhere:example.org"],
  ["@room as @here", [p(ping, " Hello everyone!")], "<!here> Hello everyone!"],
  ["a custom emoji", [p("so ", emoji("partyparrot", PARROT_URL))], "so :partyparrot:"],
  ["a custom emoji inside a word", [p("so", emoji("partyparrot", PARROT_URL), "cool")], `so${ZWSP}:partyparrot:${ZWSP}cool`],
  ["code inside a word", [p("a", code("b"), "c")], `a${ZWSP}\`b\`${ZWSP}c`],
  ["Unicode emoji pass through", [p("👍 ❤️")], "👍 ❤️"],
];

const blocks: Row[] = [
  ["empty document", [], ""],
  ["empty paragraphs are skipped", [p(), p("a")], "a"],
  ["paragraphs", [p("a"), p("b")], "a\n\nb"],
  ["a heading is a bold line", [h(1, "Title")], "*Title*"],
  ["heading then text", [h(2, "Title"), p("text")], "*Title*\n\ntext"],
  ["headings (slackify-markdown)", [h(1, "heading 1"), h(2, "heading 2"), h(3, "heading 3")], "*heading 1*\n\n*heading 2*\n\n*heading 3*"],
  ["a code block", [pre("let x = 1;")], "```\nlet x = 1;\n```"],
  ["a code block's language is dropped", [{ type: "code_block", language: "ts", text: "x" }], "```\nx\n```"],
  ["a code block escapes and breaks fences", [pre("x ``` y\n<tag> & more")], `\`\`\`\nx \`${SHY}\`${SHY}\` y\n&lt;tag&gt; &amp; more\n\`\`\``],
  ["markup inside a code block is left alone", [pre("*a* _b_")], "```\n*a* _b_\n```"],
  ["text then code", [p("look:"), pre("x")], "look:\n```\nx\n```"],
  ["a quote", [quote(p("quoted"))], "> quoted"],
  ["a quote over lines", [quote(p("a", br, "b"))], "> a\n> b"],
  ["a quote with two paragraphs", [quote(p("a"), p("b"))], "> a\n>\n> b"],
  ["quote then text", [quote(p("q")), p("after")], "> q\nafter"],
  ["two quotes", [quote(p("a")), quote(p("b"))], "> a\n\n> b"],
  ["a quote holding a list and code", [quote(ul(item("a")), pre("x"))], "> • a\n>\n> ```\n> x\n> ```"],
  ["bullets", [ul(item("one"), item("two"))], "• one\n• two"],
  ["numbers", [ol(item("first"), item("second"))], "1. first\n2. second"],
  ["numbers from three", [olFrom(3, item("three"), item("four"))], "3. three\n4. four"],
  ["nested lists", [ul([p("a"), ul([p("b"), ul(item("c"))])], item("d"))], "• a\n    ◦ b\n        ▪ c\n• d"],
  ["numbers inside bullets", [ul([p("a"), ol(item("x"), item("y"))])], "• a\n    1. x\n    2. y"],
  ["list then text", [ul(item("a")), p("after")], "• a\n\nafter"],
  ["text then list", [p("Intro:"), ul(item("a"))], "Intro:\n• a"],
  ["an item over two lines", [ul(item("a", br, "more"))], "• a\n    more"],
  ["an item holding code", [ul([p("a"), pre("x")])], "• a\n    ```\n    x\n    ```"],
  ["an empty item", [ul([], item("b"))], "• \n• b"],
  ["an item starting like a quote", [ul(item("> x"))], `• ${SHY}&gt; x`],
  ["a rule", [p("a"), rule, p("b")], "a\n\n———\n\nb"],
];

describe("renderSlackMrkdwn", () => {
  describe.each([
    ["escaping", escaping],
    ["styles", styles],
    ["literal text that looks like markup", literals],
    ["links and mentions", linksAndMentions],
    ["blocks", blocks],
  ] as const)("%s", (_, rows) => {
    it.each(rows)("%s", (_name, doc, mrkdwn) => {
      expect(renderSlackMrkdwn(doc, renderCtx)).toBe(mrkdwn);
    });
  });

  it("sends @room as @channel when so configured (matrix-appservice-slack)", () => {
    expect(renderSlackMrkdwn([p(ping, " Hello everyone!")], renderCtxChannelPing)).toBe("<!channel> Hello everyone!");
  });

  it("sends @room as harmless text when the sender may not ping", () => {
    expect(renderSlackMrkdwn([p(ping, " Hello")], renderCtxNoPings)).toBe("@room Hello");
  });
});
