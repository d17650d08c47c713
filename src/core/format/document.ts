/**
 * Small questions about, and constructors of, formatted-text documents that parsers,
 * renderers and the core share.
 */
import type { Block, Document, Inline } from "./ast.js";

/** Plain text as a document: one paragraph, every newline a line break, nothing interpreted. */
export function documentFromPlainText(text: string): Document {
  const children: Inline[] = [];
  text.replace(/\r\n?/g, "\n").split("\n").forEach((line, index) => {
    if (index > 0) children.push({ type: "line_break" });
    if (line !== "") children.push({ type: "text", text: line });
  });
  return children.length === 0 ? [] : [{ type: "paragraph", children }];
}

/** True when a reader would see nothing: no text beyond whitespace, no code, emoji, mention or rule. */
export function isEmptyDocument(doc: Document): boolean {
  for (const block of allBlocks(doc)) {
    if (block.type === "rule" || (block.type === "code_block" && block.text.trim() !== "")) return false;
  }
  for (const inline of documentInlines(doc)) if (showsSomething(inline)) return false;
  return true;
}

/** True when the document is paragraphs of text and line breaks only, so a plain body says it all. */
export function isUnformattedDocument(doc: Document): boolean {
  return (
    doc.every((block) => block.type === "paragraph") &&
    [...documentInlines(doc)].every(
      (inline) => inline.type === "text" || inline.type === "line_break" || inline.type === "room_ping",
    )
  );
}

/** Every block, depth first, including those inside quotes and list items. */
export function* allBlocks(blocks: readonly Block[]): Generator<Block> {
  for (const block of blocks) {
    yield block;
    if (block.type === "quote") yield* allBlocks(block.children);
    if (block.type === "list") for (const item of block.items) yield* allBlocks(item);
  }
}

/** Every inline of every block, depth first, including those inside formatting and links. */
export function* documentInlines(doc: Document): Generator<Inline> {
  for (const block of allBlocks(doc)) {
    if (block.type === "paragraph" || block.type === "heading") yield* allInlines(block.children);
  }
}

function* allInlines(inlines: readonly Inline[]): Generator<Inline> {
  for (const inline of inlines) {
    yield inline;
    if (hasChildren(inline)) yield* allInlines(inline.children);
  }
}

function showsSomething(inline: Inline): boolean {
  switch (inline.type) {
    case "text":
      return inline.text.trim() !== "";
    case "line_break":
      return false;
    default:
      // Formatting and links show nothing of their own; their children are visited separately.
      return !hasChildren(inline);
  }
}

function hasChildren(inline: Inline): inline is Extract<Inline, { children: Inline[] }> {
  return "children" in inline;
}
