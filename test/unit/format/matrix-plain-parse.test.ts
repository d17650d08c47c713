import { describe, expect, it } from "vitest";
import type { Document } from "../../../src/core/format/ast.js";
import { parsePlainBody, stripReplyFallback } from "../../../src/core/format/matrix-plain-parse.js";
import { br, p, ping } from "./doc-builders.js";

describe("parsePlainBody", () => {
  it.each([
    ["plain text (ooye)", "testing plaintext", [p("testing plaintext")]],
    ["markup is not interpreted (ooye)", "testing **special** ~~things~~ _should_ *not* `trigger` <effects> &amp;", [p("testing **special** ~~things~~ _should_ *not* `trigger` <effects> &amp;")]],
    ["newlines are line breaks (ooye)", "meanwhile java edition:\nhttps://youtu.be/g_ORb7bN3CM", [p("meanwhile java edition:", br, "https://youtu.be/g_ORb7bN3CM")]],
    ["blank lines are kept", "para\n\npara", [p("para", br, br, "para")]],
    ["CRLF and CR are newlines", "a\r\nb\rc", [p("a", br, "b", br, "c")]],
    ["spaces are kept", "  indented  text ", [p("  indented  text ")]],
    ["a lone newline", "\n", [p(br)]],
    ["empty body", "", []],
    ["@room stays text without permission", "hey @room", [p("hey @room")]],
  ] satisfies [string, string, Document][])("%s", (_name, body, expected) => {
    expect(parsePlainBody(body)).toStrictEqual(expected);
  });

  it.each([
    ["@room", "hey @room", [p("hey ", ping)]],
    ["several, in any case, next to punctuation", "@room\n(@Room): x", [p(ping, br, "(", ping, "): x")]],
    ["not inside a word", "email@room @roomy", [p("email@room @roomy")]],
    ["not inside a URL", "see https://github.com/@room/x and @room", [p("see https://github.com/@room/x and ", ping)]],
  ] satisfies [string, string, Document][])("when the sender may ping the room: %s", (_name, body, expected) => {
    expect(parsePlainBody(body, { senderMayPingRoom: true })).toStrictEqual(expected);
  });
});

describe("stripReplyFallback", () => {
  it.each([
    ["reply (ooye)", "> <@cadence:cadence.moe> I just checked in a fix\n\nwill try later (tomorrow if I don't forgor)", "will try later (tomorrow if I don't forgor)"],
    [
      "reply to a multi-line message (ooye)",
      "> <@_ooye_kyuugryphon:cadence.moe>\n> > She *sells* *sea*shells by the *sea*shore.\n> But who *sees* the *sea*shells?\n\nWhat a tongue-bender...",
      "What a tongue-bender...",
    ],
    ["reply to a deleted event (ooye)", "> <@ampflower:matrix.org> \n\nHuh it did the same thing here too", "Huh it did the same thing here too"],
    ["reply that starts with a quote of its own (ooye)", "> <@aflower:syndicated.gay> i have a feeling\n\n>To strip the fallback", ">To strip the fallback"],
    ["reply to an emote", "> * <@alice:example.org> waves\n\nhello", "hello"],
    ["quoted blank lines written as '>'", "> <@a:b.c> line\n>\n> more\n\nanswer", "answer"],
    ["multi-line answer keeps its lines", "> <@a:b.c> q\n\nline one\n\nline two", "line one\n\nline two"],
    ["CRLF", "> <@a:b.c> hi\r\n\r\nanswer", "answer"],
    ["no blank line after the fallback", "> <@a:b.c> hi\nanswer", "answer"],
    ["nothing but the fallback", "> <@a:b.c> only", ""],
    ["a message that starts with a quote is not a reply", "> just a quote\n\nmy answer", "> just a quote\n\nmy answer"],
    ["a quote of markup is not a reply header", "> <b>not a header</b>\n\nx", "> <b>not a header</b>\n\nx"],
    ["plain text", "no reply here", "no reply here"],
  ])("%s", (_name, body, expected) => {
    expect(stripReplyFallback(body)).toBe(expected);
  });
});
