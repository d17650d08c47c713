/**
 * Tree inlines -> Discord markdown.
 *
 * Most nodes are written the same wherever they are. Two depend on their neighbours:
 * a link may be written as a bare URL only where nothing after it would lengthen the
 * URL, and italic takes `_` instead of `*` where a `*` of bold beside it would make
 * the markers ambiguous. Those are written last, once their neighbours are known.
 */
import type { Inline, InlineOf } from "../../../core/format/ast.js";
import { matrixToLink } from "../../../core/format/matrix-to.js";
import type { DiscordRenderContext } from "./context.js";
import { escapeDiscordText } from "./escape.js";
import { BARE_URL, MASKED_LINK_TARGET } from "./markdown-syntax.js";

export interface InlineRenderState {
  ctx: DiscordRenderContext;
  /** The marker of the enclosing italic, which text inside must escape. */
  italicMarker?: "*" | "_";
  /** Inside a masked link's label, where links cannot nest and brackets are escaped. */
  inLinkLabel: boolean;
  /**
   * The markers of the enclosing bold, underline, strike and spoiler spans. Each ends at
   * its first doubled marker even inside code, so code must not hold one whole.
   */
  openSpans?: readonly string[];
}

/** What surrounds a run of inlines. */
export interface InlineEdges {
  /** The run starts a line, where text must not open a block. */
  lineStart: boolean;
  /** The first character written after the run, "" if none. */
  after: string;
}

const SPAN_MARKERS = { bold: "**", underline: "__", strike: "~~", spoiler: "||" } as const;

export function renderInlines(nodes: readonly Inline[], state: InlineRenderState, edges: InlineEdges): string {
  const parts = nodes.map((node, i) => {
    const lineStart = i === 0 ? edges.lineStart : nodes[i - 1]!.type === "line_break";
    return renderAnywhere(node, state, lineStart);
  });
  // Italics are written last; until then one counts as its opening marker, which is all
  // a link before it needs to know (that it is not a space).
  const firstCharAt = (i: number) => (i < nodes.length ? (parts[i] ?? "*").charAt(0) : edges.after);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.type === "link") parts[i] = renderLink(node, state, firstCharAt(i + 1));
  }
  nodes.forEach((node, i) => {
    if (node.type !== "italic") return;
    const neighbours = { followsStar: i > 0 && parts[i - 1]!.endsWith("*"), after: firstCharAt(i + 1) };
    parts[i] = renderItalic(node.children, state, neighbours);
  });
  // A zero-width space keeps apart what Discord would otherwise read differently: two
  // code spans side by side (`a``b` is the code a``b), and `~~…~~` or `__…__` right
  // before a `_`, which neither closes before (`~~a~~__b__` is no strikethrough).
  const codeAfterCode = (i: number) => i > 0 && nodes[i]!.type === "code" && nodes[i - 1]!.type === "code";
  const closesBeforeUnderscore = (i: number) =>
    (nodes[i]!.type === "strike" || nodes[i]!.type === "underline") && firstCharAt(i + 1) === "_";
  return parts
    .map((part, i) => (codeAfterCode(i) ? "\u200B" : "") + part + (closesBeforeUnderscore(i) ? "\u200B" : ""))
    .join("");
}

/** The node's markdown, or undefined for the two whose form depends on their neighbours. */
function renderAnywhere(node: Inline, state: InlineRenderState, lineStart: boolean): string | undefined {
  const text = (value: string) =>
    escapeDiscordText(value, { lineStart, italicMarker: state.italicMarker, inLinkLabel: state.inLinkLabel });
  switch (node.type) {
    case "link":
    case "italic":
      return undefined;
    case "text":
      return text(node.text);
    case "line_break":
      return "\n";
    case "code":
      return renderCode(breakMarkers(node.text, state.openSpans ?? []));
    case "bold":
    case "underline":
    case "strike":
    case "spoiler": {
      const marker = SPAN_MARKERS[node.type];
      const spanState = { ...state, openSpans: [...(state.openSpans ?? []), marker] };
      const inner = renderInlines(node.children, spanState, { lineStart: false, after: marker.charAt(0) });
      // Unlike bold, `~~…~~` and `||…||` end at the first doubled marker even when it is
      // escaped (`~~a\~~~` ends after `a\`), so a zero-width space keeps them apart.
      const unescapable = node.type === "strike" || node.type === "spoiler";
      const guard = unescapable && inner.endsWith(`\\${marker.charAt(0)}`) ? "\u200B" : "";
      return marker + inner + guard + marker;
    }
    case "user_mention": {
      const discordId = state.ctx.discordUserId(node.userId);
      return discordId ? `<@${discordId}>` : text(node.label);
    }
    case "room_mention": {
      const channelId = state.ctx.discordChannelId(node.roomIdOrAlias);
      if (channelId) return `<#${channelId}>`;
      // A room Discord has no channel for is reached through its permalink; its name alone leads nowhere.
      const label: Inline = { type: "text", text: node.label };
      return renderLink({ type: "link", href: matrixToLink(node.roomIdOrAlias), children: [label] }, state, "");
    }
    case "room_ping":
      // Without permission, the Matrix words: nobody on Discord is pinged by `@room`.
      return state.ctx.mayPingEveryone ? "@everyone" : "@room";
    case "emoji": {
      const guildEmoji = state.ctx.guildEmoji(node.name);
      if (!guildEmoji) return `:${text(node.name)}:`;
      return `<${guildEmoji.animated ? "a" : ""}:${node.name}:${guildEmoji.id}>`;
    }
  }
}

/**
 * `*italic*`, except beside a `*` of bold, where `***` would read as something else:
 * before bold (or closing bold around it) it is `_italic_`, and right after bold too,
 * as `**b***i*` reads as bold `b*`. Italic also ends at its marker inside code, so
 * code holding a `*` takes `_italic_` too. `_` closes only before a non-word character;
 * where a letter follows, a zero-width space gives it one.
 */
function renderItalic(
  children: readonly Inline[],
  state: InlineRenderState,
  { followsStar, after }: { followsStar: boolean; after: string },
): string {
  const code = codeWithin(children);
  const underscore = after === "*" || followsStar || (code.includes("*") && !code.includes("_"));
  const marker = underscore ? "_" : "*";
  const inner = renderInlines(children, { ...state, italicMarker: marker }, { lineStart: false, after: marker });
  const boundary = underscore && /\w/.test(after) ? "\u200B" : "";
  return marker + inner + marker + boundary;
}

/**
 * A link Discord can follow is written as the bare URL when its text is the URL, and
 * nothing after it could lengthen it; else in angle brackets; else as `[label](url)`.
 * Discord links nothing but http(s): other links keep their target in the text.
 */
function renderLink(node: InlineOf<"link">, state: InlineRenderState, after: string): string {
  const plainLabel = node.children.length === 1 && node.children[0]!.type === "text" ? node.children[0]!.text : undefined;
  const labelIsUrl = node.children.length === 0 || plainLabel === node.href;
  // Links do not nest: inside a label, a link is its label.
  if (state.inLinkLabel) return renderInlines(node.children, state, { lineStart: false, after: "" });
  if (!/^https?:\/\//i.test(node.href)) {
    const text = (value: string) => escapeDiscordText(value, { lineStart: false, italicMarker: state.italicMarker });
    if (labelIsUrl) return text(node.href);
    // Clients link every address they see; `a@b.c (mailto:a@b.c)` would say it twice.
    if (plainLabel !== undefined && node.href === `mailto:${plainLabel}`) return text(plainLabel);
    return `${renderInlines(node.children, state, { lineStart: false, after: " " })} (${text(node.href)})`;
  }
  if (labelIsUrl) {
    const bare = BARE_URL.exec(node.href)?.[0] === node.href && (after === "" || /\s/.test(after));
    return bare ? node.href : `<${node.href.replace(/[\s<>]/g, percentEncode)}>`;
  }
  const labelState = { ...state, inLinkLabel: true };
  const label = renderInlines(labelBreaksAsSpaces(node.children), labelState, { lineStart: false, after: "]" });
  const target = MASKED_LINK_TARGET.test(node.href) ? node.href : node.href.replace(/[\s()<>]/g, percentEncode);
  return `[${label}](${target})`;
}

/** A character that would end a URL early, percent-encoded: the link goes to the same place. */
function percentEncode(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `%${code.toString(16).toUpperCase().padStart(2, "0")}` : encodeURIComponent(char);
}

function labelBreaksAsSpaces(nodes: readonly Inline[]): Inline[] {
  return nodes.map((node) => (node.type === "line_break" ? { type: "text", text: " " } : node));
}

/**
 * Inline code between backticks that do not occur in it: one or two. Code holding both
 * can only be written as a fenced block. A space inside each fence (which Discord trims)
 * lets code start or end with a backtick.
 */
function renderCode(code: string): string {
  if (code === "") return "";
  const runs = new Set((code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = !runs.has(1) ? "`" : !runs.has(2) ? "``" : undefined;
  if (!fence) return "``` " + breakFences(code) + " ```";
  const pad = /^`|`$/.test(code) ? " " : "";
  return fence + pad + code + pad + fence;
}

/** The text of every code span among the nodes, however deep. */
function codeWithin(nodes: readonly Inline[]): string {
  return nodes.map((node) => (node.type === "code" ? node.text : "children" in node ? codeWithin(node.children) : "")).join("");
}

/** Each doubled marker of an enclosing span (`**`, `||`, …) broken by a zero-width space. */
function breakMarkers(code: string, markers: readonly string[]): string {
  return markers.reduce((text, marker) => {
    const char = marker.charAt(0).replace(/[*|]/, "\\$&");
    return text.replace(new RegExp(`(?<=${char})${char}`, "g"), `\u200B${marker.charAt(0)}`);
  }, code);
}

/** Code may not hold ``` inside a fence: a zero-width space breaks each run of three. */
export function breakFences(code: string): string {
  return code.replace(/(?<=``)`/g, "\u200B`");
}
