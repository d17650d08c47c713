import type { IncomingHttpHeaders } from "node:http";

/** Who is calling: the bot's token, a user's OAuth2 bearer token, or nobody (webhook tokens, token exchange). */
export type Auth = { kind: "bot" } | { kind: "bearer"; userId: string; scopes: string[] } | { kind: "none" };

export interface UploadedFile {
  /** Form field name, e.g. "files[0]". */
  field: string;
  /** The n of files[n], which attachment metadata refers to by `id`. */
  index: number;
  filename: string;
  contentType?: string;
  bytes: Buffer;
}

export interface RestRequest {
  method: string;
  /** Relative to /api/v10. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  auth: Auth;
  /** JSON body, `payload_json` of a multipart body, or form fields. */
  body: Record<string, any>;
  files: UploadedFile[];
}

export interface RestResult {
  status: number;
  /** Absent for 204 No Content. */
  body?: unknown;
}

export type AuthRequirement = "bot" | "bot-or-bearer" | "none";

export interface Route {
  method: string;
  template: string;
  auth: AuthRequirement;
  handle(request: RestRequest): RestResult | Promise<RestResult>;
}

export function route(method: string, template: string, handle: Route["handle"], auth: AuthRequirement = "bot"): Route {
  return { method, template, auth, handle };
}

export const ok = (body: unknown): RestResult => ({ status: 200, body });
export const created = (body: unknown): RestResult => ({ status: 201, body });
export const noContent = (): RestResult => ({ status: 204 });

export type RouteMatch = { route: Route; params: Record<string, string> };

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index]!;
    if (part.startsWith(":")) {
      if (!value) return undefined;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

const literalSegments = (template: string) => template.split("/").filter((part) => !part.startsWith(":")).length;

/** The most specific route for the path ("/@me" beats "/:user_id"); "method" when only the method is wrong. */
export function matchRoute(routes: Route[], method: string, path: string): RouteMatch | "method" | undefined {
  const candidates = routes
    .map((candidate) => ({ route: candidate, params: matchTemplate(candidate.template, path) }))
    .filter((match): match is RouteMatch => match.params !== undefined)
    .sort((a, b) => literalSegments(b.route.template) - literalSegments(a.route.template));
  if (candidates.length === 0) return undefined;
  return candidates.find((match) => match.route.method === method) ?? "method";
}

/** Rate limits are counted per top-level resource: channel, guild, or webhook id plus token. */
export function majorParameter(params: Record<string, string>): string {
  return params.channel_id ?? params.guild_id ?? (params.webhook_id ? `${params.webhook_id}:${params.token ?? ""}` : "");
}
