import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { documentFromPlainText, isEmptyDocument, isUnformattedDocument } from "../../../src/core/format/document.js";
import { b, br, code, emoji, h, hr, link, p, ping, pre, quote, ul, user } from "./doc-builders.js";

describe("documentFromPlainText", () => {
  it.each([
    ["", []],
    ["one line", [p("one line")]],
    ["two\nlines", [p("two", br, "lines")]],
    ["*stays* <literal>", [p("*stays* <literal>")]],
  ] satisfies [string, Document][])("%j", (text, expected) => {
    expect(documentFromPlainText(text)).toStrictEqual(expected);
  });
});

describe("isEmptyDocument", () => {
  it.each([
    ["no blocks", [], true],
    ["whitespace and breaks", [p(" ", br, "\t")], true],
    ["formatting around nothing", [quote(p(b(" ")))], true],
    ["empty list item and empty code block", [ul([]), pre("  ")], true],
    ["text", [p("x")], false],
    ["text deep in a list in a quote", [quote(ul([p(b("x"))]))], false],
    ["a rule", [hr], false],
    ["code", [pre("x")], false],
    ["inline code", [p(code("x"))], false],
    ["an emoji", [p(emoji("e", "mxc://x/e"))], false],
    ["a mention", [p(user("@a:x.org", "A"))], false],
    ["@room", [p(ping)], false],
    ["a link without a label", [p(link("https://x.org"))], true],
  ] satisfies [string, Document, boolean][])("%s", (_name, doc, expected) => {
    expect(isEmptyDocument(doc)).toBe(expected);
  });
});

describe("isUnformattedDocument", () => {
  it.each([
    ["no blocks", [], true],
    ["paragraphs of text, breaks and @room", [p("a", br, ping), p("b")], true],
    ["bold", [p(b("a"))], false],
    ["a heading", [h(1, "a")], false],
    ["a mention", [p(user("@a:x.org", "A"))], false],
    ["a quote", [quote(p("a"))], false],
  ] satisfies [string, Document, boolean][])("%s", (_name, doc, expected) => {
    expect(isUnformattedDocument(doc)).toBe(expected);
  });
});
