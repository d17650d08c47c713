/**
 * Discord people as the ghosts that stand for them: name from the config's template,
 * avatar from Discord's CDN (the guild avatar first, as Discord shows it in that guild).
 * Pure functions of payloads, so the rules are tested as tables.
 */
import type { APIUser } from "discord.js";
import type { RemoteUser } from "../../core/events.js";
import { webhookPersonaId } from "./ids.js";

/** The part of a guild member that decides how a person looks in that guild. */
export interface MemberLook {
  nick?: string | null;
  /** Guild-specific avatar hash. */
  avatar?: string | null;
}

export interface PeopleOptions {
  /** The config's display name template: `{displayName}`, `{username}`, `{globalName}`. */
  displayNameTemplate: string;
  cdnUrl: string;
}

/** Discord shows an APP tag beside bots and webhooks; their ghosts carry the same hint in their name. */
const BOT_SUFFIX = " (bot)";

/** What Discord calls a person in a guild: their nick there, else their global name, else their username. */
export function shownName(user: Pick<APIUser, "username" | "global_name">, member?: MemberLook): string {
  return member?.nick || user.global_name || user.username;
}

export function ghostDisplayName(template: string, user: Pick<APIUser, "username" | "global_name" | "bot">, member?: MemberLook): string {
  const values: Record<string, string> = {
    displayName: shownName(user, member),
    username: user.username,
    globalName: user.global_name || user.username,
  };
  const name = template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => values[key] ?? whole).trim() || user.username;
  return user.bot ? `${name}${BOT_SUFFIX}` : name;
}

/**
 * The avatar Discord shows: the guild avatar, the account's avatar, or one of the default
 * avatars Discord picks from the id (or from the old discriminator for accounts that kept one).
 */
export function avatarUrl(cdnUrl: string, user: Pick<APIUser, "id" | "avatar" | "discriminator">, member?: MemberLook, guildId?: string): string {
  if (member?.avatar && guildId) return `${cdnUrl}/guilds/${guildId}/users/${user.id}/avatars/${member.avatar}.png`;
  if (user.avatar) return `${cdnUrl}/avatars/${user.id}/${user.avatar}.png`;
  const legacy = user.discriminator && user.discriminator !== "0" ? Number(user.discriminator) % 5 : undefined;
  const index = legacy ?? Number((BigInt(user.id) >> 22n) % 6n);
  return `${cdnUrl}/embed/avatars/${index}.png`;
}

/**
 * The ghost for whoever wrote a message: a person or bot account, or a webhook persona when
 * `webhookId` is set (the author is then the webhook with the per-message name and avatar).
 * With their guild membership, the look is the guild's (nick, guild avatar), scoped to it.
 */
export function remoteUserFor(
  options: PeopleOptions,
  author: Pick<APIUser, "id" | "username" | "global_name" | "avatar" | "discriminator" | "bot">,
  member?: MemberLook,
  guildId?: string,
  webhookId?: string,
): RemoteUser {
  const isBot = author.bot === true || webhookId !== undefined;
  return {
    id: webhookId ? webhookPersonaId(webhookId, author.username) : author.id,
    displayName: ghostDisplayName(options.displayNameTemplate, { ...author, bot: isBot }, webhookId ? undefined : member),
    avatarUrl: avatarUrl(options.cdnUrl, author, webhookId ? undefined : member, guildId),
    ...(isBot ? { isBot: true } : {}),
    ...(member && guildId && !webhookId ? { scope: guildId } : {}),
  };
}
