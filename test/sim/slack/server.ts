// The simulator's single loopback origin, routing each path to what Slack serves there.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FileServer } from "./file-server.js";
import type { SocketModeHub } from "./socket-mode.js";
import type { WebApi } from "./web-api/router.js";

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface Routes {
  webApi: WebApi;
  files: FileServer;
  socketMode: SocketModeHub;
}

/**
 * Listening comes first and routing second: the routes need to know the origin (every URL Slack hands out
 * names it), and the origin is only known once the port is.
 */
export class SimHttpServer {
  private readonly server: Server;
  private routes?: Routes;

  constructor() {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end(String(error));
      });
    });
    this.server.on("upgrade", (request, socket, head) => {
      const isSocketMode = new URL(request.url ?? "/", "http://sim").pathname === "/link/";
      if (isSocketMode && this.routes) this.routes.socketMode.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
  }

  serve(routes: Routes): void {
    this.routes = routes;
  }

  /** Listens on 127.0.0.1 at a free port and returns the origin ("http://127.0.0.1:PORT"). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`));
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://sim").pathname;
    const body = await readBody(request);
    const routes = this.routes;
    if (!routes) {
      response.writeHead(503, { "content-type": "text/plain" }).end("starting");
      return;
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (api) return routes.webApi.handle(request, response, api[1]!, body);
    const upload = /^\/upload\/v1\/(F\w+)$/.exec(path);
    if (upload && request.method === "POST") return routes.files.receiveUpload(request, response, upload[1]!, body);
    const file = /^\/files-(?:pri|tmb)\/([\w-]+?)\//.exec(path);
    if (file && request.method === "GET") return routes.files.serveFile(request, response, file[1]!);
    if (request.method === "GET" && routes.files.servePublicAsset(response, path)) return;
    if (path === "/" && request.method === "GET") return routes.files.serveSignInPage(response);
    response.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
  }
}
