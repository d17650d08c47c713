import { ChannelType, GatewayIntentBits, PermissionFlagsBits as P } from "discord.js";
import { errors, invalidField } from "./errors.js";
import { guildPermissions, requirePermissions } from "./permissions.js";
import { queryInt, type RestContext } from "./rest-context.js";
import { ok, route, type RestRequest, type Route } from "./router.js";
import { compareSnowflakes } from "./snowflake.js";
import { isThread } from "./state.js";

/** Gateway discovery, users, guilds and channels. */
export function coreRoutes(ctx: RestContext): Route[] {
  const { state, payloads } = ctx;

  /** The bot sees guilds it is in; others do not exist as far as it can tell. */
  const guildOf = (request: RestRequest) => {
    const guild = state.guild(request.params.guild_id!);
    if (!state.findMember(guild.id, ctx.botId)) throw errors.unknownGuild();
    return guild;
  };
  const visibleChannel = (request: RestRequest) => {
    const channel = state.channel(request.params.channel_id!);
    requirePermissions(state, channel, ctx.botId, P.ViewChannel);
    return channel;
  };
  const caller = (request: RestRequest) => (request.auth.kind === "bearer" ? request.auth.userId : ctx.botId);

  return [
    route("GET", "/gateway", () => ok({ url: ctx.gatewayUrl() }), "none"),
    route("GET", "/gateway/bot", () =>
      ok({
        url: ctx.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
      }),
    ),
    route("GET", "/users/@me", (request) => ok(payloads.userById(caller(request))), "bot-or-bearer"),
    route("GET", "/users/:user_id", (request) => ok(payloads.userById(request.params.user_id!))),
    route(
      "GET",
      "/users/@me/guilds",
      (request) => {
        if (request.auth.kind === "bearer" && !request.auth.scopes.includes("guilds")) throw errors.unauthorized();
        const userId = caller(request);
        return ok(
          state.guildsOf(userId).map((guild) => ({
            id: guild.id,
            name: guild.name,
            icon: guild.icon,
            banner: null,
            owner: guild.ownerId === userId,
            permissions: guildPermissions(state, guild.id, userId).toString(),
            features: [],
          })),
        );
      },
      "bot-or-bearer",
    ),

    route("GET", "/guilds/:guild_id", (request) => {
      const guild = guildOf(request);
      const counts = request.query.get("with_counts") === "true"
        ? { approximate_member_count: state.members(guild.id).length, approximate_presence_count: 0 }
        : {};
      return ok({ ...payloads.guild(guild), ...counts });
    }),
    route("GET", "/guilds/:guild_id/channels", (request) =>
      ok(state.guildChannels(guildOf(request).id).map((channel) => payloads.channel(channel))),
    ),
    route("GET", "/guilds/:guild_id/threads/active", (request) => {
      const threads = state.guildThreads(guildOf(request).id).filter((thread) => !thread.thread?.archived);
      return ok({
        threads: threads.map((thread) => payloads.channel(thread)),
        members: threads
          .filter((thread) => thread.thread?.memberIds.has(ctx.botId))
          .map((thread) => payloads.threadMember(thread, ctx.botId)),
      });
    }),
    route("GET", "/guilds/:guild_id/members", (request) => {
      // Listing members needs the GUILD_MEMBERS privileged intent switched on for the application.
      if (!(ctx.enabledPrivilegedIntents & GatewayIntentBits.GuildMembers)) throw errors.missingAccess();
      const limit = queryInt(request, "limit", 1, 1, 1000);
      const after = request.query.get("after") ?? "0";
      return ok(
        state
          .members(guildOf(request).id)
          .filter((member) => compareSnowflakes(member.userId, after) > 0)
          .sort((a, b) => compareSnowflakes(a.userId, b.userId))
          .slice(0, limit)
          .map((member) => payloads.member(member)),
      );
    }),
    route("GET", "/guilds/:guild_id/members/search", (request) => {
      const query = request.query.get("query");
      if (query === null) throw invalidField("query", "BASE_TYPE_REQUIRED", "This field is required");
      const limit = queryInt(request, "limit", 1, 1, 1000);
      const needle = query.toLowerCase();
      return ok(
        state
          .members(guildOf(request).id)
          .filter((member) => {
            const user = state.user(member.userId);
            return [user.username, user.globalName, member.nick].some((name) => name?.toLowerCase().startsWith(needle));
          })
          .slice(0, limit)
          .map((member) => payloads.member(member)),
      );
    }),
    route("GET", "/guilds/:guild_id/members/:user_id", (request) =>
      ok(payloads.member(state.member(guildOf(request).id, request.params.user_id!))),
    ),
    route("GET", "/guilds/:guild_id/roles", (request) =>
      ok(state.guildRoles(guildOf(request).id).map((role) => payloads.role(role))),
    ),
    route("GET", "/guilds/:guild_id/emojis", (request) =>
      ok(state.guildEmojis(guildOf(request).id).map((emoji) => payloads.emoji(emoji))),
    ),
    route("GET", "/guilds/:guild_id/emojis/:emoji_id", (request) => {
      const emoji = state.emoji(request.params.emoji_id!);
      if (emoji.guildId !== guildOf(request).id) throw errors.unknownEmoji();
      return ok(payloads.emoji(emoji));
    }),

    route("GET", "/channels/:channel_id", (request) => ok(payloads.channel(visibleChannel(request)))),
    route("PATCH", "/channels/:channel_id", (request) => {
      const channel = visibleChannel(request);
      requirePermissions(state, channel, ctx.botId, isThread(channel) ? P.ManageThreads : P.ManageChannels);
      const { name, topic } = request.body;
      if (name !== undefined && (typeof name !== "string" || name.length < 1 || name.length > 100)) {
        throw invalidField("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
      }
      if (topic !== undefined && topic !== null && channel.type === ChannelType.GuildCategory) throw errors.wrongChannelType();
      ctx.admin.updateChannel(channel.id, {
        ...(typeof name === "string" ? { name } : {}),
        ...(topic !== undefined ? { topic: topic === null || topic === "" ? null : String(topic) } : {}),
      });
      return ok(payloads.channel(channel));
    }),
  ];
}

