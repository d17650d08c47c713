import type { Logger } from "winston";
import type { Portal, Store } from "../store/store.js";
import type { ChatInfo, Connector } from "./connector.js";
import type { MatrixApi } from "./matrix-api.js";

const AVATAR_LIMIT_BYTES = 10 * 1024 * 1024;
const SPACE_CHAT_PREFIX = "space:";

/**
 * Rooms for remote chats. A portal is made on demand when someone joins its alias,
 * or by linking an existing room (plumbing). The chats of one group (a guild, a
 * workspace) sit in a Matrix space made for the group.
 */
export class Portals {
  private readonly creating = new Map<string, Promise<Portal | undefined>>();

  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  async get(connector: Connector, chat: string): Promise<Portal | undefined> {
    return this.store.getPortal(connector.network, chat);
  }

  /** Answers the homeserver's alias query: creates the portal the alias names, if it names one. */
  async openByAlias(connectors: readonly Connector[], alias: string): Promise<boolean> {
    const match = /^#([^:]+):(.+)$/.exec(alias);
    if (!match || match[2] !== this.matrix.serverName) return false;
    const localpart = match[1] as string;
    for (const connector of connectors) {
      const chat = connector.chatForAlias(localpart);
      if (chat === undefined) continue;
      if (await this.store.getPortal(connector.network, chat)) return false;
      return (await this.create(connector, chat, { aliasLocalpart: localpart })) !== undefined;
    }
    return false;
  }

  /** Creates a portal for a chat; returns undefined when the network says the chat cannot be bridged. */
  async create(
    connector: Connector,
    chat: string,
    options: { aliasLocalpart?: string; invite?: string[]; as?: string } = {},
  ): Promise<Portal | undefined> {
    const key = `${connector.network}\u0000${chat}`;
    const running = this.creating.get(key);
    if (running) return running;
    const creation = this.createOnce(connector, chat, options).finally(() => this.creating.delete(key));
    this.creating.set(key, creation);
    return creation;
  }

  private async createOnce(
    connector: Connector,
    chat: string,
    options: { aliasLocalpart?: string; invite?: string[]; as?: string },
  ): Promise<Portal | undefined> {
    let info: ChatInfo;
    try {
      info = await connector.getChat(chat);
    } catch (error) {
      this.log.info("Not opening a portal", { network: connector.network, chat, reason: (error as Error).message });
      return undefined;
    }
    const space = info.group && !info.isDirect ? await this.ensureSpace(connector, info.group) : undefined;
    const avatarMxc = info.avatarUrl ? await this.copyAvatar(connector, info.avatarUrl) : undefined;
    const creator = options.as ?? this.matrix.botUserId;
    const roomId = await this.matrix.createRoom({
      // A private chat's room is made by the other person's ghost, so clients show it as a chat with them.
      as: creator,
      name: info.name,
      topic: info.topic,
      avatarMxc,
      aliasLocalpart: options.aliasLocalpart,
      invite: options.invite,
      isDirect: info.isDirect,
      visibility: options.aliasLocalpart ? "public" : "private",
      initialState: [bridgeInfoState(this.matrix.botUserId, connector, chat, info), ...(space ? [spaceParentState(space, this.matrix.serverName)] : [])],
    });
    const portal: Portal = {
      network: connector.network, chat, roomId, kind: "chat", name: info.name, topic: info.topic, avatarMxc,
      groupChat: space?.chat, createdAt: Date.now(),
    };
    await this.store.upsertPortal(portal);
    if (space) await this.addToSpace(space, roomId);
    this.log.info("Opened a portal", { network: connector.network, chat, roomId, name: info.name });
    return portal;
  }

  /** Links an existing room to a chat (plumbing); the room keeps its name and members. */
  async link(connector: Connector, chat: string, roomId: string): Promise<Portal> {
    const info = await connector.getChat(chat);
    const portal: Portal = { network: connector.network, chat, roomId, kind: "chat", name: info.name, topic: info.topic, createdAt: Date.now() };
    await this.store.upsertPortal(portal);
    // A plumbed room is someone else's: the bot may lack the power for state, which only costs clients the bridge info.
    await this.matrix.sendState(this.matrix.botUserId, roomId, "m.bridge", bridgeStateKey(connector, chat), bridgeInfoContent(this.matrix.botUserId, connector, chat, info))
      .catch((error: unknown) => this.log.info("Could not set the room's bridge info", { roomId, error: (error as Error).message }));
    this.log.info("Linked a room to a chat", { network: connector.network, chat, roomId });
    return portal;
  }

  async unlink(connector: Connector, chat: string): Promise<Portal | undefined> {
    const portal = await this.store.getPortal(connector.network, chat);
    if (!portal) return undefined;
    await this.store.deletePortal(connector.network, chat);
    await this.matrix.sendState(this.matrix.botUserId, portal.roomId, "m.bridge", bridgeStateKey(connector, chat), {}).catch(() => undefined);
    this.log.info("Unlinked a room from a chat", { network: connector.network, chat, roomId: portal.roomId });
    return portal;
  }

  /** Follows a renamed chat, a new topic or a new picture. */
  async update(portal: Portal, connector: Connector, change: { name?: string; topic?: string; avatarUrl?: string }): Promise<void> {
    const bot = this.matrix.botUserId;
    const next = { ...portal };
    if (change.name !== undefined && change.name !== portal.name) {
      await this.matrix.sendState(bot, portal.roomId, "m.room.name", "", { name: change.name });
      next.name = change.name;
    }
    if (change.topic !== undefined && change.topic !== portal.topic) {
      await this.matrix.sendState(bot, portal.roomId, "m.room.topic", "", { topic: change.topic });
      next.topic = change.topic;
    }
    if (change.avatarUrl !== undefined) {
      const avatarMxc = await this.copyAvatar(connector, change.avatarUrl);
      if (avatarMxc && avatarMxc !== portal.avatarMxc) {
        await this.matrix.sendState(bot, portal.roomId, "m.room.avatar", "", { url: avatarMxc });
        next.avatarMxc = avatarMxc;
      }
    }
    await this.store.upsertPortal(next);
  }

  private async ensureSpace(connector: Connector, group: NonNullable<ChatInfo["group"]>): Promise<Portal> {
    const chat = `${SPACE_CHAT_PREFIX}${group.id}`;
    const existing = await this.store.getPortal(connector.network, chat);
    if (existing) return existing;
    const avatarMxc = group.avatarUrl ? await this.copyAvatar(connector, group.avatarUrl) : undefined;
    const roomId = await this.matrix.createRoom({ name: group.name, avatarMxc, isSpace: true, visibility: "public" });
    const space: Portal = { network: connector.network, chat, roomId, kind: "space", name: group.name, avatarMxc, createdAt: Date.now() };
    await this.store.upsertPortal(space);
    this.log.info("Made a space for a group", { network: connector.network, group: group.id, roomId });
    return space;
  }

  private async addToSpace(space: Portal, roomId: string): Promise<void> {
    await this.matrix.sendState(this.matrix.botUserId, space.roomId, "m.space.child", roomId, { via: [this.matrix.serverName] });
  }

  private async copyAvatar(connector: Connector, url: string): Promise<string | undefined> {
    try {
      const media = await connector.fetchMedia(url, AVATAR_LIMIT_BYTES);
      return await this.matrix.upload(media.bytes, media.mimetype, "avatar");
    } catch (error) {
      this.log.warn("Could not copy a room avatar", { network: connector.network, error: (error as Error).message });
      return undefined;
    }
  }
}

function bridgeStateKey(connector: Connector, chat: string): string {
  return `parley://${connector.network}/${chat}`;
}

/** MSC2346 bridge info, so clients can show where a room is bridged to. */
function bridgeInfoContent(bot: string, connector: Connector, chat: string, info: ChatInfo): Record<string, unknown> {
  return {
    bridgebot: bot,
    protocol: { id: connector.network, displayname: connector.displayName },
    ...(info.group ? { network: { id: info.group.id, displayname: info.group.name } } : {}),
    channel: { id: chat, displayname: info.name },
  };
}

function bridgeInfoState(bot: string, connector: Connector, chat: string, info: ChatInfo) {
  return { type: "m.bridge", state_key: bridgeStateKey(connector, chat), content: bridgeInfoContent(bot, connector, chat, info) };
}

function spaceParentState(space: Portal, serverName: string) {
  return { type: "m.space.parent", state_key: space.roomId, content: { via: [serverName], canonical: true } };
}
