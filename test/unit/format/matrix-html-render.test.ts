import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { renderMatrix } from "../../../src/core/format/matrix-html-render.js";
import { renderPlainText } from "../../../src/core/format/plain-text.js";
import { b, br, code, emoji, h, hr, i, link, ol, olFrom, p, ping, pre, quote, room, s, spoiler, u, ul, user } from "./doc-builders.js";

const HIPPO = "mxc://cadence.moe/qWmbXeRspZRLPcjseyLmeyXC";
const HIPPO_IMG = `<img data-mx-emoticon src="${HIPPO}" alt=":hippo:" title=":hippo:" height="32">`;

// [case, document, body, formatted_body (undefined when the event should carry none)]
const cases: [string, Document, string, string | undefined][] = [
  // Unformatted documents need no HTML
  ["plain text", [p("hello world!")], "hello world!", undefined],
  ["markup characters in plain text stay in the body", [p('a < b & c > "d"')], 'a < b & c > "d"', undefined],
  ["line breaks", [p("one", br, "two")], "one\ntwo", undefined],
  ["paragraphs", [p("one"), p("two")], "one\n\ntwo", undefined],
  ["@room", [p("hey ", ping)], "hey @room", undefined],
  ["empty document", [], "", undefined],
  ["zero-width and other unicode", [p("a\u200bb 🦊 café")], "a\u200bb 🦊 café", undefined],

  // Inline formatting
  ["bold", [p("wow ", b("bold"))], "wow bold", "wow <strong>bold</strong>"],
  ["italic", [p(i("it"))], "it", "<em>it</em>"],
  ["underline", [p(u("under"))], "under", "<u>under</u>"],
  ["strike", [p(s("gone"))], "gone", "<del>gone</del>"],
  ["nested formatting", [p(b(i("both"), " bold"))], "both bold", "<strong><em>both</em> bold</strong>"],
  ["spoiler is hidden in the body", [p("the end: ", spoiler("they win"))], "the end: [Spoiler]", "the end: <span data-mx-spoiler>they win</span>"],
  ["spoiler with its reason in front", [p("(cw) ", spoiler("x"))], "(cw) [Spoiler]", "(cw) <span data-mx-spoiler>x</span>"],
  ["inline code", [p("run ", code("npm test"))], "run `npm test`", "run <code>npm test</code>"],
  ["inline code with a backtick (ooye)", [p(code("backtick in ` the middle"))], "``backtick in ` the middle``", "<code>backtick in ` the middle</code>"],
  ["inline code with a backtick at the edge (ooye)", [p(code("edge`"))], "`` edge` ``", "<code>edge`</code>"],
  ["text is escaped in HTML", [p(b("<script>alert(1)</script> & co"))], "<script>alert(1)</script> & co", "<strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</strong>"],
  ["quotes are escaped in HTML", [p(i('say "hi"'))], 'say "hi"', "<em>say &quot;hi&quot;</em>"],
  ["code is escaped in HTML", [p(code("<b>&amp;</b>"))], "`<b>&amp;</b>`", "<code>&lt;b&gt;&amp;amp;&lt;/b&gt;</code>"],
  ["line break inside formatting", [p(b("a", br, "b"))], "a\nb", "<strong>a<br>b</strong>"],
  ["newline inside text becomes <br>", [p(b("x"), "one\ntwo")], "xone\ntwo", "<strong>x</strong>one<br>two"],

  // Links
  ["link with a label", [p(link("https://example.com", "the site"))], "the site (https://example.com)", '<a href="https://example.com">the site</a>'],
  ["link labelled with its url (mad)", [p(link("http://example.com", "http://example.com"))], "http://example.com", '<a href="http://example.com">http://example.com</a>'],
  ["link with ampersands and quotes in the url", [p(link('https://x.org/?a=1&b="2"', "x"))], 'x (https://x.org/?a=1&b="2")', '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">x</a>'],
  ["link with formatting inside", [p(link("https://x.org", b("bold"), " link"))], "bold link (https://x.org)", '<a href="https://x.org"><strong>bold</strong> link</a>'],
  ["a pill inside a link is its name, since links do not nest", [p(link("https://x.org", user("@alice:x.org", "Alice"), " wrote this"))], "Alice wrote this (https://x.org)", '<a href="https://x.org">Alice wrote this</a>'],
  ["link with code inside", [p(link("https://x.org", code("fn")))], "`fn` (https://x.org)", '<a href="https://x.org"><code>fn</code></a>'],
  ["mailto link labelled with the address", [p(link("mailto:fox@example.org", "fox@example.org"))], "fox@example.org", '<a href="mailto:fox@example.org">fox@example.org</a>'],
  ["link without a label shows its url", [p(link("https://x.org"))], "https://x.org", '<a href="https://x.org">https://x.org</a>'],
  ["javascript: link is never written", [p(link("javascript:alert(1)", "click"))], "click", "click"],
  ["link to an mxc:// image is the inline image it was read from", [p(link("mxc://x.org/cat", "a <cat>"))], "a <cat>", '<img src="mxc://x.org/cat" alt="a &lt;cat&gt;">'],

  // Mentions
  ["user pill (ooye)", [p(user("@_ooye_crunch_god:cadence.moe", "@crunch god"), " Tell me about Phil")], "@crunch god Tell me about Phil", '<a href="https://matrix.to/#/@_ooye_crunch_god:cadence.moe">@crunch god</a> Tell me about Phil'],
  ["user pill with markup in the label", [p(user("@a:x.org", "<Ann & co>"))], "<Ann & co>", '<a href="https://matrix.to/#/@a:x.org">&lt;Ann &amp; co&gt;</a>'],
  ["user pill without a label", [p(user("@a:x.org", ""))], "@a:x.org", '<a href="https://matrix.to/#/@a:x.org">@a:x.org</a>'],
  ["user id with a slash is encoded in the link", [p(user("@a/b:x.org", "ab"))], "ab", '<a href="https://matrix.to/#/@a%2Fb:x.org">ab</a>'],
  ["user on an IPv6 server with a port", [p(user("@me:[::1]:8448", "me"))], "me", '<a href="https://matrix.to/#/@me:[::1]:8448">me</a>'],
  ["room alias pill", [p("see ", room("#worm-farm:cadence.moe", "#worm-farm"))], "see #worm-farm", 'see <a href="https://matrix.to/#/#worm-farm:cadence.moe">#worm-farm</a>'],
  ["room id pill", [p(room("!BnKuBPCvyfOkhcUjEu:cadence.moe", "worm-farm"))], "worm-farm", '<a href="https://matrix.to/#/!BnKuBPCvyfOkhcUjEu:cadence.moe">worm-farm</a>'],
  ["@room inside formatting", [p(b(ping), " look")], "@room look", "<strong>@room</strong> look"],

  // Custom emoji
  ["custom emoji on mxc (ooye)", [p(emoji("hippo", HIPPO))], ":hippo:", HIPPO_IMG],
  ["custom emoji mid-text", [p("a ", emoji("hippo", HIPPO), " b")], "a :hippo: b", `a ${HIPPO_IMG} b`],
  ["custom emoji name is escaped", [p(emoji('a"b<', "mxc://x.org/e"))], ':a"b<:', '<img data-mx-emoticon src="mxc://x.org/e" alt=":a&quot;b&lt;:" title=":a&quot;b&lt;:" height="32">'],
  ["remote emoji without an upload is its shortcode", [p(emoji("blob", "https://cdn.example/blob.png"))], ":blob:", ":blob:"],

  // Blocks
  ["paragraphs with formatting each get <p>", [p(b("one")), p("two")], "one\n\ntwo", "<p><strong>one</strong></p><p>two</p>"],
  ["heading", [h(1, "Title")], "Title", "<h1>Title</h1>"],
  ["heading and paragraph", [h(3, "Title ", i("here")), p("text")], "Title here\n\ntext", "<h3>Title <em>here</em></h3><p>text</p>"],
  ["rule between paragraphs (mad)", [p("test"), hr, p("foxes")], "test\n\n---\n\nfoxes", "<p>test</p><hr><p>foxes</p>"],
  ["code block (ooye)", [p("preceding"), pre("code block"), p("following ", code("code"), " is inline")], "preceding\n\n```\ncode block\n```\n\nfollowing `code` is inline", "<p>preceding</p><pre><code>code block\n</code></pre><p>following <code>code</code> is inline</p>"],
  ["code block with a language", [pre("let x = 1;\nx += 2;", "js")], "```js\nlet x = 1;\nx += 2;\n```", '<pre><code class="language-js">let x = 1;\nx += 2;\n</code></pre>'],
  ["code block is escaped in HTML", [pre('if (a < b && c > "d") {}')], '```\nif (a < b && c > "d") {}\n```', "<pre><code>if (a &lt; b &amp;&amp; c &gt; &quot;d&quot;) {}\n</code></pre>"],
  ["code block containing a fence gets a longer one", [pre("```\ninner\n```")], "````\n```\ninner\n```\n````", "<pre><code>```\ninner\n```\n</code></pre>"],
  ["code block ending in a newline keeps it", [pre("x\n")], "```\nx\n\n```", "<pre><code>x\n\n</code></pre>"],
  ["quote (mad)", [quote(p("hey")), p("there")], "> hey\n\nthere", "<blockquote>hey</blockquote><p>there</p>"],
  ["quote of two paragraphs", [quote(p("a"), p("b"))], "> a\n>\n> b", "<blockquote><p>a</p><p>b</p></blockquote>"],
  ["nested quotes (mad)", [quote(quote(p("hey")), p("you")), p("there")], "> > hey\n>\n> you\n\nthere", "<blockquote><blockquote>hey</blockquote><p>you</p></blockquote><p>there</p>"],
  ["quote with line breaks", [quote(p("one", br, "two"))], "> one\n> two", "<blockquote>one<br>two</blockquote>"],
  ["unordered list", [ul([p("test")], [p("ing")])], "- test\n- ing", "<ul><li>test</li><li>ing</li></ul>"],
  ["ordered list", [ol([p("test")], [p("test more")])], "1. test\n2. test more", "<ol><li>test</li><li>test more</li></ol>"],
  ["ordered list with a start (mad)", [olFrom(5, [p("test")], [p("test more")])], "5. test\n6. test more", '<ol start="5"><li>test</li><li>test more</li></ol>'],
  ["list after a paragraph", [p("my goals are"), ul([p("bridging")], [p("hosting")])], "my goals are\n\n- bridging\n- hosting", "<p>my goals are</p><ul><li>bridging</li><li>hosting</li></ul>"],
  ["nested list, tight (mad)", [ul([p("awesome")], [p("floofy"), ul([p("fur")], [p("tail")])])], "- awesome\n- floofy\n  - fur\n  - tail", "<ul><li>awesome</li><li>floofy<ul><li>fur</li><li>tail</li></ul></li></ul>"],
  ["ol nested in ol, indented to the text", [olFrom(9, [p("a")], [p("b"), ul([p("c")])])], "9. a\n10. b\n    - c", '<ol start="9"><li>a</li><li>b<ul><li>c</li></ul></li></ol>'],
  ["list item of two paragraphs", [ul([p("a"), p("b")])], "- a\n  b", "<ul><li><p>a</p><p>b</p></li></ul>"],
  ["empty list item", [ul([], [p("x")])], "-\n- x", "<ul><li></li><li>x</li></ul>"],
  ["code block in a list item", [ul([pre("npm test")])], "- ```\n  npm test\n  ```", "<ul><li><pre><code>npm test\n</code></pre></li></ul>"],
  ["list in a quote", [quote(ul([p("a")], [p("b")]))], "> - a\n> - b", "<blockquote><ul><li>a</li><li>b</li></ul></blockquote>"],
];

describe("renderMatrix", () => {
  it.each(cases)("%s", (_name, doc, body, formattedBody) => {
    const rendered = renderMatrix(doc);
    expect(rendered.body).toBe(body);
    expect(rendered.formatted_body).toBe(formattedBody);
  });

  it.each(cases)("renderPlainText is the body: %s", (_name, doc, body) => {
    expect(renderPlainText(doc)).toBe(body);
  });

  it("uses the uploaded mxc:// for a remote custom emoji", () => {
    const remote = "https://cdn.discordapp.com/emojis/230201364309868544.png";
    const rendered = renderMatrix([p(emoji("hippo", remote))], { emojiMxc: (url) => (url === remote ? HIPPO : undefined) });
    expect(rendered.formatted_body).toBe(HIPPO_IMG);
  });

  it.each([
    ["no mentions", [p("hi")], { user_ids: [] }],
    ["user mentions, each once, in order", [p(user("@b:x.org", "B"), " ", user("@a:x.org", "A"), " ", b(user("@b:x.org", "B again")))], { user_ids: ["@b:x.org", "@a:x.org"] }],
    ["mentions inside quotes and lists count", [quote(ul([p(user("@q:x.org", "Q"))]))], { user_ids: ["@q:x.org"] }],
    ["@room", [p("hey ", ping)], { user_ids: [], room: true }],
    ["room pills are not mentions", [p(room("#a:x.org", "#a"))], { user_ids: [] }],
  ] satisfies [string, Document, { user_ids: string[]; room?: boolean }][])("m.mentions: %s", (_name, doc, mentions) => {
    expect(renderMatrix(doc).mentions).toStrictEqual(mentions);
  });
});
