// reactions.add / remove / get on messages.
import { react } from "../actions/messages.js";
import { canonicalReactionName } from "../emoji.js";
import { channelArg, forBotsAndUsers, messageArg, requireMember, type ApiCall, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

function target(call: ApiCall) {
  const channel = channelArg(call);
  if (call.caller.kind === "bot") requireMember(call, channel);
  const message = messageArg(call, channel, "timestamp");
  return { channel, message };
}

function reactionName(call: ApiCall): string {
  const name = canonicalReactionName(call.caller.team, call.params.require("name", "invalid_name"));
  if (!name) throw new SlackApiError("invalid_name");
  return name;
}

export const reactionMethods: MethodTable = {
  "reactions.add": forBotsAndUsers((call) => {
    const { channel, message } = target(call);
    if (channel.isArchived) throw new SlackApiError("is_archived");
    const name = reactionName(call);
    if (message.reactions.some((reaction) => reaction.name === name && reaction.users.includes(call.caller.userId!))) {
      throw new SlackApiError("already_reacted");
    }
    react(call.deps.context, channel, message, call.caller.userId!, name, true);
    return {};
  }),

  "reactions.remove": forBotsAndUsers((call) => {
    const { channel, message } = target(call);
    const name = reactionName(call);
    if (!message.reactions.some((reaction) => reaction.name === name && reaction.users.includes(call.caller.userId!))) {
      throw new SlackApiError("no_reaction");
    }
    react(call.deps.context, channel, message, call.caller.userId!, name, false);
    return {};
  }),

  "reactions.get": forBotsAndUsers((call) => {
    const { channel, message } = target(call);
    return { type: "message", channel: channel.id, message: call.deps.context.serialize.message(message) };
  }),
};
