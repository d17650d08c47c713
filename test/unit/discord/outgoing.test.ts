import { describe, expect, it } from "vitest";
import type { Block, Document, Inline } from "../../../src/core/format/ast.js";
import { discordRenderContext } from "../../../src/connectors/discord/convert/context.js";
import { composeMessage, existingReplyLine, replyLine, type ComposeInput } from "../../../src/connectors/discord/outgoing.js";
import { formatByteSize } from "../../../src/core/format/byte-size.js";

const t = (text: string): Inline => ({ type: "text", text });
const p = (...children: Inline[]): Block => ({ type: "paragraph", children });
const bold = (...children: Inline[]): Inline => ({ type: "bold", children });
const mention = (userId: string, label: string): Inline => ({ type: "user_mention", userId, label });
const ping: Inline = { type: "room_ping" };

const BOB_GHOST = "@discord_111:localhost";
const ctx = (mayPingEveryone = false) =>
  discordRenderContext({ users: { [BOB_GHOST]: "111" }, mayPingEveryone });

interface Row {
  name: string;
  input: Partial<ComposeInput> & { text: Document };
  mayPing?: boolean;
  pieces: string[];
  users?: string[];
  everyone?: boolean;
  flags?: number;
}

const JUMP = "https://discord.com/channels/1/2/3";

const rows: Row[] = [
  { name: "plain text", input: { text: [p(t("hello"))] }, pieces: ["hello"] },
  { name: "formatting", input: { text: [p(t("a "), bold(t("b")))] }, pieces: ["a **b**"] },
  { name: "markdown typed in Matrix stays literal", input: { text: [p(t("**not bold** and <@222>"))] }, pieces: ["\\*\\*not bold\\*\\* and \\<@222>"] },
  { name: "a ghost's mention pings its Discord user", input: { text: [p(mention(BOB_GHOST, "Bob"), t(": hi"))] }, pieces: ["<@111>: hi"], users: ["111"] },
  { name: "a Matrix user's mention is their name", input: { text: [p(mention("@carol:localhost", "Carol"), t(" hi"))] }, pieces: ["Carol hi"] },
  { name: "@room without the power is harmless", input: { text: [p(ping, t(" look"))] }, pieces: ["@room look"] },
  { name: "@room with the power pings everyone", input: { text: [p(ping, t(" look"))] }, mayPing: true, pieces: ["@everyone look"], everyone: true },
  { name: "typed @everyone never pings", input: { text: [p(t("@everyone look"))] }, mayPing: true, pieces: ["@\u200beveryone look"] },
  { name: "an emote in /me form", input: { style: "emote", text: [p(t("waves"))] }, pieces: ["_waves_"] },
  { name: "a notice is silent", input: { style: "notice", text: [p(t("build passed"))] }, pieces: ["build passed"], flags: 4096 },
  {
    name: "a reply starts with a compact line that pings the author",
    input: { text: [p(t("me too"))], replyLine: replyLine({ authorDiscordId: "111", authorName: "Bob", excerpt: "I like **tea**", jumpUrl: JUMP }), replyAuthorId: "111" },
    pieces: [`-# ↪ <@111>: [I like \\*\\*tea\\*\\*](${JUMP})\nme too`],
    users: ["111"],
  },
  {
    name: "a reply to a Matrix user shows their name in bold",
    input: { text: [p(t("ok"))], replyLine: replyLine({ authorName: "Carol_*", excerpt: "", jumpUrl: JUMP }) },
    pieces: [`-# ↪ **Carol\\_\\***: [↗](${JUMP})\nok`],
  },
  {
    name: "a file too large becomes a link with its size",
    input: { text: [], linkedFile: { filename: "big video.mp4", size: 25 * 1024 * 1024, url: "https://parley.example/media/x/big%20video.mp4" } },
    pieces: ["📎 [big video.mp4](https://parley.example/media/x/big%20video.mp4) (25.0 MiB, too large to upload to Discord)"],
  },
  { name: "an empty caption is no message", input: { text: [] }, pieces: [] },
];

describe("composing Discord messages", () => {
  it.each(rows)("$name", (row) => {
    const composed = composeMessage({ style: "text", ...row.input }, ctx(row.mayPing));
    expect(composed.pieces).toEqual(row.pieces);
    expect(composed.allowedMentions).toEqual({
      parse: row.everyone ? ["everyone"] : [],
      users: row.users ?? [],
      roles: [],
      replied_user: false,
    });
    expect(composed.flags).toBe(row.flags ?? 0);
  });

  it("splits a long message into pieces Discord accepts, every one of them sent", () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => p(t(`Paragraph ${i}: ${"lorem ipsum ".repeat(10)}`)));
    const composed = composeMessage({ style: "text", text: paragraphs }, ctx());
    expect(composed.pieces.length).toBeGreaterThan(1);
    for (const piece of composed.pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(composed.pieces.join("\n\n")).toContain("Paragraph 0:");
    expect(composed.pieces.at(-1)).toContain("Paragraph 29:");
  });

  it("recognises the reply line of a posted message, and nothing a person typed", () => {
    const line = replyLine({ authorName: "Bob", excerpt: "hi", jumpUrl: JUMP });
    expect(existingReplyLine(`${line}\nthe text`)).toBe(line);
    const typed = composeMessage({ style: "text", text: [p(t("-# ↪ fake"))] }, ctx()).pieces[0] ?? "";
    expect(existingReplyLine(typed)).toBeUndefined();
  });

  it.each([[0, "0 B"], [512, "512 B"], [1023, "1023 B"], [2048, "2.0 KiB"], [1536, "1.5 KiB"], [10 * 1024 * 1024 + 1, "10.0 MiB"], [3 * 1024 ** 3, "3.0 GiB"]])("writes %d bytes as %s", (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });
});
