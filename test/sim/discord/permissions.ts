import { OverwriteType, PermissionFlagsBits as P } from "discord.js";
import { errors } from "./errors.js";
import type { ChannelRecord } from "./model.js";
import type { SimState } from "./state.js";

const ALL = Object.values(P).reduce((all, bit) => all | bit, 0n);

/** What @everyone may do in a new server, as the Discord client sets it up (text and voice basics). */
export const DEFAULT_EVERYONE_PERMISSIONS =
  P.CreateInstantInvite | P.ChangeNickname | P.ViewChannel | P.SendMessages | P.SendMessagesInThreads |
  P.CreatePublicThreads | P.CreatePrivateThreads | P.EmbedLinks | P.AttachFiles | P.AddReactions |
  P.UseExternalEmojis | P.UseExternalStickers | P.MentionEveryone | P.ReadMessageHistory | P.UseApplicationCommands |
  P.Connect | P.Speak | P.Stream | P.UseVAD;

/** What a bridge bot is typically invited with; goes on the bot's managed role. */
export const DEFAULT_BOT_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.SendMessagesInThreads | P.CreatePublicThreads | P.ManageMessages |
  P.ManageThreads | P.ManageWebhooks | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.AddReactions |
  P.MentionEveryone | P.UseExternalEmojis | P.ManageChannels;

/** Denying one of these to a member also takes away what depends on it, as Discord does implicitly. */
const NEEDS_SEND_MESSAGES = P.MentionEveryone | P.SendTTSMessages | P.AttachFiles | P.EmbedLinks;

/** Server-wide permissions: @everyone plus the member's roles; owners and administrators may do everything. */
export function guildPermissions(state: SimState, guildId: string, userId: string): bigint {
  const guild = state.guild(guildId);
  if (guild.ownerId === userId) return ALL;
  const member = state.findMember(guild.id, userId);
  if (!member) return 0n;
  let permissions = state.roles.get(guild.id)?.permissions ?? 0n;
  for (const roleId of member.roleIds) permissions |= state.roles.get(roleId)?.permissions ?? 0n;
  return permissions & P.Administrator ? ALL : permissions;
}

/** Discord's documented algorithm: guild permissions, then channel overwrites for @everyone, roles, the member. */
export function channelPermissions(state: SimState, channel: ChannelRecord, userId: string): bigint {
  let permissions = guildPermissions(state, channel.guildId, userId);
  // Owners and administrators (the only holders of the ADMINISTRATOR bit here) ignore overwrites.
  if (permissions & P.Administrator) return ALL;
  const guild = state.guild(channel.guildId);
  const member = state.findMember(guild.id, userId);
  if (!member) return 0n;

  const overwrites = state.permissionChannel(channel).overwrites;
  const apply = (allow: bigint, deny: bigint) => {
    permissions = (permissions & ~deny) | allow;
  };
  const everyoneOverwrite = overwrites.find((overwrite) => overwrite.id === guild.id);
  if (everyoneOverwrite) apply(everyoneOverwrite.allow, everyoneOverwrite.deny);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === OverwriteType.Role && member.roleIds.includes(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  apply(roleAllow, roleDeny);
  const memberOverwrite = overwrites.find(
    (overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === userId,
  );
  if (memberOverwrite) apply(memberOverwrite.allow, memberOverwrite.deny);

  if (!(permissions & P.ViewChannel)) return 0n;
  if (!(permissions & P.SendMessages)) permissions &= ~NEEDS_SEND_MESSAGES;
  return permissions;
}

export function canView(state: SimState, channel: ChannelRecord, userId: string): boolean {
  return (channelPermissions(state, channel, userId) & P.ViewChannel) !== 0n;
}

/** Fails like the API: a channel you cannot see is Missing Access, a missing right on a visible one is 50013. */
export function requirePermissions(state: SimState, channel: ChannelRecord, userId: string, needed: bigint): void {
  const permissions = channelPermissions(state, channel, userId);
  if (!(permissions & P.ViewChannel)) throw errors.missingAccess();
  if ((permissions & needed) !== needed) throw errors.missingPermissions();
}

export function hasPermission(state: SimState, channel: ChannelRecord, userId: string, flag: bigint): boolean {
  return (channelPermissions(state, channel, userId) & flag) === flag;
}
