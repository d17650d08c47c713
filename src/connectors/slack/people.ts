/**
 * Slack people and bots as Matrix ghosts should show them: the name from the
 * configured template, the avatar, and whether they may ping a whole room.
 */
import type { RemoteUser } from "../../core/events.js";
import { botPersonaId, toUserId } from "./ids.js";
import type { SlackBot, SlackMessage, SlackUser } from "./slack-types.js";

/**
 * Fills a display name template. `{displayName}` is what Slack shows: the display name,
 * else the full name, else the username; `{realName}` and `{username}` are the parts.
 */
export function fillDisplayName(template: string, names: { displayName?: string; realName?: string; username?: string }): string {
  const username = names.username ?? "";
  const realName = names.realName || username;
  const displayName = names.displayName || realName;
  const values: Record<string, string> = { displayName, realName, username };
  const filled = template.replace(/\{([a-zA-Z]+)\}/g, (match, name: string) => values[name] ?? match).trim();
  return filled || displayName || username;
}

export function remoteUserFromSlackUser(teamId: string, user: SlackUser, template: string): RemoteUser {
  const profile = user.profile ?? {};
  return {
    id: toUserId(teamId, user.id),
    displayName: fillDisplayName(template, {
      displayName: profile.display_name,
      realName: profile.real_name || user.real_name,
      username: user.name ?? user.id,
    }),
    avatarUrl: profile.image_original ?? profile.image_512 ?? profile.image_192 ?? profile.image_72,
    isBot: user.is_bot === true,
  };
}

/** An integration posting as a bot without a user (bot_message): named and pictured by its bot profile. */
export function remoteUserFromBot(teamId: string, bot: SlackBot, template: string): RemoteUser {
  const name = bot.name ?? bot.id;
  return { id: toUserId(teamId, bot.id), displayName: botName(template, name), avatarUrl: largestIcon(bot.icons), isBot: true };
}

/**
 * An integration's message as Slack shows its sender: under the `username` it posted with,
 * when that is not its bot's own name, as a persona of the bot with the message's icon.
 */
export function remoteUserFromBotMessage(teamId: string, botId: string, bot: SlackBot | undefined, message: SlackMessage, template: string): RemoteUser {
  const username = message.username?.trim();
  if (bot && (!username || username === bot.name)) return remoteUserFromBot(teamId, bot, template);
  const name = username || botId;
  return {
    id: toUserId(teamId, username ? botPersonaId(botId, username) : botId),
    displayName: botName(template, name),
    avatarUrl: largestIcon(message.icons) ?? largestIcon(bot?.icons),
    isBot: true,
  };
}

function botName(template: string, name: string): string {
  return fillDisplayName(template, { displayName: name, realName: name, username: name });
}

/** The largest picture of a bot's or message's icons; an `emoji` icon has no picture. */
function largestIcon(icons: Record<string, string> | undefined): string | undefined {
  if (!icons) return undefined;
  return icons.image_original ?? icons.image_72 ?? icons.image_64 ?? icons.image_48 ?? icons.image_36;
}

/**
 * Whether `<!here>`, `<!channel>` and `<!everyone>` from this person should ping the
 * Matrix room. Slack lets full members use them (subject to the workspace's settings,
 * which already let the message through); guests and bots get the words, not the ping.
 */
export function mayPingRoom(user: SlackUser | undefined): boolean {
  if (!user) return false;
  return !user.is_bot && !user.is_restricted && !user.is_ultra_restricted && !user.deleted;
}
