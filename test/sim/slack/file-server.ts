// File bytes over plain HTTP, as files.slack.com serves them: upload URLs that take the bytes (raw, or as a
// multipart part the way @slack/web-api sends them), and url_private downloads that need
// "Authorization: Bearer" with a token of the file's workspace. Without one, Slack redirects to its sign-in
// page, so a client that forgot the header gets HTML rather than the file.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StoredFile } from "./model.js";
import type { SimState } from "./state.js";
import type { SimUrls } from "./urls.js";

const SIGN_IN_PAGE = `<!DOCTYPE html><html><head><title>Slack</title></head><body><h1>Sign in to your workspace</h1></body></html>`;

async function uploadedBytes(request: IncomingMessage, body: Buffer): Promise<Buffer> {
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return body;
  const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  const part = [...form.values()].find((value): value is File => typeof value !== "string");
  return part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
}

export class FileServer {
  constructor(
    private readonly state: SimState,
    private readonly urls: SimUrls,
  ) {}

  /** POST to an upload URL. Slack answers "OK - <bytes>"; each URL takes one upload. */
  async receiveUpload(request: IncomingMessage, response: ServerResponse, fileId: string, body: Buffer): Promise<void> {
    const file = this.state.files.get(fileId);
    if (!file || file.bytes) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    file.bytes = await uploadedBytes(request, body);
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(`OK - ${file.bytes.length}`);
  }

  /** GET /files-pri/T…-F…/… and /files-tmb/T…-F…/… (thumbnails are served as the original bytes). */
  serveFile(request: IncomingMessage, response: ServerResponse, teamAndFile: string): void {
    const file = this.findFile(teamAndFile);
    if (!file?.bytes) {
      response.writeHead(404, { "content-type": "text/html" }).end("<html><body>File not found</body></html>");
      return;
    }
    if (!this.authorized(request, file)) {
      response.writeHead(302, { location: this.urls.signIn(new URL(request.url ?? "/", "http://sim").pathname) }).end();
      return;
    }
    const disposition = /\/download\//.test(request.url ?? "") ? `attachment; filename="${encodeURIComponent(file.name)}"` : "inline";
    response
      .writeHead(200, { "content-type": file.mimetype, "content-length": file.bytes.length, "content-disposition": disposition })
      .end(file.bytes);
  }

  /** Custom emoji and avatars: public, like Slack's CDN. */
  servePublicAsset(response: ServerResponse, path: string): boolean {
    const asset = this.state.publicAssets.get(path);
    if (!asset) return false;
    response.writeHead(200, { "content-type": asset.mimetype, "content-length": asset.bytes.length }).end(asset.bytes);
    return true;
  }

  serveSignInPage(response: ServerResponse): void {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(SIGN_IN_PAGE);
  }

  private findFile(teamAndFile: string): StoredFile | undefined {
    const [teamId, fileId] = teamAndFile.split("-");
    const file = this.state.files.get(fileId ?? "");
    return file?.teamId === teamId ? file : undefined;
  }

  /** A token of the file's workspace whose bot or person uploaded the file or can see a conversation it is shared in. */
  private authorized(request: IncomingMessage, file: StoredFile): boolean {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const owner = token && !this.state.revokedTokens.has(token) ? this.state.tokens.get(token) : undefined;
    if (owner === undefined || owner.kind === "app" || owner.teamId !== file.teamId) return false;
    return file.userId === owner.userId || file.shares.some((share) => this.state.canSee(this.state.channel(share.channelId), owner.userId));
  }
}
