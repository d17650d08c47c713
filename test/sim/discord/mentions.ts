import { invalidField } from "./errors.js";
import type { SimState } from "./state.js";

export type MentionType = "users" | "roles" | "everyone";

/** The `allowed_mentions` object of a create or edit request. */
export interface AllowedMentions {
  parse?: MentionType[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface Mentions {
  userIds: string[];
  roleIds: string[];
  everyone: boolean;
}

export interface MentionContext {
  state: SimState;
  guildId: string;
  /** Whether the author holds MENTION_EVERYONE, which also lets them ping roles that are not mentionable. */
  mayMentionEveryone: boolean;
  /** Author of the message being replied to, if any. */
  repliedUserId?: string;
}

/** Regular messages parse every kind of mention when `allowed_mentions` is absent (and ping the replied user). */
export const CLIENT_DEFAULT_MENTIONS: AllowedMentions = { parse: ["users", "roles", "everyone"], replied_user: true };
/** Webhooks only parse user mentions by default. */
export const WEBHOOK_DEFAULT_MENTIONS: AllowedMentions = { parse: ["users"] };

/** `parse` and an explicit list of the same kind are mutually exclusive; Discord rejects the request. */
export function validateAllowedMentions(allowed: AllowedMentions | undefined): void {
  if (!allowed) return;
  for (const kind of ["users", "roles"] as const) {
    if (allowed.parse?.includes(kind) && (allowed[kind]?.length ?? 0) > 0) {
      throw invalidField(
        `allowed_mentions.${kind}`,
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

/** Works out `mentions`, `mention_roles` and `mention_everyone` from the content, as Discord does on create/edit. */
export function resolveMentions(content: string, allowed: AllowedMentions, context: MentionContext): Mentions {
  const parse = new Set(allowed.parse ?? []);
  const userAllowed = (id: string) => parse.has("users") || (allowed.users ?? []).includes(id);
  const roleAllowed = (id: string) => parse.has("roles") || (allowed.roles ?? []).includes(id);

  const userIds: string[] = [];
  for (const [, id] of content.matchAll(/<@!?(\d{1,20})>/g)) {
    if (id && context.state.users.has(id) && userAllowed(id) && !userIds.includes(id)) userIds.push(id);
  }
  if (context.repliedUserId && allowed.replied_user && !userIds.includes(context.repliedUserId)) {
    userIds.push(context.repliedUserId);
  }

  const roleIds: string[] = [];
  for (const [, id] of content.matchAll(/<@&(\d{1,20})>/g)) {
    const role = id ? context.state.roles.get(id) : undefined;
    if (!role || role.guildId !== context.guildId || roleIds.includes(role.id) || !roleAllowed(role.id)) continue;
    if (role.mentionable || context.mayMentionEveryone) roleIds.push(role.id);
  }

  const everyone = parse.has("everyone") && context.mayMentionEveryone && /@(everyone|here)/.test(content);
  return { userIds, roleIds, everyone };
}
