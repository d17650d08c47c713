import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Cdn } from "./cdn.js";
import { DiscordApiError, errors } from "./errors.js";
import type { RateLimiter } from "./rate-limits.js";
import { majorParameter, matchRoute, type Auth, type RestRequest, type RestResult, type Route, type UploadedFile } from "./router.js";

/** One REST call as the simulator saw it, for assertions. */
export interface LoggedRequest {
  method: string;
  /** Relative to /api/v10, without the query. */
  path: string;
  query: Record<string, string>;
  auth: Auth["kind"] | "invalid";
  body: Record<string, any>;
  files: Array<{ field: string; filename: string; size: number; contentType?: string }>;
  status: number;
}

export interface HttpOptions {
  routes: Route[];
  cdn: Cdn;
  rateLimiter: RateLimiter;
  botToken: string;
  bearer(token: string): { userId: string; scopes: string[] } | undefined;
}

const API_PREFIX = "/api/v10";
/** Discord's limit for a whole request; single files are held to the (smaller) upload limit separately. */
const MAX_REQUEST_BYTES = 25 * 1024 * 1024;

/** The HTTP side: REST under /api/v10, CDN files under /cdn and /media, with Discord's headers and error bodies. */
export class HttpFrontend {
  readonly server: Server = createServer((request, response) => void this.handle(request, response));
  readonly requests: LoggedRequest[] = [];

  constructor(private readonly options: HttpOptions) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (/^\/(cdn|media)\//.test(url.pathname)) {
      const file = this.options.cdn.serve(url.pathname, url.searchParams);
      response.writeHead(file.status, { "Content-Type": file.contentType, "Content-Length": file.body.length });
      response.end(request.method === "HEAD" ? undefined : file.body);
      return;
    }
    const method = request.method ?? "GET";
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
    const match = path === undefined ? undefined : matchRoute(this.options.routes, method, path);
    const log: LoggedRequest = {
      method,
      path: path ?? url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: "none",
      body: {},
      files: [],
      status: 0,
    };
    let headers: Record<string, string> = {};
    let result: RestResult;
    try {
      const raw = await readBody(request);
      if (!match) throw errors.notFound();
      if (match === "method") throw new DiscordApiError(405, 0, "405: Method Not Allowed");
      const verdict = this.options.rateLimiter.check(method, path!, `${method} ${match.route.template}`, majorParameter(match.params));
      headers = verdict.headers;
      const auth = this.authenticate(request.headers.authorization);
      log.auth = auth?.kind ?? "invalid";
      if (verdict.failure) {
        result = verdict.failure;
      } else {
        const { body, files } = await parseBody(request.headers["content-type"], raw);
        log.body = body;
        log.files = files.map(({ field, filename, bytes, contentType }) => ({ field, filename, size: bytes.length, contentType }));
        if (!permits(match.route.auth, auth)) throw errors.unauthorized();
        result = await match.route.handle({
          method, path: path!, params: match.params, query: url.searchParams, headers: request.headers,
          auth: auth ?? { kind: "none" }, body, files,
        });
        if (verdict.failureAfterRunning) result = verdict.failureAfterRunning;
      }
    } catch (error) {
      result = failure(error);
    }
    log.status = result.status;
    this.requests.push(log);
    const json = result.body === undefined ? undefined : JSON.stringify(result.body);
    response.writeHead(result.status, { ...headers, ...(json ? { "Content-Type": "application/json" } : {}) });
    response.end(json);
  }

  /** undefined means a token was given but is wrong. */
  private authenticate(header: string | undefined): Auth | undefined {
    if (!header) return { kind: "none" };
    if (header === `Bot ${this.options.botToken}`) return { kind: "bot" };
    const bearer = /^Bearer (.+)$/.exec(header);
    const grant = bearer ? this.options.bearer(bearer[1]!) : undefined;
    if (grant) return { kind: "bearer", ...grant };
    return header.startsWith("Basic ") ? { kind: "none" } : undefined;
  }
}

function permits(requirement: Route["auth"], auth: Auth | undefined): boolean {
  if (requirement === "none") return true;
  if (auth?.kind === "bot") return true;
  return requirement === "bot-or-bearer" && auth?.kind === "bearer";
}

function failure(error: unknown): RestResult {
  if (error instanceof DiscordApiError) return { status: error.status, body: error.body() };
  console.error("Discord simulator: unexpected error while handling a request", error);
  return { status: 500, body: { message: "500: Internal Server Error", code: 0 } };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw errors.entityTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: Record<string, any>; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: {}, files: [] };
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  const json = (text: string) => {
    try {
      const parsed = JSON.parse(text);
      return typeof parsed === "object" && parsed !== null ? parsed : {};
    } catch {
      throw errors.invalidJson();
    }
  };
  if (type === "application/x-www-form-urlencoded") return { body: Object.fromEntries(new URLSearchParams(raw.toString())), files: [] };
  if (type !== "multipart/form-data") return { body: json(raw.toString()), files: [] };

  const form = await new Response(raw, { headers: { "content-type": contentType! } }).formData();
  let body: Record<string, any> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === "string") {
      if (field === "payload_json") body = { ...body, ...json(value) };
      else body[field] = value;
      continue;
    }
    const index = Number(/\[(\d+)\]$/.exec(field)?.[1] ?? files.length);
    files.push({
      field,
      index,
      filename: value.name,
      ...(value.type ? { contentType: value.type } : {}),
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body, files };
}
