/**
 * The tree reshaped, without changing what a reader sees, into the form Discord markdown
 * can write unambiguously: one text node per run, no formatting inside the same
 * formatting, no two neighbouring spans of the same formatting (`**a****b**` would not
 * read back), no empty spans, and italic never starting or ending in whitespace (Discord
 * does not read `* a *` as italic).
 */
import type { Block, Inline, InlineOf } from "../../../core/format/ast.js";

type Formatting = InlineOf<"bold" | "italic" | "underline" | "strike" | "spoiler">;
type FormattingType = Formatting["type"];

const FORMATTING: ReadonlySet<string> = new Set<FormattingType>(["bold", "italic", "underline", "strike", "spoiler"]);

function isFormatting(node: Inline): node is Formatting {
  return FORMATTING.has(node.type);
}

export function normalizeBlocks(blocks: readonly Block[]): Block[] {
  return blocks.map((block): Block => {
    switch (block.type) {
      case "paragraph":
      case "heading":
        return { ...block, children: normalizeInlines(block.children) };
      case "quote":
        return { ...block, children: normalizeBlocks(block.children) };
      case "list":
        return { ...block, items: block.items.map(normalizeBlocks) };
      default:
        return block;
    }
  });
}

export function normalizeInlines(nodes: readonly Inline[], enclosing: ReadonlySet<string> = new Set()): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    if (isFormatting(node)) {
      const children = normalizeInlines(node.children, new Set([...enclosing, node.type]));
      if (enclosing.has(node.type)) {
        appendMerging(out, children);
      } else {
        const [leading, core, trailing] = node.type === "italic" ? splitEdgeWhitespace(children) : [[], children, []];
        appendMerging(out, leading);
        if (core.length > 0) appendMerging(out, [{ type: node.type, children: core }]);
        appendMerging(out, trailing);
      }
    } else if (node.type === "link") {
      appendMerging(out, [{ ...node, children: normalizeInlines(node.children, enclosing) }]);
    } else {
      appendMerging(out, [node]);
    }
  }
  return out;
}

/** Appends, joining text to text and a span to a preceding span of the same formatting. */
function appendMerging(target: Inline[], nodes: readonly Inline[]): void {
  for (const node of nodes) {
    const last = target.at(-1);
    if (node.type === "text" && node.text === "") continue;
    if (node.type === "text" && last?.type === "text") {
      target[target.length - 1] = { type: "text", text: last.text + node.text };
    } else if (isFormatting(node) && last?.type === node.type) {
      const merged = [...(last as Formatting).children];
      appendMerging(merged, node.children);
      target[target.length - 1] = { type: node.type, children: merged };
    } else {
      target.push(node);
    }
  }
}

/** Whitespace and line breaks at either end of a span's children, moved out of it. */
function splitEdgeWhitespace(children: readonly Inline[]): [Inline[], Inline[], Inline[]] {
  const core = [...children];
  const leading: Inline[] = [];
  const trailing: Inline[] = [];
  for (let peeled = peelSpace(core[0], "start"); peeled; peeled = peelSpace(core[0], "start")) {
    leading.push(peeled.space);
    core.splice(0, 1, ...peeled.rest);
  }
  for (let peeled = peelSpace(core.at(-1), "end"); peeled; peeled = peelSpace(core.at(-1), "end")) {
    trailing.unshift(peeled.space);
    core.splice(-1, 1, ...peeled.rest);
  }
  return [leading, core, trailing];
}

/** The whitespace at one end of a node, and what is left of the node without it. */
function peelSpace(node: Inline | undefined, edge: "start" | "end"): { space: Inline; rest: Inline[] } | undefined {
  if (node?.type === "line_break") return { space: node, rest: [] };
  if (node?.type !== "text") return undefined;
  const space = (edge === "start" ? /^\s+/ : /\s+$/).exec(node.text)?.[0];
  if (space === undefined) return undefined;
  const remaining = edge === "start" ? node.text.slice(space.length) : node.text.slice(0, -space.length);
  return { space: { type: "text", text: space }, rest: remaining === "" ? [] : [{ type: "text", text: remaining }] };
}
