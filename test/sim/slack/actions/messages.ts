// Posting, editing, unfurling, deleting and reacting: the state change plus the event Slack sends for it
// (message, message_changed, message_deleted, reaction_added/removed).
import type { Channel, Json, Message, Team } from "../model.js";
import { isReply } from "../state.js";
import { channelType } from "../serialize.js";
import { emitToChannel, type ActionContext } from "./context.js";

/** Who a message is from, which decides user / bot_id / username / subtype on it. */
export type Author =
  | { kind: "user"; userId: string; /** Typed in a Slack client, so it carries client_msg_id. */ clientMsgId?: string }
  | { kind: "app"; team: Team; username?: string; icons?: Record<string, string> }
  | { kind: "integration"; botId: string; username?: string; icons?: Record<string, string> };

export interface MessageContent {
  text: string;
  blocks?: Json[];
  attachments?: Json[];
}

export interface PostOptions {
  threadTs?: string;
  broadcast?: boolean;
  fileIds?: string[];
  subtype?: "me_message";
  metadata?: Json;
}

function authorFields(context: ActionContext, author: Author): Partial<Message> {
  switch (author.kind) {
    case "user":
      return { user: author.userId, clientMsgId: author.clientMsgId };
    case "app": {
      const { bot, app } = author.team;
      // With a custom identity (chat:write.customize) Slack stores a bot_message with no user.
      if (author.username || author.icons) {
        return { subtype: "bot_message", botId: bot.id, appId: app.id, username: author.username ?? context.state.bots.get(bot.id)!.name, icons: author.icons };
      }
      return { user: bot.userId, botId: bot.id, appId: app.id };
    }
    case "integration": {
      const bot = context.state.bots.get(author.botId)!;
      return { subtype: "bot_message", botId: bot.id, appId: bot.appId, username: author.username ?? bot.name, icons: author.icons ?? bot.icons };
    }
  }
}

export function postMessage(context: ActionContext, channel: Channel, author: Author, content: MessageContent, options: PostOptions = {}): Message {
  const { state, clock } = context;
  const repliedTo = options.threadTs ? state.findMessage(channel, options.threadTs) : undefined;
  // Replying to a reply lands in the reply's thread, as in Slack.
  const threadTs = repliedTo && isReply(repliedTo) ? repliedTo.threadTs : options.threadTs;
  const fields = authorFields(context, author);
  const subtype = options.broadcast && threadTs ? "thread_broadcast" : options.fileIds?.length ? "file_share" : (options.subtype ?? fields.subtype);
  const message: Message = {
    ts: clock.next(), channelId: channel.id, teamId: channel.teamId, ...fields, subtype,
    text: content.text, blocks: content.blocks, attachments: content.attachments, fileIds: options.fileIds ?? [],
    threadTs, metadata: options.metadata, reactions: [], extra: {},
  };
  const threadRoot = threadTs ? state.findMessage(channel, threadTs) : undefined;
  if (threadRoot) threadRoot.threadTs = threadRoot.ts;
  state.insertMessage(channel, message);
  for (const fileId of message.fileIds) state.files.get(fileId)!.shares.push({ channelId: channel.id, ts: message.ts });
  emitToChannel(context, channel, context.serialize.messageEvent(message));
  return message;
}

/** A message Slack itself writes into the channel: joins, leaves, renames, topic changes. */
export function postSystemMessage(context: ActionContext, channel: Channel, userId: string, subtype: string, text: string, extra: Json = {}, botSees?: boolean): Message {
  const message: Message = {
    ts: context.clock.next(), channelId: channel.id, teamId: channel.teamId, subtype, user: userId, text,
    fileIds: [], reactions: [], extra,
  };
  context.state.insertMessage(channel, message);
  emitToChannel(context, channel, context.serialize.messageEvent(message), botSees);
  return message;
}

/** The message as message_changed / message_deleted embed it: the event form without where it happened. */
function snapshot(context: ActionContext, message: Message): Json {
  const { channel: _channel, event_ts: _eventTs, channel_type: _type, ...json } = context.serialize.messageEvent(message);
  return json;
}

function emitChanged(context: ActionContext, channel: Channel, message: Message, previous: Json): void {
  const eventTs = context.clock.next();
  emitToChannel(context, channel, {
    type: "message", subtype: "message_changed", message: snapshot(context, message), previous_message: previous,
    channel: channel.id, hidden: true, ts: eventTs, event_ts: eventTs, channel_type: channelType(channel),
  });
}

export function editMessage(context: ActionContext, channel: Channel, message: Message, editorId: string, content: MessageContent): void {
  const previous = snapshot(context, message);
  message.text = content.text;
  message.blocks = content.blocks;
  if (content.attachments !== undefined) message.attachments = content.attachments;
  message.edited = { user: editorId, ts: context.clock.next() };
  emitChanged(context, channel, message, previous);
}

/** Link previews arriving: Slack adds attachments and sends message_changed without marking an edit. */
export function attachUnfurls(context: ActionContext, channel: Channel, message: Message, attachments: Json[]): void {
  const previous = snapshot(context, message);
  message.attachments = [...(message.attachments ?? []), ...attachments];
  emitChanged(context, channel, message, previous);
}

/**
 * Deleting a message. A thread root that still has replies is not removed: Slack turns it into a
 * "This message was deleted." tombstone (announced as message_changed) so the thread stays readable.
 */
export function deleteMessage(context: ActionContext, channel: Channel, message: Message): void {
  const { state } = context;
  const previous = snapshot(context, message);
  if (!isReply(message) && message.threadTs && state.repliesTo(channel, message).length > 0) {
    Object.assign(message, {
      subtype: "tombstone", user: "USLACKBOT", text: "This message was deleted.", blocks: undefined, attachments: undefined,
      fileIds: [], botId: undefined, appId: undefined, username: undefined, icons: undefined, clientMsgId: undefined,
      edited: undefined, reactions: [], extra: { hidden: true },
    } satisfies Partial<Message>);
    emitChanged(context, channel, message, previous);
    return;
  }
  state.removeMessage(channel, message);
  const eventTs = context.clock.next();
  emitToChannel(context, channel, {
    type: "message", subtype: "message_deleted", hidden: true, deleted_ts: message.ts, channel: channel.id,
    previous_message: previous, event_ts: eventTs, ts: eventTs, channel_type: channelType(channel),
  });
  // The last reply gone, a tombstoned root has nothing left to hold up and disappears too.
  const root = isReply(message) ? state.findMessage(channel, message.threadTs!) : undefined;
  if (root?.subtype === "tombstone" && state.repliesTo(channel, root).length === 0) deleteMessage(context, channel, root);
}

export function react(context: ActionContext, channel: Channel, message: Message, userId: string, name: string, added: boolean): void {
  let reaction = message.reactions.find((candidate) => candidate.name === name);
  if (added) {
    if (!reaction) message.reactions.push((reaction = { name, users: [] }));
    reaction.users.push(userId);
  } else if (reaction) {
    reaction.users.splice(reaction.users.indexOf(userId), 1);
    if (reaction.users.length === 0) message.reactions.splice(message.reactions.indexOf(reaction), 1);
  }
  const itemUser = message.user ?? message.botId;
  emitToChannel(context, channel, {
    type: added ? "reaction_added" : "reaction_removed", user: userId, reaction: name,
    ...(itemUser ? { item_user: itemUser } : {}), item: { type: "message", channel: channel.id, ts: message.ts },
    event_ts: context.clock.next(),
  });
}
