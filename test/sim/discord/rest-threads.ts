import { ChannelType, PermissionFlagsBits as P } from "discord.js";
import { invalidField } from "./errors.js";
import { requirePermissions } from "./permissions.js";
import { draftOf, uploadsOf, type RestContext } from "./rest-context.js";
import { created, route, type RestRequest, type Route } from "./router.js";
import type { ThreadOptions, ThreadType } from "./threads.js";

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

function threadOptions(request: RestRequest): ThreadOptions {
  const { name, auto_archive_duration: duration } = request.body;
  if (typeof name !== "string") throw invalidField("name", "BASE_TYPE_REQUIRED", "This field is required");
  if (duration !== undefined && !ARCHIVE_DURATIONS.includes(duration)) {
    throw invalidField("auto_archive_duration", "BASE_TYPE_CHOICES", `Value must be one of {${ARCHIVE_DURATIONS.join(", ")}}.`);
  }
  return { name, ...(duration !== undefined ? { autoArchiveDuration: duration } : {}) };
}

/** Starting threads as the bot: from a message, on their own, or as a forum post (with its first message). */
export function threadRoutes(ctx: RestContext): Route[] {
  const { state, threads, payloads } = ctx;
  const bot = ctx.botId;

  return [
    route("POST", "/channels/:channel_id/messages/:message_id/threads", (request) => {
      const channel = state.channel(request.params.channel_id!);
      requirePermissions(state, channel, bot, P.ReadMessageHistory | P.CreatePublicThreads);
      const message = state.message(channel.id, request.params.message_id!);
      return created(payloads.channel(threads.fromMessage(message, bot, threadOptions(request))));
    }),
    route("POST", "/channels/:channel_id/threads", (request) => {
      const channel = state.channel(request.params.channel_id!);
      if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia) {
        requirePermissions(state, channel, bot, P.SendMessages);
        const starter = request.body.message;
        if (typeof starter !== "object" || starter === null) {
          throw invalidField("message", "BASE_TYPE_REQUIRED", "This field is required");
        }
        const draft = draftOf(starter, uploadsOf(request, starter.attachments));
        const post = threads.forumPost(channel.id, { kind: "user", userId: bot }, threadOptions(request), draft);
        return created({ ...payloads.channel(post.thread), message: ctx.messagePayloads.rest(post.message) });
      }
      const type: ThreadType = request.body.type ?? ChannelType.PrivateThread;
      requirePermissions(state, channel, bot, type === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads);
      return created(payloads.channel(threads.standalone(channel.id, bot, { ...threadOptions(request), type })));
    }),
  ];
}
