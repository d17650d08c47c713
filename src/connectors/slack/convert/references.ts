/**
 * Slack's references (users, channels, user groups, broadcasts, emoji, dates) as inline
 * nodes. mrkdwn writes them as `<@U1>`, `<#C1>`, `:smile:`…, rich text as elements;
 * both parsers resolve them here so the two agree on every fallback.
 */
import { unicodeForShortcode } from "../../../core/format/emoji-shortcodes.js";
import type { SlackParseContext } from "./context.js";
import type { InlineLeaf } from "./inline-tree.js";

export type BroadcastRange = "here" | "channel" | "everyone";

function text(value: string): InlineLeaf {
  return { type: "text", text: value };
}

/** A known user becomes a mention of their Matrix id; anyone else stays readable as `@name`. */
export function userReference(ctx: SlackParseContext, slackUserId: string, nameHint?: string): InlineLeaf {
  const user = ctx.user(slackUserId);
  if (user) return { type: "user_mention", userId: user.matrixUserId, label: user.displayName };
  return text(`@${nameHint || slackUserId}`);
}

/** A bridged channel becomes a room mention; any other channel is shown as `#name`. */
export function channelReference(ctx: SlackParseContext, channelId: string, nameHint?: string): InlineLeaf {
  const channel = ctx.channel(channelId);
  const label = `#${channel?.name || nameHint || channelId}`;
  if (channel?.roomIdOrAlias) return { type: "room_mention", roomIdOrAlias: channel.roomIdOrAlias, label };
  return text(label);
}

/** User groups have no Matrix counterpart: they are shown by handle. */
export function usergroupReference(ctx: SlackParseContext, usergroupId: string, labelHint?: string): InlineLeaf {
  if (labelHint) return text(labelHint.startsWith("@") ? labelHint : `@${labelHint}`);
  return text(`@${ctx.usergroupHandle(usergroupId) ?? usergroupId}`);
}

/** `@here`, `@channel` and `@everyone` ping the room only when the sender is allowed to. */
export function broadcastReference(ctx: SlackParseContext, range: BroadcastRange): InlineLeaf {
  return ctx.allowRoomPings ? { type: "room_ping" } : text(`@${range}`);
}

export function isBroadcastRange(value: unknown): value is BroadcastRange {
  return value === "here" || value === "channel" || value === "everyone";
}

/**
 * An emoji by Slack name, `tone` being Slack's skin tone 2..6: standard emoji become
 * Unicode text, workspace emoji an image. Undefined for names nobody knows, so
 * the caller can leave `:notanemoji:` as the text it was.
 */
export function emojiReference(ctx: SlackParseContext, name: string, tone?: string): InlineLeaf | undefined {
  const unicode = unicodeForShortcode(tone ? `${name}::skin-tone-${tone}` : name);
  if (unicode !== undefined) return text(unicode);
  const custom = ctx.customEmoji(name);
  if (!custom) return undefined;
  return "unicode" in custom ? text(custom.unicode) : { type: "emoji", name, imageUrl: custom.imageUrl };
}

/** Schemes a Matrix client can follow safely; `javascript:` and the like are not among them. */
const SAFE_SCHEMES = new Set(["http", "https", "ftp", "mailto", "tel", "slack", "matrix"]);

/** A link to `href` labelled `label`, or just the label when the scheme is not a safe one. */
export function linkReference(href: string, label: InlineLeaf): InlineLeaf {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  return scheme !== undefined && SAFE_SCHEMES.has(scheme) ? { type: "link", href, children: [label] } : label;
}

/**
 * A date token. Slack renders it in each reader's time zone and language, which Matrix
 * cannot, so the sender's fallback text stands in; without one, the UTC time.
 */
export function dateReference(timestampSeconds: number, fallback?: string, url?: string): InlineLeaf {
  const shown = text(fallback || formatUtc(timestampSeconds));
  return url ? linkReference(url, shown) : shown;
}

function formatUtc(timestampSeconds: number): string {
  const date = new Date(timestampSeconds * 1000);
  if (Number.isNaN(date.getTime())) return String(timestampSeconds);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
