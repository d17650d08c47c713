/**
 * Discord message payloads -> what Matrix shows. The payloads have the shape and the fields
 * Discord sends in MESSAGE_CREATE (ids, CDN links with their signed query, attachment flags,
 * sticker items, rich embeds of bots), trimmed to one point each.
 */
import { describe, expect, it } from "vitest";
import type { RemoteContent } from "../../../src/core/events.js";
import type { Block, Inline } from "../../../src/core/format/ast.js";
import { discordParseContext, discordRenderContext } from "../../../src/connectors/discord/convert/context.js";
import { messageContent, type MessageFields } from "../../../src/connectors/discord/message-content.js";
import { composeMessage } from "../../../src/connectors/discord/outgoing.js";

const CDN = "https://cdn.discordapp.com";
const t = (text: string): Inline => ({ type: "text", text });
const p = (...children: Inline[]): Block => ({ type: "paragraph", children });
const bold = (...children: Inline[]): Inline => ({ type: "bold", children });
const italic = (...children: Inline[]): Inline => ({ type: "italic", children });
const link = (href: string, label: string): Inline => ({ type: "link", href, children: [t(label)] });
const quote = (...children: Block[]): Block => ({ type: "quote", children });

const ctx = discordParseContext({
  users: { "113340068197859328": { matrixUserId: "@discord_113340068197859328:localhost", displayName: "Cadence" } },
  emojiImageUrl: (emoji) => `${CDN}/emojis/${emoji.id}.${emoji.animated ? "gif" : "png"}`,
});

/** A MESSAGE_CREATE's fields as Discord sends them (JSON, so enums are plain numbers and strings). */
function payload(fields: Record<string, unknown>): MessageFields {
  return { content: "", attachments: [], embeds: [], flags: 0, ...fields } as unknown as MessageFields;
}

const signed = (path: string) => `${CDN}/attachments/1100319549670301727/${path}?ex=651a7e2c&is=65192cac&hm=3c8e1b1d9ff5a1e66e6ed5b11d0c7dc0b2bb2cfd4e7fd6c3fa6d8c4b6ac7d0ea&`;

interface Row {
  name: string;
  message: MessageFields;
  expected: RemoteContent;
}

const rows: Row[] = [
  { name: "plain text", message: payload({ content: "hello there" }), expected: { style: "text", text: [p(t("hello there"))], media: [] } },
  { name: "markdown", message: payload({ content: "**hi** *you*" }), expected: { style: "text", text: [p(bold(t("hi")), t(" "), italic(t("you")))], media: [] } },
  {
    name: "a user mention",
    message: payload({ content: "<@113340068197859328> look" }),
    expected: { style: "text", text: [p({ type: "user_mention", userId: "@discord_113340068197859328:localhost", label: "@Cadence" }, t(" look"))], media: [] },
  },
  {
    name: "a custom emoji",
    message: payload({ content: "nice <:hippo:230201364309868544>" }),
    expected: { style: "text", text: [p(t("nice "), { type: "emoji", name: "hippo", imageUrl: `${CDN}/emojis/230201364309868544.png` })], media: [] },
  },
  { name: "/me is an emote", message: payload({ content: "_waves at everyone_" }), expected: { style: "emote", text: [p(t("waves at everyone"))], media: [] } },
  {
    name: "one italic word is not an emote",
    message: payload({ content: "_really_ good" }),
    expected: { style: "text", text: [p(italic(t("really")), t(" good"))], media: [] },
  },
  { name: "__underline__ is not an emote", message: payload({ content: "__under__" }), expected: { style: "text", text: [p({ type: "underline", children: [t("under")] })], media: [] } },
  { name: "@silent is a notice", message: payload({ content: "deploy done", flags: 1 << 12 }), expected: { style: "notice", text: [p(t("deploy done"))], media: [] } },
  {
    name: "an image",
    message: payload({
      attachments: [{
        id: "1141501302497615912", filename: "image.png", size: 30533, content_type: "image/png", width: 478, height: 255,
        url: signed("1141501302497615912/image.png"), proxy_url: signed("1141501302497615912/image.png"),
      }],
    }),
    expected: {
      style: "text", text: [],
      media: [{ kind: "image", url: signed("1141501302497615912/image.png"), filename: "image.png", mimetype: "image/png", size: 30533, width: 478, height: 255 }],
    },
  },
  {
    name: "a spoilered image with alt text and a caption",
    message: payload({
      content: "don't look",
      attachments: [{
        id: "1", filename: "SPOILER_cat.jpg", size: 1000, content_type: "image/jpeg", width: 10, height: 20, description: "a cat",
        url: signed("1/SPOILER_cat.jpg"), proxy_url: signed("1/SPOILER_cat.jpg"), flags: 8,
      }],
    }),
    expected: {
      style: "text", text: [p(t("don't look"))],
      media: [{ kind: "image", url: signed("1/SPOILER_cat.jpg"), filename: "cat.jpg", mimetype: "image/jpeg", size: 1000, width: 10, height: 20, description: "a cat", spoiler: true }],
    },
  },
  {
    name: "a voice message",
    message: payload({
      flags: 1 << 13,
      attachments: [{ id: "2", filename: "voice-message.ogg", size: 4556, content_type: "audio/ogg", duration_secs: 2.34, waveform: "AAAA", url: signed("2/voice-message.ogg"), proxy_url: signed("2/voice-message.ogg") }],
    }),
    expected: { style: "text", text: [], media: [{ kind: "audio", url: signed("2/voice-message.ogg"), filename: "voice-message.ogg", mimetype: "audio/ogg", size: 4556, durationMs: 2340 }] },
  },
  {
    name: "a video and a file",
    message: payload({
      attachments: [
        { id: "3", filename: "clip.mp4", size: 99, content_type: "video/mp4", width: 640, height: 360, url: signed("3/clip.mp4"), proxy_url: signed("3/clip.mp4") },
        { id: "4", filename: "notes.txt", size: 12, content_type: "text/plain; charset=utf-8", url: signed("4/notes.txt"), proxy_url: signed("4/notes.txt") },
      ],
    }),
    expected: {
      style: "text", text: [],
      media: [
        { kind: "video", url: signed("3/clip.mp4"), filename: "clip.mp4", mimetype: "video/mp4", size: 99, width: 640, height: 360 },
        { kind: "file", url: signed("4/notes.txt"), filename: "notes.txt", mimetype: "text/plain; charset=utf-8", size: 12 },
      ],
    },
  },
  {
    name: "stickers: an image one and a Lottie one",
    message: payload({ sticker_items: [{ id: "749054660769218631", name: "Wave", format_type: 1 }, { id: "816087792291282944", name: "Dance", format_type: 3 }] }),
    expected: {
      style: "text",
      text: [p(t("[sticker: Dance]"))],
      media: [{ kind: "sticker", url: `${CDN}/stickers/749054660769218631.png`, filename: "Wave.png", mimetype: "image/png", description: "Wave" }],
    },
  },
  {
    name: "a bot's rich embed, readable and inert",
    message: payload({
      embeds: [{
        type: "rich",
        author: { name: "GitHub" },
        title: "New issue: <b>bold</b>",
        url: "https://github.com/o/r/issues/1",
        description: "Something **broke** <script>alert(1)</script>",
        fields: [{ name: "Labels", value: "bug", inline: true }],
        image: { url: "https://example.org/shot.png" },
        footer: { text: "o/r" },
        timestamp: "2024-03-01T10:20:30.000Z",
      }],
    }),
    expected: {
      style: "text",
      text: [quote(
        p(t("GitHub")),
        p(bold(link("https://github.com/o/r/issues/1", "New issue: <b>bold</b>"))),
        p(t("Something "), bold(t("broke")), t(" <script>alert(1)</script>")),
        p(bold(t("Labels"))),
        p(t("bug")),
        p(link("https://example.org/shot.png", "Image")),
        p(t("o/r · 2024-03-01 10:20 UTC")),
      )],
      media: [],
    },
  },
  {
    name: "a javascript: link in an embed stays text",
    message: payload({ embeds: [{ type: "rich", title: "Click", url: "javascript:alert(1)" }] }),
    expected: { style: "text", text: [quote(p(bold(t("Click"))))], media: [] },
  },
  {
    name: "link previews Discord made are left to Matrix clients",
    message: payload({
      content: "https://example.org/",
      embeds: [{ type: "link", url: "https://example.org/", title: "Example Domain", description: "This domain is for use in examples." }],
    }),
    expected: { style: "text", text: [p(link("https://example.org/", "https://example.org/"))], media: [] },
  },
  {
    name: "a poll, as its question and numbered answers",
    message: payload({
      poll: {
        question: { text: "Lunch?" },
        answers: [{ answer_id: 1, poll_media: { text: "Pizza", emoji: { id: null, name: "🍕" } } }, { answer_id: 2, poll_media: { text: "Salad" } }],
        expiry: "2024-01-02T00:00:00.000000+00:00", allow_multiselect: false, layout_type: 1,
      },
    }),
    expected: {
      style: "text",
      text: [
        p(t("📊 "), bold(t("Lunch?"))),
        { type: "list", ordered: true, items: [[p(t("🍕 Pizza"))], [p(t("Salad"))]] },
        p(italic(t("(vote on Discord)"))),
      ],
      media: [],
    },
  },
  {
    name: "a forwarded message",
    message: payload({ message_snapshots: [{ message: { content: "original **text**", attachments: [], embeds: [], type: 0, timestamp: "2024-01-01T00:00:00.000Z", edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], components: [] } }] }),
    expected: { style: "text", text: [quote(p(italic(t("Forwarded"))), p(t("original "), bold(t("text"))))], media: [] },
  },
];

describe("Discord messages as Matrix content", () => {
  it.each(rows)("$name", ({ message, expected }) => {
    expect(messageContent(message, ctx, CDN)).toEqual(expected);
  });
});

describe("styles survive the round trip", () => {
  const render = discordRenderContext({});
  it.each([
    ["an emote", "emote", [p(t("waves at snake_case_fan"))]],
    ["an emote with formatting", "emote", [p(t("is "), bold(t("very")), t(" happy"))]],
    ["a notice", "notice", [p(t("build passed"))]],
    ["text", "text", [p(t("_not an emote_"))]],
  ] as const)("%s", (_name, style, text) => {
    const composed = composeMessage({ style, text: [...text] }, render);
    const back = messageContent(payload({ content: composed.pieces[0] ?? "", flags: composed.flags }), ctx, CDN);
    expect(back).toEqual({ style, text, media: [] });
  });
});
