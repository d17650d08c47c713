/**
 * Rendering to mrkdwn and parsing it back must give the Document we started from, for
 * everything mrkdwn can express. (Headings, rules, underline and spoilers are drawn
 * with text, and a leaf with two styles comes back with bold outermost, so those are
 * left out.)
 */
import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { parseSlackMrkdwn } from "../../../src/connectors/slack/convert/mrkdwn-parse.js";
import { renderSlackMrkdwn } from "../../../src/connectors/slack/convert/mrkdwn-render.js";
import {
  ALICE,
  BOB,
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
  ping,
  pre,
  quote,
  renderCtx,
  room,
  s,
  ul,
} from "./format-fixtures.js";

const documents: [name: string, doc: Document][] = [
  ["styles side by side", [p(b("bold"), " ", i("italic"), " ", s("strike"), " ", code("code"))]],
  ["nested styles", [p(b("a ", i("b ", s("c")), " d"))]],
  ["styles inside words", [p("un", b("believ"), "able and ", i("x"), "y", s("z"))]],
  ["code and emoji inside words", [p("a", code("b"), "c so", emoji("partyparrot", PARROT_URL), "cool")]],
  ["styles after brackets and quotes", [p("(", b("a"), ") \"", i("b"), "\" [", s("c"), "]")]],
  ["styled text ending in a bracket", [p(b("f(x)"), " ", i("[y]"))]],
  ["markup typed as text", [p("*not bold* _not italic_ ~not struck~ `not code`")]],
  ["stars inside bold", [p(b("x*"), " ", b("*x"), " ", b("a*b"))]],
  ["doubled markers typed as text", [p("**a** ~~b~~ __c__ *", b("*d*"), " ", s("~~e"), " ", i("f__"))]],
  ["styles closing before punctuation", [p(b("a"), "# ", i("b"), "[ ", s("c"), "=")]],
  ["lookalikes", [p("snake_case 2*3*4 ¯\\_(ツ)_/¯ 1 < 2 & 3 ~/.config a * b")]],
  ["block markers typed as text", [p("> not a quote", br, "- not a list", br, "• no", br, "1. nope", br, "```")]],
  ["a dash before bold", [p("- ", b("x")), p("> ", i("y"))]],
  ["emoji before markers", [p("👍", b("x"), "👍")]],
  ["backticks in code", [p(code("a` b"), " ", code("``x``"), " ", code("`"))]],
  ["links", [p(link("https://matrix.org", "Matrix"), " and ", link("https://example.com/?a=1&b=2", "https://example.com/?a=1&b=2"))]],
  ["a link with markup in its label", [p(link("https://x.org", "*star* _under_"))]],
  ["a styled link", [p(b(link("https://x.org", "x")), " ", i(link("mailto:a@example.org", "a@example.org")))]],
  ["mentions", [p("cc ", mention(ALICE, "Alice"), " ", mention(BOB, "Bob Smith"), " in ", room(GENERAL_ROOM, "#general"))]],
  ["a ping and emoji", [p(ping, " ", emoji("partyparrot", PARROT_URL), " 👍🏽 ❤️")]],
  ["line breaks", [p("line 1", br, b("line 2"), br, "line 3")]],
  ["paragraphs", [p("one"), p("two"), p("three")]],
  ["code blocks", [pre("let x = 1;\nif (a < b && c > d) {}\n"), pre("```nested```"), pre("*a* <b>")]],
  ["code block after text", [p("look:"), pre("x"), p("done")]],
  ["quotes", [quote(p("a", br, "b"), p("c")), p("reply")]],
  ["a quote holding structure", [quote(p("says:"), ul(item("x"), item(b("y"))), pre("code"))]],
  ["lists", [ul(item("one"), item(b("two"))), ol(item("first"), item("second"))]],
  ["numbers from seven", [olFrom(7, item("seven"), item("eight"))]],
  ["nested lists", [ul([p("a"), ul([p("b"), ol(item("c"), item("d"))])], item("e"))]],
  ["list items over lines", [ul(item("a", br, "continued"), item("b"))]],
  ["list items that look like markup", [ul(item("> x"), item("- y"), item("*z*"))]],
  ["text, list, text", [p("Intro:"), ul(item("a")), p("Outro")]],
];

/** A fixed-seed generator, so the cases are the same on every run. */
function* pseudoRandom(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    yield state / 0x7fffffff;
  }
}

/** Lines of the characters mrkdwn cares about, to find gaps in the neutralising. */
function trickyLines(count: number): string[] {
  const alphabet = ["*", "_", "~", "`", "a", "b", " ", "(", ")", ">", "-", "•", "1", ".", "<", "&", "\\", "/", '"'];
  const random = pseudoRandom(20261122);
  const lines: string[] = [];
  while (lines.length < count) {
    const length = 1 + Math.floor(random.next().value! * 12);
    const line = Array.from({ length }, () => alphabet[Math.floor(random.next().value! * alphabet.length)]).join("");
    if (line.trim() !== "" && line.trim() === line) lines.push(line);
  }
  return lines;
}

/** Paragraphs mixing tricky text with styled runs and code, in the canonical shape the parser gives. */
function trickyParagraphs(count: number): Document[] {
  const random = pseudoRandom(42);
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random.next().value! * options.length)]!;
  const words = trickyLines(count * 4);
  const wrappers = [b, i, s, (text: string) => code(text)] as const;
  return Array.from({ length: count }, (_, index) => {
    const children = [];
    let previousWrapper: (typeof wrappers)[number] | undefined;
    for (let part = 0; part < 4; part++) {
      const word = words[index * 4 + part]!;
      if (part % 2 === 0) {
        children.push(word);
        continue;
      }
      const wrapper = pick(wrappers.filter((candidate) => candidate !== previousWrapper));
      children.push(wrapper(word));
      previousWrapper = wrapper;
    }
    return [p(...children)];
  });
}

describe("mrkdwn render then parse", () => {
  it.each(documents)("gives back %s", (_name, doc) => {
    expect(parseSlackMrkdwn(renderSlackMrkdwn(doc, renderCtx), parseCtx)).toEqual(doc);
  });

  it.each(trickyParagraphs(300).map((doc) => [JSON.stringify(doc), doc] as const))("gives back %s", (_json, doc) => {
    expect(parseSlackMrkdwn(renderSlackMrkdwn(doc, renderCtx), parseCtx)).toEqual(doc);
  });

  it.each(trickyLines(400))("keeps %j literal", (line) => {
    expect(parseSlackMrkdwn(renderSlackMrkdwn([p(line)], renderCtx), parseCtx)).toEqual([p(line)]);
  });
});
