/**
 * What people and the bot may do in a Discord channel, worked out by discord.js from the
 * guild's roles and the channel's overwrites. Used to decide who may approve or undo a
 * bridge, and to say which permissions the bot lacks before a bridge is set up.
 */
import { PermissionFlagsBits, PermissionsBitField, type Client } from "discord.js";

/** What Parley needs in a bridged channel, by the name Discord's settings show. */
export const REQUIRED_BOT_PERMISSIONS: ReadonlyArray<[bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.SendMessagesInThreads, "Send Messages in Threads"],
  [PermissionFlagsBits.CreatePublicThreads, "Create Public Threads"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
  [PermissionFlagsBits.ManageWebhooks, "Manage Webhooks"],
  [PermissionFlagsBits.ManageMessages, "Manage Messages"],
  [PermissionFlagsBits.AddReactions, "Add Reactions"],
  [PermissionFlagsBits.AttachFiles, "Attach Files"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
  [PermissionFlagsBits.MentionEveryone, "Mention @everyone, @here and All Roles"],
];

/** The permissions integer for the invite link: everything above. */
export const BOT_PERMISSIONS_INTEGER = REQUIRED_BOT_PERMISSIONS.reduce((all, [bit]) => all | bit, 0n);

/** A member's permissions in a channel; none when they are not (or no longer) a member. */
async function permissionsIn(client: Client, guildId: string, channelId: string, userId: string): Promise<Readonly<PermissionsBitField>> {
  const none = new PermissionsBitField();
  const guild = client.guilds.cache.get(guildId) ?? (await client.guilds.fetch(guildId).catch(() => undefined));
  if (!guild) return none;
  const member = await guild.members.fetch(userId).catch(() => undefined);
  const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
  if (!member || !channel) return none;
  return channel.permissionsFor(member) ?? none;
}

export async function mayManageWebhooks(client: Client, guildId: string, channelId: string, userId: string): Promise<boolean> {
  return (await permissionsIn(client, guildId, channelId, userId)).has(PermissionFlagsBits.ManageWebhooks);
}

/** The names of the permissions the bot lacks in a channel. */
export async function missingBotPermissions(client: Client, guildId: string, channelId: string): Promise<string[]> {
  const botId = client.user?.id;
  if (!botId) return REQUIRED_BOT_PERMISSIONS.map(([, name]) => name);
  const granted = await permissionsIn(client, guildId, channelId, botId);
  return REQUIRED_BOT_PERMISSIONS.filter(([bit]) => !granted.has(bit)).map(([, name]) => name);
}
