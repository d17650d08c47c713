import type { MediaKind } from "./events.js";

/** What kind of media a MIME type is, as Matrix's msgtypes tell them apart. */
export function mediaKindOf(mimetype: string | undefined): MediaKind {
  const family = mimetype?.split("/")[0]?.trim().toLowerCase();
  return family === "image" || family === "video" || family === "audio" ? family : "file";
}
