/**
 * Where the HTML parser puts what it converts. In block context content becomes
 * paragraphs and blocks; inside inline markup (a `<p>` inside `<strong>`, say) a block
 * cannot exist, so its content joins the inline run on lines of its own.
 */
import type { Block, Inline } from "./ast.js";
import { isHtmlWhitespace, normalizeParagraphInlines } from "./html-whitespace.js";

export interface Sink {
  addInline(inline: Inline): void;
  addBlock(block: Block): void;
  /** What comes next starts a new paragraph, or a new line inside inline markup. */
  breakParagraph(): void;
}

export class BlockSink implements Sink {
  private readonly blocks: Block[] = [];
  private paragraph: Inline[] = [];

  addInline(inline: Inline): void {
    this.paragraph.push(inline);
  }

  addBlock(block: Block): void {
    this.breakParagraph();
    this.blocks.push(block);
  }

  breakParagraph(): void {
    const children = normalizeParagraphInlines(this.paragraph);
    this.paragraph = [];
    if (children.length > 0) this.blocks.push({ type: "paragraph", children });
  }

  finish(): Block[] {
    this.breakParagraph();
    return this.blocks;
  }
}

export class InlineSink implements Sink {
  private readonly inlines: Inline[] = [];
  private lineEnded = false;

  addInline(inline: Inline): void {
    if (this.lineEnded) {
      // Whitespace between blocks is not content; it must not open the next line.
      if (inline.type === "text" && isHtmlWhitespace(inline.text)) return;
      if (this.inlines.length > 0) this.inlines.push({ type: "line_break" });
      this.lineEnded = false;
    }
    this.inlines.push(inline);
  }

  addBlock(block: Block): void {
    this.breakParagraph();
    switch (block.type) {
      case "paragraph":
      case "heading":
        block.children.forEach((inline) => this.addInline(inline));
        break;
      case "code_block":
        if (block.text !== "") this.addInline({ type: "code", text: block.text });
        break;
      case "quote":
        block.children.forEach((child) => this.addBlock(child));
        break;
      case "list":
        block.items.flat().forEach((child) => this.addBlock(child));
        break;
      case "rule":
        break;
    }
    this.breakParagraph();
  }

  breakParagraph(): void {
    this.lineEnded = true;
  }

  finish(): Inline[] {
    return this.inlines;
  }
}
