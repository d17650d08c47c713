// The in-memory workspace store: lookups by id and the few invariants every writer relies on
// (messages kept in ts order, one owner per token).
import { compareTs, TsClock } from "./ids.js";
import type { Bot, Channel, Message, StoredFile, Team, TokenOwner, User } from "./model.js";

export class SimState {
  readonly teams = new Map<string, Team>();
  readonly users = new Map<string, User>();
  readonly bots = new Map<string, Bot>();
  readonly channels = new Map<string, Channel>();
  readonly files = new Map<string, StoredFile>();
  readonly tokens = new Map<string, TokenOwner>();
  /** Images anyone may fetch without a token (custom emoji, avatars), by URL path. */
  readonly publicAssets = new Map<string, { bytes: Buffer; mimetype: string }>();
  /** OAuth codes waiting to be exchanged by oauth.v2.access. */
  readonly oauthCodes = new Map<string, { teamId: string; userId: string; scopes: string[] }>();
  /** Tokens revoked (by their person, an admin, or auth.revoke): Slack answers token_revoked for them. */
  readonly revokedTokens = new Set<string>();

  constructor(readonly clock: TsClock) {}

  team(id: string): Team {
    const team = this.teams.get(id);
    if (!team) throw new Error(`no team ${id}`);
    return team;
  }

  user(id: string): User {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  channel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`no channel ${id}`);
    return channel;
  }

  /** The one team when there is only one; tests with several teams must say which. */
  onlyTeam(): Team {
    if (this.teams.size !== 1) throw new Error(`${this.teams.size} teams exist: pass a team id`);
    return [...this.teams.values()][0]!;
  }

  /** Resolves a channel by id, or by name ("general" or "#general") within a team, as chat.postMessage allows. */
  findChannel(teamId: string, idOrName: string): Channel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId?.teamId === teamId) return byId;
    const name = idOrName.replace(/^#/, "");
    for (const channel of this.channels.values()) {
      if (channel.teamId === teamId && channel.name === name) return channel;
    }
    return undefined;
  }

  findMessage(channel: Channel, ts: string): Message | undefined {
    return channel.messages.find((message) => message.ts === ts);
  }

  /** Top-level messages as the channel shows them: everything not in a thread, plus thread broadcasts. */
  channelTimeline(channel: Channel): Message[] {
    return channel.messages.filter(
      (message) => !isReply(message) || message.subtype === "thread_broadcast",
    );
  }

  /** A thread's root followed by its replies, oldest first. */
  thread(channel: Channel, rootTs: string): Message[] {
    return channel.messages.filter((message) => message.ts === rootTs || message.threadTs === rootTs);
  }

  repliesTo(channel: Channel, root: Message): Message[] {
    return channel.messages.filter((message) => message.threadTs === root.ts && message.ts !== root.ts);
  }

  insertMessage(channel: Channel, message: Message): void {
    channel.messages.push(message);
    channel.messages.sort((a, b) => compareTs(a.ts, b.ts));
  }

  removeMessage(channel: Channel, message: Message): void {
    channel.messages.splice(channel.messages.indexOf(message), 1);
  }

  /** What a token may see: bots and users see public channels, private ones only as members. */
  canSee(channel: Channel, actorUserId: string): boolean {
    return !channel.isPrivate || channel.members.has(actorUserId);
  }

  isBotMember(channel: Channel): boolean {
    return channel.members.has(this.team(channel.teamId).bot.userId);
  }

  /**
   * A member of a direct message who gave the team's app a user token with `scope`: the person on whose
   * behalf Slack delivers the conversation's events (user events), or undefined when nobody did.
   */
  authorizedMember(channel: Channel, scope: string): string | undefined {
    for (const member of channel.members) {
      for (const [token, owner] of this.tokens) {
        if (owner.kind === "user" && owner.teamId === channel.teamId && owner.userId === member && owner.scopes.includes(scope) && !this.revokedTokens.has(token)) {
          return member;
        }
      }
    }
    return undefined;
  }

  /** The direct message (two people) or group direct message (more) between exactly these people, if open. */
  findConversation(teamId: string, memberIds: string[]): Channel | undefined {
    const wanted = new Set(memberIds);
    for (const channel of this.channels.values()) {
      if (channel.teamId !== teamId || channel.kind === "channel" || channel.members.size !== wanted.size) continue;
      if ([...wanted].every((id) => channel.members.has(id))) return channel;
    }
    return undefined;
  }
}

export function isReply(message: Message): boolean {
  return message.threadTs !== undefined && message.threadTs !== message.ts;
}
