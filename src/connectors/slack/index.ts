/**
 * Parley's Slack connector: the contract in src/core/connector.ts over one or more
 * workspaces, each with its own tokens. The work happens per workspace (workspace.ts);
 * this routes by the team in each chat id and keeps what spans workspaces.
 */
import type { Logger } from "winston";
import type {
  AccountLinking,
  ChatInfo,
  Connector,
  ConnectorHost,
  FetchedMedia,
  MatrixSender,
  OutgoingEmoji,
  OutgoingMessage,
  SentMessage,
} from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { BotCommand } from "../../core/commands/command.js";
import type { RemoteUser } from "../../core/events.js";
import type { NetworkContext } from "../../core/network-module.js";
import { SlackAccountLinking, UserClients } from "./accounts.js";
import { slackAccountCommands } from "./account-commands.js";
import { slackCommands } from "./commands.js";
import type { SlackConfig } from "./config.js";
import { ConnectionStatus } from "./connection.js";
import { SlackLocalparts, parseChatId, parseUserId } from "./ids.js";
import { downloadSlackMedia, mayCarryToken, teamInFilePath } from "./media.js";
import { Puppets } from "./puppets.js";
import { slackEventsHandler } from "./receivers.js";
import { SlackWorkspace, chatOfFileUrl } from "./workspace.js";

export class SlackConnector implements Connector {
  readonly network = "slack";
  readonly displayName = "Slack";
  readonly commands: readonly BotCommand[];
  readonly accounts?: AccountLinking;
  private readonly localparts: SlackLocalparts;
  private readonly userClients: UserClients;
  /** Started workspaces by team id. */
  private readonly workspaces = new Map<string, SlackWorkspace>();
  /** Every configured workspace, started or starting. */
  private everyWorkspace: SlackWorkspace[] = [];
  /** Private channels being plumbed with `!slack bridge`, which getChat may then accept. */
  private readonly plumbed = new Set<string>();
  private readonly log: Logger;
  private host?: ConnectorHost;
  private connection?: ConnectionStatus;

  constructor(private readonly config: SlackConfig, context: NetworkContext) {
    this.log = context.log;
    this.localparts = new SlackLocalparts(config);
    this.userClients = new UserClients(config.apiUrl, this.log);
    const workspaces = () => [...this.workspaces.values()];
    this.commands = [
      ...slackCommands({ host: () => this.started, workspaces, allowPrivate: (chat) => this.plumbed.add(chat) }),
      ...slackAccountCommands({ host: () => this.started, workspaces, clients: this.userClients }),
    ];
    if (config.oauth) this.accounts = new SlackAccountLinking(config.oauth, this.userClients, () => [...this.workspaces.keys()]);
    if (config.mode === "http") {
      context.http.route("POST", config.eventsPath, slackEventsHandler(
        () => this.everyWorkspace.flatMap((workspace) => workspace.httpEndpoint() ?? []), this.log));
    }
  }

  async start(host: ConnectorHost): Promise<void> {
    this.host = host;
    const connection = new ConnectionStatus(host);
    this.connection = connection;
    const puppets = new Puppets(host, this.userClients);
    this.everyWorkspace = this.config.workspaces.map((credentials) => new SlackWorkspace({
      config: this.config, credentials, host, log: this.log, connection, puppets,
      fetchMedia: (url, maxBytes) => this.fetchMedia(url, maxBytes),
    }));
    for (const workspace of this.everyWorkspace) {
      await workspace.start();
      this.workspaces.set(workspace.teamId, workspace);
    }
    connection.startReporting();
  }

  async stop(): Promise<void> {
    this.connection?.stop();
    for (const workspace of this.everyWorkspace) {
      await workspace.stop().catch((error: unknown) => this.log.warn("A Slack workspace did not stop cleanly", { error: (error as Error).message }));
    }
    this.workspaces.clear();
    this.everyWorkspace = [];
  }

  sendMessage(chat: string, message: OutgoingMessage): Promise<SentMessage> {
    const { workspace, channelId } = this.route(chat);
    return workspace.send(channelId, message);
  }

  editMessage(chat: string, ids: string[], message: OutgoingMessage): Promise<SentMessage> {
    const { workspace, channelId } = this.route(chat);
    return workspace.edit(channelId, ids, message);
  }

  deleteMessages(chat: string, ids: string[], sender: MatrixSender): Promise<void> {
    const { workspace, channelId } = this.route(chat);
    return workspace.delete(channelId, ids, sender);
  }

  addReaction(chat: string, messageId: string, emoji: OutgoingEmoji, sender: MatrixSender): Promise<void> {
    const { workspace, channelId } = this.route(chat);
    return workspace.react(channelId, messageId, emoji, true, sender);
  }

  removeReaction(chat: string, messageId: string, emoji: OutgoingEmoji, sender: MatrixSender): Promise<void> {
    const { workspace, channelId } = this.route(chat);
    return workspace.react(channelId, messageId, emoji, false, sender);
  }

  /** A Matrix user invited a Slack person's ghost: their direct message, opened as their linked account. */
  async openDirectChat(matrixUserId: string, users: string[]): Promise<string> {
    const refs = users.map((user) => parseUserId(user));
    const teamId = refs[0]?.teamId;
    const workspace = teamId ? this.workspaces.get(teamId) : undefined;
    if (!workspace || refs.some((ref) => ref?.teamId !== teamId)) {
      throw new PermanentError("those people are not in one Slack workspace Parley is connected to");
    }
    return (await workspace.directChats.open(matrixUserId, refs.map((ref) => ref!.userId), { room: false })).chat;
  }

  catchUp(chat: string, after: string | undefined, since: number): Promise<void> {
    const { workspace, channelId } = this.route(chat);
    return workspace.catchUp(channelId, after, since);
  }

  async getChat(chat: string): Promise<ChatInfo> {
    const { workspace, channelId } = this.route(chat);
    const allowPrivate = this.plumbed.has(chat) || (await this.started.roomForChat(chat)) !== undefined;
    return workspace.chatInfo(channelId, allowPrivate);
  }

  async getUser(user: string): Promise<RemoteUser> {
    const ref = parseUserId(user);
    const workspace = ref && this.workspaces.get(ref.teamId);
    if (!ref || !workspace) throw new PermanentError(`${user} is not a user of a Slack workspace Parley is connected to`);
    return workspace.remoteUser(ref.userId);
  }

  /**
   * Slack files need a token of their workspace: the bot's, or for a file in a person's
   * private chat their own. Their URLs carry the chat they were shared in; any other URL
   * (avatars, emoji) is fetched as it is.
   */
  async fetchMedia(url: string, maxBytes: number): Promise<FetchedMedia> {
    const chat = chatOfFileUrl(url);
    const bare = url.replace(/#parley-chat=[^#]*$/, "");
    if (!mayCarryToken(bare, this.config.apiUrl)) return downloadSlackMedia(bare, maxBytes, undefined);
    const teamId = chat ? parseChatId(chat)?.teamId : teamInFilePath(bare);
    const workspace = teamId ? this.workspaces.get(teamId) : undefined;
    const token = chat ? await workspace?.tokenForChat(chat) : workspace?.botToken;
    return downloadSlackMedia(bare, maxBytes, token);
  }

  chatForAlias(localpart: string): string | undefined {
    return this.localparts.chatForAlias(localpart);
  }

  aliasForChat(chat: string): string {
    return this.localparts.aliasForChat(chat);
  }

  userForGhost(localpart: string): string | undefined {
    return this.localparts.userForGhost(localpart);
  }

  ghostForUser(user: string): string {
    return this.localparts.ghostForUser(user);
  }

  private route(chat: string): { workspace: SlackWorkspace; channelId: string } {
    const ref = parseChatId(chat);
    const workspace = ref && this.workspaces.get(ref.teamId);
    if (!ref || !workspace) throw new PermanentError(`${chat} is not a channel of a Slack workspace Parley is connected to`);
    return { workspace, channelId: ref.channelId };
  }

  private get started(): ConnectorHost {
    if (!this.host) throw new Error("the Slack connector has not started");
    return this.host;
  }
}
