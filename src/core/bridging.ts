import type { Logger } from "winston";
import type { Portal, Store } from "../store/store.js";
import type { NetworkStatus } from "./commands/builtin.js";
import type { Connector, ConnectorHost } from "./connector.js";
import type { RemoteUser } from "./events.js";
import { Ghosts } from "./ghosts.js";
import type { KeyedQueue } from "./keyed-queue.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import type { MediaLinks } from "./media-links.js";
import type { Permissions } from "./permissions.js";
import { Portals } from "./portals.js";
import type { StateReader } from "./power-levels.js";
import type { RoomState } from "./room-state.js";
import { RemoteToMatrix } from "./to-matrix.js";
import { MatrixToRemote } from "./to-remote.js";
import { RemoteInbox } from "./remote-inbox.js";
import { createConnectorHost } from "./connector-host.js";
import type { AccountLinks } from "./account-links.js";
import { BRIDGED_FROM_KEY } from "./to-matrix.js";

export interface BridgingOptions {
  matrix: MatrixApi;
  /** Room state as the homeserver last pushed it, without a request each time. */
  roomState: StateReader & Pick<RoomState, "forget">;
  store: Store;
  connectors: Connector[];
  permissions: Permissions;
  queue: KeyedQueue;
  mediaLinks: MediaLinks;
  accounts: AccountLinks;
  notice: (roomId: string, text: string) => Promise<void>;
  /** True once Parley is shutting down: waits for outages end, the work stays stored. */
  stopping: () => boolean;
  log: Logger;
}

/** How many warnings (per room, or per person and room) are remembered before the memory starts over. */
const REMEMBERED_WARNINGS = 10_000;

interface ConnectorRuntime {
  connector: Connector;
  connected: boolean;
  lastError?: string;
}

function bridgedFrom(event: MatrixEvent): string | undefined {
  const source = event.content[BRIDGED_FROM_KEY];
  return typeof source === "string" ? source : undefined;
}

/**
 * Connects the connectors to Matrix: hands each one its host, routes Matrix events
 * of bridged rooms to the networks and remote events to Matrix, each through the
 * room's queue so order holds.
 */
export class Bridging {
  readonly portals: Portals;
  readonly ghosts: Ghosts;
  private readonly toMatrix: RemoteToMatrix;
  private readonly toRemote: MatrixToRemote;
  private readonly remoteInbox: RemoteInbox;
  private readonly runtimes = new Map<string, ConnectorRuntime>();
  /** Who was typing in each room at the last typing notification. */
  private readonly typingNow = new Map<string, Set<string>>();
  /** "room sender" pairs already told that their messages are not relayed. */
  private readonly toldNotRelayed = new Set<string>();
  /** Rooms already told that Parley cannot read them. */
  private readonly warnedEncrypted = new Set<string>();
  private readonly log: Logger;

  constructor(private readonly options: BridgingOptions) {
    this.log = options.log.child({ module: "bridging" });
    this.portals = new Portals(options.matrix, options.store, this.log);
    this.ghosts = new Ghosts(options.matrix, options.store, options.roomState, this.log);
    this.toMatrix = new RemoteToMatrix(options.matrix, options.store, this.portals, this.ghosts,
      (connector, user) => this.matrixUserFor(connector, user), this.log);
    this.toRemote = new MatrixToRemote({
      matrix: options.matrix,
      roomState: options.roomState,
      store: options.store,
      mediaLinks: options.mediaLinks,
      linkedAccount: async (userId, network) =>
        (await options.store.getUserLinks(userId)).find((link) => link.network === network && link.status === "ok")?.remoteUserId,
      notice: options.notice,
      log: this.log,
    });
    this.remoteInbox = new RemoteInbox(options.store, options.queue,
      (connector, event, txnPrefix, again) => this.toMatrix.handle(connector, event, txnPrefix, again), options.stopping, this.log);
    for (const connector of options.connectors) this.runtimes.set(connector.network, { connector, connected: false });
  }

  get connectors(): Connector[] {
    return [...this.runtimes.values()].map((runtime) => runtime.connector);
  }

  connector(network: string): Connector | undefined {
    return this.runtimes.get(network)?.connector;
  }

  async startConnectors(): Promise<void> {
    for (const runtime of this.runtimes.values()) {
      const { connector } = runtime;
      try {
        this.remoteInbox.park(connector.network);
        await connector.start(this.hostFor(connector));
        runtime.connected = true;
        this.log.info(`${connector.displayName} connected`);
        await this.remoteInbox.resume(connector);
        void this.catchUp(connector);
      } catch (error) {
        this.remoteInbox.release(connector);
        runtime.lastError = (error as Error).message;
        this.log.error(`${connector.displayName} could not start; the rest of Parley keeps running`, { error: runtime.lastError });
      }
    }
  }

  async stopConnectors(): Promise<void> {
    for (const runtime of this.runtimes.values()) {
      await runtime.connector.stop().catch((error: unknown) =>
        this.log.warn(`${runtime.connector.displayName} did not stop cleanly`, { error: (error as Error).message }));
      runtime.connected = false;
    }
  }

  /** Connectors report connection changes here, for `status`; coming back, a chat catches up on what it missed. */
  setConnected(network: string, connected: boolean, error?: string): void {
    const runtime = this.runtimes.get(network);
    if (!runtime) return;
    const reconnected = connected && !runtime.connected;
    runtime.connected = connected;
    if (error) runtime.lastError = error;
    if (reconnected) {
      this.remoteInbox.park(network);
      void this.catchUp(runtime.connector);
    }
  }

  /**
   * Asks the connector for everything after the newest message bridged in each of its
   * chats, while the network's live events are held, then lets them all go in time order.
   */
  private async catchUp(connector: Connector): Promise<void> {
    try {
      await this.catchUpChats(connector);
    } finally {
      this.remoteInbox.release(connector);
    }
  }

  private async catchUpChats(connector: Connector): Promise<void> {
    const catchUp = connector.catchUp?.bind(connector);
    if (!catchUp || this.options.stopping()) return;
    const portals = (await this.options.store.listPortals(connector.network)).filter((portal) => portal.kind === "chat");
    if (portals.length === 0) return;
    this.log.info(`Catching up on ${portals.length} ${connector.displayName} chat(s)`);
    for (const portal of portals) {
      const after = (await this.options.store.latestMessageFromNetwork(connector.network, portal.chat))?.remoteId;
      try {
        await catchUp(portal.chat, after, portal.createdAt);
      } catch (error) {
        this.log.warn("Catching up failed for a chat; it will be tried at the next reconnect", {
          network: connector.network, chat: portal.chat, error: (error as Error).message,
        });
      }
    }
    this.log.info(`Caught up on ${connector.displayName}`);
  }

  networkStatuses(): NetworkStatus[] {
    return [...this.runtimes.values()].map(({ connector, connected, lastError }) => ({
      network: connector.network, displayName: connector.displayName, connected, lastError,
    }));
  }

  /** Whether a Matrix user is one of Parley's ghosts (whose events came from a network). */
  isOwnPuppet(userId: string): boolean {
    return this.ghostNetwork(userId) !== undefined;
  }

  async isBridgedRoom(roomId: string): Promise<boolean> {
    return (await this.options.store.portalsInRoom(roomId)).length > 0;
  }

  /**
   * Someone invited a ghost to a room that bridges nothing: they want a private chat with that
   * person. The network opens it as their linked account and the room becomes its portal; when
   * it cannot, the ghost declines the invite, saying why.
   */
  async onGhostInvite(event: MatrixEvent): Promise<void> {
    const ghost = event.state_key ?? "";
    const connector = this.connector(this.ghostNetwork(ghost) ?? "");
    const remoteUser = connector?.userForGhost(/^@([^:]+):/.exec(ghost)?.[1] ?? "");
    if (!connector || remoteUser === undefined || (await this.isBridgedRoom(event.room_id))) return;
    const { matrix, store } = this.options;
    const decline = async (reason: string): Promise<void> => {
      await matrix.leave(ghost, event.room_id, reason).catch((error: unknown) => {
        this.log.info("A ghost could not decline an invite", { roomId: event.room_id, ghost, error: (error as Error).message });
      });
    };
    if (!this.options.permissions.allows(event.sender, "relay")) return decline("You are not allowed to use this bridge.");
    const openDirectChat = connector.openDirectChat?.bind(connector);
    if (!openDirectChat) return decline(`Parley cannot start private chats on ${connector.displayName}.`);
    let chat: string;
    try {
      chat = await openDirectChat(event.sender, [remoteUser]);
    } catch (error) {
      return decline((error as Error).message);
    }
    const existing = await store.getPortal(connector.network, chat);
    if (existing) return decline(`You already have a room for this chat: ${existing.roomId}`);
    const profile = await connector.getUser(remoteUser).catch(() => undefined);
    if (profile) await this.ghosts.ensure(connector, profile);
    await matrix.join(ghost, event.room_id);
    await this.bringBot(event.room_id, ghost);
    await this.portals.link(connector, chat, event.room_id);
  }

  /**
   * The bot joins a private chat's room at a ghost's invite: bridging reads the room's
   * members and power levels as the bot, and tells people there when something fails.
   */
  private async bringBot(roomId: string, ghost: string): Promise<void> {
    const { matrix } = this.options;
    await matrix.invite(roomId, matrix.botUserId, ghost);
    await matrix.join(matrix.botUserId, roomId);
  }

  async onAliasQuery(alias: string): Promise<boolean> {
    return this.portals.openByAlias(this.connectors, alias);
  }

  async onUserQuery(userId: string): Promise<boolean> {
    const network = this.ghostNetwork(userId);
    if (!network) return false;
    await this.options.matrix.ensureUser(userId);
    return true;
  }

  /** A Matrix event in some room: sent on to every network the room is bridged to but its own. */
  async onMatrixEvent(event: MatrixEvent, resumed: boolean): Promise<void> {
    const ghostNetwork = this.ghostNetwork(event.sender);
    if (ghostNetwork && event.type === "m.room.member") await this.ghosts.memberChanged(event);
    // A ghost's message came from its own network, and so did a linked person's message Parley posted
    // as them (marked in its content): either is relayed only to the room's other networks.
    const origin = ghostNetwork ?? bridgedFrom(event);
    const targets = await this.targets(event.room_id, origin);
    if (targets.length === 0) return;
    if (event.type === "m.room.encryption" || event.type === "m.room.encrypted") return this.warnEncrypted(event);
    if (!origin && !this.options.permissions.allows(event.sender, "relay")) return this.refuseRelay(event);
    await this.toRemote.handle(event, targets, resumed);
  }

  /**
   * Parley holds no keys, so it cannot read an encrypted room: said when encryption is turned
   * on, and at the first encrypted message it receives (per room, until Parley restarts).
   */
  private async warnEncrypted(event: MatrixEvent): Promise<void> {
    if (event.type === "m.room.encrypted" && this.warnedEncrypted.has(event.room_id)) return;
    if (this.warnedEncrypted.size >= REMEMBERED_WARNINGS) this.warnedEncrypted.clear();
    this.warnedEncrypted.add(event.room_id);
    await this.options.notice(event.room_id,
      "⚠️ This room is encrypted, and Parley cannot read encrypted messages: nothing sent here from now on is bridged. " +
      "Encryption cannot be turned off in a room; bridge a new, unencrypted room instead.");
  }

  /** Said once per person and room (until Parley restarts), so that nobody talks into the void unawares. */
  private async refuseRelay(event: MatrixEvent): Promise<void> {
    const key = `${event.room_id} ${event.sender}`;
    if (event.type !== "m.room.message" || this.toldNotRelayed.has(key)) return;
    if (this.toldNotRelayed.size >= REMEMBERED_WARNINGS) this.toldNotRelayed.clear();
    this.toldNotRelayed.add(key);
    await this.options.notice(event.room_id,
      `⚠️ Messages from ${event.sender} are not bridged from this room: this bridge does not relay for them. Its administrator can allow it.`);
  }

  /** Typing notifications (ephemeral events): passed on for people newly typing, never stored. */
  async onTyping(roomId: string, userIds: string[]): Promise<void> {
    const before = this.typingNow.get(roomId) ?? new Set<string>();
    this.typingNow.set(roomId, new Set(userIds));
    const started = userIds.filter((userId) => !before.has(userId) && !this.ghostNetwork(userId) && userId !== this.options.matrix.botUserId);
    if (started.length === 0) return;
    const targets = await this.targets(roomId, undefined);
    for (const userId of started) {
      if (this.options.permissions.allows(userId, "relay")) await this.toRemote.typing(userId, targets);
    }
  }

  private async targets(roomId: string, origin: string | undefined): Promise<{ connector: Connector; portal: Portal }[]> {
    const portals = await this.options.store.portalsInRoom(roomId);
    return portals
      .filter((portal) => portal.kind === "chat" && portal.network !== origin)
      .flatMap((portal) => {
        const connector = this.connector(portal.network);
        return connector ? [{ connector, portal }] : [];
      });
  }

  private ghostNetwork(userId: string): string | undefined {
    const match = /^@([^:]+):(.+)$/.exec(userId);
    if (!match || match[2] !== this.options.matrix.serverName) return undefined;
    for (const connector of this.connectors) {
      if (connector.userForGhost(match[1] as string) !== undefined) return connector.network;
    }
    return undefined;
  }

  /** The Matrix user for a remote one: their own account when linked (double puppeting), else their ghost. */
  private async matrixUserFor(connector: Connector, user: RemoteUser): Promise<string> {
    const link = await this.options.store.findUserLinkByRemote(connector.network, user.id);
    if (link?.status === "ok" && this.options.matrix.canActAs(link.matrixUserId)) return link.matrixUserId;
    return this.ghosts.ensure(connector, user);
  }

  private hostFor(connector: Connector): ConnectorHost {
    return createConnectorHost(connector, {
      ...this.options,
      portals: this.portals,
      ghosts: this.ghosts,
      emit: (event) => this.remoteInbox.accept(connector, event),
      setConnected: (connected, error) => this.setConnected(connector.network, connected, error),
      bringBot: (roomId, ghost) => this.bringBot(roomId, ghost),
    });
  }
}
