import { createHmac, timingSafeEqual } from "node:crypto";
import type { Logger } from "winston";
import type { MediaLinks } from "../core/media-links.js";
import type { MatrixApi } from "../core/matrix-api.js";
import { HttpError, type HttpServer } from "../http/server.js";

const MXC = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/;

/**
 * Signed public links to Matrix media: `/media/<server>/<id>/<signature>/<filename>`.
 * The signature (an HMAC under a key only Parley knows) stops the route from being an
 * open proxy to the homeserver's media; the links do not expire, because an avatar URL
 * a network has cached must keep working.
 */
export class SignedMediaLinks implements MediaLinks {
  constructor(private readonly publicUrl: string, private readonly key: Buffer) {}

  private sign(server: string, mediaId: string): string {
    return createHmac("sha256", this.key).update(`${server}/${mediaId}`).digest("base64url").slice(0, 32);
  }

  verify(server: string, mediaId: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(server, mediaId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private link(mxc: string, filename: string): string {
    const match = MXC.exec(mxc);
    if (!match) throw new Error(`not an mxc URI: ${mxc}`);
    const [, server, mediaId] = match as unknown as [string, string, string];
    return `${this.publicUrl}/media/${encodeURIComponent(server)}/${mediaId}/${this.sign(server, mediaId)}/${encodeURIComponent(filename)}`;
  }

  avatarUrl(mxc: string): string {
    return this.link(mxc, "avatar");
  }

  fileUrl(mxc: string, filename: string): string {
    return this.link(mxc, filename || "file");
  }
}

export function addMediaRoutes(server: HttpServer, links: SignedMediaLinks, matrix: MatrixApi, log: Logger): void {
  server.route("GET", "/media/:server/:mediaId/:signature/:filename", async (request) => {
    const { server: mediaServer = "", mediaId = "", signature = "", filename = "file" } = request.params;
    if (!links.verify(mediaServer, mediaId, signature)) throw new HttpError(404, "M_NOT_FOUND", "no such media");
    try {
      const media = await matrix.download(`mxc://${mediaServer}/${mediaId}`);
      const safeName = filename.replace(/["\\\r\n]/g, "_");
      return {
        status: 200,
        headers: {
          "content-type": media.mimetype,
          "content-disposition": `inline; filename="${safeName}"`,
          "cache-control": "public, max-age=86400",
          // The bytes are someone's upload: never let a browser run them as a page of ours.
          "content-security-policy": "sandbox; default-src 'none'",
          "x-content-type-options": "nosniff",
        },
        body: media.bytes,
      };
    } catch (error) {
      log.warn("Could not serve media", { mediaId, error: (error as Error).message });
      throw new HttpError(404, "M_NOT_FOUND", "media not available");
    }
  });
}
