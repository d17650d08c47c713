import type { ConfigProblems } from "../config/reader.js";

/**
 * What a Matrix user may do with Parley, from least to most:
 * - `relay`: their messages in bridged rooms are relayed to the networks under their name.
 * - `user`: also talk to the bot, link their own accounts and bridge rooms they moderate.
 * - `admin`: also bridge any room and see the bridge's status.
 */
export const PERMISSION_LEVELS = ["none", "relay", "user", "admin"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** One rule: a user id (`@alice:example.org`), a server name (`example.org`) or `*`. */
export interface PermissionRule {
  subject: string;
  level: PermissionLevel;
}

export function parsePermissionRules(entries: Map<string, string>, path: string, problems: ConfigProblems): PermissionRule[] {
  const rules: PermissionRule[] = [];
  for (const [subject, level] of entries) {
    if (!(PERMISSION_LEVELS as readonly string[]).includes(level)) {
      problems.add(`${path}.${subject}`, `must be one of ${PERMISSION_LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
      continue;
    }
    if (subject !== "*" && subject.startsWith("@") && !subject.includes(":")) {
      problems.add(`${path}.${subject}`, "a user id needs its server name, like @alice:example.org");
      continue;
    }
    rules.push({ subject, level: level as PermissionLevel });
  }
  return rules;
}

export class Permissions {
  private readonly byUser = new Map<string, PermissionLevel>();
  private readonly byServer = new Map<string, PermissionLevel>();
  private readonly fallback: PermissionLevel;

  constructor(rules: readonly PermissionRule[]) {
    let fallback: PermissionLevel = "none";
    for (const rule of rules) {
      if (rule.subject === "*") fallback = rule.level;
      else if (rule.subject.startsWith("@")) this.byUser.set(rule.subject, rule.level);
      else this.byServer.set(rule.subject, rule.level);
    }
    this.fallback = fallback;
  }

  /** The most specific rule wins: the user's own, then their server's, then `*`. */
  levelOf(userId: string): PermissionLevel {
    const own = this.byUser.get(userId);
    if (own) return own;
    const server = userId.slice(userId.indexOf(":") + 1);
    return this.byServer.get(server) ?? this.fallback;
  }

  allows(userId: string, needed: PermissionLevel): boolean {
    return PERMISSION_LEVELS.indexOf(this.levelOf(userId)) >= PERMISSION_LEVELS.indexOf(needed);
  }
}
