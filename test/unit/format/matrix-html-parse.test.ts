import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { parseMatrixHtml } from "../../../src/core/format/matrix-html-parse.js";
import { renderPlainText } from "../../../src/core/format/plain-text.js";
import { b, br, code, emoji, h, hr, i, link, ol, olFrom, p, ping, pre, quote, room, s, spoiler, u, ul, user } from "./doc-builders.js";

const HIPPO = "mxc://cadence.moe/qWmbXeRspZRLPcjseyLmeyXC";

// Inputs marked (mad) come from matrix-appservice-discord's test_matrixmessageprocessor.ts,
// (ooye) from Out Of Your Element's event-to-message.test.js, (cinny) from what Cinny's
// composer writes; the expected documents are what Element would show the reader.
const cases: [string, string, Document][] = [
  // Text and entities
  ["plain text (mad)", "hello world!", [p("hello world!")]],
  ["empty input", "", []],
  ["entities are decoded (mad)", "foxes &amp; foxes", [p("foxes & foxes")]],
  ["escaped markup stays text (ooye)", "&lt;@114147806469554185&gt; what do you think?", [p("<@114147806469554185> what do you think?")]],
  ["named and numeric entities", "&quot;Timed out&quot; &#x1F98A;&#129418; caf&eacute;", [p('"Timed out" 🦊🦊 café')]],
  ["markdown characters are not interpreted (ooye)", "this **is** an \\*test\\*", [p("this **is** an \\*test\\*")]],
  ["non-breaking spaces are kept, not collapsed", "a&nbsp;&nbsp;b", [p("a\u00a0\u00a0b")]],
  ["zero-width characters are content", "a\u200bb <b>\u200b</b>", [p("a\u200bb ", b("\u200b"))]],
  ["a comment is not content", "a<!-- hidden -->b", [p("ab")]],
  ["uppercase tags", "<P>Up<BR>per</P>", [p("Up", br, "per")]],

  // Inline formatting
  ["italic as <em> and <i> (mad)", "this text is <em>italic</em> and so is <i>this one</i>", [p("this text is ", i("italic"), " and so is ", i("this one"))]],
  ["bold as <b> and <strong> (mad)", "wow some <b>bold</b> and <strong>more</strong> boldness!", [p("wow some ", b("bold"), " and ", b("more"), " boldness!")]],
  ["underline (mad)", "to be <u>underlined</u> or not to be?", [p("to be ", u("underlined"), " or not to be?")]],
  ["strike as <del> (mad)", "does <del>this text</del> exist?", [p("does ", s("this text"), " exist?")]],
  ["strike as <s> and <strike>", "<s>a</s> <strike>b</strike>", [p(s("a"), " ", s("b"))]],
  ["nested formatting (ooye)", "this <strong>is</strong> a <em><strong>test</strong> <u>of</u></em> <del><em>formatting</em></del>", [p("this ", b("is"), " a ", i(b("test"), " ", u("of")), " ", s(i("formatting")))]],
  ["inline code (mad)", "WOW this is <code>some awesome</code> code", [p("WOW this is ", code("some awesome"), " code")]],
  ["entities inside code are decoded (mad)", "<code>is &lt;em&gt;italic&lt;/em&gt;?</code>", [p(code("is <em>italic</em>?"))]],
  ["markup inside code is text (mad)", "<code>*yay*</code>", [p(code("*yay*"))]],
  ["backticks inside code (ooye)", "<code>backtick in ` the middle</code>, <code>backtick at the edge`</code>", [p(code("backtick in ` the middle"), ", ", code("backtick at the edge`"))]],
  ["spoilers (ooye)", 'this <strong>is</strong> a <span data-mx-spoiler><em>test</em></span> of <span data-mx-spoiler="">spoilers</span>', [p("this ", b("is"), " a ", spoiler(i("test")), " of ", spoiler("spoilers"))]],
  ["spoiler reason stays readable (ooye)", `<span data-mx-spoiler="cw crossword spoilers">zoe kills a 5 letter noun</span>`, [p("(cw crossword spoilers) ", spoiler("zoe kills a 5 letter noun"))]],
  ["colours keep their text (ooye)", `I'm <font color="#a901ff">@!!DLCS!!</font> and <span data-mx-color="#ffffff" data-mx-bg-color="#414eef">@Mage</span>`, [p("I'm @!!DLCS!! and @Mage")]],
  ["sup and sub keep their text", "E = mc<sup>2</sup>, H<sub>2</sub>O", [p("E = mc2, H2O")]],
  ["unknown tags keep their text", "<marquee>wee</marquee> <blink>!</blink> <custom-tag x=1>ok</custom-tag>", [p("wee ! ok")]],

  // Line breaks, paragraphs and whitespace
  ["<br> is a line break (mad)", "line<br>break", [p("line", br, "break")]],
  ["line break between formatting (mad)", "<em>test</em><br><strong>ing</strong>", [p(i("test"), br, b("ing"))]],
  ["self-closing breaks (cinny)", "first<br/>second<br />third<br/>", [p("first", br, "second", br, "third")]],
  ["<p> separates paragraphs, newlines between blocks are not content", "<p>one</p>\n<p>two</p>\n", [p("one"), p("two")]],
  ["<div>s separate like paragraphs", "<div>one</div><div>two</div>", [p("one"), p("two")]],
  [
    "newlines inside a paragraph are spaces, as Element shows them (ooye)",
    "<p>paragraph one<br>line <em>two</em><br><br>paragraph two\nline three\n\nparagraph three</p><p>paragraph four\nline two</p>paragraph five",
    [p("paragraph one", br, "line ", i("two"), br, br, "paragraph two line three paragraph three"), p("paragraph four line two"), p("paragraph five")],
  ],
  [
    "whitespace is collapsed (ooye)",
    "line one: test       test<br>line two: <strong>test</strong>       <strong>test</strong><br>line three: <strong>test       test</strong><br>line four: test<strong>       </strong>test<br>       line five",
    [p("line one: test test", br, "line two: ", b("test"), " ", b("test"), br, "line three: ", b("test test"), br, "line four: test test", br, "line five")],
  ],
  ["huge whitespace", "   \n\n\t  hello \n\n   world   \n" + " ".repeat(10_000), [p("hello world")]],
  ["only breaks and spaces", "<br><br> <br>\n", []],
  ["padding breaks around a quote (ooye)", "<blockquote>they did not shake hands<br><br><br></blockquote><br>🤨", [quote(p("they did not shake hands")), p("🤨")]],
  ["empty tags", "<b></b><i> </i><p></p><blockquote></blockquote><ul></ul><h1></h1>", []],
  ["a stray </p> opens an empty paragraph", "text</p>more", [p("text"), p("more")]],

  // Code blocks
  ["code block between paragraphs (mad)", "<p>here</p><pre><code>is\ncode\n</code></pre><p>yay</p>", [p("here"), pre("is\ncode"), p("yay")]],
  ["code block with a language (mad)", '<p>here</p>\n<pre><code class="language-js">is\ncode\n</code></pre>\n<p>yay</p>', [p("here"), pre("is\ncode", "js"), p("yay")]],
  ["entities in a code block are decoded (mad)", "<pre><code>wow &amp;</code></pre>", [pre("wow &")]],
  ["markup in a code block is text (mad)", "<pre><code>*yay*</code></pre>", [pre("*yay*")]],
  ["code block whitespace is kept", "<pre><code>  a\n\n    b  \n</code></pre>", [pre("  a\n\n    b  ")]],
  ["language among other classes (ooye)", '<pre><code class="rs language-rs">fn main() -&gt; Result&lt;String&gt; {}\n</code></pre>', [pre("fn main() -> Result<String> {}", "rs")]],
  ["<pre> without <code>, its first newline ignored as HTML does", "<pre>\nplain\n  pre</pre>", [pre("plain\n  pre")]],
  ["code block inside inline text (ooye)", 'So if you run<pre><code class="language-java">System.out.println("```");</code></pre>it prints', [p("So if you run"), pre('System.out.println("```");', "java"), p("it prints")]],

  // Headings, rules, quotes
  ["headings (mad)", "<h1>fox</h1>\n<h2>floof</h2>\n<h3>pony</h3>\n<h4>hooves</h4>\n<h5>tail</h5>\n<h6>foxies</h6>", [h(1, "fox"), h(2, "floof"), h(3, "pony"), h(4, "hooves"), h(5, "tail"), h(6, "foxies")]],
  ["heading with formatting", "<h2>Title <em>here</em></h2>", [h(2, "Title ", i("here"))]],
  ["whitespace in a heading is collapsed", "<h1>\n  Title   <em> here </em>\n</h1>", [h(1, "Title ", i("here"))]],
  ["<hr> between text (mad)", "test<hr>foxes", [p("test"), hr, p("foxes")]],
  ["single blockquote (mad)", "<blockquote>hey</blockquote>there", [quote(p("hey")), p("there")]],
  ["double blockquote (mad)", "<blockquote><blockquote>hey</blockquote>you</blockquote>there", [quote(quote(p("hey")), p("you")), p("there")]],
  ["blockquote with paragraphs (mad)", "<blockquote>\n<blockquote>\n<p>spoky</p>\n</blockquote>\n<p>testing</p>\n</blockquote>\n<p>test</p>\n", [quote(quote(p("spoky")), p("testing")), p("test")]],
  ["quote lines (cinny)", "<blockquote>line one<br/>line two<br/></blockquote>after", [quote(p("line one", br, "line two")), p("after")]],

  // Lists
  ["unordered list between paragraphs (mad)", "<p>soru</p>\n<ul>\n<li>test</li>\n<li>ing</li>\n</ul>\n<p>more</p>\n", [p("soru"), ul([p("test")], [p("ing")]), p("more")]],
  ["nested unordered list (mad)", "<ul>\n<li>awesome</li>\n<li>floofy\n<ul>\n<li>fur</li>\n<li>tail</li>\n</ul>\n</li>\n<li>cute</li>\n</ul>", [ul([p("awesome")], [p("floofy"), ul([p("fur")], [p("tail")])], [p("cute")])]],
  ["ordered list (mad)", "<ol>\n<li>test</li>\n<li>test more</li>\n</ol>", [ol([p("test")], [p("test more")])]],
  ["ordered list with a start (mad)", '<ol start="5">\n<li>test</li>\n<li>test more</li>\n</ol>', [olFrom(5, [p("test")], [p("test more")])]],
  ["ul in ol (mad)", "<ol>\n<li>test</li>\n<li>test more\n<ul>\n<li>asdf</li>\n<li>jklö</li>\n</ul>\n</li>\n</ol>", [ol([p("test")], [p("test more"), ul([p("asdf")], [p("jklö")])])]],
  ["nested ol with a start (ooye)", '<ol>\n<li>goals\n<ol start="2">\n<li>maybe servers</li>\n</ol>\n</li>\n<li>public</li>\n</ol>\n', [ol([p("goals"), olFrom(2, [p("maybe servers")])], [p("public")])]],
  ["list items in <p> (cinny)", "<ul><li><p>a</p></li><li><p>b</p></li></ul>", [ul([p("a")], [p("b")])]],
  ["start of 1 is the default; junk starts are ignored", '<ol start="1"><li>a</li></ol><ol start="x"><li>b</li></ol><ol start="0"><li>c</li></ol>', [ol([p("a")]), ol([p("b")]), olFrom(0, [p("c")])]],
  ["unclosed list items", "<ul><li>one<li>two", [ul([p("one")], [p("two")])]],
  ["deeply nested lists", "<ul><li>1<ul><li>2<ul><li>3<ul><li>4<ul><li>5</li></ul></li></ul></li></ul></li></ul></li></ul>", [ul([p("1"), ul([p("2"), ul([p("3"), ul([p("4"), ul([p("5")])])])])])]],
  ["an empty list item still shows a bullet", "<ul><li></li><li>x</li></ul>", [ul([], [p("x")])]],
  ["stray content in a list is an item", "<ul><li>a</li>loose<li>b</li></ul>", [ul([p("a")], [p("loose")], [p("b")])]],
  ["an <li> outside a list is a paragraph", "<li>orphan</li>next", [p("orphan"), p("next")]],

  // Links and pills
  ["link (mad)", '<a href="http://example.com">link</a>', [p(link("http://example.com", "link"))]],
  ["link with formatting inside (mad)", '<a href="http://example.com"><em>yay?</em></a>', [p(link("http://example.com", i("yay?")))]],
  ["anchor without href keeps its content (mad)", "<a><em>yay?</em></a>", [p(i("yay?"))]],
  ["mailto link", '<a href="mailto:fox@example.org">fox@example.org</a>', [p(link("mailto:fox@example.org", "fox@example.org"))]],
  ["href percent-encoded whole (cinny)", '<a href="https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc">example</a>', [p(link("https://example.com/a?b=c", "example"))]],
  ["user pill (mad)", '<a href="https://matrix.to/#/@_discord_12345:localhost">TestUsername</a>', [p(user("@_discord_12345:localhost", "TestUsername"))]],
  ["percent-encoded user pill (ooye)", '<a href="https://matrix.to/#/%40_ooye_bojack_horseman%3Acadence.moe">Crunch God</a> a sample message', [p(user("@_ooye_bojack_horseman:cadence.moe", "Crunch God"), " a sample message")]],
  ["pill label disambiguated by Element (ooye)", '<a href="https://matrix.to/#/@unascribed:sleeping.town">unascribed @unascribed:sleeping.town</a>: hi', [p(user("@unascribed:sleeping.town", "unascribed @unascribed:sleeping.town"), ": hi")]],
  ["pill to a server with port and IPv6 address", '<a href="https://matrix.to/#/@me:[::1]:8448">me</a> <a href="https://matrix.to/#/@you:example.org:8448">you</a>', [p(user("@me:[::1]:8448", "me"), " ", user("@you:example.org:8448", "you"))]],
  ["pill with an empty label is labelled with the id", '<a href="https://matrix.to/#/@alice:example.org"></a>', [p(user("@alice:example.org", "@alice:example.org"))]],
  ["room alias pill (mad)", '<a href="https://matrix.to/#/#_discord_1234_12345:localhost">#SomeChannel</a>', [p(room("#_discord_1234_12345:localhost", "#SomeChannel"))]],
  ["room id pill with via (ooye)", `I'm just <a href="https://matrix.to/#/!BnKuBPCvyfOkhcUjEu:cadence.moe?via=cadence.moe">worm-farm</a> testing`, [p("I'm just ", room("!BnKuBPCvyfOkhcUjEu:cadence.moe", "worm-farm"), " testing")]],
  ["percent-encoded alias pill (ooye)", '<a href="https://matrix.to/#/%23worm-farm%3Acadence.moe?via=cadence.moe">worm-farm</a>', [p(room("#worm-farm:cadence.moe", "worm-farm"))]],
  ["room version 12 id without a server name", '<a href="https://matrix.to/#/!Xq3620DUiqCaoxq-5r1pXh7PBrXUfkmRs0WUi1nnoYQ">space</a>', [p(room("!Xq3620DUiqCaoxq-5r1pXh7PBrXUfkmRs0WUi1nnoYQ", "space"))]],
  ["matrix: URI pill", '<a href="matrix:u/alice:example.org?action=chat">Alice</a> in <a href="matrix:r/room:example.org">#room</a>', [p(user("@alice:example.org", "Alice"), " in ", room("#room:example.org", "#room"))]],
  ["event permalink stays a link (ooye)", '<a href="https://matrix.to/#/!CzvdIdUQXgUjDVKxeU:cadence.moe/$zXSlyI78DQqQwwfPUSzZ1b-nXzbUrCDljJgnGDdoI10?via=cadence.moe">amanda-spam</a>', [p(link("https://matrix.to/#/!CzvdIdUQXgUjDVKxeU:cadence.moe/$zXSlyI78DQqQwwfPUSzZ1b-nXzbUrCDljJgnGDdoI10?via=cadence.moe", "amanda-spam"))]],
  ["matrix.to link to no valid id is an ordinary link", '<a href="https://matrix.to/#/@nocolon">x</a>', [p(link("https://matrix.to/#/@nocolon", "x"))]],
  ["pill inside bold", '<strong><a href="https://matrix.to/#/@rnl:cadence.moe">▲</a></strong>', [p(b(user("@rnl:cadence.moe", "▲")))]],

  // Images and emoji
  ["custom emoji (ooye)", `<img data-mx-emoticon height="32" src="${HIPPO}" title=":hippo:" alt=":hippo:">`, [p(emoji("hippo", HIPPO))]],
  ["custom emoji mid-text (ooye)", 'a <img data-mx-emoticon height="32" src="mxc://cadence.moe/RLMgJGfgTPjIQtvvWZsYjhjy" title=":ms_robot_grin:" alt=":ms_robot_grin:"> b', [p("a ", emoji("ms_robot_grin", "mxc://cadence.moe/RLMgJGfgTPjIQtvvWZsYjhjy"), " b")]],
  ["custom emoji shortcode without colons (cinny)", '<img data-mx-emoticon src="mxc://x.org/blob" alt="blobcat" title="blobcat" height="32" />', [p(emoji("blobcat", "mxc://x.org/blob"))]],
  ["other image becomes a link labelled with its alt (mad)", '<img alt="yay" src="mxc://unreal_emote:localhost">', [p(link("mxc://unreal_emote:localhost", "yay"))]],
  ["image without a source is its alt text", '<img alt="a cat">', [p("a cat")]],
  ["image from outside the media repository is its alt text", '<img src="https://example.org/cat.png" title="cat">', [p("cat")]],
  ["image with nothing is nothing (mad)", "<img>", []],

  // Replies and hostile input
  ["reply fallback is dropped (mad)", "<mx-reply><blockquote>message</blockquote></mx-reply>test reply", [p("test reply")]],
  [
    "rich reply fallback with lists inside is dropped (ooye)",
    '<mx-reply><blockquote><a href="https://matrix.to/#/!T:cadence.moe/$A0R?via=matrix.org">In reply to</a> <a href="https://matrix.to/#/@solonovamax:matrix.org">@solonovamax:matrix.org</a><br /><p>steps:</p>\n<ol>\n<li>send</li>\n</ol>\n</blockquote></mx-reply>I just checked in a fix on <code>main</code>',
    [p("I just checked in a fix on ", code("main"))],
  ],
  ["script and style are dropped", "<script>alert(1)</script>hello<style>p{}</style>", [p("hello")]],
  ["javascript: link keeps only its text", '<a href="javascript:alert(1)">click</a>', [p("click")]],
  ["javascript: hidden behind a tab entity", '<a href="jav&#x09;ascript:alert(1)">x</a> <a href=" JAVASCRIPT:alert(1)">y</a>', [p("x y")]],
  ["data: and relative links keep only their text", '<a href="data:text/html,hi">a</a> <a href="/relative">b</a>', [p("a b")]],
  ["emoji with a javascript: source is its shortcode", '<img data-mx-emoticon src="javascript:alert(1)" alt=":x:">', [p(":x:")]],
  ["textarea and noscript content is dropped", "<textarea>secret</textarea><noscript>nope</noscript>ok", [p("ok")]],
  ["unclosed tags close at the end", "<b>bold <i>both", [p(b("bold ", i("both")))]],
  ["a link opened inside a link ends it, as in browsers", '<a href="https://a.example"><a href="https://b.example">inner</a></a>', [p(link("https://b.example", "inner"))]],
  ["a link nested deeper inside a link is its text", '<a href="https://a.example">x <b><a href="https://b.example">y</a></b> z</a>', [p(link("https://a.example", "x ", b("y"), " z"))]],
  ["blocks inside bold join its run on lines of their own", "<strong><p>a</p>\n<p>b</p></strong>", [p(b("a", br, "b"))]],
  ["blocks inside a colour span stay blocks", '<font color="red"><p>a</p><p>b</p></font>', [p("a"), p("b")]],

  // Other HTML
  ["details and summary", "<details><summary>Title</summary>hidden text</details>", [p("Title"), p("hidden text")]],
  [
    "table as readable lines",
    "<table><caption>People</caption><thead><tr><th>Name</th><th>Age</th></tr></thead><tbody><tr><td>Alice</td><td><b>30</b></td></tr></tbody></table>",
    [p("People", br, "Name | Age", br, "Alice | ", b("30"))],
  ],
];

describe("parseMatrixHtml", () => {
  it.each(cases)("%s", (_name, html, expected) => {
    expect(parseMatrixHtml(html)).toStrictEqual(expected);
  });

  it.each([
    ["plain @room", "hey @room", [p("hey ", ping)]],
    ["@room with punctuation, in any case", "<b>@ROOM!</b>", [p(b(ping, "!"))]],
    ["@room inside a word is text", "email@room @roomy", [p("email@room @roomy")]],
    ["@room inside code or a link is text", '<code>@room</code> <a href="https://x.org">@room</a>', [p(code("@room"), " ", link("https://x.org", "@room"))]],
    ["@room inside a written-out URL is part of it (ooye)", "https://github.com/@room/repositories @room", [p("https://github.com/@room/repositories ", ping)]],
  ] satisfies [string, string, Document][])("when the sender may ping the room: %s", (_name, html, expected) => {
    expect(parseMatrixHtml(html, { senderMayPingRoom: true })).toStrictEqual(expected);
  });

  it("leaves @room as text when the sender may not ping the room", () => {
    expect(parseMatrixHtml("hey @room")).toStrictEqual([p("hey @room")]);
  });

  it("survives nesting far deeper than any real message, keeping the text", () => {
    const depth = 20_000;
    const html = "<b><i>".repeat(depth) + "deep" + "</i></b>".repeat(depth) + "<ul><li>".repeat(depth) + "list";
    expect(renderPlainText(parseMatrixHtml(html))).toMatch(/deep[\s\S]*list$/);
  });
});
