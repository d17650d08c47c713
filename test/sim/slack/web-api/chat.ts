// chat.* methods: posting, editing, deleting and linking to messages, with the authorship rules Slack applies
// (a bot token posts as the app's bot unless chat:write.customize lets it borrow a name and icon; a user token
// posts as that person; each may only change its own messages).
import { deleteMessage, editMessage, postMessage, type Author } from "../actions/messages.js";
import { normalizeApiText } from "../mrkdwn.js";
import type { Channel, Json, Message } from "../model.js";
import { channelArg, forBotsAndUsers, messageArg, type ApiCall, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

const MAX_TEXT_LENGTH = 40_000;

interface Content {
  text?: string;
  blocks?: Json[];
  attachments?: Json[];
}

function contentArgs(call: ApiCall): Content {
  const blocks = call.params.json<Json[]>("blocks", "invalid_blocks");
  const attachments = call.params.json<Json[]>("attachments", "invalid_attachments");
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError("invalid_blocks");
  if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackApiError("invalid_attachments");
  const text = call.params.string("text");
  if (text && text.length > MAX_TEXT_LENGTH) throw new SlackApiError("msg_too_long");
  return { text: text === undefined ? undefined : normalizeApiText(text), blocks, attachments };
}

function author(call: ApiCall): Author {
  const { caller, params } = call;
  if (caller.kind === "user") return { kind: "user", userId: caller.userId! };
  if (!caller.scopes.includes("chat:write.customize")) return { kind: "app", team: caller.team };
  const iconUrl = params.string("icon_url");
  const iconEmoji = params.string("icon_emoji");
  const icons: Record<string, string> | undefined = iconUrl
    ? { image_36: iconUrl, image_48: iconUrl, image_72: iconUrl }
    : iconEmoji
      ? { emoji: iconEmoji }
      : undefined;
  return { kind: "app", team: caller.team, username: params.string("username"), icons };
}

/** Bots may post to public channels they are not in only with chat:write.public. */
function requireWritable(call: ApiCall, channel: Channel): void {
  if (channel.isArchived) throw new SlackApiError("is_archived");
  const { caller } = call;
  const mayPostUninvited = caller.kind === "bot" && !channel.isPrivate && caller.scopes.includes("chat:write.public");
  if (!channel.members.has(caller.userId!) && !mayPostUninvited) throw new SlackApiError("not_in_channel");
}

function isOwnMessage(call: ApiCall, message: Message): boolean {
  const { caller } = call;
  return caller.kind === "bot" ? message.botId === caller.team.bot.id : message.user === caller.userId && !message.botId;
}

export const chatMethods: MethodTable = {
  "chat.postMessage": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    requireWritable(call, channel);
    const content = contentArgs(call);
    if (!content.text && !content.blocks?.length && !content.attachments?.length) throw new SlackApiError("no_text");
    // unfurl_links, unfurl_media and mrkdwn only change how Slack renders and previews, which the simulator
    // does not do; tests can read them from the request log.
    const message = postMessage(call.deps.context, channel, author(call), { ...content, text: content.text ?? "" }, {
      threadTs: call.params.string("thread_ts"),
      broadcast: call.params.bool("reply_broadcast"),
      metadata: call.params.json<Json>("metadata", "invalid_metadata"),
    });
    return { channel: channel.id, ts: message.ts, message: call.deps.context.serialize.message(message) };
  }),

  "chat.meMessage": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    requireWritable(call, channel);
    const text = normalizeApiText(call.params.require("text", "no_text"));
    const message = postMessage(call.deps.context, channel, author(call), { text }, { subtype: "me_message" });
    return { channel: channel.id, ts: message.ts };
  }),

  "chat.update": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    const message = messageArg(call, channel);
    if (channel.isArchived) throw new SlackApiError("is_archived");
    if (!isOwnMessage(call, message)) throw new SlackApiError("cant_update_message");
    const content = contentArgs(call);
    if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) throw new SlackApiError("no_text");
    editMessage(call.deps.context, channel, message, call.caller.userId!, {
      text: content.text ?? message.text,
      blocks: content.blocks ?? message.blocks,
      attachments: content.attachments,
    });
    return { channel: channel.id, ts: message.ts, text: message.text, message: call.deps.context.serialize.message(message) };
  }),

  "chat.delete": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    const message = messageArg(call, channel);
    if (!isOwnMessage(call, message)) throw new SlackApiError("cant_delete_message");
    deleteMessage(call.deps.context, channel, message);
    return { channel: channel.id, ts: message.ts };
  }),

  "chat.getPermalink": forBotsAndUsers((call) => {
    const channel = channelArg(call);
    const message = messageArg(call, channel, "message_ts");
    return { channel: channel.id, permalink: call.deps.urls.messagePermalink(call.caller.team, channel.id, message.ts, message.threadTs) };
  }),
};
