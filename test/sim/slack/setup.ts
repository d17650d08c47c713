// Building a workspace for a test: teams with an installed app (bot token, app token, signing secret), people,
// channels, other integrations and custom emoji. Setup sends no events; what people then do does.
import { randomBytes } from "node:crypto";
import { slackId, tokens } from "./ids.js";
import type { Channel, Team, User, UserProfile } from "./model.js";
import type { SimState } from "./state.js";
import type { SimUrls } from "./urls.js";

export interface SetupDeps {
  state: SimState;
  urls: SimUrls;
}

/** What a Slack app's bot token usually holds; chat:write.public is left out so not_in_channel stays visible. */
export const DEFAULT_BOT_SCOPES = [
  "app_mentions:read", "channels:history", "channels:join", "channels:read", "chat:write", "chat:write.customize",
  "emoji:read", "files:read", "files:write", "groups:history", "groups:read", "reactions:read", "reactions:write",
  "team:read", "usergroups:read", "users:read", "users.profile:read",
];

export interface TeamInput {
  name: string;
  domain: string;
  icon?: string;
  /** Deliver events over HTTP to this Events API request URL instead of Socket Mode. */
  requestUrl?: string;
  botName?: string;
  botScopes?: string[];
}

export interface SimTeam {
  id: string;
  name: string;
  domain: string;
  botToken: string;
  appToken: string;
  botUserId: string;
  botId: string;
  appId: string;
  signingSecret: string;
  clientId: string;
  clientSecret: string;
}

export interface UserInput {
  name: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  title?: string;
  is_admin?: boolean;
  /** An avatar URL to report as-is; or give `avatar` bytes to have the simulator serve them. */
  image_72?: string;
  avatar?: { bytes: Buffer; mimetype: string };
}

export interface ChannelInput {
  name: string;
  topic?: string;
  purpose?: string;
  is_private?: boolean;
  /** Defaults to the team's first person; the creator is a member. */
  creator?: string;
  members?: string[];
}

const AVATAR_SIZES = [24, 32, 48, 72, 192, 512] as const;
type AvatarFields = Pick<UserProfile, `image_${(typeof AVATAR_SIZES)[number]}`>;

function avatarUrls(deps: SetupDeps, userId: string, input: UserInput): AvatarFields {
  const urlFor = (size: number): string => {
    if (input.avatar) {
      const url = deps.urls.avatar(userId, size);
      deps.state.publicAssets.set(new URL(url).pathname, input.avatar);
      return url;
    }
    return input.image_72 ?? `https://a.slack-edge.com/80588/img/avatars/ava_0001-${size}.png`;
  };
  return Object.fromEntries(AVATAR_SIZES.map((size) => [`image_${size}`, urlFor(size)])) as AvatarFields;
}

function addUser(deps: SetupDeps, teamId: string, id: string, input: UserInput, bot?: { botId: string; appId: string }): User {
  const realName = input.real_name ?? input.name;
  const [firstName = "", ...rest] = realName.split(" ");
  const user: User = {
    id, teamId, name: input.name, deleted: false, isAdmin: input.is_admin ?? false, botId: bot?.botId, appId: bot?.appId,
    color: "9f69e7", tz: "UTC", updated: deps.state.clock.seconds(),
    profile: {
      real_name: realName, display_name: input.display_name ?? "", first_name: firstName, last_name: rest.join(" "),
      title: input.title ?? "", status_text: "", status_emoji: "", ...(input.email ? { email: input.email } : {}),
      ...avatarUrls(deps, id, input), avatar_hash: randomBytes(6).toString("hex"),
    },
  };
  deps.state.users.set(id, user);
  return user;
}

export function createTeam(deps: SetupDeps, input: TeamInput): SimTeam {
  const { state } = deps;
  const team: Team = {
    id: slackId("T"), name: input.name, domain: input.domain, iconUrl: input.icon, created: state.clock.seconds(),
    app: {
      id: slackId("A"), token: "", signingSecret: tokens.secret(), verificationToken: tokens.secret().slice(0, 24),
      clientId: `${Date.now()}.${randomBytes(6).readUIntBE(0, 6)}`, clientSecret: tokens.secret(),
    },
    bot: { id: slackId("B"), userId: slackId("U"), token: tokens.bot(), scopes: input.botScopes ?? DEFAULT_BOT_SCOPES },
    requestUrl: input.requestUrl,
    emoji: new Map(),
    usergroups: new Map(),
  };
  team.app.token = tokens.app(team.app.id);
  state.teams.set(team.id, team);
  const botName = input.botName ?? "parley";
  const botUser = addUser(deps, team.id, team.bot.userId, { name: botName, real_name: botName }, { botId: team.bot.id, appId: team.app.id });
  const icons = { image_36: botUser.profile.image_72, image_48: botUser.profile.image_72, image_72: botUser.profile.image_72 };
  state.bots.set(team.bot.id, { id: team.bot.id, teamId: team.id, name: botName, appId: team.app.id, userId: botUser.id, icons, updated: team.created });
  state.tokens.set(team.bot.token, { kind: "bot", teamId: team.id, userId: botUser.id });
  state.tokens.set(team.app.token, { kind: "app", teamId: team.id });
  return {
    id: team.id, name: team.name, domain: team.domain, botToken: team.bot.token, appToken: team.app.token,
    botUserId: team.bot.userId, botId: team.bot.id, appId: team.app.id, signingSecret: team.app.signingSecret,
    clientId: team.app.clientId, clientSecret: team.app.clientSecret,
  };
}

export function createUser(deps: SetupDeps, teamId: string, input: UserInput): { id: string; name: string } {
  deps.state.team(teamId);
  const user = addUser(deps, teamId, slackId("U"), input);
  return { id: user.id, name: user.name };
}

export function createChannel(deps: SetupDeps, teamId: string, input: ChannelInput): { id: string; name: string } {
  const { state } = deps;
  const firstPerson = [...state.users.values()].find((user) => user.teamId === teamId && !user.botId);
  const creator = input.creator ?? firstPerson?.id ?? "USLACKBOT";
  const now = state.clock.seconds();
  const channel: Channel = {
    id: slackId("C"), teamId, kind: "channel", name: input.name, isPrivate: input.is_private ?? false, isArchived: false, isGeneral: false,
    created: now, creator, topic: { value: input.topic ?? "", creator: input.topic ? creator : "", last_set: input.topic ? now : 0 },
    purpose: { value: input.purpose ?? "", creator: input.purpose ? creator : "", last_set: input.purpose ? now : 0 },
    members: new Set([...(state.users.has(creator) ? [creator] : []), ...(input.members ?? [])]),
    previousNames: [], messages: [],
  };
  state.channels.set(channel.id, channel);
  return { id: channel.id, name: channel.name };
}

/**
 * The direct message between two people (D…), or the group direct message among three or more (`mpdm-…`),
 * opened if it is not yet: what conversations.open does, and what a person does by writing to someone.
 */
export function openConversation(deps: SetupDeps, teamId: string, memberIds: string[]): Channel {
  const { state } = deps;
  const members = [...new Set(memberIds)];
  if (members.length < 2) throw new Error("a conversation needs at least two people");
  for (const id of members) if (state.user(id).teamId !== teamId) throw new Error(`${id} is not in team ${teamId}`);
  const existing = state.findConversation(teamId, members);
  if (existing) return existing;
  const isGroup = members.length > 2;
  const now = state.clock.seconds();
  const name = isGroup ? `mpdm-${members.map((id) => state.user(id).name).join("--")}-1` : members.join("-");
  const channel: Channel = {
    id: slackId(isGroup ? "G" : "D"), teamId, kind: isGroup ? "mpim" : "im", name, isPrivate: true, isArchived: false, isGeneral: false,
    created: now, creator: members[0]!, topic: { value: "", creator: "", last_set: 0 }, purpose: { value: "", creator: "", last_set: 0 },
    members: new Set(members), previousNames: [], messages: [],
  };
  state.channels.set(channel.id, channel);
  return channel;
}

/** Another integration in the workspace (say, a CI bot) whose posts are bot_message. */
export function createIntegrationBot(deps: SetupDeps, teamId: string, input: { name: string; icon_url?: string }): string {
  const id = slackId("B");
  const icon = input.icon_url ?? "https://a.slack-edge.com/80588/img/plugins/app/bot_48.png";
  deps.state.bots.set(id, { id, teamId, name: input.name, appId: slackId("A"), icons: { image_36: icon, image_48: icon, image_72: icon }, updated: deps.state.clock.seconds() });
  return id;
}

/** A custom emoji with an image the simulator serves, or an alias ("alias:name" in emoji.list). */
export function addEmoji(deps: SetupDeps, teamId: string, name: string, source: { bytes: Buffer; mimetype: string } | { aliasFor: string }): void {
  const team = deps.state.team(teamId);
  if ("aliasFor" in source) {
    team.emoji.set(name, `alias:${source.aliasFor}`);
    return;
  }
  const url = deps.urls.emoji(teamId, name);
  deps.state.publicAssets.set(new URL(url).pathname, source);
  team.emoji.set(name, url);
}

/** A user group people mention as `@handle`; Slack writes the mention as `<!subteam^S…>`. */
export function createUsergroup(deps: SetupDeps, teamId: string, input: { name: string; handle: string; users?: string[]; disabled?: boolean }): string {
  const team = deps.state.team(teamId);
  const now = deps.state.clock.seconds();
  const id = slackId("S");
  team.usergroups.set(id, {
    id, name: input.name, handle: input.handle, description: "", created: now, createdBy: input.users?.[0] ?? "USLACKBOT",
    users: input.users ?? [], disabled: input.disabled ? now : 0,
  });
  return id;
}

/** A code for oauth.v2.access, as if `userId` had approved the app for these user scopes. */
export function createOAuthCode(deps: SetupDeps, userId: string, scopes: string[]): string {
  const user = deps.state.user(userId);
  const code = tokens.oauthCode();
  deps.state.oauthCodes.set(code, { teamId: user.teamId, userId, scopes });
  return code;
}
