/**
 * One Slack workspace: its bolt App (Socket Mode or HTTP), who Parley's app is there,
 * and the pieces that turn its events into RemoteEvents and Matrix messages into posts.
 */
import { App } from "@slack/bolt";
import type { Logger } from "winston";
import type { ChatInfo, ConnectorHost, FetchedMedia, MatrixSender, OutgoingEmoji, OutgoingMessage, SentMessage } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { RemoteUser } from "../../core/events.js";
import { boltLogger } from "./bolt-logger.js";
import { BridgedEdits } from "./bridged-edits.js";
import { CatchUpGate, RECHECKED_MESSAGES, bridgedNow, missedMessages } from "./catch-up.js";
import type { SlackConfig, SlackWorkspaceConfig } from "./config.js";
import type { ConnectionStatus } from "./connection.js";
import { SlackContexts } from "./contexts.js";
import { DirectChats } from "./direct-chats.js";
import { SlackDirectory } from "./directory.js";
import { InboundCursors } from "./cursors.js";
import { EchoFilter, type SlackSelf } from "./echoes.js";
import { slackCall } from "./errors.js";
import { SlackEvents } from "./events.js";
import { compareTs, toChatId, tsFromMillis } from "./ids.js";
import { MessageEvents } from "./message-events.js";
import { ChannelPacer } from "./pacer.js";
import { remoteUserFromBot } from "./people.js";
import { HttpStoredAckReceiver, SocketModeStoredAckReceiver, type HttpEndpointWorkspace } from "./receivers.js";
import type { Puppets } from "./puppets.js";
import { type Actor, SlackSender } from "./send.js";
import { Senders } from "./senders.js";
import type { SlackChannel, SlackMessage, SlackTeam } from "./slack-types.js";

const SNIPPET_LIMIT_BYTES = 64 * 1024;

export interface WorkspaceOptions {
  config: SlackConfig;
  credentials: SlackWorkspaceConfig;
  host: ConnectorHost;
  log: Logger;
  connection: ConnectionStatus;
  /** Linked people's own accounts. */
  puppets: Puppets;
  /** Downloads with whichever workspace's token the URL needs. */
  fetchMedia(url: string, maxBytes: number): Promise<FetchedMedia>;
}

/** What exists once the workspace has said who Parley's app is there (auth.test). */
interface Live {
  self: SlackSelf;
  directory: SlackDirectory;
  senders: Senders;
  events: SlackEvents;
  messages: MessageEvents;
  sender: SlackSender;
  gate: CatchUpGate;
  cursors: InboundCursors;
  direct: DirectChats;
}

export class SlackWorkspace {
  private readonly app: App;
  private readonly receiver: SocketModeStoredAckReceiver | HttpStoredAckReceiver;
  private live?: Live;
  private stopping = false;

  constructor(private readonly options: WorkspaceOptions) {
    const { config, credentials, log } = options;
    this.receiver = config.mode === "socket"
      ? new SocketModeStoredAckReceiver({
        appToken: credentials.appToken as string,
        apiUrl: config.apiUrl,
        logger: boltLogger(log),
        log,
        onConnection: (connected) => this.onConnection(connected),
      })
      : new HttpStoredAckReceiver();
    this.app = new App({
      token: credentials.botToken,
      receiver: this.receiver,
      logger: boltLogger(log),
      // Rate limits and failures go to the core, which retries with backoff and tells the sender.
      clientOptions: { slackApiUrl: config.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } },
      // Echoes are recognised in echoes.ts, by bot id and by the timestamps Parley posted.
      ignoreSelf: false,
      convoStore: false,
    });
    this.app.use(async ({ body, next }) => {
      await this.started.events.handleCallback(body as unknown as Record<string, unknown>);
      await next();
    });
    // Rethrown, the failure reaches the receiver, which leaves the event unacknowledged.
    this.app.error(async (error) => {
      throw error;
    });
  }

  get teamId(): string {
    return this.started.self.teamId;
  }

  get botToken(): string {
    return this.options.credentials.botToken;
  }

  /** This workspace as the Events API endpoint sees it (http mode); its team is unknown until started. */
  httpEndpoint(): HttpEndpointWorkspace | undefined {
    const { signingSecret } = this.options.credentials;
    if (!(this.receiver instanceof HttpStoredAckReceiver) || !signingSecret) return undefined;
    return { teamId: this.live?.self.teamId, signingSecret, receiver: this.receiver };
  }

  async start(): Promise<void> {
    const auth = await slackCall("checking the bot token", () => this.app.client.auth.test());
    const { host, config } = this.options;
    const directory = new SlackDirectory(this.app.client);
    const botUserId = auth.user_id as string;
    // auth.test names the bot for bot tokens; its user's profile does too, should a reply leave it out.
    const botId = auth.bot_id ?? (await directory.userIfKnown(botUserId))?.profile?.bot_id;
    const self: SlackSelf = { teamId: auth.team_id as string, botId, botUserId };
    const echoes = new EchoFilter(self);
    const senders = new Senders(self.teamId, directory, config.displayName);
    const contexts = new SlackContexts(self.teamId, directory, host, config.displayName);
    const gate = new CatchUpGate(host);
    const cursors = new InboundCursors(host.state);
    const { puppets } = this.options;
    const direct = new DirectChats({ teamId: self.teamId, host, puppets, senders });
    const messages = new MessageEvents({
      teamId: self.teamId, host, directory, echoes, senders, contexts, cursors, edits: new BridgedEdits(host.state),
      fetchSnippet: (url) => this.options.fetchMedia(url, SNIPPET_LIMIT_BYTES).then((media) => media.bytes.toString("utf8"), () => undefined),
      fileUrlSuffix: fileChatSuffix,
    });
    const events = new SlackEvents({
      teamId: self.teamId, host, directory, echoes, senders, messages,
      ready: (chat) => gate.ready(chat),
      privateChat: (channelId, onBehalfOf) => direct.ensureRoom(channelId, onBehalfOf),
      tokensRevoked: (userIds) => puppets.revoked(self.teamId, userIds),
    });
    const sender = new SlackSender({
      contexts, echoes, pacer: new ChannelPacer(), uploadLimitBytes: config.uploadLimitBytes, botUserId: self.botUserId,
      isBridged: (channel, ts) => host.isBridged(toChatId(self.teamId, channel), ts),
    });
    this.live = { self, directory, senders, events, messages, sender, gate, cursors, direct };
    gate.reset();
    await this.app.start();
    this.options.log.info("Connected to a Slack workspace", { teamId: self.teamId, team: auth.team, mode: config.mode });
  }

  /** Disconnects, then waits for the events already received to be stored: none is emitted after. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.app.stop();
    if (!this.live) return;
    this.live.gate.releaseAll();
    await this.live.events.drain();
  }

  send(channel: string, message: OutgoingMessage): Promise<SentMessage> {
    return this.act(message.sender, (actor) => this.started.sender.send(channel, message, actor));
  }

  edit(channel: string, ids: string[], message: OutgoingMessage): Promise<SentMessage> {
    return this.act(message.sender, (actor) => this.started.sender.edit(channel, ids, message, actor));
  }

  delete(channel: string, ids: string[], sender: MatrixSender): Promise<void> {
    return this.act(sender, (actor) => this.started.sender.delete(channel, ids, actor));
  }

  react(channel: string, ts: string, emoji: OutgoingEmoji, add: boolean, sender: MatrixSender): Promise<void> {
    return this.act(sender, (actor) => this.started.sender.react(channel, ts, emoji, add, actor));
  }

  /**
   * Does something as the sender's own Slack account when they linked one, else as the bot.
   * When their account may not (a token Slack refuses, a channel they are not in), the bot
   * does it instead, so what they sent still arrives.
   */
  private async act<T>(sender: MatrixSender, run: (actor: Actor) => Promise<T>): Promise<T> {
    const { puppets } = this.options;
    const puppet = await puppets.forSender(sender, this.teamId);
    if (puppet) {
      try {
        return await run({ client: puppet.client, asPerson: puppet.slackUserId });
      } catch (error) {
        if (!(await puppets.botMayTry(puppet, error))) throw error;
      }
    }
    return run({ client: this.app.client });
  }

  /** The linked person's side of private chats: opening them, and `slack dm`. */
  get directChats(): DirectChats {
    return this.started.direct;
  }

  /** The token that reads a chat: its owner's for a private chat, else the bot's. */
  async tokenForChat(chat: string): Promise<string | undefined> {
    const puppet = await this.started.direct.ownerPuppet(chat);
    if (puppet) return puppet.client.token;
    return (await this.started.direct.owner(chat)) ? undefined : this.botToken;
  }

  /** A Slack user by id (`U…`), handle (`@carol`) or name, as the directory finds them. */
  findUser(reference: string): Promise<string | undefined> {
    return this.started.directory.findUser(reference);
  }

  /**
   * Emits what a channel missed, then lets its waiting live events go. It resumes after
   * the newest Slack message bridged from the channel, or, when none has been yet, after
   * the moment the channel was bridged (`bridgedAt`), never from older history. Then the
   * messages bridged last are looked up again: what was edited or deleted meanwhile goes
   * the way Slack's message_changed and message_deleted events do.
   */
  async catchUp(channel: string, after: string | undefined, bridgedAt: number): Promise<void> {
    const { gate, messages, cursors, direct } = this.started;
    const chat = toChatId(this.teamId, channel);
    try {
      // A private chat is read with its owner's token; with their link broken, it waits for a new one.
      const owner = await direct.ownerPuppet(chat);
      if (!owner && (await direct.owner(chat))) return;
      const client = owner?.client ?? this.app.client;
      const read = <T>(call: () => Promise<T>): Promise<T> => (owner ? this.options.puppets.call(owner, call) : call());
      // Never from before the chat was (last) bridged: what was said while it was not stays on Slack.
      const resumeFrom = (await cursors.get(chat)) ?? after;
      const bridgedFrom = tsFromMillis(bridgedAt);
      const from = resumeFrom !== undefined && compareTs(resumeFrom, bridgedFrom) > 0 ? resumeFrom : bridgedFrom;
      // Known before the missed messages are bridged: those are new, not changed.
      const bridged = (await this.options.host.recentlyBridged(chat, RECHECKED_MESSAGES)).map((message) => message.remoteId);
      const missed = await read(() => missedMessages(client, channel, from));
      for (const message of missed) await messages.handle(channel, message);
      const now = await read(() => bridgedNow(client, channel, bridged));
      for (const message of now.present) {
        if (message.subtype !== "tombstone" && !message.edited) continue;
        const changed: SlackMessage = { type: "message", subtype: "message_changed", ts: message.edited?.ts ?? message.ts, message };
        await messages.handle(channel, changed);
      }
      for (const ts of now.deleted) await messages.handle(channel, { type: "message", subtype: "message_deleted", ts, deleted_ts: ts });
    } finally {
      gate.release(chat);
    }
  }

  /**
   * A channel as a room. Parley's app must be a member (Slack members decide where it
   * is); a private channel, or a conversation with the app itself, becomes a room only
   * when plumbed with `!slack bridge`, never by an alias anyone could guess.
   */
  async chatInfo(channelId: string, allowPrivate: boolean): Promise<ChatInfo> {
    const { directory, direct } = this.started;
    // A linked person's private chat, which only their token can read.
    const privateChat = await direct.chatInfo(channelId);
    if (privateChat) return privateChat;
    directory.forgetChannel(channelId);
    const channel = await directory.channel(channelId);
    if (!channel.is_im && !channel.is_member) {
      throw new PermanentError(`Parley's Slack app is not a member of #${channel.name ?? channelId}: invite it there on Slack first`);
    }
    if ((channel.is_private || channel.is_im || channel.is_mpim) && !allowPrivate) {
      throw new PermanentError(`#${channel.name ?? channelId} is private: a room member can bridge it with !slack bridge`);
    }
    return {
      name: await this.channelName(channel),
      topic: channel.topic?.value || channel.purpose?.value || undefined,
      isDirect: channel.is_im === true,
      ...(this.options.config.spaces ? { group: await this.group() } : {}),
    };
  }

  async remoteUser(id: string): Promise<RemoteUser> {
    const { senders, directory } = this.started;
    if (id.startsWith("B")) return remoteUserFromBot(this.teamId, await directory.bot(id), this.options.config.displayName);
    return (await senders.user(id)).remote;
  }

  async findChannel(idOrName: string): Promise<SlackChannel | undefined> {
    const { directory } = this.started;
    if (/^[CG][A-Z0-9]+$/.test(idOrName)) return directory.channelIfVisible(idOrName);
    return directory.findChannelByName(idOrName);
  }

  async teamName(): Promise<string> {
    return (await this.started.directory.team()).name ?? this.teamId;
  }

  private async channelName(channel: SlackChannel): Promise<string> {
    if (channel.is_im && channel.user) return (await this.started.senders.user(channel.user)).remote.displayName;
    return channel.name ?? channel.id;
  }

  private async group(): Promise<NonNullable<ChatInfo["group"]>> {
    const team = await this.started.directory.team();
    return { id: this.teamId, name: team.name ?? this.teamId, avatarUrl: teamIcon(team) };
  }

  private onConnection(connected: boolean): void {
    if (!this.live || this.stopping) return;
    if (connected) {
      this.live.gate.reset();
      this.options.connection.up(this.live.self.teamId);
    } else {
      this.options.connection.down(this.live.self.teamId);
    }
  }

  private get started(): Live {
    if (!this.live) throw new Error("the Slack workspace has not started");
    return this.live;
  }
}

/** The largest icon team.info offers, unless the workspace has none of its own. */
function teamIcon(team: SlackTeam): string | undefined {
  const icon = team.icon ?? {};
  if (icon.image_default === true) return undefined;
  for (const size of ["image_original", "image_230", "image_132", "image_102", "image_88", "image_68"]) {
    if (typeof icon[size] === "string") return icon[size];
  }
  return undefined;
}

/**
 * Marks a file's URL with the chat it was shared in, so fetchMedia reads it with a token
 * of that chat's workspace (a person's own for their private chats), whatever the URL
 * looks like. A fragment: it never reaches Slack.
 */
export function fileChatSuffix(chat: string): string {
  return `#parley-chat=${encodeURIComponent(chat)}`;
}

export function chatOfFileUrl(url: string): string | undefined {
  const hash = /#parley-chat=([^&]+)$/.exec(url)?.[1];
  return hash === undefined ? undefined : decodeURIComponent(hash);
}
