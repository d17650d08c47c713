import { createHash } from "node:crypto";

/**
 * The Slack connector's ids, made and parsed here only. The core stores them opaquely.
 *
 * - A chat is `<teamId>/<channelId>`: channel ids are only unique within their
 *   workspace's reach, and the team says which workspace's tokens to use.
 * - A remote user is `<teamId>/<userId>`, or `<teamId>/<botId>` for an integration
 *   that posts as a bot without a user (`<botId>X<hash>` when it posts under a name of
 *   its own).
 * - A message is its `ts`, which Slack guarantees unique and increasing per channel.
 *
 * Ghost localparts and alias localparts come from the configured templates and are
 * lowercase (Matrix user ids must be); parsing reads the ids back in Slack's uppercase.
 */

export interface ChatParts {
  teamId: string;
  channelId: string;
}

export interface UserParts {
  teamId: string;
  /** A `U…`/`W…` user id, or a `B…` bot id for integrations without a user. */
  userId: string;
}

/** Slack ids are uppercase letters and digits; anything else is not one of ours. */
const SLACK_ID = /^[A-Z0-9]+$/;

export function toChatId(teamId: string, channelId: string): string {
  return `${teamId}/${channelId}`;
}

export function parseChatId(chat: string): ChatParts | undefined {
  const [teamId, channelId, extra] = chat.split("/");
  if (extra !== undefined || !teamId || !channelId || !SLACK_ID.test(teamId) || !SLACK_ID.test(channelId)) return undefined;
  return { teamId, channelId };
}

/**
 * An integration posting under a name of its own (bot_message with `username`): each name
 * is its own ghost, as Slack shows each as its own sender, so a bot that relays many
 * people does not rename one ghost at every message. Letters and digits, like Slack's ids.
 */
export function botPersonaId(botId: string, username: string): string {
  return `${botId}X${createHash("sha256").update(username).digest("hex").slice(0, 8).toUpperCase()}`;
}

/** Whether a Slack user id names a person (`U…`, `W…`) rather than a bot or a bot's persona. */
export function isPersonId(slackUserId: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(slackUserId);
}

export function toUserId(teamId: string, slackUserId: string): string {
  return `${teamId}/${slackUserId}`;
}

export function parseUserId(user: string): UserParts | undefined {
  const chat = parseChatId(user);
  return chat && { teamId: chat.teamId, userId: chat.channelId };
}

/** A localpart template such as `slack_{teamId}_{userId}`, filled and read back. */
export class LocalpartTemplate {
  private readonly pattern: RegExp;
  private readonly names: string[] = [];

  constructor(private readonly template: string) {
    const source = template
      .split(/(\{[a-zA-Z]+\})/)
      .map((piece) => {
        const placeholder = /^\{([a-zA-Z]+)\}$/.exec(piece);
        if (!placeholder) return piece.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        this.names.push(placeholder[1] as string);
        return "([a-z0-9]+)";
      })
      .join("");
    this.pattern = new RegExp(`^${source}$`, "i");
  }

  fill(values: Record<string, string>): string {
    return this.template.replace(/\{([a-zA-Z]+)\}/g, (_match, name: string) => values[name] ?? "").toLowerCase();
  }

  /** The placeholders' values in Slack's uppercase, or undefined when the localpart is not this template's. */
  read(localpart: string): Record<string, string> | undefined {
    const match = this.pattern.exec(localpart);
    if (!match) return undefined;
    return Object.fromEntries(this.names.map((name, index) => [name, (match[index + 1] as string).toUpperCase()]));
  }
}

/** Ghost and alias localparts for one Parley instance's templates. */
export class SlackLocalparts {
  private readonly ghost: LocalpartTemplate;
  private readonly alias: LocalpartTemplate;

  constructor(templates: { ghostLocalpart: string; aliasLocalpart: string }) {
    this.ghost = new LocalpartTemplate(templates.ghostLocalpart);
    this.alias = new LocalpartTemplate(templates.aliasLocalpart);
  }

  ghostForUser(user: string): string {
    const ref = parseUserId(user);
    if (!ref) throw new Error(`not a Slack user id: ${user}`);
    return this.ghost.fill({ teamId: ref.teamId, userId: ref.userId });
  }

  userForGhost(localpart: string): string | undefined {
    const values = this.ghost.read(localpart);
    return values?.teamId && values.userId ? toUserId(values.teamId, values.userId) : undefined;
  }

  aliasForChat(chat: string): string {
    const ref = parseChatId(chat);
    if (!ref) throw new Error(`not a Slack chat id: ${chat}`);
    return this.alias.fill({ teamId: ref.teamId, channelId: ref.channelId });
  }

  chatForAlias(localpart: string): string | undefined {
    const values = this.alias.read(localpart);
    return values?.teamId && values.channelId ? toChatId(values.teamId, values.channelId) : undefined;
  }
}

/** Orders two message timestamps (`1700000000.000100`): fixed-point decimals, compared exactly. */
export function compareTs(a: string, b: string): number {
  const micros = (ts: string): bigint => {
    const [whole = "0", fraction = ""] = ts.split(".");
    return BigInt(whole || "0") * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6) || "0");
  };
  const difference = micros(a) - micros(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** A message timestamp in milliseconds since the epoch. */
export function tsToMillis(ts: string): number {
  return Math.round(Number(ts) * 1000);
}

/** The ts of a moment, in Slack's seconds-and-microseconds form. */
export function tsFromMillis(ms: number): string {
  const whole = Math.floor(ms / 1000);
  return `${whole}.${String(Math.floor(ms - whole * 1000) * 1000).padStart(6, "0")}`;
}

/** A ts that many seconds before another, for windows of history. */
export function tsMinusSeconds(ts: string, seconds: number): string {
  const [whole = "0", fraction = "000000"] = ts.split(".");
  return `${Math.max(0, Number(whole) - seconds)}.${fraction}`;
}
