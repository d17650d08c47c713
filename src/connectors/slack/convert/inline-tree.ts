/**
 * Between the nested inline tree and flat runs of styled leaves. Slack speaks in runs
 * (a rich-text element carries `style: {bold, italic}`; mrkdwn opens and closes
 * markers along a line) while the tree nests, so both directions are needed.
 */
import type { Inline, InlineOf } from "../../../core/format/ast.js";

/** The wrappers that only style their children: bold, italic, underline, strike, spoiler. */
export type InlineStyle = Exclude<Extract<Inline, { children: Inline[] }>, { type: "link" }>["type"];
/** An inline that is not a style wrapper: text, code, a link, a mention, an emoji… */
export type InlineLeaf = Exclude<Inline, { type: InlineStyle }>;

export interface StyledLeaf {
  leaf: InlineLeaf;
  styles: ReadonlySet<InlineStyle>;
}

/** The order in which wrappers nest when a choice is free: outermost first. */
const NESTING_ORDER: readonly InlineStyle[] = ["bold", "italic", "underline", "strike", "spoiler"];

function isStyle(node: Inline): node is InlineOf<InlineStyle> {
  return (NESTING_ORDER as readonly string[]).includes(node.type);
}

/** The tree as a flat run of leaves, each with every style wrapping it. */
export function flattenStyles(inlines: Inline[], styles: ReadonlySet<InlineStyle> = new Set()): StyledLeaf[] {
  return inlines.flatMap((node) =>
    isStyle(node) ? flattenStyles(node.children, new Set([...styles, node.type])) : [{ leaf: node, styles }],
  );
}

/**
 * Nests a run of styled leaves with as few wrappers as it can: at each point it opens
 * the style whose stretch runs longest, so `[a:bold][b:bold+italic]` becomes
 * `bold(a, italic(b))` rather than two bold spans.
 */
export function nestStyles(run: StyledLeaf[], applied: ReadonlySet<InlineStyle> = new Set()): Inline[] {
  const out: Inline[] = [];
  let index = 0;
  while (index < run.length) {
    const pending = NESTING_ORDER.filter((style) => run[index]!.styles.has(style) && !applied.has(style));
    if (pending.length === 0) {
      out.push(run[index]!.leaf);
      index++;
      continue;
    }
    let best = pending[0]!;
    let bestEnd = stretchEnd(run, index, best);
    for (const style of pending.slice(1)) {
      const end = stretchEnd(run, index, style);
      if (end > bestEnd) [best, bestEnd] = [style, end];
    }
    const children = nestStyles(run.slice(index, bestEnd), new Set([...applied, best]));
    out.push({ type: best, children });
    index = bestEnd;
  }
  return mergeAdjacentText(out);
}

function stretchEnd(run: StyledLeaf[], from: number, style: InlineStyle): number {
  let end = from;
  while (end < run.length && run[end]!.styles.has(style)) end++;
  return end;
}

/** Joins neighbouring text nodes and drops empty ones, so equal content compares equal. */
export function mergeAdjacentText(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of inlines) {
    if (node.type === "text") {
      if (node.text === "") continue;
      const last = out.at(-1);
      if (last?.type === "text") {
        out[out.length - 1] = { type: "text", text: last.text + node.text };
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/** What a reader sees, without markup: for link labels and for places that only take text. */
export function plainText(inlines: Inline[]): string {
  return inlines
    .map((node): string => {
      switch (node.type) {
        case "text":
        case "code":
          return node.text;
        case "user_mention":
        case "room_mention":
          return node.label;
        case "room_ping":
          return "@room";
        case "emoji":
          return `:${node.name}:`;
        case "line_break":
          return "\n";
        case "link":
        case "bold":
        case "italic":
        case "underline":
        case "strike":
        case "spoiler":
          return plainText(node.children);
      }
    })
    .join("");
}
