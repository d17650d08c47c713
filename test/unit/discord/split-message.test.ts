import { describe, expect, it } from "vitest";
import { splitDiscordMessage } from "../../../src/connectors/discord/convert/split-message.js";

const words = (word: string, count: number) => Array.from({ length: count }, () => word).join(" ");

describe("splitDiscordMessage", () => {
  it("leaves a message within the limit whole", () => {
    expect(splitDiscordMessage("a".repeat(2000))).toEqual(["a".repeat(2000)]);
  });

  it("cuts long prose at the last space that fits (OOYE's 19 words of 130 letters)", () => {
    const word = "a".repeat(130);
    expect(splitDiscordMessage(words(word, 19))).toEqual([words(word, 15), words(word, 4)]);
  });

  it("prefers a paragraph break, then a line break, to a space", () => {
    const first = `${"x".repeat(1200)}\n${"y".repeat(300)}`;
    const second = "z ".repeat(300).trim();
    expect(splitDiscordMessage(`${first}\n\n${second}`)).toEqual([first, second]);
    expect(splitDiscordMessage(`${"x".repeat(1500)}\n${"y ".repeat(300).trim()}`)).toEqual(["x".repeat(1500), "y ".repeat(300).trim()]);
  });

  it("takes a later space over a paragraph break that would leave the piece under half full", () => {
    const text = `short\n\n${words("word", 500)}`;
    const pieces = splitDiscordMessage(text);
    expect(pieces[0]!.length).toBeGreaterThan(1900);
    expect(pieces.join(" ")).toBe(text);
    expect(pieces.every((piece) => piece.length <= 2000)).toBe(true);
  });

  it("cuts text without spaces at the limit, never inside a surrogate pair", () => {
    const text = "a" + "😀".repeat(1500);
    const pieces = splitDiscordMessage(text);
    expect(pieces.map((piece) => piece.length)).toEqual([1999, 1002]);
    expect(pieces.join("")).toBe(text);
    expect(pieces.every((piece) => !/[\uD800-\uDBFF]$/.test(piece))).toBe(true);
  });

  it("closes and reopens a fenced code block it cuts, with its language, between lines", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${String(i).padStart(3, "0")} of code`);
    const text = "Here is the code:\n```ts\n" + lines.join("\n") + "\n```\nThat was it.";
    const pieces = splitDiscordMessage(text);
    expect(pieces.length).toBe(3); // about 5,150 characters
    expect(pieces.every((piece) => piece.length <= 2000)).toBe(true);
    expect(pieces[0]!.startsWith("Here is the code:\n```ts\nline 000 of code\n")).toBe(true);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith(" of code\n```")).toBe(true);
    for (const piece of pieces.slice(1)) expect(piece.startsWith("```ts\nline ")).toBe(true);
    expect(pieces.at(-1)!.endsWith("\n```\nThat was it.")).toBe(true);
    // Every line of code arrives once, whole, in order.
    const code = pieces.flatMap((piece) => piece.split("\n")).filter((line) => line.endsWith(" of code"));
    expect(code).toEqual(lines);
  });

  it("does not take escaped backticks for a fence", () => {
    const text = "\\`\\`\\` " + words("word", 500);
    const pieces = splitDiscordMessage(text);
    expect(pieces.every((piece) => !piece.includes("```"))).toBe(true);
    expect(pieces.join(" ")).toBe(text);
  });

  it("honours a smaller limit", () => {
    expect(splitDiscordMessage("one two three four", 9)).toEqual(["one two", "three", "four"]);
  });
});
