import { randomBytes } from "node:crypto";
import {
  GatewayIntentBits,
  type APIChannel,
  type APIGuildMember,
  type APIUser,
  type APIWebhook,
  type APIEmbed,
} from "discord.js";
import { Cdn } from "./cdn.js";
import { emojiLabel } from "./emoji.js";
import { Gateway } from "./gateway.js";
import { GuildAdmin, type NewChannel, type NewGuild, type NewRole, type NewUser } from "./guild-admin.js";
import { HttpFrontend, type LoggedRequest } from "./http.js";
import { MessagePayloads, type InspectedMessage } from "./message-payloads.js";
import { MessageService, type MessageServiceOptions } from "./messages.js";
import type { PermissionOverwrite } from "./model.js";
import { OAuthProvider } from "./oauth.js";
import { Payloads } from "./payloads.js";
import { canView } from "./permissions.js";
import { RateLimiter, type Fault, type FaultFilter, type RateLimitOptions } from "./rate-limits.js";
import { ReactionService } from "./reactions.js";
import { coreRoutes } from "./rest-core.js";
import { messageRoutes } from "./rest-messages.js";
import { threadRoutes } from "./rest-threads.js";
import { webhookRoutes } from "./rest-webhooks.js";
import { SimState } from "./state.js";
import { ThreadService } from "./threads.js";
import { UserActions, type EmojiInput, type NewThread, type UserMessage } from "./user-actions.js";
import { WebhookService } from "./webhooks.js";

export { solidColorPng } from "./image.js";
export type {
  EmojiInput, Fault, FaultFilter, InspectedMessage, LoggedRequest, NewChannel, NewGuild, NewRole, NewThread, NewUser,
  PermissionOverwrite, RateLimitOptions, UserMessage,
};

export interface DiscordSimulatorOptions {
  botUsername?: string;
  /** Discord sends about 41 s; tests of zombie-connection handling want less. */
  heartbeatIntervalMs?: number;
  /** Per-file upload limit; Discord's default for bots is 10 MiB. */
  uploadLimitBytes?: number;
  rateLimit?: RateLimitOptions;
  /** Privileged intents switched on in the developer portal; identifying with others closes with 4014. */
  enabledPrivilegedIntents?: number;
  now?: () => number;
}

/**
 * A Discord for tests: REST v10, gateway and CDN on one loopback port, which the unmodified discord.js connects to.
 * Tests act as Discord's people and admins through the methods below and inspect what the bot did.
 */
export class DiscordSimulator {
  readonly botToken: string;
  readonly clientSecret = randomBytes(16).toString("hex");
  private port = 0;
  private readonly state: SimState;
  private readonly cdn: Cdn;
  private readonly payloads: Payloads;
  private readonly render: MessagePayloads;
  private readonly gateway: Gateway;
  private readonly http: HttpFrontend;
  private readonly rateLimiter: RateLimiter;
  private readonly admin: GuildAdmin;
  private readonly people: UserActions;
  private readonly messageService: MessageService;
  private readonly messageOptions: MessageServiceOptions;
  private readonly oauth: OAuthProvider;
  private readonly botId: string;

  constructor(options: DiscordSimulatorOptions = {}) {
    const now = options.now ?? Date.now;
    const privileged = options.enabledPrivilegedIntents ??
      GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
    this.state = new SimState(now);
    this.botId = this.state.ids.next();
    this.state.users.set(this.botId, {
      id: this.botId, username: options.botUsername ?? "Parley", globalName: null, avatar: null, bot: true,
    });
    // Real tokens start with the base64 of the bot's id.
    this.botToken = `${Buffer.from(this.botId).toString("base64url")}.${randomBytes(4).toString("base64url")}.${randomBytes(28).toString("base64url")}`;
    const origin = () => this.origin;
    this.cdn = new Cdn(origin, now);
    this.payloads = new Payloads(this.state, this.botId, origin);
    this.render = new MessagePayloads(this.state, this.payloads, this.cdn, this.botId);
    this.gateway = new Gateway(
      {
        token: this.botToken,
        applicationId: this.botId,
        enabledPrivilegedIntents: privileged,
        botUser: () => this.payloads.userById(this.botId),
        guildIds: () => this.state.guildsOf(this.botId).map((guild) => guild.id),
        guildCreate: (guildId, intents) =>
          this.payloads.guildCreate(this.state.guild(guildId), (intents & GatewayIntentBits.GuildPresences) !== 0),
        botCanView: (channelId) => {
          const channel = this.state.channels.get(channelId);
          return channel !== undefined && canView(this.state, channel, this.botId);
        },
        guildMembers: (guildId) => this.state.members(guildId).map((member) => this.payloads.member(member)),
      },
      options.heartbeatIntervalMs ?? 41_250,
      () => `${this.gatewayUrl}/resume`,
    );
    this.messageOptions = { botId: this.botId, uploadLimitBytes: options.uploadLimitBytes ?? 10 * 1024 * 1024 };
    this.messageService = new MessageService(this.state, this.cdn, this.payloads, this.render, this.gateway, this.messageOptions);
    const reactions = new ReactionService(this.state, this.payloads, this.gateway);
    const threads = new ThreadService(this.state, this.payloads, this.messageService, this.gateway);
    const webhooks = new WebhookService(this.state, this.cdn, this.messageService, threads, this.gateway, this.botId);
    this.admin = new GuildAdmin(this.state, this.cdn, this.payloads, this.gateway, this.botId);
    this.people = new UserActions(this.state, this.cdn, this.messageService, reactions, threads);
    this.oauth = new OAuthProvider(this.state, this.botId, this.clientSecret);
    this.rateLimiter = new RateLimiter(options.rateLimit ?? { limit: 50, windowSeconds: 1 }, now);
    const context = {
      state: this.state, payloads: this.payloads, messagePayloads: this.render, messages: this.messageService,
      reactions, threads, webhooks, admin: this.admin, botId: this.botId, enabledPrivilegedIntents: privileged,
      gatewayUrl: () => this.gatewayUrl,
    };
    this.http = new HttpFrontend({
      routes: [
        ...coreRoutes(context), ...messageRoutes(context), ...threadRoutes(context), ...webhookRoutes(context),
        ...this.oauth.routes(),
      ],
      cdn: this.cdn,
      rateLimiter: this.rateLimiter,
      botToken: this.botToken,
      bearer: (token) => this.oauth.bearer(token),
    });
    this.gateway.attach(this.http.server);
  }

  async start(): Promise<void> {
    this.port = await this.http.listen();
  }

  async stop(): Promise<void> {
    this.gateway.close();
    await this.http.close();
  }

  get origin(): string {
    if (!this.port) throw new Error("DiscordSimulator: call start() first");
    return `http://127.0.0.1:${this.port}`;
  }

  /** What to give discord.js as `rest.api` (it appends /v10). */
  get apiBaseUrl(): string {
    return `${this.origin}/api`;
  }

  /** Stands in for https://cdn.discordapp.com. */
  get cdnBaseUrl(): string {
    return this.cdn.baseUrl;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The bot's user; its id is also the application (client) id, as for current Discord apps. */
  get botUser(): APIUser {
    return this.payloads.userById(this.botId);
  }

  get applicationId(): string {
    return this.botId;
  }

  // The world, as server admins shape it.
  createGuild(options: NewGuild): string {
    return this.admin.createGuild(options);
  }
  createChannel(guildId: string, options: NewChannel): string {
    return this.admin.createChannel(guildId, options).id;
  }
  createUser(options: NewUser): string {
    return this.admin.createUser(options).id;
  }
  addMember(guildId: string, userId: string, options: { nick?: string | null; roles?: string[] } = {}): void {
    this.admin.addMember(guildId, userId, options);
  }
  updateMember(guildId: string, userId: string, changes: { nick?: string | null; roles?: string[] }): void {
    this.admin.updateMember(guildId, userId, changes);
  }
  updateUser(userId: string, changes: { username?: string; global_name?: string | null; avatar?: Buffer | null }): void {
    this.admin.updateUser(userId, changes);
  }
  createRole(guildId: string, options: NewRole): string {
    return this.admin.createRole(guildId, options).id;
  }
  createEmoji(guildId: string, name: string, animated = false, image?: Buffer): string {
    return this.admin.createEmoji(guildId, name, animated, image);
  }
  renameChannel(channelId: string, name: string): void {
    this.admin.updateChannel(channelId, { name });
  }
  setTopic(channelId: string, topic: string | null): void {
    this.admin.updateChannel(channelId, { topic });
  }
  setPermissionOverwrites(channelId: string, overwrites: PermissionOverwrite[]): void {
    this.admin.updateChannel(channelId, { overwrites });
  }
  deleteChannel(channelId: string): void {
    this.admin.deleteChannel(channelId);
  }
  createThread(parentId: string, options: NewThread): string {
    return this.people.createThread(parentId, options).id;
  }

  // People using Discord.
  userSendsMessage(channelId: string, userId: string, message: UserMessage): InspectedMessage {
    return this.render.inspect(this.people.sendMessage(channelId, userId, message));
  }
  userEditsMessage(messageId: string, changes: { content?: string; embeds?: APIEmbed[] }): InspectedMessage {
    return this.render.inspect(this.people.editMessage(messageId, changes));
  }
  /** Whether MESSAGE_UPDATE carries only what an edit changed, as Discord's docs long allowed. */
  sendSubsetMessageUpdates(on: boolean): void {
    this.messageOptions.subsetUpdates = on;
  }
  /** Discord adding link previews to a message (MESSAGE_UPDATE with no new edit time). */
  unfurlLinks(messageId: string, embeds: APIEmbed[]): InspectedMessage {
    const message = this.state.findMessage(messageId);
    if (!message) throw new Error(`No message ${messageId} in the simulator`);
    this.messageService.unfurl(message, embeds);
    return this.render.inspect(message);
  }
  userDeletesMessage(messageId: string): void {
    this.people.deleteMessage(messageId);
  }
  /** A moderator's bulk delete (MESSAGE_DELETE_BULK). */
  bulkDelete(channelId: string, messageIds: string[]): void {
    this.messageService.bulkDelete(channelId, messageIds);
  }
  userReacts(messageId: string, userId: string, emoji: EmojiInput): void {
    this.people.react(messageId, userId, emoji);
  }
  userUnreacts(messageId: string, userId: string, emoji: EmojiInput): void {
    this.people.unreact(messageId, userId, emoji);
  }
  /** A moderator removes all reactions (MESSAGE_REACTION_REMOVE_ALL), or all of one emoji (..._REMOVE_EMOJI). */
  moderatorClearsReactions(messageId: string, emoji?: EmojiInput): void {
    this.people.clearReactions(messageId, emoji);
  }
  userStartsTyping(channelId: string, userId: string): void {
    this.messageService.typing(channelId, userId);
  }

  // Gateway and REST behaviour.
  /** Closes live gateway connections with `closeCode`; discord.js reconnects and RESUMEs after 4000. */
  /**
   * Sends a gateway dispatch exactly as given, to every connected session: a stand-in for
   * a malformed or unexpected payload from Discord, for fuzzing the bot's handlers.
   */
  dispatchRaw(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  dropGateway(closeCode = 4000): void {
    this.gateway.drop(closeCode);
  }
  /** Takes the gateway down until resumeGateway(); events meanwhile are replayed when the client resumes. */
  pauseGateway(): void {
    this.gateway.pause();
  }
  resumeGateway(): void {
    this.gateway.unpause();
  }
  waitForReady(timeoutMs?: number): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }
  waitForResume(timeoutMs?: number): Promise<void> {
    return this.gateway.waitForResume(timeoutMs);
  }
  get gatewayConnected(): boolean {
    return this.gateway.connectedSessions > 0;
  }
  /** The next `count` REST requests matching `filter` fail with `fault` (a 429 with retry_after, or a 5xx). */
  failNext(count: number, fault: Fault, filter?: FaultFilter): void {
    this.rateLimiter.failNext(count, fault, filter);
  }
  /** Stands in for a user clicking "Authorize": the code to hand to the bridge's OAuth2 callback. */
  authorizeOAuthCode(userId: string, scopes: string[] = ["identify"]): string {
    return this.oauth.authorize(userId, scopes);
  }

  // Inspection.
  /** Oldest first. */
  messages(channelId: string): InspectedMessage[] {
    this.state.channel(channelId);
    return this.state.channelMessages(channelId).map((message) => this.render.inspect(message));
  }
  message(messageId: string): InspectedMessage | undefined {
    const message = this.state.findMessage(messageId);
    return message && this.render.inspect(message);
  }
  /** Per emoji (Unicode, or `name:id`), who reacted, in order. */
  reactions(messageId: string): Array<{ emoji: string; userIds: string[] }> {
    return (this.state.findMessage(messageId)?.reactions ?? []).map((reaction) => ({
      emoji: emojiLabel(reaction.emoji),
      userIds: [...reaction.userIds],
    }));
  }
  webhooks(channelId: string): APIWebhook[] {
    return [...this.state.webhooks.values()]
      .filter((webhook) => webhook.channelId === channelId)
      .map((webhook) => this.payloads.webhook(webhook, true));
  }
  get requests(): readonly LoggedRequest[] {
    return this.http.requests;
  }
  clearRequests(): void {
    this.http.requests.length = 0;
  }
  channel(channelId: string): APIChannel {
    return this.payloads.channel(this.state.channel(channelId));
  }
  member(guildId: string, userId: string): APIGuildMember {
    return this.payloads.member(this.state.member(guildId, userId));
  }
  user(userId: string): APIUser {
    return this.payloads.userById(userId);
  }
}
