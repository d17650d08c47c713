import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { parseSlackMrkdwn } from "../../../src/connectors/slack/convert/mrkdwn-parse.js";
import {
  ALICE,
  BOB,
  GENERAL_ROOM,
  PARROT_URL,
  SHY,
  ZWSP,
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
  ul,
} from "./format-fixtures.js";

type Row = [name: string, mrkdwn: string, expected: Document];

const inlineStyles: Row[] = [
  ["plain text", "Hello world!", [p("Hello world!")]],
  ["bold and italic words (matrix-slack-parser)", "This *is* a _super_ test", [p("This ", b("is"), " a ", i("super"), " test")]],
  ["strike", "~gone~", [p(s("gone"))]],
  ["inline code", "run `npm test` now", [p("run ", code("npm test"), " now")]],
  ["all four side by side", "*b* _i_ ~s~ `c`", [p(b("b"), " ", i("i"), " ", s("s"), " ", code("c"))]],
  ["italic inside bold", "*bold _and italic_*", [p(b("bold ", i("and italic")))]],
  ["bold inside italic", "_*both*_", [p(i(b("both")))]],
  ["strike inside bold", "*~bold strike~*", [p(b(s("bold strike")))]],
  ["styles nest either way round (zulip)", "~*bold*~ and *~strike~*. _~italic~_", [p(s(b("bold")), " and ", b(s("strike")), ". ", i(s("italic")))]],
  ["a date standing in for a literal star (jsx-slack)", "*bold<!date^00000000^{_}|*>text*", [p(b("bold*text"))]],
  ["markers inside code stay literal", "`*not bold* _nor this_`", [p(code("*not bold* _nor this_"))]],
  ["two bold spans", "*a* and *b*", [p(b("a"), " and ", b("b"))]],
  ["bold in parentheses", "(*parenthesised*)", [p("(", b("parenthesised"), ")")]],
  ["bold before a full stop", "*done*.", [p(b("done"), ".")]],
  ["bold in quotation marks", '"*quoted*"', [p('"', b("quoted"), '"')]],
  ["bold spanning words", "*multi word bold*", [p(b("multi word bold"))]],
  ["crossed markers pair the first closer", "*a _b* c_", [p(b("a _b"), " c_")]],
  ["formatting around a link", "*<https://example.com|bold link>*", [p(b(link("https://example.com", "bold link")))]],
  ["formatting around an emoji", "*:fire: hot*", [p(b("🔥 hot"))]],
  [
    "bold closes before these punctuation marks (slack-message-parser)",
    "*a*# *b*$ *c*% *d*^ *e*+ *f*= *g*{ *h*[ *i*! *j*/",
    [p(b("a"), "# ", b("b"), "$ ", b("c"), "% ", b("d"), "^ ", b("e"), "+ ", b("f"), "= ", b("g"), "{ ", b("h"), "[ ", b("i"), "! ", b("j"), "/")],
  ],
  [
    "many styles in a sentence (slack-message-parser)",
    "This is _the_ *first* ~program~ `code of the rest of this` *file*, err, _file_, and by ~file~, I mean *file*.",
    [p("This is ", i("the"), " ", b("first"), " ", s("program"), " ", code("code of the rest of this"), " ", b("file"), ", err, ", i("file"), ", and by ", s("file"), ", I mean ", b("file"), ".")],
  ],
];

const literalLookalikes: Row[] = [
  ["snake_case", "snake_case_name", [p("snake_case_name")]],
  ["shrug", "¯\\_(ツ)_/¯", [p("¯\\_(ツ)_/¯")]],
  ["a time of day", "12:30:45", [p("12:30:45")]],
  ["escaped comparison", "1 &lt; 2 &amp; 3", [p("1 < 2 & 3")]],
  ["multiplication", "2*3*4", [p("2*3*4")]],
  ["a lone asterisk", "*", [p("*")]],
  ["spaced asterisks", "a * b * c", [p("a * b * c")]],
  ["asterisks hugging spaces", "* not bold *", [p("* not bold *")]],
  ["unclosed bold", "*unclosed bold", [p("*unclosed bold")]],
  ["a closer right after a bracket", "*foo)*", [p("*foo)*")]],
  ["bold does not close before these (slack-message-parser)", "*a*@ *b*( *c*| *d*\\", [p("*a*@ *b*( *c*| *d*\\")]],
  ["Markdown's double stars", "**not bold**", [p("**not bold**")]],
  ["Markdown's double tildes", "~~not struck~~", [p("~~not struck~~")]],
  ["double underscores", "__init__", [p("__init__")]],
  ["a star run closing bold", "*N** x", [p("*N** x")]],
  ["doubled and tripled stars (zulip)", "*mid*word **word** ***word***", [p("*mid*word **word** ***word***")]],
  ["markers after @ or inside words (zulip)", "mid_word_, @_italics_ Mid~word~", [p("mid_word_, @_italics_ Mid~word~")]],
  ["inner underscore (slack-markdown)", "This is a _test_ with some_italicized_text in it", [p("This is a ", i("test"), " with some_italicized_text in it")]],
  ["italic closing inside a word (slack-markdown)", "_this is italic_regular", [p("_this is italic_regular")]],
  ["tildes around spaces (slack-markdown)", "this ~ is a ~ test", [p("this ~ is a ~ test")]],
  ["bold glued to a word (slack-message-parser)", "foo*bar*baz *foo*bar", [p("foo*bar*baz *foo*bar")]],
  ["home-directory paths", "~/.config and ~/bin", [p("~/.config and ~/bin")]],
  ["file names", "file_name_v2.txt", [p("file_name_v2.txt")]],
  ["escaped html (matrix-slack-parser)", "&lt;b&gt;test&lt;/b&gt;", [p("<b>test</b>")]],
  ["an ampersand", "AT&amp;T", [p("AT&T")]],
  ["entities are decoded once", "&amp;lt;", [p("&lt;")]],
  ["a bare URL with underscores", "see http://example.com/a_b_c. ok", [p("see ", link("http://example.com/a_b_c", "http://example.com/a_b_c"), ". ok")]],
  ["a URL in escaped angle brackets", "&lt;http://x.com&gt;", [p("<", link("http://x.com", "http://x.com"), ">")]],
  ["an empty angle pair", "&lt;&gt; and <>", [p("<> and <>")]],
  ["angle brackets without a scheme", "<notaurl>", [p("<notaurl>")]],
  ["an unknown emoji name", ":not_an_emoji:", [p(":not_an_emoji:")]],
];

const links: Row[] = [
  ["labelled link", "<https://matrix.org|Matrix>", [p(link("https://matrix.org", "Matrix"))]],
  [
    "several links (matrix-appservice-slack)",
    "<http://example.com|a> b <http://example.net|c>",
    [p(link("http://example.com", "a"), " b ", link("http://example.net", "c"))],
  ],
  ["bare link token", "<https://example.com/some_path_here>", [p(link("https://example.com/some_path_here", "https://example.com/some_path_here"))]],
  ["mailto with label", "<mailto:alice@example.org|alice@example.org>", [p(link("mailto:alice@example.org", "alice@example.org"))]],
  ["mailto without label shows the address", "<mailto:bob@example.org>", [p(link("mailto:bob@example.org", "bob@example.org"))]],
  ["escaped ampersand in a URL", "<https://example.com/?a=1&amp;b=2>", [p(link("https://example.com/?a=1&b=2", "https://example.com/?a=1&b=2"))]],
  ["escaped label", "<https://example.com|a &lt;b&gt; label>", [p(link("https://example.com", "a <b> label"))]],
  ["a javascript: link is only its label", "<javascript:alert(1)|click me>", [p("click me")]],
  ["a tel: link", "<tel:+15551234|call us>", [p(link("tel:+15551234", "call us"))]],
  ["neutralised label from our renderer", `<https://example.com|*${SHY}starred${SHY}*>`, [p(link("https://example.com", "*starred*"))]],
  ["a label is formatted like text (slack-markdown)", "<https://example.org|this is *awesome*>", [p(link("https://example.org", "this is ", b("awesome")))]],
  [
    "every style inside a label (jsx-slack)",
    "<https://example.com/|_with_ *text* ~formatting~>",
    [p(link("https://example.com/", i("with"), " ", b("text"), " ", s("formatting")))],
  ],
  ["a label holds no links of its own", "<https://example.com|see https://example.org>", [p(link("https://example.com", "see https://example.org"))]],
  ["a bar inside a label (zulip)", "<https://foo.com|foo|oof>", [p(link("https://foo.com", "foo|oof"))]],
];

const references: Row[] = [
  ["known user", "Hey <@U1>!", [p("Hey ", mention(ALICE, "Alice"), "!")]],
  ["known users with and without a name", "<@U1|alice> and <@U2>", [p(mention(ALICE, "Alice"), " and ", mention(BOB, "Bob Smith"))]],
  ["unknown user with a name (matrix-slack-parser)", "Hey <@U999|Blah>!", [p("Hey @Blah!")]],
  ["unknown user without a name", "Hey <@U999>!", [p("Hey @U999!")]],
  ["bridged channel", "join <#C1>", [p("join ", room(GENERAL_ROOM, "#general"))]],
  ["bridged channel with its name", "<#C1|general>", [p(room(GENERAL_ROOM, "#general"))]],
  ["channel that is not bridged", "<#C2|random>", [p("#random")]],
  ["unknown channel", "<#C999>", [p("#C999")]],
  ["here", "<!here> look", [p(ping, " look")]],
  ["channel and everyone", "<!channel> <!everyone>", [p(ping, " ", ping)]],
  ["here with its label", "<!here|@here>", [p(ping)]],
  ["usergroup with handle (mautrix-slack)", "Hi <!subteam^S1|@platform-team>", [p("Hi @platform-team")]],
  ["usergroup resolved by id", "<!subteam^S1>", [p("@platform-team")]],
  ["unknown usergroup", "Hi <!subteam^S404>", [p("Hi @S404")]],
  [
    "date with fallback",
    "<!date^1392734382^Posted {date_num} {time_secs}|Posted 2014-02-18 6:39:42 AM PST>",
    [p("Posted 2014-02-18 6:39:42 AM PST")],
  ],
  ["date with link", "<!date^1392734382^{date}^https://example.com/|Feb 18>", [p(link("https://example.com/", "Feb 18"))]],
  ["date without fallback", "<!date^1392734382^{date}>", [p("2014-02-18 14:39 UTC")]],
  ["thumbs up by either name", ":thumbsup: :+1:", [p("👍 👍")]],
  ["skin tone", ":wave::skin-tone-3:", [p("👋🏼")]],
  ["heart is fully qualified", ":heart:", [p("❤️")]],
  ["custom emoji", "so :partyparrot:", [p("so ", emoji("partyparrot", PARROT_URL))]],
  ["custom emoji alias", ":pp:", [p(emoji("pp", PARROT_URL))]],
  ["alias of a standard emoji", ":my_thumbs:", [p("👍")]],
  ["alias loop stays text", ":loop_a:", [p(":loop_a:")]],
];

const blocks: Row[] = [
  ["empty message", "", []],
  ["blank lines only", "  \n \n", []],
  ["line break", "line 1\nline 2", [p("line 1", br, "line 2")]],
  ["carriage returns", "line 1\r\nline 2", [p("line 1", br, "line 2")]],
  ["paragraphs", "para 1\n\npara 2", [p("para 1"), p("para 2")]],
  ["escaped quote", "&gt; quoted", [quote(p("quoted"))]],
  ["quote then text", "&gt; a\n&gt; *b*\nafter", [quote(p("a", br, b("b"))), p("after")]],
  ["raw quote marker from a bot", "> raw quote", [quote(p("raw quote"))]],
  ["quote the rest of the message", "&gt;&gt;&gt; all\nof this", [quote(p("all", br, "of this"))]],
  ["quote with two paragraphs", "&gt; a\n&gt;\n&gt; b", [quote(p("a"), p("b"))]],
  ["a quote between lines (slack-markdown)", "hey\n&gt; text\nhere", [p("hey"), quote(p("text")), p("here")]],
  [
    "quoted lines inside a message (slack-message-parser)",
    "This is unquoted text\n&gt; This is quoted text\n&gt; This is still quoted text\nThis is unquoted text again",
    [p("This is unquoted text"), quote(p("This is quoted text", br, "This is still quoted text")), p("This is unquoted text again")],
  ],
  ["a quote without a space", "&gt;bar", [quote(p("bar"))]],
  [
    "quoted lines around a link (zulip)",
    "&gt;Google logo today:\n&gt;<https://www.google.com/images/srpr/logo4w.png>\n&gt;Kinda boring",
    [quote(p("Google logo today:", br, link("https://www.google.com/images/srpr/logo4w.png", "https://www.google.com/images/srpr/logo4w.png"), br, "Kinda boring"))],
  ],
  [
    "code opened in a quote stays in it (jsx-slack)",
    "&gt; ~strikethrough and~\n&gt; ```\nquoted\ntext\n```\n&gt; ",
    [quote(p(s("strikethrough and")), pre("quoted\ntext"))],
  ],
  ["a quote with a trailing empty line (jsx-slack)", "&gt; Hello!\n&gt; \n\n&gt; World!\n&gt; ", [quote(p("Hello!")), quote(p("World!"))]],
  ["a quote marker alone is text", "&gt;", [p(">")]],
  ["a rest-of-message marker alone is text", "&gt;&gt;&gt;", [p(">>>")]],
  ["an empty quote line between lines", "a\n&gt; \nb", [p("a"), p(">"), p("b")]],
  ["inline pre", "```code```", [pre("code")]],
  ["fenced pre", "```\nline1\nline2\n```", [pre("line1\nline2")]],
  ["pre in the middle of a line", "before ```mid``` after", [p("before"), pre("mid"), p("after")]],
  ["markup in pre is literal", "```*not bold* &lt;tag&gt;```", [pre("*not bold* <tag>")]],
  ["links in pre read as text", "```see <https://example.com>```", [pre("see https://example.com")]],
  ["quote markers inside pre", "```\n&gt; not a quote\n```", [pre("> not a quote")]],
  ["unclosed pre", "```unclosed", [p("```unclosed")]],
  ["a fence followed by a backtick (slack-markdown)", "```codeblock `backtick````", [pre("codeblock `backtick`")]],
  ["code then text (slack-markdown)", "text\n```code\nblock```\nmore text", [p("text"), pre("code\nblock"), p("more text")]],
  ["escaped brackets in pre (slack-markdown)", "`test`\n\n```&lt;&gt;```", [p(code("test")), pre("<>")]],
  ["two pres on a line (slack-message-parser)", "``` foo ``` bar ``` baz ```", [pre(" foo "), p("bar"), pre(" baz ")]],
  ["bullets", "• one\n• two", [ul(item("one"), item("two"))]],
  ["dash bullets", "- one\n- two", [ul(item("one"), item("two"))]],
  ["numbered", "1. first\n2. second", [ol(item("first"), item("second"))]],
  ["numbered from three", "3. three\n4. four", [olFrom(3, item("three"), item("four"))]],
  ["nested bullets", "• a\n    ◦ b\n• c", [ul([p("a"), ul(item("b"))], item("c"))]],
  ["text then list", "Intro:\n• a\n• *b*", [p("Intro:"), ul(item("a"), item(b("b")))]],
  ["list in a quote", "&gt; • quoted item", [quote(ul(item("quoted item")))]],
  ["list item continued on an indented line", "• a\n    more\n• b", [ul(item("a", br, "more"), item("b"))]],
  ["list items continued after figure spaces (jsx-slack)", "• Hello,\n\u2007 world!\n• b", [ul(item("Hello,", br, "world!"), item("b"))]],
  ["a bullet in text presentation (jsx-slack)", "• and\n     ▪\uFE0E sub-sub-list", [ul([p("and"), ul(item("sub-sub-list"))])]],
  ["bullets then numbers are two lists", "• a\n1. b", [ul(item("a")), ol(item("b"))]],
];

const fromOurRenderer: Row[] = [
  ["boundary characters around markers are dropped", `un${ZWSP}*believ*${ZWSP}able`, [p("un", b("believ"), "able")]],
  ["a boundary before a closer after a bracket", `*(x)${ZWSP}*`, [p(b("(x)"))]],
  ["neutralised markers stay literal", `*${SHY}not bold${SHY}*`, [p("*not bold*")]],
  ["a neutralised quote marker", `${SHY}&gt; not a quote`, [p("> not a quote")]],
  ["a neutralised list marker", `${SHY}- not a list`, [p("- not a list")]],
  ["a neutralised fence", `a \`${SHY}\`${SHY}\` b`, [p("a ``` b")]],
  ["boundaries around a glued shortcode are dropped", `so${ZWSP}:partyparrot:${ZWSP}cool`, [p("so", emoji("partyparrot", PARROT_URL), "cool")]],
  ["a shortcode glued to a word is text", "so:partyparrot:", [p("so:partyparrot:")]],
  ["a soft hyphen inside a word stays", `co${SHY}operate`, [p(`co${SHY}operate`)]],
];

describe("parseSlackMrkdwn", () => {
  describe.each([
    ["inline styles", inlineStyles],
    ["text that only looks like markup", literalLookalikes],
    ["links", links],
    ["mentions, dates and emoji", references],
    ["blocks", blocks],
    ["what our renderer writes", fromOurRenderer],
  ] as const)("%s", (_, rows) => {
    it.each(rows)("%s", (_name, mrkdwn, expected) => {
      expect(parseSlackMrkdwn(mrkdwn, parseCtx)).toEqual(expected);
    });
  });

  it.each([
    ["<!here> look", [p("@here look")]],
    ["<!channel>", [p("@channel")]],
    ["<!everyone|@everyone>", [p("@everyone")]],
  ] as const)("keeps %s as text when the sender may not ping", (mrkdwn, expected) => {
    expect(parseSlackMrkdwn(mrkdwn, parseCtxNoPings)).toEqual(expected);
  });

  it("parses a long adversarial line quickly", () => {
    const line = "*a ".repeat(13_000) + "_b".repeat(5_000);
    const started = performance.now();
    const [paragraph] = parseSlackMrkdwn(line, parseCtx);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(paragraph).toEqual(p(line));
  });
});
