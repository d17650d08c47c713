/**
 * Parley's Discord connector: a bot account on Discord's gateway and REST API (through
 * discord.js), with a webhook per channel through which Matrix people post as themselves.
 * This class only wires the parts together; each lives in its own module.
 */
import { GatewayDispatchEvents, Routes, type APIMessage, type APIUser, type Client, type GatewayDispatchPayload } from "discord.js";
import type { BotCommand } from "../../core/commands/command.js";
import type {
  AccountLinking, ChatInfo, Connector, ConnectorHost, FetchedMedia, MatrixSender, OutgoingEmoji, OutgoingMessage, SentMessage,
} from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import type { RemoteUser } from "../../core/events.js";
import type { NetworkContext } from "../../core/network-module.js";
import { DiscordAccountLinking } from "./accounts.js";
import { BridgeApprovals } from "./approvals.js";
import { catchUp } from "./catch-up.js";
import { DiscordChats } from "./chats.js";
import { ConnectionWatch, connect, createDiscordClient, createWebhookRest, disconnect } from "./client.js";
import { discordCommands, discordSideCommand, type CommandDeps } from "./commands.js";
import type { DiscordConfig } from "./config.js";
import { EchoGuard } from "./echo.js";
import { discordCall } from "./errors.js";
import { DiscordIds, isDiscordAccount } from "./ids.js";
import { DiscordInbound } from "./inbound.js";
import { InboundMessages } from "./inbound-messages.js";
import { fetchDiscordMedia } from "./media.js";
import { ParseContexts } from "./parse-context.js";
import { remoteUserFor, type PeopleOptions } from "./people.js";
import { DiscordReactions } from "./reactions.js";
import { RenderContexts } from "./render-context.js";
import { DiscordSender } from "./send.js";
import { Threads } from "./threads.js";
import { SenderNames } from "./webhook-name.js";
import { ChannelWebhooks } from "./webhooks.js";

export class DiscordConnector implements Connector {
  readonly network = "discord";
  readonly displayName = "Discord";
  readonly commands: readonly BotCommand[];
  readonly accounts?: AccountLinking;

  private currentHost: ConnectorHost | undefined;
  private stopped = false;
  private readonly client: Client;
  private readonly ids: DiscordIds;
  private readonly people: PeopleOptions;
  private readonly echo = new EchoGuard();
  private readonly chats: DiscordChats;
  private readonly webhooks: ChannelWebhooks;
  private readonly messages: InboundMessages;
  private readonly inbound: DiscordInbound;
  private readonly sender: DiscordSender;
  private readonly reactions: DiscordReactions;
  private readonly approvals: BridgeApprovals;
  private readonly connection: ConnectionWatch;

  constructor(private readonly config: DiscordConfig, context: NetworkContext) {
    const host = () => this.host;
    const client = createDiscordClient(config);
    this.client = client;
    this.ids = new DiscordIds(config);
    this.people = { displayNameTemplate: config.displayName, cdnUrl: config.cdnUrl };
    this.chats = new DiscordChats(client, config);
    const threads = new Threads(client);
    const renders = new RenderContexts(client, host);
    this.webhooks = new ChannelWebhooks(client, () => this.host.state, this.echo);
    this.approvals = new BridgeApprovals({ client, host, timeoutSeconds: config.approvalTimeoutSeconds, log: context.log });
    const commandDeps: CommandDeps = { client, host, chats: this.chats, approvals: this.approvals };
    this.commands = discordCommands(commandDeps);
    if (config.oauth) this.accounts = new DiscordAccountLinking(config.apiUrl, config.oauth);
    this.messages = new InboundMessages({
      host,
      echo: this.echo,
      threads,
      contexts: new ParseContexts({
        client, host, ids: this.ids, serverName: context.serverName, cdnUrl: config.cdnUrl,
        isAllowedGuild: (guildId) => this.chats.isAllowedGuild(guildId),
      }),
      people: this.people,
      commands: (chat, message) => discordSideCommand(commandDeps, chat, message),
      sawUser: (user) => this.inbound.sawUser(user),
      cachedMember: (guildId, userId) => {
        const member = client.guilds.cache.get(guildId)?.members.cache.get(userId);
        return member ? { nick: member.nickname, avatar: member.avatar } : undefined;
      },
      fetchMessage: (channelId, messageId) =>
        discordCall(async () => (await client.rest.get(Routes.channelMessage(channelId, messageId))) as APIMessage),
    });
    this.inbound = new DiscordInbound({
      client, host, echo: this.echo, threads, messages: this.messages, people: this.people, log: context.log,
      approvalReaction: (messageId, userId, emoji) => this.approvals.onReaction(messageId, userId, emoji),
    });
    this.sender = new DiscordSender({
      client, webhookRest: createWebhookRest(config), config, webhooks: this.webhooks, threads, echo: this.echo, renders, names: new SenderNames(),
      webOrigin: new URL(config.apiUrl).origin,
      isBridged: (chat, remoteId) => this.host.isBridged(chat, remoteId),
    });
    this.reactions = new DiscordReactions(client, renders);
    this.connection = new ConnectionWatch(host, config.outageNoticeSeconds, context.log);
  }

  private get host(): ConnectorHost {
    if (!this.currentHost) throw new Error("The Discord connector has not been started");
    return this.currentHost;
  }

  async start(host: ConnectorHost): Promise<void> {
    this.currentHost = host;
    await this.webhooks.load();
    this.connection.attach(this.client);
    await connect(this.client, this.config.botToken, (packet) => this.onDispatch(packet));
    await this.approvals.resume();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.stop();
    this.approvals.stop();
    await disconnect(this.client);
    await this.inbound.drain();
  }

  sendMessage(chat: string, message: OutgoingMessage): Promise<SentMessage> {
    return this.sender.send(chat, message);
  }

  editMessage(chat: string, ids: string[], message: OutgoingMessage): Promise<SentMessage> {
    return this.sender.edit(chat, ids, message);
  }

  deleteMessages(chat: string, ids: string[]): Promise<void> {
    return this.sender.delete(chat, ids);
  }

  addReaction(chat: string, messageId: string, emoji: OutgoingEmoji): Promise<void> {
    return this.reactions.add(chat, messageId, emoji);
  }

  removeReaction(chat: string, messageId: string, emoji: OutgoingEmoji): Promise<void> {
    return this.reactions.remove(chat, messageId, emoji);
  }

  /** Discord has no "stopped typing": its indicator ends by itself. */
  async setTyping(chat: string, _sender: MatrixSender, typing: boolean): Promise<void> {
    if (typing) await this.reactions.typing(chat);
  }

  catchUp(chat: string, after: string | undefined, since: number): Promise<void> {
    return catchUp(
      {
        client: this.client,
        recentlyBridged: (bridgedChat, limit) => this.host.recentlyBridged(bridgedChat, limit),
        replay: (guildId, message) => this.inbound.run(guildId, "Catching up on a Discord message", () => this.messages.created(message, guildId)),
        replayEdit: (guildId, message) => this.inbound.run(guildId, "Catching up on a Discord edit", () => this.messages.updated(message, guildId)),
        replayDeletes: (guildId, place, ids) =>
          this.inbound.run(guildId, "Catching up on Discord deletions", () => this.inbound.deletedIn(guildId, place, ids)),
      },
      chat,
      after,
      since,
    );
  }

  getChat(chat: string): Promise<ChatInfo> {
    return this.chats.getChat(chat);
  }

  async getUser(user: string): Promise<RemoteUser> {
    // A webhook persona exists only in the messages it posted; there is no profile to fetch.
    if (!isDiscordAccount(user)) throw new PermanentError(`${user} is a Discord webhook, not an account`);
    const account = (await discordCall(() => this.client.rest.get(Routes.user(user)))) as APIUser;
    return remoteUserFor(this.people, account);
  }

  fetchMedia(url: string, maxBytes: number): Promise<FetchedMedia> {
    return fetchDiscordMedia(this.config.cdnUrl, url, maxBytes);
  }

  chatForAlias(localpart: string): string | undefined {
    return this.ids.chatForAlias(localpart);
  }

  aliasForChat(chat: string): string {
    return this.ids.aliasLocalpart(chat);
  }

  userForGhost(localpart: string): string | undefined {
    return this.ids.userForGhost(localpart);
  }

  ghostForUser(user: string): string {
    return this.ids.ghostLocalpart(user);
  }

  private onDispatch(packet: GatewayDispatchPayload): void {
    if (this.stopped) return;
    // The bot's own id comes first, in READY, before any message that could be its echo.
    if (packet.t === GatewayDispatchEvents.Ready) this.echo.setBotUser(packet.d.user.id);
    this.inbound.accept(packet);
  }
}
