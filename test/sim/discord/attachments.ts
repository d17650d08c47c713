import { AttachmentFlags, type APIEmbed } from "discord.js";
import type { Cdn } from "./cdn.js";
import { errors } from "./errors.js";
import { imageInfo } from "./image.js";
import type { AttachmentRecord } from "./model.js";
import type { SimState } from "./state.js";

/** A file being attached, from a multipart request or a simulated user's upload. */
export interface Upload {
  filename: string;
  bytes: Buffer;
  /** Type the uploader declared; Discord trusts the file itself and its extension first. */
  contentType?: string;
  description?: string;
  spoiler?: boolean;
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/x-wav",
  txt: "text/plain; charset=utf-8",
  json: "application/json; charset=utf-8",
  pdf: "application/pdf",
  zip: "application/zip",
};

function contentTypeOf(upload: Upload, sniffed: string | undefined): string | undefined {
  const extension = upload.filename.split(".").pop()?.toLowerCase() ?? "";
  const declared = upload.contentType && upload.contentType !== "application/octet-stream" ? upload.contentType : undefined;
  return sniffed ?? TYPES_BY_EXTENSION[extension] ?? declared;
}

/** Discord replaces whitespace in uploaded file names with underscores. */
export function sanitizeFilename(filename: string): string {
  return filename.trim().replace(/\s+/g, "_") || "unknown";
}

/** Stores the files on the CDN and describes them the way Discord does (size, type, image dimensions). */
export function storeUploads(
  state: SimState,
  cdn: Cdn,
  channelId: string,
  uploads: Upload[],
  limitBytes: number,
): AttachmentRecord[] {
  if (uploads.some((upload) => upload.bytes.length > limitBytes)) throw errors.entityTooLarge();
  return uploads.map((upload) => {
    const id = state.ids.next();
    const filename = sanitizeFilename(upload.filename);
    const blobKey = `attachments/${channelId}/${id}/${filename}`;
    const image = imageInfo(upload.bytes);
    const contentType = contentTypeOf(upload, image?.contentType);
    cdn.put(blobKey, upload.bytes, contentType);
    return {
      id,
      filename,
      size: upload.bytes.length,
      blobKey,
      flags: upload.spoiler ? AttachmentFlags.IsSpoiler : 0,
      ...(contentType ? { contentType } : {}),
      ...(image ? { width: image.width, height: image.height } : {}),
      ...(upload.description ? { description: upload.description } : {}),
    };
  });
}

/**
 * Embeds may point at uploaded files as `attachment://name`; Discord swaps in the file's CDN address and leaves
 * such files out of the message's attachment list. Embeds are always "rich" when sent through the API.
 */
export function attachEmbeds(
  embeds: APIEmbed[],
  attachments: AttachmentRecord[],
  urls: (attachment: AttachmentRecord) => { url: string; proxy_url: string },
): { embeds: APIEmbed[]; attachments: AttachmentRecord[] } {
  const used = new Set<string>();
  const resolve = <T extends { url?: string; icon_url?: string }>(media: T | undefined, key: "url" | "icon_url"): T | undefined => {
    const reference = media?.[key];
    if (!media || !reference?.startsWith("attachment://")) return media;
    const attachment = attachments.find((candidate) => candidate.filename === sanitizeFilename(reference.slice(13)));
    if (!attachment) return media;
    used.add(attachment.id);
    const { url, proxy_url } = urls(attachment);
    return key === "url"
      ? { ...media, url, proxy_url, width: attachment.width, height: attachment.height }
      : { ...media, icon_url: url, proxy_icon_url: proxy_url };
  };
  const resolved = embeds.map((embed) => ({
    ...structuredClone(embed),
    type: "rich" as APIEmbed["type"],
    ...(embed.image ? { image: resolve(embed.image, "url") } : {}),
    ...(embed.thumbnail ? { thumbnail: resolve(embed.thumbnail, "url") } : {}),
    ...(embed.author ? { author: resolve(embed.author, "icon_url") } : {}),
    ...(embed.footer ? { footer: resolve(embed.footer, "icon_url") } : {}),
  })) as APIEmbed[];
  return { embeds: resolved, attachments: attachments.filter((attachment) => !used.has(attachment.id)) };
}
