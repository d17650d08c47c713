/**
 * A Discord message (the payload of MESSAGE_CREATE or MESSAGE_UPDATE) -> what Matrix should
 * show: its style, its text as the network-neutral tree, and its files. A pure function of
 * the payload and a lookup context the connector fills beforehand, tested as a table of
 * real payloads.
 *
 * Styles, both ways (the outgoing side in outgoing.ts):
 * - Discord's `/me` posts the text in underscores; a message that is one `_italic_` run is
 *   read as an emote (`m.emote`), and an emote from Matrix is written that way.
 * - A message sent with `@silent` (the SUPPRESS_NOTIFICATIONS flag) notifies nobody, which
 *   is what `m.notice` means in Matrix; each becomes the other.
 */
import {
  AttachmentFlags, MessageFlags, StickerFormatType, type APIAttachment, type APIMessage, type APIPoll, type APIPollMedia, type APIStickerItem,
} from "discord.js";
import type { MessageStyle, RemoteContent, RemoteMedia } from "../../core/events.js";
import { mediaKindOf } from "../../core/media-kind.js";
import type { Block, Document, Inline } from "../../core/format/ast.js";
import type { DiscordParseContext } from "./convert/context.js";
import { parseDiscordMarkdown } from "./convert/markdown-parse.js";
import { embedBlocks } from "./embeds.js";

/** The fields of a message that decide what it shows. */
export type MessageFields = Pick<APIMessage, "content" | "attachments" | "embeds" | "flags"> &
  Partial<Pick<APIMessage, "sticker_items" | "message_snapshots" | "poll">>;

const SPOILER_PREFIX = "SPOILER_";
const EMOTE = /^_(?!_)[\s\S]*[^_\\]_$/;

export function messageContent(message: MessageFields, ctx: DiscordParseContext, cdnUrl: string): RemoteContent {
  const parsed = parseDiscordMarkdown(message.content, ctx);
  const emote = emoteText(message.content, parsed);
  const style: MessageStyle = ((message.flags ?? 0) & MessageFlags.SuppressNotifications) !== 0 ? "notice" : emote ? "emote" : "text";
  const text: Document = [...(emote ?? parsed), ...embedBlocks(message.embeds ?? [], ctx)];
  const media = message.attachments.map(attachmentMedia);
  const stickers = message.sticker_items ?? [];
  for (const sticker of stickers) {
    const image = stickerMedia(sticker, cdnUrl);
    if (image) media.push(image);
    else text.push(paragraph({ type: "text", text: `[sticker: ${sticker.name}]` }));
  }
  if (message.poll) text.push(...pollBlocks(message.poll));
  for (const snapshot of message.message_snapshots ?? []) {
    const forwarded = messageContent(snapshot.message, ctx, cdnUrl);
    text.push({ type: "quote", children: [paragraph({ type: "italic", children: [{ type: "text", text: "Forwarded" }] }), ...forwarded.text] });
    media.push(...forwarded.media);
  }
  return { style, text, media };
}

/** Matrix clients show polls of their own kind only: a Discord poll is shown as its question and answers. */
function pollBlocks(poll: APIPoll): Block[] {
  const media = (item: APIPollMedia): string => [item.emoji?.name, item.text].filter((part) => part).join(" ");
  return [
    paragraph({ type: "text", text: "📊 " }, { type: "bold", children: [{ type: "text", text: media(poll.question) }] }),
    { type: "list", ordered: true, items: poll.answers.map((answer) => [paragraph({ type: "text", text: media(answer.poll_media) })]) },
    paragraph({ type: "italic", children: [{ type: "text", text: "(vote on Discord)" }] }),
  ];
}

/** The emote's text when the whole message is one `_italic_` run, as Discord's `/me` writes it. */
function emoteText(content: string, parsed: Document): Document | undefined {
  if (!EMOTE.test(content.trim()) || parsed.length !== 1) return undefined;
  const [block] = parsed;
  if (block?.type !== "paragraph" || block.children.length !== 1) return undefined;
  const [only] = block.children;
  return only?.type === "italic" ? [paragraph(...only.children)] : undefined;
}

function attachmentMedia(attachment: APIAttachment): RemoteMedia {
  const spoilerName = attachment.filename.startsWith(SPOILER_PREFIX);
  const spoiler = spoilerName || ((attachment.flags ?? 0) & AttachmentFlags.IsSpoiler) !== 0;
  const filename = spoilerName ? attachment.filename.slice(SPOILER_PREFIX.length) || attachment.filename : attachment.filename;
  return {
    kind: mediaKindOf(attachment.content_type),
    url: attachment.url,
    filename,
    size: attachment.size,
    ...(attachment.content_type ? { mimetype: attachment.content_type } : {}),
    ...(typeof attachment.width === "number" ? { width: attachment.width } : {}),
    ...(typeof attachment.height === "number" ? { height: attachment.height } : {}),
    ...(typeof attachment.duration_secs === "number" ? { durationMs: Math.round(attachment.duration_secs * 1000) } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
    ...(spoiler ? { spoiler: true } : {}),
  };
}

const STICKER_FILES: Partial<Record<StickerFormatType, { extension: string; mimetype: string }>> = {
  [StickerFormatType.PNG]: { extension: "png", mimetype: "image/png" },
  [StickerFormatType.APNG]: { extension: "png", mimetype: "image/apng" },
  [StickerFormatType.GIF]: { extension: "gif", mimetype: "image/gif" },
};

/** Image stickers as media; Lottie ones (vector animations Matrix cannot show) are left to their name. */
function stickerMedia(sticker: APIStickerItem, cdnUrl: string): RemoteMedia | undefined {
  const file = STICKER_FILES[sticker.format_type];
  if (!file) return undefined;
  return {
    kind: "sticker",
    url: `${cdnUrl}/stickers/${sticker.id}.${file.extension}`,
    filename: `${sticker.name}.${file.extension}`,
    mimetype: file.mimetype,
    description: sticker.name,
  };
}

function paragraph(...children: Inline[]): Block {
  return { type: "paragraph", children };
}
