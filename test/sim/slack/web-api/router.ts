// The Web API front door: reads arguments the ways Slack accepts them (form-urlencoded, JSON with a Bearer
// token, multipart, query string), resolves the token, applies injected failures, runs the method and answers
// as Slack does: HTTP 200 with {ok: true, ...} or {ok: false, error}, and 429 + Retry-After when rate limited.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Json } from "../model.js";
import { authMethods } from "./auth.js";
import { chatMethods } from "./chat.js";
import { conversationMethods } from "./conversations.js";
import { directoryMethods } from "./directory.js";
import { fileMethods } from "./files.js";
import type { MethodTable, WebApiDeps } from "./method.js";
import { Params, SlackApiError, type Caller } from "./params.js";
import { reactionMethods } from "./reactions.js";
import { userScopesNeeded } from "./user-scopes.js";

/**
 * A failure to answer with. An `http` fault with `afterRunning` lets the call take effect and
 * loses its answer, as when a proxy or load balancer in front of Slack times out.
 */
export type Fault = { kind: "ratelimited"; retryAfterSeconds: number } | { kind: "http"; status: number; afterRunning?: boolean };

export interface ApiRequestRecord {
  method: string;
  params: Record<string, unknown>;
  tokenKind?: Caller["kind"];
  status: number;
  response: Json;
}

const METHODS: MethodTable = {
  ...authMethods, ...chatMethods, ...conversationMethods, ...reactionMethods, ...directoryMethods, ...fileMethods,
};

async function readArguments(request: IncomingMessage, body: Buffer): Promise<{ raw: Record<string, unknown>; isJson: boolean }> {
  const raw: Record<string, unknown> = Object.fromEntries(new URL(request.url ?? "/", "http://sim").searchParams);
  const contentType = request.headers["content-type"] ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") {
    try {
      Object.assign(raw, JSON.parse(body.toString("utf8") || "{}"));
    } catch {
      throw new SlackApiError("invalid_json");
    }
    return { raw, isJson: true };
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    Object.assign(raw, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  } else if (mediaType === "multipart/form-data") {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    for (const [name, value] of form) if (typeof value === "string") raw[name] = value;
  }
  return { raw, isJson: false };
}

export class WebApi {
  readonly requests: ApiRequestRecord[] = [];
  private readonly faults = new Map<string, Fault[]>();

  constructor(private readonly deps: WebApiDeps) {}

  /** The next `count` calls to `method` fail with `fault` instead of running. */
  failNext(method: string, count: number, fault: Fault): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  async handle(request: IncomingMessage, response: ServerResponse, method: string, body: Buffer): Promise<void> {
    const record: ApiRequestRecord = { method, params: {}, status: 200, response: {} };
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    try {
      const { raw, isJson } = await readArguments(request, body);
      record.params = raw;
      const fault = this.faults.get(method)?.shift();
      if (fault?.kind === "ratelimited") {
        record.status = 429;
        headers["retry-after"] = String(fault.retryAfterSeconds);
        throw new SlackApiError("ratelimited");
      }
      if (fault?.kind === "http" && !fault.afterRunning) throw this.httpFailure(record, fault.status);
      const spec = METHODS[method];
      if (!spec) throw new SlackApiError("unknown_method", { req_method: method });
      const params = new Params(raw);
      if (spec.tokens === "none") {
        record.response = { ok: true, ...(await spec.run({ params, deps: this.deps })) };
      } else {
        const caller = this.resolveCaller(request, raw, isJson);
        record.tokenKind = caller.kind;
        if (!spec.tokens.includes(caller.kind)) throw new SlackApiError("not_allowed_token_type");
        if (caller.kind !== "app") headers["x-oauth-scopes"] = caller.scopes.join(",");
        if (caller.kind === "user") {
          const needed = userScopesNeeded(method, params, this.deps.context.state, caller);
          if (needed.length > 0 && !needed.some((scope) => caller.scopes.includes(scope))) {
            throw new SlackApiError("missing_scope", { needed: needed.join(","), provided: caller.scopes.join(",") });
          }
        }
        record.response = { ok: true, ...(await spec.run({ params, caller, deps: this.deps })) };
      }
      if (fault?.kind === "http") throw this.httpFailure(record, fault.status);
    } catch (error) {
      if (!(error instanceof SlackApiError)) {
        record.status = 500;
        record.response = { ok: false, error: "internal_error", sim_error: String(error instanceof Error ? error.stack : error) };
      } else {
        record.response = { ok: false, error: error.code, ...error.extra };
      }
    }
    this.requests.push(record);
    response.writeHead(record.status, headers).end(JSON.stringify(record.response));
  }

  private httpFailure(record: ApiRequestRecord, status: number): SlackApiError {
    record.status = status;
    return new SlackApiError(status === 503 ? "service_unavailable" : "internal_error");
  }

  /** Slack takes the token from the Authorization header, or from a `token` argument unless the body is JSON. */
  private resolveCaller(request: IncomingMessage, raw: Record<string, unknown>, isJson: boolean): Caller {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const token = bearer ?? (isJson ? undefined : (raw.token as string | undefined));
    if (!token) throw new SlackApiError("not_authed");
    const owner = this.deps.context.state.tokens.get(token);
    if (!owner) throw new SlackApiError("invalid_auth");
    if (this.deps.context.state.revokedTokens.has(token)) throw new SlackApiError("token_revoked");
    const team = this.deps.context.state.team(owner.teamId);
    switch (owner.kind) {
      case "bot":
        return { team, kind: "bot", userId: owner.userId, scopes: team.bot.scopes, token };
      case "user":
        return { team, kind: "user", userId: owner.userId, scopes: owner.scopes, token };
      case "app":
        return { team, kind: "app", scopes: ["connections:write"], token };
    }
  }
}
