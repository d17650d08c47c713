// Who and what is in the workspace: users.*, bots.info, team.info, emoji.list and usergroups.list.
import { forBotsAndUsers, paginate, type ApiCall, type MethodTable } from "./method.js";
import { SlackApiError } from "./params.js";

function userArg(call: ApiCall, fallbackToCaller = false) {
  const id = fallbackToCaller ? (call.params.string("user") ?? call.caller.userId!) : call.params.require("user", "user_not_found");
  const user = call.deps.context.state.users.get(id);
  if (!user || user.teamId !== call.caller.team.id) throw new SlackApiError("user_not_found");
  return user;
}

export const directoryMethods: MethodTable = {
  "users.info": forBotsAndUsers((call) => ({ user: call.deps.context.serialize.user(userArg(call)) })),

  "users.list": forBotsAndUsers((call) => {
    const { state, serialize } = call.deps.context;
    const members = [...state.users.values()].filter((user) => user.teamId === call.caller.team.id);
    const { page, nextCursor } = paginate(members, call.params, 1000);
    return { members: page.map((user) => serialize.user(user)), cache_ts: state.clock.seconds(), response_metadata: { next_cursor: nextCursor } };
  }),

  "users.profile.get": forBotsAndUsers((call) => {
    const profile = call.deps.context.serialize.user(userArg(call, true)).profile;
    return { profile };
  }),

  "bots.info": forBotsAndUsers((call) => {
    const bot = call.deps.context.state.bots.get(call.params.require("bot", "bot_not_found"));
    if (!bot || bot.teamId !== call.caller.team.id) throw new SlackApiError("bot_not_found");
    return { bot: call.deps.context.serialize.bot(bot) };
  }),

  "team.info": forBotsAndUsers((call) => ({ team: call.deps.context.serialize.team(call.caller.team) })),

  "emoji.list": forBotsAndUsers((call) => ({
    emoji: Object.fromEntries(call.caller.team.emoji),
    cache_ts: `${call.deps.context.clock.seconds()}.000000`,
  })),

  // Disabled groups (date_delete set) only when asked for, as Slack does.
  "usergroups.list": forBotsAndUsers((call) => {
    const team = call.caller.team;
    const withDisabled = call.params.bool("include_disabled") ?? false;
    const options = { users: call.params.bool("include_users") ?? false, count: call.params.bool("include_count") ?? false };
    const groups = [...team.usergroups.values()].filter((group) => withDisabled || group.disabled === 0);
    return { usergroups: groups.map((group) => call.deps.context.serialize.usergroup(team, group, options)) };
  }),
};
