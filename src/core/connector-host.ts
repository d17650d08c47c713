import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { AccountLinks } from "./account-links.js";
import type { Connector, ConnectorHost } from "./connector.js";
import type { RemoteEvent } from "./events.js";
import type { Ghosts } from "./ghosts.js";
import type { MatrixApi } from "./matrix-api.js";
import type { Portals } from "./portals.js";
import { mayChangePowerLevels, type StateReader } from "./power-levels.js";

export interface ConnectorHostDeps {
  matrix: MatrixApi;
  roomState: StateReader;
  store: Store;
  portals: Portals;
  ghosts: Ghosts;
  accounts: AccountLinks;
  log: Logger;
  notice: (roomId: string, text: string) => Promise<void>;
  emit: (event: RemoteEvent) => Promise<void>;
  setConnected: (connected: boolean, error?: string) => void;
  /** Brings the bot into a room a ghost created, so bridging can read it. */
  bringBot: (roomId: string, ghost: string) => Promise<void>;
}

/**
 * What one connector sees of the core: lookups and actions scoped to its network, so
 * a connector can only ever touch its own portals, ghosts, links and state.
 */
export function createConnectorHost(connector: Connector, deps: ConnectorHostDeps): ConnectorHost {
  const { store, matrix, roomState, portals, ghosts, accounts } = deps;
  const network = connector.network;
  const scope = `connector:${network}`;
  return {
    log: deps.log.child({ module: network }),
    emit: deps.emit,
    setConnected: deps.setConnected,
    roomForChat: async (chat) => (await store.getPortal(network, chat))?.roomId,
    recentlyBridged: (chat, limit) => store.recentMessagesFromNetwork(network, chat, limit),
    isBridged: async (chat, remoteId) => (await store.partsForRemote(network, chat, remoteId)).length > 0,
    chatForRoom: async (roomIdOrAlias) => {
      const roomId = roomIdOrAlias.startsWith("#") ? await matrix.resolveAlias(roomIdOrAlias) : roomIdOrAlias;
      if (!roomId) return undefined;
      return (await store.portalsInRoom(roomId)).find((portal) => portal.network === network && portal.kind === "chat")?.chat;
    },
    mayManageRoom: (roomId, userId) => mayChangePowerLevels(roomState, roomId, userId),
    displayNameOf: async (userId, roomId) => {
      const member = roomId ? await roomState.getState<{ displayname?: string }>(roomId, "m.room.member", userId) : undefined;
      return member?.displayname || (await matrix.getProfile(userId)).displayName || userId;
    },
    matrixUserFor: async (user) => {
      const link = await store.findUserLinkByRemote(network, user);
      return link?.status === "ok" ? link.matrixUserId : ghosts.matrixIdFor(connector, user);
    },
    remoteUserFor: async (matrixUserId) => {
      const ghost = await store.getGhostByMxid(matrixUserId);
      if (ghost) return ghost.network === network ? ghost.remoteUserId : undefined;
      return (await store.getUserLinks(matrixUserId)).find((link) => link.network === network)?.remoteUserId;
    },
    notify: async (chat, text) => {
      const portal = await store.getPortal(network, chat);
      if (portal) await deps.notice(portal.roomId, text);
    },
    noticeInRoom: (roomId, text) => deps.notice(roomId, text),
    bridgeChat: async (chat, roomId) => {
      await portals.link(connector, chat, roomId);
    },
    unbridgeChat: async (chat, reason) => {
      const portal = await portals.unlink(connector, chat);
      if (portal) await deps.notice(portal.roomId, `This room is no longer bridged to ${connector.displayName}: ${reason}`);
    },
    state: {
      get: (key) => store.getState(scope, key),
      set: (key, value) => store.setState(scope, key, value),
      delete: (key) => store.deleteState(scope, key),
    },
    bridgedChats: async () =>
      (await store.listPortals(network)).filter((portal) => portal.kind === "chat").map((portal) => portal.chat),
    linkAccount: (matrixUserId, account) => accounts.save(matrixUserId, connector, account),
    credentialsFor: (matrixUserId) => accounts.credentialsFor(matrixUserId, network),
    linkBroken: (matrixUserId, reason) => accounts.markBroken(matrixUserId, connector, reason),
    redact: async (roomId, eventId, reason) => {
      try {
        await matrix.redact(matrix.botUserId, roomId, eventId, reason);
      } finally {
        // The event may have carried a secret (a pasted token): Parley's stored copy goes too.
        await store.inboxScrub(eventId);
      }
    },
    openPrivatePortal: async (chat, { creator, invite }) => {
      const existing = await store.getPortal(network, chat);
      if (existing) return existing.roomId;
      const as = await ghosts.ensure(connector, creator);
      const portal = await portals.create(connector, chat, { as, invite });
      if (portal) await deps.bringBot(portal.roomId, as);
      return portal?.roomId;
    },
  };
}
