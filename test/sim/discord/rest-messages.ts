import { PermissionFlagsBits as P } from "discord.js";
import { parseReactionEmoji } from "./emoji.js";
import { errors, invalidField } from "./errors.js";
import type { MessageRecord } from "./model.js";
import { channelPermissions, requirePermissions } from "./permissions.js";
import { draftOf, editOf, queryInt, uploadsOf, type RestContext } from "./rest-context.js";
import { noContent, ok, route, type RestRequest, type Route } from "./router.js";
import { compareSnowflakes } from "./snowflake.js";
import { isThread } from "./state.js";

/** Newest first, like Discord, picking the `limit` messages nearest the anchor. */
function page(messages: MessageRecord[], request: RestRequest): MessageRecord[] {
  const limit = queryInt(request, "limit", 50, 1, 100);
  const around = request.query.get("around");
  const before = request.query.get("before");
  const after = request.query.get("after");
  const olderThan = (id: string) => messages.filter((message) => compareSnowflakes(message.id, id) < 0);
  const newerThan = (id: string) => messages.filter((message) => compareSnowflakes(message.id, id) > 0);
  let chosen: MessageRecord[];
  if (around) {
    const upTo = messages.filter((message) => compareSnowflakes(message.id, around) <= 0);
    chosen = [...upTo.slice(-Math.ceil(limit / 2)), ...newerThan(around).slice(0, Math.floor(limit / 2))];
  } else if (before) {
    chosen = olderThan(before).slice(-limit);
  } else if (after) {
    chosen = newerThan(after).slice(0, limit);
  } else {
    chosen = messages.slice(-limit);
  }
  return chosen.reverse();
}

/** Channel messages, reactions and typing, acting as the bot. */
export function messageRoutes(ctx: RestContext): Route[] {
  const { state, messages, reactions, messagePayloads: render } = ctx;
  const bot = { kind: "user" as const, userId: ctx.botId };

  const channelOf = (request: RestRequest, needed: bigint = P.ViewChannel) => {
    const channel = state.channel(request.params.channel_id!);
    requirePermissions(state, channel, ctx.botId, needed);
    return channel;
  };
  const messageOf = (request: RestRequest, needed: bigint = P.ReadMessageHistory) =>
    state.message(channelOf(request, needed).id, request.params.message_id!);
  const emojiOf = (request: RestRequest) => parseReactionEmoji(state, request.params.emoji!);
  const sendPermission = (channelId: string) => (isThread(state.channel(channelId)) ? P.SendMessagesInThreads : P.SendMessages);

  return [
    route("GET", "/channels/:channel_id/messages", (request) => {
      const channel = channelOf(request);
      // Without READ_MESSAGE_HISTORY Discord answers with an empty list rather than an error.
      if (!(channelPermissions(state, channel, ctx.botId) & P.ReadMessageHistory)) return ok([]);
      return ok(page(state.channelMessages(channel.id), request).map((message) => render.rest(message)));
    }),
    route("GET", "/channels/:channel_id/messages/:message_id", (request) => ok(render.rest(messageOf(request)))),
    route("POST", "/channels/:channel_id/messages", (request) => {
      const draft = draftOf(request.body, uploadsOf(request));
      let needed = P.ViewChannel | sendPermission(request.params.channel_id!);
      if (draft.uploads?.length) needed |= P.AttachFiles;
      if (draft.reply) needed |= P.ReadMessageHistory;
      const channel = channelOf(request, needed);
      return ok(render.created(messages.create(channel.id, bot, draft).message));
    }),
    route("PATCH", "/channels/:channel_id/messages/:message_id", (request) => {
      const message = messageOf(request, P.ViewChannel);
      if (message.author.kind !== "user" || message.author.userId !== ctx.botId) throw errors.editOthersMessage();
      return ok(render.rest(messages.edit(message, editOf(request, message))));
    }),
    route("DELETE", "/channels/:channel_id/messages/:message_id", (request) => {
      const message = messageOf(request, P.ViewChannel);
      const own = message.author.kind === "user" && message.author.userId === ctx.botId;
      if (!own) requirePermissions(state, state.channel(message.channelId), ctx.botId, P.ManageMessages);
      messages.delete(message);
      return noContent();
    }),
    route("POST", "/channels/:channel_id/messages/bulk-delete", (request) => {
      const channel = channelOf(request, P.ViewChannel | P.ManageMessages);
      const ids = request.body.messages;
      if (!Array.isArray(ids)) throw invalidField("messages", "BASE_TYPE_REQUIRED", "This field is required");
      messages.bulkDelete(channel.id, ids.map(String));
      return noContent();
    }),
    route("POST", "/channels/:channel_id/typing", (request) => {
      const channel = channelOf(request, P.ViewChannel | sendPermission(request.params.channel_id!));
      messages.typing(channel.id, ctx.botId);
      return noContent();
    }),

    route("PUT", "/channels/:channel_id/messages/:message_id/reactions/:emoji/@me", (request) => {
      const message = messageOf(request);
      const emoji = emojiOf(request);
      // Adding to an existing reaction needs only history access; starting a new one needs ADD_REACTIONS.
      if (!reactions.users(message, emoji, undefined, 1).length) {
        requirePermissions(state, state.channel(message.channelId), ctx.botId, P.AddReactions);
      }
      reactions.add(message, ctx.botId, emoji);
      return noContent();
    }),
    route("DELETE", "/channels/:channel_id/messages/:message_id/reactions/:emoji/@me", (request) => {
      reactions.remove(messageOf(request), ctx.botId, emojiOf(request));
      return noContent();
    }),
    route("DELETE", "/channels/:channel_id/messages/:message_id/reactions/:emoji/:user_id", (request) => {
      const message = messageOf(request, P.ReadMessageHistory | P.ManageMessages);
      reactions.remove(message, request.params.user_id!, emojiOf(request));
      return noContent();
    }),
    route("GET", "/channels/:channel_id/messages/:message_id/reactions/:emoji", (request) => {
      const message = messageOf(request);
      const limit = queryInt(request, "limit", 25, 1, 100);
      const users = reactions.users(message, emojiOf(request), request.query.get("after") ?? undefined, limit);
      return ok(users.map((id) => ctx.payloads.userById(id)));
    }),
    route("DELETE", "/channels/:channel_id/messages/:message_id/reactions", (request) => {
      reactions.removeAll(messageOf(request, P.ReadMessageHistory | P.ManageMessages));
      return noContent();
    }),
    route("DELETE", "/channels/:channel_id/messages/:message_id/reactions/:emoji", (request) => {
      reactions.removeEmoji(messageOf(request, P.ReadMessageHistory | P.ManageMessages), emojiOf(request));
      return noContent();
    }),
  ];
}
