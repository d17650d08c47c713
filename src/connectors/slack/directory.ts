/**
 * One workspace's people, bots, channels, emoji and user groups, looked up through
 * the Web API and cached, so a busy channel does not ask users.info for every message.
 * Events that change something (user_change, channel_rename, emoji_changed, subteam_*) drop the
 * cached answer; everything also expires on its own, since some changes send no event.
 */
import type { webApi } from "@slack/bolt";
import { slackCall } from "./errors.js";
import type { SlackBot, SlackChannel, SlackFile, SlackTeam, SlackUser } from "./slack-types.js";

const TTL_MS = 10 * 60 * 1000;
const CHANNEL_PAGE = 200;
const USER_PAGE = 200;

/** A cache of promises, so concurrent lookups of one key make one request; failures are not kept. */
class Cache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number }>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > Date.now()) return entry.value;
    const value = load();
    this.entries.set(key, { value, expires: Date.now() + TTL_MS });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { value: Promise.resolve(value), expires: Date.now() + TTL_MS });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

export class SlackDirectory {
  private readonly users = new Cache<SlackUser>();
  private readonly bots = new Cache<SlackBot>();
  private readonly channels = new Cache<SlackChannel>();
  private readonly workspace = new Cache<SlackTeam>();
  private readonly emojiList = new Cache<Record<string, string>>();
  private readonly usergroupList = new Cache<Map<string, string>>();
  /** Groups a fresh listing did not have: asked for again only once the list is reloaded anyway. */
  private readonly usergroupsMissingFromList = new Set<string>();

  constructor(private readonly client: webApi.WebClient) {}

  user(id: string): Promise<SlackUser> {
    return this.users.get(id, () => slackCall("looking up a user", async () => (await this.client.users.info({ user: id })).user as SlackUser));
  }

  /** A user if Slack will say who they are; undefined rather than an error otherwise. */
  async userIfKnown(id: string): Promise<SlackUser | undefined> {
    return this.user(id).catch(() => undefined);
  }

  /** user_change carries the whole updated user: keep it rather than ask again. */
  rememberUser(user: SlackUser): void {
    this.users.set(user.id, user);
  }

  bot(id: string): Promise<SlackBot> {
    return this.bots.get(id, () => slackCall("looking up a bot", async () => (await this.client.bots.info({ bot: id })).bot as SlackBot));
  }

  channel(id: string): Promise<SlackChannel> {
    return this.channels.get(id, () =>
      slackCall("looking up a channel", async () => (await this.client.conversations.info({ channel: id })).channel as SlackChannel));
  }

  async channelIfVisible(id: string): Promise<SlackChannel | undefined> {
    return this.channel(id).catch(() => undefined);
  }

  forgetChannel(id: string): void {
    this.channels.forget(id);
  }

  team(): Promise<SlackTeam> {
    return this.workspace.get("team", () => slackCall("looking up the workspace", async () => (await this.client.team.info({})).team as SlackTeam));
  }

  /** `emoji.list`: name -> image URL or `alias:other`. Empty when it cannot be read. */
  emoji(): Promise<Record<string, string>> {
    return this.emojiList
      .get("emoji", () => slackCall("listing custom emoji", async () => ((await this.client.emoji.list({})).emoji ?? {}) as Record<string, string>))
      .catch(() => ({}));
  }

  forgetEmoji(): void {
    this.emojiList.forget("emoji");
  }

  /**
   * The handles of these user groups, where Slack will say. A group the cached list lacks
   * makes one fresh listing (until the list next expires), since groups can be created
   * without Parley hearing of it (subteam_created goes only to apps subscribed then).
   */
  async usergroupHandles(ids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...ids];
    let known = await this.usergroups();
    const unseen = wanted.filter((id) => !known.has(id) && !this.usergroupsMissingFromList.has(id));
    if (unseen.length > 0) {
      this.forgetUsergroups();
      known = await this.usergroups();
      for (const id of unseen) if (!known.has(id)) this.usergroupsMissingFromList.add(id);
    }
    return new Map(wanted.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
  }

  forgetUsergroups(): void {
    this.usergroupList.forget("usergroups");
  }

  /** User group id -> handle. Empty when they cannot be listed. */
  private usergroups(): Promise<Map<string, string>> {
    return this.usergroupList
      .get("usergroups", () =>
        slackCall("listing user groups", async () => {
          this.usergroupsMissingFromList.clear();
          const { usergroups = [] } = await this.client.usergroups.list({});
          return new Map(usergroups.flatMap((group) => (group.id && group.handle ? [[group.id, group.handle] as const] : [])));
        }))
      .catch(() => new Map());
  }

  /** A file as files.info describes it, or undefined when the bot may not read it. Not cached: files change. */
  async fileIfReadable(id: string): Promise<SlackFile | undefined> {
    return slackCall("looking up a file", async () => (await this.client.files.info({ file: id })).file as SlackFile | undefined).catch(() => undefined);
  }

  /** A person by id (`U…`, or `<@U…>` as Slack writes mentions), or by username, display name or full name. */
  async findUser(reference: string): Promise<string | undefined> {
    const bare = reference.replace(/^<@([A-Z0-9]+)(?:\|[^>]*)?>$/, "$1").replace(/^@/, "");
    if (/^[UW][A-Z0-9]{6,}$/.test(bare)) return (await this.userIfKnown(bare))?.id;
    const wanted = bare.toLowerCase();
    let cursor: string | undefined;
    do {
      const page = await slackCall("listing people", () => this.client.users.list({ limit: USER_PAGE, cursor }));
      const found = (page.members as SlackUser[] | undefined)?.find((user) => !user.deleted && !user.is_bot &&
        [user.name, user.profile?.display_name, user.profile?.real_name, user.real_name].some((name) => name?.toLowerCase() === wanted));
      if (found) return found.id;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  /** A channel the bot can see, by name (`general` or `#general`). */
  async findChannelByName(name: string): Promise<SlackChannel | undefined> {
    const wanted = name.replace(/^#/, "").toLowerCase();
    let cursor: string | undefined;
    do {
      const page = await slackCall("listing channels", () =>
        this.client.conversations.list({ types: "public_channel,private_channel", exclude_archived: true, limit: CHANNEL_PAGE, cursor }));
      const found = (page.channels as SlackChannel[] | undefined)?.find((channel) => channel.name?.toLowerCase() === wanted);
      if (found) return found;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }
}
