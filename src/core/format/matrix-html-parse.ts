/**
 * Matrix `org.matrix.custom.html` to a document, for HTML as real clients send it
 * (Element, FluffyChat, Cinny, Nheko) and as careless bots do. The result is what a
 * reader of the message sees: whitespace as a browser lays it out, reply fallbacks and
 * scripts gone, unknown tags reduced to their text, unsafe links to their label.
 */
import { ElementType, parseDocument } from "htmlparser2";
import type { Block, Document, Inline } from "./ast.js";
import { collapseWhitespace, normalizeParagraphInlines } from "./html-whitespace.js";
import { BlockSink, InlineSink, type Sink } from "./html-sinks.js";
import { matrixToLink, parseMatrixToLink, type MatrixLinkTarget } from "./matrix-to.js";
import { textWithRoomPings } from "./room-ping.js";
import { safeImageSource, safeLinkHref } from "./safe-href.js";

type DomNode = ReturnType<typeof parseDocument>["children"][number];
type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;

export interface MatrixHtmlParseOptions {
  /** Whether `@room` in the text notifies the room; see `PlainBodyOptions`. */
  senderMayPingRoom?: boolean;
}

interface Context {
  depth: number;
  mayPingRoom: boolean;
  /** Inside a link, where nested links and pills can only be text. */
  inLink: boolean;
}

/**
 * Elements below this depth become plain text: enough for any real message, and it keeps
 * hostile input (thousands of nested tags) from exhausting the stack.
 */
const MAX_NESTING = 100;

/** Elements whose content is not for reading: reply fallbacks (spec, "Rich replies") and what sanitizers drop. */
const HIDDEN = new Set(["mx-reply", "head", "title", "template", "textarea", "option", "noscript"]);

const FORMATTING: Record<string, "bold" | "italic" | "underline" | "strike"> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  del: "strike",
  s: "strike",
  strike: "strike",
};

const HEADING_LEVELS: Record<string, 1 | 2 | 3 | 4 | 5 | 6> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Elements that only separate their content from what surrounds it, like a paragraph. */
const PARAGRAPH_LIKE = new Set([
  ...["p", "div", "li", "dl", "dt", "dd", "details", "summary", "caption", "figure", "figcaption"],
  ...["section", "article", "header", "footer", "main", "nav", "aside", "address", "center"],
]);

const LINE_BREAK: Inline = { type: "line_break" };

export function parseMatrixHtml(formattedBody: string, options: MatrixHtmlParseOptions = {}): Document {
  const dom = parseDocument(formattedBody);
  return blocksFrom(dom.children, { depth: 0, mayPingRoom: options.senderMayPingRoom ?? false, inLink: false });
}

function blocksFrom(nodes: readonly DomNode[], ctx: Context): Block[] {
  const sink = new BlockSink();
  appendAll(nodes, sink, ctx);
  return sink.finish();
}

function inlinesFrom(nodes: readonly DomNode[], ctx: Context): Inline[] {
  const sink = new InlineSink();
  appendAll(nodes, sink, ctx);
  return sink.finish();
}

function appendAll(nodes: readonly DomNode[], sink: Sink, ctx: Context): void {
  for (const node of nodes) appendNode(node, sink, ctx);
}

function appendNode(node: DomNode, sink: Sink, ctx: Context): void {
  if (node.type === ElementType.Text) {
    const inlines = ctx.mayPingRoom && !ctx.inLink ? textWithRoomPings(node.data) : [text(node.data)];
    inlines.forEach((inline) => sink.addInline(inline));
    return;
  }
  // Comments, doctypes, and <script> and <style>, which have node types of their own.
  if (node.type !== ElementType.Tag || HIDDEN.has(node.name)) return;
  if (ctx.depth >= MAX_NESTING) {
    sink.addInline(text(textContent(node)));
    return;
  }
  appendElement(node, sink, { ...ctx, depth: ctx.depth + 1 });
}

function appendElement(element: DomElement, sink: Sink, ctx: Context): void {
  const { name, attribs, children } = element;
  switch (name) {
    case "br":
      return sink.addInline(LINE_BREAK);
    case "hr":
      return sink.addBlock({ type: "rule" });
    case "pre":
      return sink.addBlock(codeBlockFrom(element));
    case "blockquote":
      return appendBlockIfAny(sink, blocksFrom(children, ctx), (blocks) => ({ type: "quote", children: blocks }));
    case "ul":
    case "ol":
      return appendList(element, sink, ctx);
    case "table":
      return appendTable(element, sink, ctx);
    case "a":
      return appendLink(element, sink, ctx);
    case "img":
      return appendImage(element, sink, ctx);
    case "code": {
      const code = textContent(element);
      return code === "" ? undefined : sink.addInline({ type: "code", text: code });
    }
    case "span":
      if ("data-mx-spoiler" in attribs) return appendSpoiler(element, sink, ctx);
  }
  const level = HEADING_LEVELS[name];
  if (level !== undefined) {
    const inlines = normalizeParagraphInlines(inlinesFrom(children, ctx));
    return appendBlockIfAny(sink, inlines, (content) => ({ type: "heading", level, children: content }));
  }
  const formatting = FORMATTING[name];
  if (formatting !== undefined) return sink.addInline({ type: formatting, children: inlinesFrom(children, ctx) });

  // Colours (<font>, <span data-mx-color>), <sup>, <sub>, containers and unknown tags: keep the content.
  const separates = PARAGRAPH_LIKE.has(name);
  if (separates) sink.breakParagraph();
  appendAll(children, sink, ctx);
  if (separates) sink.breakParagraph();
}

function appendBlockIfAny<T>(sink: Sink, content: T[], toBlock: (content: T[]) => Block): void {
  if (content.length > 0) sink.addBlock(toBlock(content));
  else sink.breakParagraph();
}

function codeBlockFrom(pre: DomElement): Block {
  const code = pre.children.find((child): child is DomElement => child.type === ElementType.Tag && child.name === "code");
  const language = code?.attribs.class
    ?.split(/\s+/)
    .find((token) => token.startsWith("language-") && token.length > "language-".length)
    ?.slice("language-".length);
  let content = textContent(pre);
  // HTML ignores a newline straight after <pre>; Element ends every block with one more.
  if (pre.children[0]?.type === ElementType.Text && content.startsWith("\n")) content = content.slice(1);
  if (content.endsWith("\n")) content = content.slice(0, -1);
  return language === undefined ? { type: "code_block", text: content } : { type: "code_block", language, text: content };
}

function appendList(list: DomElement, sink: Sink, ctx: Context): void {
  const items: Block[][] = [];
  let stray: DomNode[] = [];
  // Content between <li>s (whitespace, or a stray tag) becomes an item of its own if it shows anything.
  const endStray = () => {
    const blocks = blocksFrom(stray, ctx);
    if (blocks.length > 0) items.push(blocks);
    stray = [];
  };
  for (const child of list.children) {
    if (child.type === ElementType.Tag && child.name === "li") {
      endStray();
      items.push(blocksFrom(child.children, ctx));
    } else {
      stray.push(child);
    }
  }
  endStray();
  const ordered = list.name === "ol";
  const start = ordered ? listStart(list.attribs.start) : undefined;
  appendBlockIfAny(sink, items, (listItems) =>
    start === undefined ? { type: "list", ordered, items: listItems } : { type: "list", ordered, start, items: listItems },
  );
}

/** The `start` of an ordered list when it is an integer other than the default 1. */
function listStart(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  const start = Number(value);
  return Number.isSafeInteger(start) && start !== 1 ? start : undefined;
}

/** A table as lines of text: the caption, then one line per row with its cells between ` | `. */
function appendTable(table: DomElement, sink: Sink, ctx: Context): void {
  sink.breakParagraph();
  tableLines(table).forEach((cells, row) => {
    if (row > 0) sink.addInline(LINE_BREAK);
    cells.forEach((cell, column) => {
      if (column > 0) sink.addInline(text(" | "));
      inlinesFrom(cell.children, ctx).forEach((inline) => sink.addInline(inline));
    });
  });
  sink.breakParagraph();
}

function tableLines(table: DomElement): DomElement[][] {
  const lines: DomElement[][] = [];
  const visit = (parent: DomElement) => {
    for (const child of childElements(parent)) {
      if (child.name === "caption") lines.push([child]);
      else if (child.name === "tr") lines.push(childElements(child).filter((cell) => cell.name === "td" || cell.name === "th"));
      else if (child.name === "thead" || child.name === "tbody" || child.name === "tfoot") visit(child);
    }
  };
  visit(table);
  return lines.filter((cells) => cells.length > 0);
}

function appendLink(anchor: DomElement, sink: Sink, ctx: Context): void {
  if (!ctx.inLink) {
    const rawHref = anchor.attribs.href ?? "";
    const target = parseMatrixToLink(rawHref);
    const mention = target && mentionFrom(target, collapseWhitespace(textContent(anchor)));
    if (mention) return sink.addInline(mention);
    // An event permalink stays a link; a matrix: URI one is rewritten to matrix.to, which every client opens.
    const href =
      target?.kind === "event"
        ? (safeLinkHref(rawHref) ?? matrixToLink(target.roomIdOrAlias, { eventId: target.eventId, via: target.via }))
        : safeLinkHref(rawHref);
    if (href !== undefined) {
      return sink.addInline({ type: "link", href, children: inlinesFrom(anchor.children, { ...ctx, inLink: true }) });
    }
  }
  appendAll(anchor.children, sink, ctx); // no usable href, or a link inside a link: keep the text
}

/** A pill: Element and others write mentions as links to the user or room, labelled with its name. */
function mentionFrom(target: MatrixLinkTarget, label: string): Inline | undefined {
  switch (target.kind) {
    case "user":
      return { type: "user_mention", userId: target.userId, label: label || target.userId };
    case "room":
      return { type: "room_mention", roomIdOrAlias: target.roomIdOrAlias, label: label || target.roomIdOrAlias };
    case "event":
      return undefined;
  }
}

/**
 * Custom emoji are `<img data-mx-emoticon>`; another image becomes a link to it (remote
 * networks can fetch it from the media repository), or its alt text if it has no mxc://.
 */
function appendImage(image: DomElement, sink: Sink, ctx: Context): void {
  const alt = collapseWhitespace(image.attribs.alt || image.attribs.title || "");
  const src = safeImageSource(image.attribs.src ?? "");
  if (src !== undefined && "data-mx-emoticon" in image.attribs) {
    sink.addInline({ type: "emoji", name: emojiName(alt), imageUrl: src });
  } else if (src !== undefined && !ctx.inLink) {
    sink.addInline({ type: "link", href: src, children: [text(alt || src)] });
  } else if (alt !== "") {
    sink.addInline(text(alt));
  }
}

/** Clients write the shortcode with colons (`:hippo:`, Element) or without (Cinny). */
function emojiName(alt: string): string {
  const name = alt.replace(/^:(.+):$/, "$1");
  return name === "" ? "emoji" : name;
}

/** `<span data-mx-spoiler="reason">`: the reason stays readable in front of the hidden part. */
function appendSpoiler(span: DomElement, sink: Sink, ctx: Context): void {
  const reason = collapseWhitespace(span.attribs["data-mx-spoiler"] ?? "");
  if (reason !== "") sink.addInline(text(`(${reason}) `));
  sink.addInline({ type: "spoiler", children: inlinesFrom(span.children, ctx) });
}

function childElements(parent: DomElement): DomElement[] {
  return parent.children.filter((child): child is DomElement => child.type === ElementType.Tag);
}

/** The text inside an element as written, `<br>` as a newline; iterative, as nesting may be deep. */
function textContent(root: DomElement): string {
  let content = "";
  const stack: DomNode[] = [...root.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === ElementType.Text) content += node.data;
    else if (node.type === ElementType.Tag && node.name === "br") content += "\n";
    else if (node.type === ElementType.Tag && !HIDDEN.has(node.name)) {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as DomNode);
    }
  }
  return content;
}

function text(content: string): Inline {
  return { type: "text", text: content };
}
