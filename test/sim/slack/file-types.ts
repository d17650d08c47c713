// How Slack describes an uploaded file: its filetype / pretty_type from the name, the mimetype it infers, and
// for images the original dimensions (read from the PNG, GIF or JPEG header, as Slack's thumbnailer does).

interface FileKind {
  filetype: string;
  prettyType: string;
  mimetype: string;
}

const BY_EXTENSION: Record<string, FileKind> = {
  png: { filetype: "png", prettyType: "PNG", mimetype: "image/png" },
  jpg: { filetype: "jpg", prettyType: "JPEG", mimetype: "image/jpeg" },
  jpeg: { filetype: "jpg", prettyType: "JPEG", mimetype: "image/jpeg" },
  gif: { filetype: "gif", prettyType: "GIF", mimetype: "image/gif" },
  webp: { filetype: "webp", prettyType: "WebP", mimetype: "image/webp" },
  txt: { filetype: "text", prettyType: "Plain Text", mimetype: "text/plain" },
  md: { filetype: "markdown", prettyType: "Markdown (raw)", mimetype: "text/plain" },
  json: { filetype: "json", prettyType: "JSON", mimetype: "application/json" },
  js: { filetype: "javascript", prettyType: "JavaScript", mimetype: "text/javascript" },
  ts: { filetype: "typescript", prettyType: "TypeScript", mimetype: "text/plain" },
  py: { filetype: "python", prettyType: "Python", mimetype: "text/plain" },
  pdf: { filetype: "pdf", prettyType: "PDF", mimetype: "application/pdf" },
  zip: { filetype: "zip", prettyType: "Zip", mimetype: "application/zip" },
  mp3: { filetype: "mp3", prettyType: "MP3", mimetype: "audio/mpeg" },
  ogg: { filetype: "ogg", prettyType: "Ogg Vorbis", mimetype: "audio/ogg" },
  mp4: { filetype: "mp4", prettyType: "MPEG 4 Video", mimetype: "video/mp4" },
  webm: { filetype: "webm", prettyType: "WebM", mimetype: "video/webm" },
  mov: { filetype: "mov", prettyType: "QuickTime Movie", mimetype: "video/quicktime" },
};

const BINARY: FileKind = { filetype: "binary", prettyType: "Binary", mimetype: "application/octet-stream" };

/** Slack classifies by extension; an explicit filetype (snippet_type) or mimetype from the uploader wins. */
export function describeFile(name: string, given: { filetype?: string; mimetype?: string } = {}): FileKind {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  const byName = BY_EXTENSION[extension] ?? BINARY;
  const byType = given.filetype ? Object.values(BY_EXTENSION).find((kind) => kind.filetype === given.filetype) : undefined;
  const kind = byType ?? byName;
  return { ...kind, filetype: given.filetype ?? kind.filetype, mimetype: given.mimetype ?? kind.mimetype };
}

export function isImage(mimetype: string): boolean {
  return mimetype.startsWith("image/");
}

export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString("ascii", 0, 3) === "GIF") {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return undefined;
}

/** Walks JPEG segments to the first start-of-frame marker, which holds the dimensions. */
function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    const length = bytes.readUInt16BE(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isStartOfFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return undefined;
}
