// SlackSimulator: a Slack for tests that the real @slack/bolt connects to over loopback. Tests build a workspace,
// act as its people, inject failures, and inspect what the app did through the same records Slack would keep.
import { leaveChannel, joinChannel, renameChannel, setArchived, setPurpose, setTopic } from "./actions/channels.js";
import type { ActionContext } from "./actions/context.js";
import { deleteMessage, postMessage } from "./actions/messages.js";
import { updateProfile } from "./actions/users.js";
import { EventDispatcher } from "./dispatcher.js";
import { EventsApiSender, type HttpDeliveryRecord, type SignedPostOptions } from "./events-api.js";
import { FileServer } from "./file-server.js";
import { TsClock, tokens } from "./ids.js";
import type { Channel, Json, Message, UserProfile } from "./model.js";
import { mrkdwnFromBlocks, normalizeApiText } from "./mrkdwn.js";
import { inviteBot, unfurl, userEdits, userPosts, userReacts, type TypedMessage, type UnfurlInput } from "./people.js";
import { Serializer } from "./serialize.js";
import { SimHttpServer } from "./server.js";
import * as setup from "./setup.js";
import { SocketModeHub, type EnvelopeRecord } from "./socket-mode.js";
import { SimState } from "./state.js";
import { SimUrls } from "./urls.js";
import { WebApi, type ApiRequestRecord } from "./web-api/router.js";

export interface SlackSimulatorOptions {
  /** Socket Mode: how long to wait for an envelope's ack before resending it (Slack: about 3 s). */
  ackTimeoutMs?: number;
  pingIntervalMs?: number;
  /** How long after a `disconnect` message the server closes a connection the client left open. */
  disconnectGraceMs?: number;
  /** Events API over HTTP: the response deadline and the pauses before each of the three retries. */
  httpTimeoutMs?: number;
  httpRetryDelaysMs?: number[];
  /** Wall clock in milliseconds, for ts values and event times. */
  now?: () => number;
}

/** A message as conversations.history shows it, with each file's bytes alongside for assertions. */
export type SimMessage = Json & { ts: string; text: string; files?: (Json & { id: string; bytes: Buffer | null })[] };

interface Running {
  urls: SimUrls;
  context: ActionContext;
  server: SimHttpServer;
  socketMode: SocketModeHub;
  eventsApi: EventsApiSender;
  webApi: WebApi;
}

export class SlackSimulator {
  readonly state: SimState;
  private running?: Running;

  constructor(private readonly options: SlackSimulatorOptions = {}) {
    this.state = new SimState(new TsClock(options.now));
  }

  async start(): Promise<void> {
    const server = new SimHttpServer();
    const urls = new SimUrls(await server.listen());
    const { options, state } = this;
    const socketMode = new SocketModeHub({
      ackTimeoutMs: options.ackTimeoutMs ?? 3000, maxRetries: 3,
      pingIntervalMs: options.pingIntervalMs ?? 10_000, disconnectGraceMs: options.disconnectGraceMs ?? 10_000,
    });
    const eventsApi = new EventsApiSender(state.clock, { timeoutMs: options.httpTimeoutMs ?? 3000, retryDelaysMs: options.httpRetryDelaysMs ?? [0, 1000, 5000] });
    const dispatcher = new EventDispatcher(state.clock, socketMode, eventsApi);
    const context: ActionContext = { state, serialize: new Serializer(state, urls), dispatcher, clock: state.clock };
    const webApi = new WebApi({ context, urls, socketMode });
    server.serve({ webApi, files: new FileServer(state, urls), socketMode });
    this.running = { urls, context, server, socketMode, eventsApi, webApi };
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.running.socketMode.close();
    this.running.eventsApi.stop();
    await this.running.server.close();
    this.running = undefined;
  }

  /** Give this to bolt as clientOptions.slackApiUrl. */
  get apiBaseUrl(): string {
    return this.live.urls.api;
  }

  get origin(): string {
    return this.live.urls.origin;
  }

  // ---- building the workspace ----

  createTeam(input: setup.TeamInput): setup.SimTeam {
    return setup.createTeam(this.setupDeps, input);
  }

  createUser(teamId: string, input: setup.UserInput): { id: string; name: string } {
    return setup.createUser(this.setupDeps, teamId, input);
  }

  createChannel(teamId: string, input: setup.ChannelInput): { id: string; name: string } {
    return setup.createChannel(this.setupDeps, teamId, input);
  }

  createIntegrationBot(teamId: string, input: { name: string; icon_url?: string }): string {
    return setup.createIntegrationBot(this.setupDeps, teamId, input);
  }

  addEmoji(teamId: string, name: string, source: { bytes: Buffer; mimetype: string } | { aliasFor: string }): void {
    setup.addEmoji(this.setupDeps, teamId, name, source);
  }

  createUsergroup(teamId: string, input: { name: string; handle: string; users?: string[]; disabled?: boolean }): string {
    return setup.createUsergroup(this.setupDeps, teamId, input);
  }

  createOAuthCode(userId: string, scopes: string[]): string {
    return setup.createOAuthCode(this.setupDeps, userId, scopes);
  }

  /** A user token for a person as if they had approved the app for these user scopes, without the OAuth round. */
  createUserToken(userId: string, scopes: string[]): string {
    const user = this.state.user(userId);
    const token = tokens.user();
    this.state.tokens.set(token, { kind: "user", teamId: user.teamId, userId, scopes });
    return token;
  }

  /**
   * The person (or an admin) revokes a user token: every later call with it answers token_revoked, events on
   * their behalf stop, and the app hears tokens_revoked, unless `quietly` (an app not subscribed to it, or
   * one that was offline when Slack gave up delivering it).
   */
  revokeToken(token: string, options: { quietly?: boolean } = {}): void {
    const owner = this.state.tokens.get(token);
    if (!owner || owner.kind !== "user") throw new Error("not a user token the simulator gave out");
    this.state.revokedTokens.add(token);
    if (options.quietly) return;
    const team = this.state.team(owner.teamId);
    this.context.dispatcher.emit(team, { type: "tokens_revoked", tokens: { oauth: [owner.userId] }, event_ts: this.state.clock.next() });
  }

  /** The user tokens a person gave out (through OAuth or createUserToken), revoked or not. */
  userTokens(userId: string): string[] {
    return [...this.state.tokens].flatMap(([token, owner]) => (owner.kind === "user" && owner.userId === userId ? [token] : []));
  }

  /** Whether a token was revoked (by the test, or by its holder through auth.revoke). */
  isRevoked(token: string): boolean {
    return this.state.revokedTokens.has(token);
  }

  /** The direct message between two people, or the group direct message among more, opened if need be; its id. */
  openConversation(teamId: string, userIds: string[]): string {
    return setup.openConversation(this.setupDeps, teamId, userIds).id;
  }

  /** Switches a team between Socket Mode (undefined) and the Events API at `url`. */
  setRequestUrl(teamId: string, url: string | undefined): void {
    this.state.team(teamId).requestUrl = url;
  }

  // ---- what people do ----

  /** Someone adds the app's bot to the channel (/invite), which the app hears as member_joined_channel. */
  inviteBot(channelId: string, options: { by?: string } = {}): void {
    inviteBot(this.context, this.channel(channelId), options.by);
  }

  /** Posts as a person typing in a Slack client; returns the message ts. */
  userPosts(channelId: string, userId: string, input: TypedMessage): string {
    return userPosts(this.context, this.channel(channelId), userId, input).ts;
  }

  userEdits(channelId: string, ts: string, input: { text?: string; blocks?: Json[] }): void {
    const channel = this.channel(channelId);
    userEdits(this.context, channel, this.messageAt(channel, ts), input);
  }

  /** Slack's link previews arriving on a message: message_changed with attachments and no `edited`. */
  addUnfurls(channelId: string, ts: string, previews: UnfurlInput[]): void {
    const channel = this.channel(channelId);
    unfurl(this.context, channel, this.messageAt(channel, ts), previews);
  }

  userDeletes(channelId: string, ts: string): void {
    const channel = this.channel(channelId);
    deleteMessage(this.context, channel, this.messageAt(channel, ts));
  }

  userReacts(channelId: string, ts: string, userId: string, emoji: string): void {
    const channel = this.channel(channelId);
    userReacts(this.context, channel, this.messageAt(channel, ts), userId, emoji, true);
  }

  userUnreacts(channelId: string, ts: string, userId: string, emoji: string): void {
    const channel = this.channel(channelId);
    userReacts(this.context, channel, this.messageAt(channel, ts), userId, emoji, false);
  }

  userJoins(channelId: string, userId: string, options: { inviter?: string } = {}): void {
    joinChannel(this.context, this.channel(channelId), userId, options.inviter);
  }

  userLeaves(channelId: string, userId: string): void {
    leaveChannel(this.context, this.channel(channelId), userId);
  }

  renameChannel(channelId: string, userId: string, name: string): void {
    renameChannel(this.context, this.channel(channelId), userId, name);
  }

  setTopic(channelId: string, userId: string, topic: string): void {
    setTopic(this.context, this.channel(channelId), userId, topic);
  }

  setPurpose(channelId: string, userId: string, purpose: string): void {
    setPurpose(this.context, this.channel(channelId), userId, purpose);
  }

  archive(channelId: string, userId: string): void {
    setArchived(this.context, this.channel(channelId), userId, true);
  }

  unarchive(channelId: string, userId: string): void {
    setArchived(this.context, this.channel(channelId), userId, false);
  }

  updateUserProfile(userId: string, changes: Partial<UserProfile> & { name?: string }): void {
    updateProfile(this.context, this.state.user(userId), changes);
  }

  /** Another integration (see createIntegrationBot) posting: a bot_message with its name and icon. */
  botPosts(channelId: string, botId: string, input: { text?: string; blocks?: Json[]; attachments?: Json[]; username?: string; icon_url?: string; thread_ts?: string }): string {
    const channel = this.channel(channelId);
    const icons = input.icon_url ? { image_36: input.icon_url, image_48: input.icon_url, image_72: input.icon_url } : undefined;
    const text = input.text !== undefined ? normalizeApiText(input.text) : mrkdwnFromBlocks(input.blocks ?? []);
    return postMessage(this.context, channel, { kind: "integration", botId, username: input.username, icons }, { text, blocks: input.blocks, attachments: input.attachments }, { threadTs: input.thread_ts }).ts;
  }

  // ---- inspection ----

  /** The channel as people see it, oldest first: top-level messages and thread broadcasts. */
  messages(channelId: string): SimMessage[] {
    const channel = this.channel(channelId);
    return this.state.channelTimeline(channel).map((message) => this.view(message));
  }

  /** A thread's replies, oldest first, without its root. */
  replies(channelId: string, threadTs: string): SimMessage[] {
    const channel = this.channel(channelId);
    return this.state.thread(channel, threadTs).filter((message) => message.ts !== threadTs).map((message) => this.view(message));
  }

  message(channelId: string, ts: string): SimMessage | undefined {
    const message = this.state.findMessage(this.channel(channelId), ts);
    return message && this.view(message);
  }

  reactions(channelId: string, ts: string): { name: string; users: string[]; count: number }[] {
    return this.messageAt(this.channel(channelId), ts).reactions.map((reaction) => ({ ...reaction, users: [...reaction.users], count: reaction.users.length }));
  }

  /** Every Web API call received, in order, with its arguments and the answer given. */
  requests(method?: string): ApiRequestRecord[] {
    return this.live.webApi.requests.filter((record) => method === undefined || record.method === method);
  }

  /** Every event_callback the app was sent (or is still owed), in order. */
  eventsSent(teamId?: string): Json[] {
    const team = this.team(teamId);
    return this.context.dispatcher.sent.filter((payload) => payload.team_id === team.id);
  }

  get envelopes(): EnvelopeRecord[] {
    return this.live.socketMode.records;
  }

  get httpDeliveries(): HttpDeliveryRecord[] {
    return this.live.eventsApi.records;
  }

  // ---- failures and transports ----

  /**
   * Delivers an event exactly as given, inside a well-formed event_callback: a stand-in
   * for a malformed or unexpected event from Slack, for fuzzing the app's handlers.
   */
  emitRawEvent(teamId: string, event: Json): void {
    this.context.dispatcher.emit(this.team(teamId), event);
  }

  /**
   * The next `count` calls to `method` answer HTTP 429 + Retry-After, or the given 5xx status;
   * with `afterRunning` the call takes effect first and only its answer is lost.
   */
  failNext(method: string, count: number, failure: { retryAfter: number } | { status: number; afterRunning?: boolean }): void {
    this.live.webApi.failNext(method, count, "retryAfter" in failure
      ? { kind: "ratelimited", retryAfterSeconds: failure.retryAfter }
      : { kind: "http", status: failure.status, afterRunning: failure.afterRunning });
  }

  dropSocket(teamId?: string): void {
    this.live.socketMode.dropSocket(this.team(teamId).id);
  }

  sendDisconnect(reason: "refresh_requested" | "warning" | "link_disabled", teamId?: string): void {
    this.live.socketMode.sendDisconnect(this.team(teamId).id, reason);
  }

  /**
   * A long outage: Slack gives up on the events it could not deliver to a disconnected app, which then
   * finds them only in history. Returns how many were dropped.
   */
  giveUpUndelivered(teamId?: string): number {
    return this.live.socketMode.giveUpWaiting(this.team(teamId).id);
  }

  openConnections(teamId?: string): number {
    return this.live.socketMode.openConnections(this.team(teamId).id);
  }

  /** Waits for a live Socket Mode connection; `fresh` waits for one opened after this call. */
  async waitForConnected(teamId?: string, options: { fresh?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.live.socketMode.waitForConnected(this.team(teamId).id, options.fresh ?? false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Slack's url_verification handshake against the team's request URL. */
  verifyRequestUrl(teamId?: string): Promise<boolean> {
    return this.live.eventsApi.verifyUrl(this.team(teamId));
  }

  /** One signed Events API POST of `payload`, optionally signed wrongly or with an old timestamp. */
  postSignedEvent(teamId: string, payload: Json, options: SignedPostOptions = {}): Promise<{ status: number; body: string }> {
    return this.live.eventsApi.post(this.state.team(teamId), JSON.stringify(payload), options);
  }

  // ---- internals ----

  private get live(): Running {
    if (!this.running) throw new Error("SlackSimulator: call start() first");
    return this.running;
  }

  private get context(): ActionContext {
    return this.live.context;
  }

  private get setupDeps(): setup.SetupDeps {
    return { state: this.state, urls: this.live.urls };
  }

  private team(teamId?: string) {
    return teamId ? this.state.team(teamId) : this.state.onlyTeam();
  }

  private channel(channelId: string): Channel {
    return this.state.channel(channelId);
  }

  private messageAt(channel: Channel, ts: string): Message {
    const message = this.state.findMessage(channel, ts);
    if (!message) throw new Error(`no message ${ts} in #${channel.name}`);
    return message;
  }

  private view(message: Message): SimMessage {
    const json = this.context.serialize.message(message) as SimMessage;
    if (json.files) json.files = json.files.map((file) => ({ ...file, bytes: this.state.files.get(file.id)?.bytes ?? null }));
    return json;
  }
}
