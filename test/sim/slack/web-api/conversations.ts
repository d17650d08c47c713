// conversations.* methods. History comes newest first and excludes thread replies (unless broadcast); replies
// come oldest first with the root at the head; both take oldest/latest/inclusive and cursor pagination.
import { joinChannel } from "../actions/channels.js";
import { openConversation } from "../setup.js";
import { compareTs } from "../ids.js";
import type { Channel, Message } from "../model.js";
import { isReply } from "../state.js";
import { channelArg, forBotsAndUsers, paginate, requireMember, type ApiCall, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

function withinRange(call: ApiCall, messages: Message[]): Message[] {
  const oldest = call.params.string("oldest") ?? "0";
  const latest = call.params.string("latest");
  const inclusive = call.params.bool("inclusive") ?? false;
  return messages.filter((message) => {
    const afterOldest = compareTs(message.ts, oldest);
    const beforeLatest = latest === undefined ? -1 : compareTs(message.ts, latest);
    return (inclusive ? afterOldest >= 0 : afterOldest > 0) && (inclusive ? beforeLatest <= 0 : beforeLatest < 0);
  });
}

/** Bots read only channels they are in; people can read any public channel. */
function requireReadable(call: ApiCall, channel: Channel): void {
  if (call.caller.kind === "bot") requireMember(call, channel);
}

export const conversationMethods: MethodTable = {
  "conversations.info": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    const numMembers = call.params.bool("include_num_members") ?? false;
    return { channel: call.deps.context.serialize.channel(channel, call.caller.userId!, { numMembers }) };
  }),

  "conversations.list": forBotsAndUsers((call) => {
    const { state, serialize } = call.deps.context;
    const types = (call.params.string("types") ?? "public_channel").split(",");
    const excludeArchived = call.params.bool("exclude_archived") ?? false;
    const visible = [...state.channels.values()].filter(
      (channel) =>
        channel.teamId === call.caller.team.id &&
        types.includes(channel.kind === "channel" ? (channel.isPrivate ? "private_channel" : "public_channel") : channel.kind) &&
        state.canSee(channel, call.caller.userId!) &&
        !(excludeArchived && channel.isArchived),
    );
    const { page, nextCursor } = paginate(visible, call.params, 100);
    return { channels: page.map((channel) => serialize.channel(channel, call.caller.userId!)), response_metadata: { next_cursor: nextCursor } };
  }),

  "conversations.history": forBotsAndUsers((call) => {
    const { state, serialize } = call.deps.context;
    const channel = channelArg(call);
    requireReadable(call, channel);
    const newestFirst = withinRange(call, state.channelTimeline(channel)).reverse();
    const { page, nextCursor } = paginate(newestFirst, call.params, 100, 999);
    return {
      messages: page.map((message) => serialize.message(message, { metadata: call.params.bool("include_all_metadata") })),
      has_more: nextCursor !== "",
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: nextCursor },
    };
  }),

  "conversations.replies": forBotsAndUsers((call) => {
    const { state, serialize } = call.deps.context;
    const channel = channelArg(call);
    requireReadable(call, channel);
    const message = state.findMessage(channel, call.params.require("ts", "thread_not_found"));
    if (!message) throw new SlackApiError("thread_not_found");
    const [root, ...replies] = state.thread(channel, isReply(message) ? message.threadTs! : message.ts);
    // The parent always heads the answer, whatever the range says.
    const { page, nextCursor } = paginate([root!, ...withinRange(call, replies)], call.params, 1000);
    const metadata = call.params.bool("include_all_metadata");
    return { messages: page.map((entry) => serialize.message(entry, { metadata })), has_more: nextCursor !== "", response_metadata: { next_cursor: nextCursor } };
  }),

  "conversations.members": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    const { page, nextCursor } = paginate([...channel.members], call.params, 100);
    return { members: page, response_metadata: { next_cursor: nextCursor } };
  }),

  /**
   * Opens (or finds) the direct message between the caller and `users`, or a group direct message with
   * several; with `channel`, resumes one the caller is in. Answers only the id, unless return_im.
   */
  "conversations.open": forBotsAndUsers((call) => {
    const { state, serialize } = call.deps.context;
    const self = call.caller.userId!;
    let channel: Channel;
    let existed: boolean;
    if (call.params.string("channel")) {
      channel = channelArg(call);
      if (channel.kind === "channel") throw new SlackApiError("method_not_supported_for_channel_type");
      existed = true;
    } else {
      const users = (call.params.require("users", "users_list_not_supplied")).split(",").map((id) => id.trim()).filter(Boolean);
      if (users.length > 8) throw new SlackApiError("too_many_users");
      for (const id of users) {
        const user = state.users.get(id);
        if (!user || user.teamId !== call.caller.team.id) throw new SlackApiError("user_not_found");
        if (user.deleted) throw new SlackApiError("user_disabled");
      }
      const members = [...new Set([self, ...users])];
      if (members.length < 2) throw new SlackApiError("cannot_dm_bot");
      existed = state.findConversation(call.caller.team.id, members) !== undefined;
      channel = openConversation({ state, urls: call.deps.urls }, call.caller.team.id, members);
    }
    const json = call.params.bool("return_im") ? serialize.channel(channel, self) : { id: channel.id };
    return { ...(existed ? { no_op: true, already_open: true } : {}), channel: json };
  }),

  "conversations.join": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    if (channel.kind !== "channel") throw new SlackApiError("method_not_supported_for_channel_type");
    if (channel.isPrivate) throw new SlackApiError("method_not_supported_for_channel_type");
    if (channel.isArchived) throw new SlackApiError("is_archived");
    const { context } = call.deps;
    const alreadyIn = channel.members.has(call.caller.userId!);
    joinChannel(context, channel, call.caller.userId!);
    const json = { channel: context.serialize.channel(channel, call.caller.userId!) };
    return alreadyIn ? { ...json, warning: "already_in_channel", response_metadata: { warnings: ["already_in_channel"] } } : json;
  }),
};
