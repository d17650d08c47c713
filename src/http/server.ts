import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "winston";

export interface Request {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  params: Record<string, string>;
  /** The body, read only by routes that ask for it, up to the route's limit. */
  body(): Promise<Buffer>;
}

export interface Response {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (request: Request) => Promise<Response>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  maxBodyBytes: number;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly errcode: string, message: string) {
    super(message);
  }
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

function readBody(message: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, "M_TOO_LARGE", `request body over ${limit} bytes`));
        message.destroy();
        return;
      }
      chunks.push(chunk);
    });
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

/**
 * Parley's one HTTP listener: the appservice API the homeserver calls, and the public
 * routes people's browsers and the remote networks reach (avatars, media, OAuth).
 * A few routes do not justify a web framework; this keeps every byte in view.
 */
export class HttpServer {
  private readonly routes: Route[] = [];
  private server?: Server;

  constructor(private readonly log: Logger) {}

  /** `path` may hold `:name` segments, matched without slashes and URL-decoded. */
  route(method: string, path: string, handler: Handler, maxBodyBytes = DEFAULT_BODY_LIMIT): void {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([a-zA-Z]+)/g, (_match, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler, maxBodyBytes });
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: Response;
    const url = new URL(req.url ?? "/", "http://parley.invalid");
    try {
      response = await this.handle(req, url);
    } catch (error) {
      if (error instanceof HttpError) {
        response = { status: error.status, body: { errcode: error.errcode, error: error.message } };
      } else {
        this.log.error("HTTP handler failed", { path: url.pathname, error });
        response = { status: 500, body: { errcode: "M_UNKNOWN", error: "internal error" } };
      }
    }
    this.log.debug("HTTP request", { method: req.method, path: url.pathname, status: response.status });
    const isBytes = Buffer.isBuffer(response.body);
    const headers = { ...(isBytes ? {} : { "content-type": "application/json" }), ...response.headers };
    res.writeHead(response.status, headers);
    if (response.body === undefined) res.end();
    else res.end(isBytes ? (response.body as Buffer) : typeof response.body === "string" ? response.body : JSON.stringify(response.body));
  }

  private async handle(req: IncomingMessage, url: URL): Promise<Response> {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] as string);
      });
      return route.handler({
        method: req.method,
        url,
        headers: req.headers,
        params,
        body: () => readBody(req, route.maxBodyBytes),
      });
    }
    return pathMatched
      ? { status: 405, body: { errcode: "M_UNRECOGNIZED", error: "method not allowed" } }
      : { status: 404, body: { errcode: "M_UNRECOGNIZED", error: "unknown endpoint" } };
  }
}

export async function readJson(request: Request): Promise<unknown> {
  const body = await request.body();
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "M_NOT_JSON", "the body is not valid JSON");
  }
}
