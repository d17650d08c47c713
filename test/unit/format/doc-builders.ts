/**
 * Terse constructors for expected documents in test tables. A bare string stands for a
 * text inline; nothing else is interpreted.
 */
import type { Block, BlockOf, Inline } from "../../../src/core/format/ast.js";

type InlineArg = Inline | string;

const inlines = (args: InlineArg[]): Inline[] =>
  args.map((arg) => (typeof arg === "string" ? { type: "text", text: arg } : arg));

export const t = (text: string): Inline => ({ type: "text", text });
export const br: Inline = { type: "line_break" };
export const b = (...children: InlineArg[]): Inline => ({ type: "bold", children: inlines(children) });
export const i = (...children: InlineArg[]): Inline => ({ type: "italic", children: inlines(children) });
export const u = (...children: InlineArg[]): Inline => ({ type: "underline", children: inlines(children) });
export const s = (...children: InlineArg[]): Inline => ({ type: "strike", children: inlines(children) });
export const spoiler = (...children: InlineArg[]): Inline => ({ type: "spoiler", children: inlines(children) });
export const code = (text: string): Inline => ({ type: "code", text });
export const link = (href: string, ...children: InlineArg[]): Inline => ({ type: "link", href, children: inlines(children) });
export const user = (userId: string, label: string): Inline => ({ type: "user_mention", userId, label });
export const room = (roomIdOrAlias: string, label: string): Inline => ({ type: "room_mention", roomIdOrAlias, label });
export const ping: Inline = { type: "room_ping" };
export const emoji = (name: string, imageUrl: string): Inline => ({ type: "emoji", name, imageUrl });

export const p = (...children: InlineArg[]): Block => ({ type: "paragraph", children: inlines(children) });
export const h = (level: BlockOf<"heading">["level"], ...children: InlineArg[]): Block => ({
  type: "heading",
  level,
  children: inlines(children),
});
export const pre = (text: string, language?: string): Block =>
  language === undefined ? { type: "code_block", text } : { type: "code_block", language, text };
export const quote = (...children: Block[]): Block => ({ type: "quote", children });
export const ul = (...items: Block[][]): Block => ({ type: "list", ordered: false, items });
export const ol = (...items: Block[][]): Block => ({ type: "list", ordered: true, items });
export const olFrom = (start: number, ...items: Block[][]): Block => ({ type: "list", ordered: true, start, items });
export const hr: Block = { type: "rule" };
