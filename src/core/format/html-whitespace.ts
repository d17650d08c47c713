/**
 * Whitespace in a run of inline HTML content, treated the way a browser lays it out
 * (CSS `white-space: normal`): every run of spaces, tabs and newlines shows as one
 * space, and none shows at the start or end of a line. Code is left exactly as written.
 */
import type { Inline } from "./ast.js";

const HTML_WHITESPACE_RUN = /[ \t\n\f\r]+/g;

type Container = Extract<Inline, { children: Inline[] }>;
type Formatting = Exclude<Container, { type: "link" }>;

/**
 * The inlines of one paragraph or heading as a reader sees them: whitespace collapsed,
 * empty formatting gone, adjacent text merged, and no line break at either end (a break
 * there shows nothing, or only padding).
 */
export function normalizeParagraphInlines(inlines: readonly Inline[]): Inline[] {
  const collapsed = inlines.map(collapseRuns);
  dropLeadingSpaces(collapsed, { atLineStart: true, afterSpace: false });
  dropTrailingSpaces(collapsed, { atLineEnd: true });
  const pruned = prune(collapsed);
  let start = 0;
  let end = pruned.length;
  while (start < end && pruned[start]?.type === "line_break") start++;
  while (end > start && pruned[end - 1]?.type === "line_break") end--;
  return pruned.slice(start, end);
}

/** Text with whitespace as a browser shows it on one line: collapsed and trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(HTML_WHITESPACE_RUN, " ").replace(/^ | $/g, "");
}

/** True for text made only of what HTML counts as whitespace (not U+00A0, which shows). */
export function isHtmlWhitespace(text: string): boolean {
  return /^[ \t\n\f\r]*$/.test(text);
}

function collapseRuns(inline: Inline): Inline {
  if (inline.type === "text") return { type: "text", text: inline.text.replace(HTML_WHITESPACE_RUN, " ") };
  if (isContainer(inline)) return { ...inline, children: inline.children.map(collapseRuns) };
  return inline;
}

/** Removes a space at a line start or after another space. Runs are already one space long. */
function dropLeadingSpaces(inlines: Inline[], state: { atLineStart: boolean; afterSpace: boolean }): void {
  for (const inline of inlines) {
    if (inline.type === "text") {
      if ((state.atLineStart || state.afterSpace) && inline.text.startsWith(" ")) inline.text = inline.text.slice(1);
      if (inline.text !== "") {
        state.atLineStart = false;
        state.afterSpace = inline.text.endsWith(" ");
      }
    } else if (inline.type === "line_break") {
      state.atLineStart = true;
      state.afterSpace = false;
    } else if (isContainer(inline)) {
      dropLeadingSpaces(inline.children, state);
    } else {
      state.atLineStart = false;
      state.afterSpace = false;
    }
  }
}

/** Removes a space at a line end, walking backwards. */
function dropTrailingSpaces(inlines: Inline[], state: { atLineEnd: boolean }): void {
  for (const inline of [...inlines].reverse()) {
    if (inline.type === "text") {
      if (state.atLineEnd && inline.text.endsWith(" ")) inline.text = inline.text.slice(0, -1);
      if (inline.text !== "") state.atLineEnd = false;
    } else if (inline.type === "line_break") {
      state.atLineEnd = true;
    } else if (isContainer(inline)) {
      dropTrailingSpaces(inline.children, state);
    } else {
      state.atLineEnd = false;
    }
  }
}

/**
 * Drops empty text and empty formatting or links, unwraps formatting around nothing but
 * a space (it marks nothing a reader could see), and merges neighbouring text.
 */
function prune(inlines: readonly Inline[]): Inline[] {
  const result: Inline[] = [];
  const append = (inline: Inline) => {
    const previous = result.at(-1);
    if (inline.type === "text" && previous?.type === "text") previous.text += inline.text;
    else result.push(inline);
  };
  for (const inline of inlines) {
    if (inline.type === "text") {
      if (inline.text !== "") append({ ...inline });
    } else if (isContainer(inline)) {
      const children = prune(inline.children);
      if (children.length === 0) continue;
      if (isFormatting(inline) && children.every((child) => child.type === "text" && isHtmlWhitespace(child.text))) {
        children.forEach(append);
      } else {
        append({ ...inline, children });
      }
    } else {
      append(inline);
    }
  }
  return result;
}

function isContainer(inline: Inline): inline is Container {
  return "children" in inline;
}

function isFormatting(inline: Container): inline is Formatting {
  return inline.type !== "link";
}
