/**
 * Properties that tie the parser and the renderers together: a document survives being
 * written as Matrix HTML and read back, a plain body survives being read and written,
 * and reading our own HTML again changes nothing. Random cases come from a seeded
 * generator, so a failure names a seed that reproduces it.
 */
import { describe, expect, it } from "vitest";
import type { Block, Document, Inline } from "../../../src/core/format/ast.js";
import { parseMatrixHtml } from "../../../src/core/format/matrix-html-parse.js";
import { renderMatrixHtml } from "../../../src/core/format/matrix-html-render.js";
import { parsePlainBody } from "../../../src/core/format/matrix-plain-parse.js";
import { renderPlainText } from "../../../src/core/format/plain-text.js";
import { b, br, code, emoji, h, hr, i, link, ol, olFrom, p, ping, pre, quote, room, s, spoiler, u, ul, user } from "./doc-builders.js";

const SEEDS = Array.from({ length: 300 }, (_, index) => index + 1);

/** mulberry32: a tiny, well-distributed seeded generator. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(choices: readonly T[]): T => choices[int(choices.length)] as T;
  const times = <T>(min: number, max: number, make: () => T): T[] => Array.from({ length: min + int(max - min + 1) }, make);
  return { int, pick, times, chance: (probability: number) => next() < probability };
}
type Random = ReturnType<typeof randomSource>;

const WORDS = ["fox", "floof", "a&b", "<tag>", '"quoted"', "it's", "🦊", "zero\u200bwidth", "nb\u00a0sp", "x>y", "*not*", "@roomy", "email@room"];

/**
 * Documents as a reader would see them, which is what the parser produces: no whitespace
 * at line edges or doubled, no empty formatting, neighbouring text merged.
 */
function randomDocument(random: Random): Document {
  const inlineRun = (depth: number, inLink: boolean, lineBreaks: boolean): Inline[] => {
    const atoms = random.times(1, 3, () => inlineAtom(depth, inLink));
    const run: Inline[] = [];
    atoms.forEach((atom, index) => {
      if (index > 0) run.push(lineBreaks && random.chance(0.2) ? br : { type: "text", text: " " });
      run.push(atom);
    });
    return mergeText(run);
  };
  const inlineAtom = (depth: number, inLink: boolean): Inline => {
    const nest = () => inlineRun(depth + 1, inLink, false);
    const kinds = [
      () => ({ type: "text", text: random.times(1, 3, () => random.pick(WORDS)).join(" ") }) as Inline,
      () => code(random.pick(["x", "a < b", "  spaced  ", "`", "fn() && y"])),
      () => emoji(random.pick(["hippo", "blob_cat", "a-b"]), `mxc://example.org/${random.int(100)}`),
      ...(depth < 2 ? [() => random.pick([b, i, u, s, spoiler])(...nest())] : []),
      ...(inLink
        ? []
        : [
            () => user(random.pick(["@alice:example.org", "@a/b:x.org", "@me:[::1]:8448"]), random.pick(["Alice", "<Ann & co>", "@alice:example.org"])),
            () => room(random.pick(["#room:example.org", "!abc:example.org", "!Xq3620DUiqCaoxq-5r1pXh7PBrXUfkmRs0WUi1nnoYQ"]), random.pick(["#room", "a room"])),
            () => ping,
            ...(depth < 2 ? [() => link(random.pick(["https://example.org/", 'https://x.org/?a=1&b="2"', "mailto:fox@example.org"]), ...inlineRun(depth + 1, true, false))] : []),
          ]),
    ];
    return random.pick(kinds)();
  };
  const blocks = (depth: number): Block[] => random.times(1, 3, () => block(depth));
  const block = (depth: number): Block => {
    const kinds = [
      () => p(...inlineRun(0, false, true)),
      () => h(random.pick([1, 2, 3, 4, 5, 6] as const), ...inlineRun(0, false, false)),
      () => pre(random.pick(["x", "  indented\n\tline", "a < b && c", "", "trailing\n", "\nleading", "multi\n\nblank"]), random.pick([undefined, "js", "c++"])),
      () => hr,
      ...(depth < 3
        ? [
            () => quote(...blocks(depth + 1)),
            () => {
              const items = random.times(1, 3, () => random.times(0, 2, () => block(depth + 1)));
              if (!random.chance(0.5)) return ul(...items);
              const start = random.pick([undefined, 0, 5, -3, 100]);
              return start === undefined ? ol(...items) : olFrom(start, ...items);
            },
          ]
        : []),
    ];
    return random.pick(kinds)();
  };
  return blocks(0);
}

function mergeText(inlines: Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const inline of inlines) {
    const previous = merged.at(-1);
    if (inline.type === "text" && previous?.type === "text") merged[merged.length - 1] = { type: "text", text: previous.text + inline.text };
    else merged.push(inline);
  }
  return merged;
}

const HAND_PICKED: [string, Document][] = [
  ["Element-style message", [h(2, "Release ", i("notes")), p("Fixed ", code("parse()"), " for ", user("@alice:example.org", "Alice")), ul([p("one")], [p("two"), ol([p("nested")])]), pre("npm test\n", "sh")]],
  ["quote of quotes", [quote(quote(p("deep")), p("shallow", br, "next line")), p("reply")]],
  ["everything inline", [p(b(i(u(s(spoiler("all")))), " ", link("https://x.org", code("c"), " ", emoji("e", "mxc://x/e"))), br, ping, " ", room("#r:x.org", "#r"))]],
  ["list items needing paragraphs", [ul([p("a"), p("b")], [], [h(1, "h"), p("after heading")], [p("text"), quote(p("quoted")), p("more")])]],
  ["markup-looking text", [p('<b>not bold</b> &amp; "quotes" <script>alert(1)</script>')]],
  ["ordered list starting at zero", [olFrom(0, [p("zero")], [p("one")])]],
  ["inline image", [p("look: ", link("mxc://example.org/cat", "a cat"))]],
];

describe("round trip through Matrix HTML", () => {
  it.each(HAND_PICKED)("%s", (_name, doc) => {
    expect(parseMatrixHtml(renderMatrixHtml(doc), { senderMayPingRoom: true })).toStrictEqual(doc);
  });

  it.each(SEEDS)("random document, seed %i", (seed) => {
    const doc = randomDocument(randomSource(seed));
    expect(parseMatrixHtml(renderMatrixHtml(doc), { senderMayPingRoom: true })).toStrictEqual(doc);
  });
});

describe("round trip of plain bodies", () => {
  const PIECES = ["a", "word", " ", "  ", "\n", "\n\n", "\t", "@room", "x@room", "*not bold*", "<b>", "&amp;", "> quote", "🦊"];

  it.each(SEEDS)("random body, seed %i", (seed) => {
    const random = randomSource(seed);
    const body = random.times(0, 12, () => random.pick(PIECES)).join("");
    expect(renderPlainText(parsePlainBody(body, { senderMayPingRoom: true }))).toBe(body);
    expect(renderPlainText(parsePlainBody(body))).toBe(body);
  });
});

describe("reading our own HTML again changes nothing", () => {
  const OPEN = ["<b>", "<i>", "<p>", "<div>", "<ul>", "<ol start=3>", "<li>", "<blockquote>", "<pre>", "<code>", "<h2>", "<table>", "<tr>", "<td>", "<font color=red>", "<mx-reply>", "<span data-mx-spoiler=why>", '<a href="https://x.org">', '<a href="https://matrix.to/#/@u:x.org">', '<a href="javascript:x">'];
  const CLOSE = ["</b>", "</i>", "</p>", "</div>", "</ul>", "</ol>", "</li>", "</blockquote>", "</pre>", "</code>", "</h2>", "</table>", "</tr>", "</td>", "</font>", "</mx-reply>", "</span>", "</a>"];
  const LEAVES = ["text", " ", "\n", "  spaced   out  ", "&amp;", "&nbsp;", "<br>", "<hr>", '<img data-mx-emoticon src="mxc://x/e" alt=":e:">', '<img src="mxc://x/i" alt="pic">', "@room", "\u200b"];

  it.each(SEEDS)("random tag soup, seed %i", (seed) => {
    const random = randomSource(seed);
    const html = random.times(0, 40, () => random.pick([OPEN, CLOSE, LEAVES, LEAVES])).map((choices) => random.pick(choices)).join("");
    const doc = parseMatrixHtml(html);
    expect(parseMatrixHtml(renderMatrixHtml(doc))).toStrictEqual(doc);
  });
});
