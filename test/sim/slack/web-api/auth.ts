// Identity and connection methods: auth.test, apps.connections.open (app-level token only) and the OAuth v2
// code exchange that gives a person's user token (xoxp-) to the app.
import { tokens } from "../ids.js";
import { forBotsAndUsers, forTokens, withoutToken, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

export const authMethods: MethodTable = {
  "auth.test": forBotsAndUsers((call) => {
    const { team, userId, kind } = call.caller;
    const user = call.deps.context.state.user(userId!);
    return {
      url: call.deps.urls.workspace(team), team: team.name, user: user.name, team_id: team.id, user_id: user.id,
      ...(kind === "bot" ? { bot_id: team.bot.id } : {}),
      is_enterprise_install: false,
    };
  }),

  // The token stops working at once; Slack tells the app with a tokens_revoked event.
  "auth.revoke": forBotsAndUsers((call) => {
    if (call.params.bool("test")) return { revoked: false };
    const { state, dispatcher } = call.deps.context;
    state.revokedTokens.add(call.caller.token);
    const revoked = call.caller.kind === "user" ? { oauth: [call.caller.userId!] } : { bot: [call.caller.userId!] };
    dispatcher.emit(call.caller.team, { type: "tokens_revoked", tokens: revoked, event_ts: state.clock.next() });
    return { revoked: true };
  }),

  "apps.connections.open": forTokens(["app"], (call) => {
    const ticket = call.deps.socketMode.issueTicket(call.caller.team);
    return { url: call.deps.urls.socket(ticket, call.caller.team.app.id) };
  }),

  "oauth.v2.access": withoutToken((call) => {
    const { state } = call.deps.context;
    const clientId = call.params.require("client_id", "invalid_client_id");
    const team = [...state.teams.values()].find((candidate) => candidate.app.clientId === clientId);
    if (!team) throw new SlackApiError("invalid_client_id");
    if (call.params.string("client_secret") !== team.app.clientSecret) throw new SlackApiError("bad_client_secret");
    const code = call.params.require("code", "invalid_code");
    const grant = state.oauthCodes.get(code);
    if (!grant || grant.teamId !== team.id) throw new SlackApiError("invalid_code");
    state.oauthCodes.delete(code);
    const accessToken = tokens.user();
    state.tokens.set(accessToken, { kind: "user", teamId: team.id, userId: grant.userId, scopes: grant.scopes });
    return {
      app_id: team.app.id,
      authed_user: { id: grant.userId, scope: grant.scopes.join(","), access_token: accessToken, token_type: "user" },
      scope: team.bot.scopes.join(","),
      token_type: "bot",
      access_token: team.bot.token,
      bot_user_id: team.bot.userId,
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
    };
  }),
};
