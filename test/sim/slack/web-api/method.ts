// The shape every Web API method implementation shares, and the lookups most of them start with.
import type { ActionContext } from "../actions/context.js";
import type { Channel, Json, Message } from "../model.js";
import type { SocketModeHub } from "../socket-mode.js";
import type { SimUrls } from "../urls.js";
import { SlackApiError, type Caller, type Params } from "./params.js";

export interface WebApiDeps {
  context: ActionContext;
  urls: SimUrls;
  socketMode: SocketModeHub;
}

export interface ApiCall {
  params: Params;
  caller: Caller;
  deps: WebApiDeps;
}

export type TokenKind = Caller["kind"];

/** A method with the token types it accepts (others get not_allowed_token_type), or "none" for oauth.v2.access. */
export type MethodSpec =
  | { tokens: TokenKind[]; run(call: ApiCall): Json | Promise<Json> }
  | { tokens: "none"; run(call: Omit<ApiCall, "caller">): Json | Promise<Json> };

export type MethodTable = Record<string, MethodSpec>;

type Run<Call> = (call: Call) => Json | Promise<Json>;

export const forTokens = (tokens: TokenKind[], run: Run<ApiCall>): MethodSpec => ({ tokens, run });

/** Most methods: bot and user tokens may call them, app-level tokens may not. */
export const forBotsAndUsers = (run: Run<ApiCall>): MethodSpec => forTokens(["bot", "user"], run);

export const withoutToken = (run: Run<Omit<ApiCall, "caller">>): MethodSpec => ({ tokens: "none", run });

/** The channel named by `name`, as the caller may see it; Slack hides private channels from non-members. */
export function channelArg(call: ApiCall, name = "channel"): Channel {
  const { state } = call.deps.context;
  const channel = state.findChannel(call.caller.team.id, call.params.require(name, "channel_not_found"));
  if (!channel || !state.canSee(channel, call.caller.userId ?? "")) throw new SlackApiError("channel_not_found");
  return channel;
}

export function requireMember(call: ApiCall, channel: Channel): void {
  if (!channel.members.has(call.caller.userId ?? "")) throw new SlackApiError("not_in_channel");
}

export function messageArg(call: ApiCall, channel: Channel, name = "ts"): Message {
  const message = call.deps.context.state.findMessage(channel, call.params.require(name, "message_not_found"));
  if (!message) throw new SlackApiError("message_not_found");
  return message;
}

/** Slack's cursor pagination: an opaque next_cursor, empty on the last page. */
export function paginate<T>(items: T[], params: Params, defaultLimit: number, maxLimit = 1000): { page: T[]; nextCursor: string } {
  const limit = Math.min(params.int("limit") || defaultLimit, maxLimit);
  const cursor = params.string("cursor");
  let start = 0;
  if (cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
    if (!decoded) throw new SlackApiError("invalid_cursor");
    start = Number(decoded[1]);
  }
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(`offset:${start + limit}`).toString("base64") : "";
  return { page, nextCursor: next };
}
