import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import { BotRooms } from "./bot-rooms.js";
import { builtinCommands, type NetworkStatus } from "./commands/builtin.js";
import { CORE_NAMESPACE, CommandDispatcher } from "./commands/dispatcher.js";
import type { Connector } from "./connector.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import { MatrixInbox } from "./matrix-inbox.js";
import { Permissions, type PermissionRule } from "./permissions.js";
import { Bridging } from "./bridging.js";
import type { MediaLinks } from "./media-links.js";
import { AccountLinks } from "./account-links.js";
import type { SecretBox } from "./secret-box.js";
import { RoomState } from "./room-state.js";
import { TimelineGaps } from "./timeline-gaps.js";

const INBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface CoreOptions {
  matrix: MatrixApi;
  store: Store;
  connectors: Connector[];
  permissions: PermissionRule[];
  commandPrefix: string;
  mediaLinks: MediaLinks;
  /** Parley's public base URL: OAuth callbacks come back to it. */
  publicUrl: string;
  /** Encrypts linked accounts' credentials; absent turns linking off. */
  secretBox?: SecretBox;
  linkTtlMs: number;
  log: Logger;
}

/**
 * Parley's network-agnostic heart: it takes Matrix events from the inbox and remote
 * events from the connectors, keeps each room's order, answers commands, and leaves
 * the bridging of content to Bridging. It knows no network by name.
 */
export class Core {
  readonly queue: KeyedQueue;
  private readonly inbox: MatrixInbox;
  private readonly roomState: RoomState;
  readonly commands: CommandDispatcher;
  readonly bridging: Bridging;
  readonly accounts: AccountLinks;
  private readonly botRooms: BotRooms;
  private readonly permissions: Permissions;
  private readonly log: Logger;
  private stopping = false;

  constructor(private readonly options: CoreOptions) {
    this.log = options.log.child({ module: "core" });
    this.permissions = new Permissions(options.permissions);
    this.queue = new KeyedQueue((roomId, error) => this.log.error("A room task failed", { roomId, error }));
    this.roomState = new RoomState(options.matrix);
    this.inbox = new MatrixInbox(
      options.store, this.queue, (event, resumed) => this.handleMatrixEvent(event, resumed),
      new TimelineGaps(options.matrix, options.store, this.log), () => this.stopping, this.log,
    );
    this.botRooms = new BotRooms(options.matrix, options.store, this.permissions, this.log);
    this.commands = new CommandDispatcher(options.commandPrefix, this.permissions);
    this.accounts = new AccountLinks(options.store, options.secretBox, options.publicUrl, options.linkTtlMs,
      (roomId, text) => this.botRooms.notice(roomId, text), (userId) => this.botRooms.dmRoomOf(userId), this.log);
    this.bridging = new Bridging({
      matrix: options.matrix,
      roomState: this.roomState,
      store: options.store,
      connectors: options.connectors,
      permissions: this.permissions,
      queue: this.queue,
      notice: (roomId, text) => this.botRooms.notice(roomId, text),
      mediaLinks: options.mediaLinks,
      accounts: this.accounts,
      stopping: () => this.stopping,
      log: options.log,
    });
    this.commands.register(CORE_NAMESPACE, builtinCommands({
      dispatcher: this.commands,
      permissions: this.permissions,
      store: options.store,
      networks: () => this.networkStatuses(),
      queueDepth: () => this.queue.depth,
    }));
    for (const connector of options.connectors) {
      this.commands.register(connector.network, [...(connector.commands ?? []), ...this.accounts.commandsFor(connector)]);
    }
  }

  /** A transaction from the homeserver: resolves once its events are stored, when it may be acknowledged. */
  acceptTransaction(events: MatrixEvent[], txnId: string): Promise<void> {
    this.roomState.observe(events);
    return this.inbox.accept(events, txnId);
  }

  /** Connects the networks, then handles Matrix events: those saved before, then new ones. */
  async start(): Promise<void> {
    // Finished entries are kept a week: long enough to recognise any event a homeserver resends.
    await this.options.store.pruneInboxes(Date.now() - INBOX_RETENTION_MS);
    await this.bridging.startConnectors();
    await this.inbox.start();
  }

  /**
   * Stops taking work, lets what is in flight finish while the networks are still
   * connected, then disconnects them. Whatever arrives meanwhile is stored, not started,
   * and is handled at the next start.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue.drain();
    await this.bridging.stopConnectors();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Typing, receipts and presence from a transaction: best effort, never stored. */
  onEphemeral(events: Record<string, unknown>[]): void {
    for (const event of events) {
      const content = event.content as { user_ids?: unknown } | undefined;
      if (event.type !== "m.typing" || typeof event.room_id !== "string" || !Array.isArray(content?.user_ids)) continue;
      const userIds = content.user_ids.filter((id): id is string => typeof id === "string");
      void this.bridging.onTyping(event.room_id, userIds).catch((error: unknown) =>
        this.log.debug("Typing was not bridged", { error: (error as Error).message }));
    }
  }

  networkStatuses(): NetworkStatus[] {
    return this.bridging.networkStatuses();
  }

  private async handleMatrixEvent(event: MatrixEvent, resumed: boolean): Promise<void> {
    const bot = this.options.matrix.botUserId;
    if (event.type === "m.room.member" && event.state_key === bot && event.content.membership === "invite") {
      // A ghost invites the bot only when Parley makes it, into a private chat's room it joins itself.
      if (!this.bridging.isOwnPuppet(event.sender)) await this.botRooms.onBotInvite(event);
      return;
    }
    if (event.type === "m.room.member" && event.content.membership === "invite" && event.state_key !== undefined && this.bridging.isOwnPuppet(event.state_key)) {
      // A person inviting a ghost asks for a private chat; Parley's own invites of its ghosts are routine.
      if (event.sender !== bot && !this.bridging.isOwnPuppet(event.sender)) await this.bridging.onGhostInvite(event);
      return;
    }
    if (event.sender === bot) return;
    if (event.type === "m.room.message" && !this.bridging.isOwnPuppet(event.sender) && (await this.tryCommand(event))) return;
    await this.bridging.onMatrixEvent(event, resumed);
  }

  private async tryCommand(event: MatrixEvent): Promise<boolean> {
    const body = event.content.body;
    if (typeof body !== "string" || event.content["m.relates_to"] !== undefined) return false;
    const roomId = event.room_id;
    const mentionsCommand = body.trimStart().startsWith(this.options.commandPrefix);
    // Bridged rooms are never private chats with the bot: spare them the membership lookup.
    if (!mentionsCommand && (await this.bridging.isBridgedRoom(roomId))) return false;
    const isDirect = await this.botRooms.isDirect(roomId, event.sender);
    if (!mentionsCommand && !isDirect) return false;
    return this.commands.handle(body, {
      sender: event.sender,
      roomId,
      eventId: event.event_id,
      isDirect,
      reply: (text, html) => this.botRooms.notice(roomId, text, html),
    });
  }
}
