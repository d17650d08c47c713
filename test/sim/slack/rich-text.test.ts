// What the simulator's "person typing in a Slack client" sends: the rich_text block and the mrkdwn text
// Slack derives from it, one row per kind of formatting.
import { describe, expect, it } from "vitest";
import { standardEmojiUnicode } from "./emoji.js";
import { mrkdwnFromRichText } from "./mrkdwn.js";
import { richTextFromTyped, type RichElement } from "./rich-text.js";

const resolveEmoji = (name: string, skinTone?: number) => {
  if (name === "partyparrot") return {};
  const unicode = standardEmojiUnicode(name, skinTone);
  return unicode ? { unicode } : undefined;
};

const section = (...elements: unknown[]) => ({ type: "rich_text_section", elements });
const text = (value: string, style?: Record<string, true>) => (style ? { type: "text", text: value, style } : { type: "text", text: value });

const rows: { typed: string; elements: unknown[]; text: string }[] = [
  { typed: "plain & <simple>", elements: [section(text("plain & <simple>"))], text: "plain &amp; &lt;simple&gt;" },
  {
    typed: "*bold* _italic_ ~strike~ `code`",
    elements: [section(text("bold", { bold: true }), text(" "), text("italic", { italic: true }), text(" "), text("strike", { strike: true }), text(" "), text("code", { code: true }))],
    text: "*bold* _italic_ ~strike~ `code`",
  },
  { typed: "*bold _both_*", elements: [section(text("bold ", { bold: true }), text("both", { bold: true, italic: true }))], text: "*bold _both_*" },
  { typed: "snake_case_name and 2*3*4", elements: [section(text("snake_case_name and 2*3*4"))], text: "snake_case_name and 2*3*4" },
  {
    typed: "hi <@U0ALICE01> <!here> <#C0GENERAL1>",
    elements: [section(text("hi "), { type: "user", user_id: "U0ALICE01" }, text(" "), { type: "broadcast", range: "here" }, text(" "), { type: "channel", channel_id: "C0GENERAL1" })],
    text: "hi <@U0ALICE01> <!here> <#C0GENERAL1|>",
  },
  {
    typed: "see https://example.com/a?b=1. or <https://x.org|the site>",
    elements: [section(text("see "), { type: "link", url: "https://example.com/a?b=1" }, text(". or "), { type: "link", url: "https://x.org", text: "the site" })],
    text: "see <https://example.com/a?b=1>. or <https://x.org|the site>",
  },
  {
    typed: ":wave: :thumbsup::skin-tone-3: :partyparrot: :not_an_emoji:",
    elements: [section(
      { type: "emoji", name: "wave", unicode: "1f44b" }, text(" "),
      { type: "emoji", name: "thumbsup", unicode: "1f44d-1f3fc", skin_tone: 3 }, text(" "),
      { type: "emoji", name: "partyparrot" }, text(" :not_an_emoji:"),
    )],
    text: ":wave: :thumbsup::skin-tone-3: :partyparrot: :not_an_emoji:",
  },
  {
    typed: "test message with list\n1. first point\n2. second point\n- first bullet\n- second bullet",
    elements: [
      section(text("test message with list\n")),
      { type: "rich_text_list", style: "ordered", indent: 0, border: 0, elements: [section(text("first point")), section(text("second point"))] },
      { type: "rich_text_list", style: "bullet", indent: 0, border: 0, elements: [section(text("first bullet")), section(text("second bullet"))] },
    ],
    // The shape of a captured Slack client payload (slack-go/slack#1155).
    text: "test message with list\n1. first point\n2. second point\n• first bullet\n• second bullet\n",
  },
  {
    typed: "1. a\n    - nested\n2. b",
    elements: [
      { type: "rich_text_list", style: "ordered", indent: 0, border: 0, elements: [section(text("a"))] },
      { type: "rich_text_list", style: "bullet", indent: 1, border: 0, elements: [section(text("nested"))] },
      { type: "rich_text_list", style: "ordered", indent: 0, offset: 1, border: 0, elements: [section(text("b"))] },
    ],
    text: "1. a\n    ◦ nested\n2. b\n",
  },
  {
    typed: "> quoted *line*\n> second\nafter",
    elements: [{ type: "rich_text_quote", elements: [text("quoted "), text("line", { bold: true }), text("\nsecond")] }, section(text("after"))],
    text: "&gt; quoted *line*\n&gt; second\nafter",
  },
  {
    typed: "before\n```\nif (a < b) *x*\n```\nafter",
    elements: [section(text("before\n")), { type: "rich_text_preformatted", elements: [text("if (a < b) *x*")], border: 0 }, section(text("after"))],
    text: "before\n```if (a &lt; b) *x*```\nafter",
  },
];

describe("typed text as a Slack client sends it", () => {
  it.each(rows)("$typed", ({ typed, elements, text: expectedText }) => {
    const block = richTextFromTyped(typed, resolveEmoji);
    expect(block.type).toBe("rich_text");
    expect(block.block_id).toMatch(/^\S{5}$/);
    expect(block.elements).toEqual(elements as RichElement[]);
    expect(mrkdwnFromRichText(block)).toBe(expectedText);
  });
});
