import { PermissionFlagsBits as P } from "discord.js";
import { invalidField } from "./errors.js";
import { requirePermissions } from "./permissions.js";
import { draftOf, editOf, uploadsOf, type RestContext } from "./rest-context.js";
import { noContent, ok, route, type RestRequest, type Route } from "./router.js";

/** `data:image/png;base64,...`, the form Discord takes images in JSON bodies. */
function imageData(field: string, value: unknown): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  const match = typeof value === "string" ? /^data:image\/(png|jpeg|gif|webp);base64,(.+)$/.exec(value) : null;
  if (!match) throw invalidField(field, "IMAGE_INVALID", "Invalid image data");
  return Buffer.from(match[2]!, "base64");
}

/** Managing webhooks as the bot, and using them with their token (no Authorization header). */
export function webhookRoutes(ctx: RestContext): Route[] {
  const { state, webhooks, payloads, messagePayloads: render, messages } = ctx;

  const manageable = (channelId: string) => {
    const channel = state.channel(channelId);
    requirePermissions(state, channel, ctx.botId, P.ManageWebhooks);
    return channel;
  };
  const tokenWebhook = (request: RestRequest) => webhooks.authenticate(request.params.webhook_id!, request.params.token!);
  const threadIdOf = (request: RestRequest) => request.query.get("thread_id") ?? undefined;
  const webhookMessage = (request: RestRequest) =>
    webhooks.message(tokenWebhook(request), request.params.message_id!, threadIdOf(request));

  return [
    route("POST", "/channels/:channel_id/webhooks", (request) => {
      const channel = manageable(request.params.channel_id!);
      const name = request.body.name;
      if (typeof name !== "string") throw invalidField("name", "BASE_TYPE_REQUIRED", "This field is required");
      const avatar = imageData("avatar", request.body.avatar);
      const webhook = webhooks.create(channel.id, ctx.botId, { name, ...(avatar ? { avatar } : {}) });
      return ok(payloads.webhook(webhook, true));
    }),
    route("GET", "/channels/:channel_id/webhooks", (request) => {
      const channel = manageable(request.params.channel_id!);
      return ok(webhooks.inChannel(channel.id).map((webhook) => payloads.webhook(webhook, true)));
    }),
    route("GET", "/guilds/:guild_id/webhooks", (request) => {
      const guildWebhooks = [...state.webhooks.values()].filter((webhook) => webhook.guildId === request.params.guild_id);
      for (const webhook of guildWebhooks) manageable(webhook.channelId);
      return ok(guildWebhooks.map((webhook) => payloads.webhook(webhook, true)));
    }),
    route("GET", "/webhooks/:webhook_id", (request) => {
      const webhook = state.webhook(request.params.webhook_id!);
      manageable(webhook.channelId);
      return ok(payloads.webhook(webhook, true));
    }),
    route("DELETE", "/webhooks/:webhook_id", (request) => {
      const webhook = state.webhook(request.params.webhook_id!);
      manageable(webhook.channelId);
      webhooks.delete(webhook);
      return noContent();
    }),

    route("GET", "/webhooks/:webhook_id/:token", (request) => ok(payloads.webhook(tokenWebhook(request), false)), "none"),
    route("DELETE", "/webhooks/:webhook_id/:token", (request) => {
      webhooks.delete(tokenWebhook(request));
      return noContent();
    }, "none"),
    route("POST", "/webhooks/:webhook_id/:token", async (request) => {
      const webhook = tokenWebhook(request);
      const { username, avatar_url: avatarUrl, thread_name: threadName } = request.body;
      const threadId = threadIdOf(request);
      const message = await webhooks.execute(webhook, {
        // Webhooks cannot reply: Discord ignores message_reference on executions.
        draft: { ...draftOf(request.body, uploadsOf(request)), reply: undefined },
        ...(typeof username === "string" ? { username } : {}),
        ...(typeof avatarUrl === "string" ? { avatarUrl } : {}),
        ...(threadId ? { threadId } : {}),
        ...(typeof threadName === "string" ? { threadName } : {}),
      });
      // Without ?wait=true Discord answers before the message exists: 204 and no body.
      return request.query.get("wait") === "true" ? ok(render.rest(message)) : noContent();
    }, "none"),
    route("GET", "/webhooks/:webhook_id/:token/messages/:message_id", (request) => ok(render.rest(webhookMessage(request))), "none"),
    route("PATCH", "/webhooks/:webhook_id/:token/messages/:message_id", (request) => {
      const message = webhookMessage(request);
      return ok(render.rest(messages.edit(message, editOf(request, message))));
    }, "none"),
    route("DELETE", "/webhooks/:webhook_id/:token/messages/:message_id", (request) => {
      messages.delete(webhookMessage(request));
      return noContent();
    }, "none"),
  ];
}
