// The scopes a user token (xoxp-) needs for each method, from Slack's method reference. Slack answers
// missing_scope, naming what was needed, when the person did not grant one of them. Bot tokens are not checked:
// the app's bot scopes are fixed at install time and the tests choose them.
import type { Channel } from "../model.js";
import type { SimState } from "../state.js";
import type { Caller, Params } from "./params.js";

type ChannelAccess = "read" | "history" | "write";

/** Which of channels:/groups:/im:/mpim: a conversation's methods need. */
function forConversation(channel: Channel | undefined, access: ChannelAccess): string[] {
  if (!channel) return [];
  const family = channel.kind === "im" ? "im" : channel.kind === "mpim" ? "mpim" : channel.isPrivate ? "groups" : "channels";
  return [`${family}:${access}`];
}

const FIXED: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.meMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "reactions.add": ["reactions:write"],
  "reactions.remove": ["reactions:write"],
  "reactions.get": ["reactions:read"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
  "files.info": ["files:read"],
  "users.info": ["users:read"],
  "users.list": ["users:read"],
  "bots.info": ["users:read"],
  "team.info": ["team:read"],
  "emoji.list": ["emoji:read"],
  "usergroups.list": ["usergroups:read"],
};

/** Any one of these scopes allows the call; empty when the method needs none (auth.test). */
export function userScopesNeeded(method: string, params: Params, state: SimState, caller: Caller): string[] {
  if (method in FIXED) return FIXED[method]!;
  const channelId = params.string("channel");
  const channel = channelId ? state.findChannel(caller.team.id, channelId) : undefined;
  switch (method) {
    case "conversations.info":
    case "conversations.members":
      return forConversation(channel, "read");
    case "conversations.history":
    case "conversations.replies":
      return forConversation(channel, "history");
    case "conversations.list":
      return ["channels:read", "groups:read", "im:read", "mpim:read"];
    case "conversations.open": {
      if (channel) return forConversation(channel, "write");
      const others = (params.string("users") ?? "").split(",").filter(Boolean);
      return [others.length > 1 ? "mpim:write" : "im:write"];
    }
    default:
      return [];
  }
}
