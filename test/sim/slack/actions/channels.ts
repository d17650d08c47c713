// Channel membership and metadata changes. Each writes the system message Slack puts in the channel
// (channel_join, channel_topic...) and sends the matching event (member_joined_channel, channel_rename...).
import type { Channel, TopicOrPurpose } from "../model.js";
import { emitToChannel, type ActionContext } from "./context.js";
import { postSystemMessage } from "./messages.js";

/** member_joined_channel / member_left_channel spell the channel type as one letter. */
const letterType = (channel: Channel): string => (channel.isPrivate ? "G" : "C");

export function joinChannel(context: ActionContext, channel: Channel, userId: string, inviterId?: string): void {
  if (channel.members.has(userId)) return;
  channel.members.add(userId);
  const inviter = inviterId ? { inviter: inviterId } : {};
  emitToChannel(context, channel, {
    type: "member_joined_channel", user: userId, channel: channel.id, channel_type: letterType(channel),
    team: channel.teamId, ...inviter, event_ts: context.clock.next(),
  });
  postSystemMessage(context, channel, userId, "channel_join", `<@${userId}> has joined the channel`, inviter);
}

export function leaveChannel(context: ActionContext, channel: Channel, userId: string): void {
  if (!channel.members.has(userId)) return;
  const botSaw = context.state.isBotMember(channel);
  postSystemMessage(context, channel, userId, "channel_leave", `<@${userId}> has left the channel`, {}, botSaw);
  channel.members.delete(userId);
  emitToChannel(context, channel, {
    type: "member_left_channel", user: userId, channel: channel.id, channel_type: letterType(channel),
    team: channel.teamId, event_ts: context.clock.next(),
  }, botSaw);
}

export function renameChannel(context: ActionContext, channel: Channel, userId: string, name: string): void {
  const oldName = channel.name;
  channel.previousNames.unshift(oldName);
  channel.name = name;
  emitToChannel(context, channel, {
    type: channel.isPrivate ? "group_rename" : "channel_rename",
    channel: { id: channel.id, name, name_normalized: name, created: channel.created, is_channel: true, is_mpim: false },
    event_ts: context.clock.next(),
  }, !channel.isPrivate || context.state.isBotMember(channel));
  postSystemMessage(context, channel, userId, "channel_name", `<@${userId}> has renamed the channel from "${oldName}" to "${name}"`, { old_name: oldName, name });
}

function setTopicOrPurpose(context: ActionContext, channel: Channel, userId: string, field: "topic" | "purpose", value: string): void {
  const updated: TopicOrPurpose = { value, creator: userId, last_set: context.clock.seconds() };
  channel[field] = updated;
  const phrase = field === "topic" ? "set the channel topic" : "set the channel description";
  postSystemMessage(context, channel, userId, `channel_${field}`, `<@${userId}> ${phrase}: ${value}`, { [field]: value });
}

export function setTopic(context: ActionContext, channel: Channel, userId: string, topic: string): void {
  setTopicOrPurpose(context, channel, userId, "topic", topic);
}

export function setPurpose(context: ActionContext, channel: Channel, userId: string, purpose: string): void {
  setTopicOrPurpose(context, channel, userId, "purpose", purpose);
}

export function setArchived(context: ActionContext, channel: Channel, userId: string, archived: boolean): void {
  channel.isArchived = archived;
  const verb = archived ? "archive" : "unarchive";
  postSystemMessage(context, channel, userId, `channel_${verb}`, `<@${userId}> ${archived ? "archived" : "un-archived"} the channel`);
  emitToChannel(context, channel, {
    type: `${channel.isPrivate ? "group" : "channel"}_${verb}`, channel: channel.id, user: userId,
    ...(archived ? { is_moved: 0 } : {}), event_ts: context.clock.next(),
  }, !channel.isPrivate || context.state.isBotMember(channel));
}
