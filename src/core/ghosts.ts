import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { Connector } from "./connector.js";
import type { RemoteUser } from "./events.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import type { RoomState } from "./room-state.js";

const AVATAR_LIMIT_BYTES = 10 * 1024 * 1024;
/** An avatar that could not be fetched is tried again after this long, not on every message. */
const AVATAR_RETRY_MS = 60 * 60 * 1000;
/** How many per-room names are remembered to put back; a forgotten one is put back at the ghost's next message there. */
const REMEMBERED_ROOM_NAMES = 10_000;

/**
 * Remote people as Matrix users. A ghost is registered the first time it is needed,
 * and its name and avatar follow the remote profile; an avatar is uploaded only when
 * its remote URL changes, so a busy channel does not re-upload the same picture.
 *
 * A person can look different in different scopes of one network (a nick per Discord
 * guild). The profile follows the scope the ghost was first seen in; in the rooms of
 * other scopes, the ghost's membership carries that scope's name. Renaming the profile
 * back and forth instead would post a name change into every room the ghost is in, at
 * every message.
 */
export class Ghosts {
  /** In-flight syncs by Matrix id, so two messages from a new user do not register it twice. */
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Avatar URLs that failed to copy, and when. */
  private readonly failedAvatars = new Map<string, number>();
  /** The names given per room, by room and ghost, to put back when a profile change overwrites them. */
  private readonly roomNames = new Map<string, string>();

  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
    private readonly roomState: Pick<RoomState, "getState" | "forget">,
    private readonly log: Logger,
  ) {}

  matrixIdFor(connector: Connector, remoteUserId: string): string {
    return `@${connector.ghostForUser(remoteUserId)}:${this.matrix.serverName}`;
  }

  /** The ghost's Matrix id, registered and with an up-to-date profile. */
  async ensure(connector: Connector, user: RemoteUser): Promise<string> {
    const userId = this.matrixIdFor(connector, user.id);
    const running = this.inFlight.get(userId);
    if (running) return running;
    const sync = this.sync(connector, user, userId).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, sync);
    return sync;
  }

  /**
   * Makes the ghost's name in the room the one `user` has where the room's chat is, when
   * that is not the look its profile shows. The homeserver resets per-room names when the
   * profile changes, so this is checked at each message, against the room's (cached) state.
   */
  async nameInRoom(connector: Connector, user: RemoteUser, userId: string, roomId: string): Promise<void> {
    if (user.scope === undefined || userId !== this.matrixIdFor(connector, user.id)) return;
    const known = await this.store.getGhost(connector.network, user.id);
    if (!known || known.profileScope === user.scope) return;
    this.rememberRoomName(roomId, userId, user.displayName);
    const member = await this.roomState.getState<Record<string, unknown>>(roomId, "m.room.member", userId);
    if (member?.membership !== "join" || member.displayname === user.displayName) return;
    await this.setRoomName(roomId, userId, user.displayName, member);
  }

  /**
   * A ghost's membership changed in a room. The homeserver copies a new profile into every
   * room in the background, over the names given per room, sometimes after the ghost's
   * latest message there: the name is put back as soon as that is seen.
   */
  async memberChanged(event: MatrixEvent): Promise<void> {
    if (event.state_key !== event.sender || event.content.membership !== "join") return;
    const name = this.roomNames.get(roomNameKey(event.room_id, event.sender));
    if (name === undefined || event.content.displayname === name) return;
    await this.setRoomName(event.room_id, event.sender, name, event.content);
  }

  private async setRoomName(roomId: string, userId: string, name: string, member: Record<string, unknown>): Promise<void> {
    const avatar = typeof member.avatar_url === "string" ? { avatar_url: member.avatar_url } : {};
    await this.matrix.sendState(userId, roomId, "m.room.member", userId, { membership: "join", displayname: name, ...avatar });
    this.roomState.forget(roomId, "m.room.member", userId);
    this.log.debug("Ghost named for the room", { userId, roomId });
  }

  private rememberRoomName(roomId: string, userId: string, name: string): void {
    const key = roomNameKey(roomId, userId);
    this.roomNames.delete(key);
    this.roomNames.set(key, name);
    if (this.roomNames.size > REMEMBERED_ROOM_NAMES) this.roomNames.delete(this.roomNames.keys().next().value as string);
  }

  private async sync(connector: Connector, user: RemoteUser, userId: string): Promise<string> {
    const known = await this.store.getGhost(connector.network, user.id);
    // Seen in another scope than the profile's: the profile stays; nameInRoom names it there.
    if (known?.profileScope !== undefined && known.profileScope !== user.scope) return userId;
    const claimsScope = user.scope !== undefined && known?.profileScope === undefined;
    const isNew = known === undefined;
    const nameChanged = known?.displayName !== user.displayName;
    const failedAt = user.avatarUrl ? this.failedAvatars.get(user.avatarUrl) : undefined;
    const avatarChanged = (known?.avatarSource ?? "") !== (user.avatarUrl ?? "") &&
      (failedAt === undefined || Date.now() - failedAt > AVATAR_RETRY_MS);
    if (!isNew && !nameChanged && !avatarChanged && !claimsScope) return userId;

    let avatarMxc = known?.avatarMxc;
    if (avatarChanged) avatarMxc = user.avatarUrl ? await this.uploadAvatar(connector, user.avatarUrl) : "";
    await this.matrix.ensureUser(userId, {
      displayName: nameChanged || isNew ? user.displayName : undefined,
      avatarMxc: avatarChanged ? avatarMxc : undefined,
    });
    await this.store.upsertGhost({
      network: connector.network,
      remoteUserId: user.id,
      matrixUserId: userId,
      displayName: user.displayName,
      avatarSource: avatarMxc === undefined ? known?.avatarSource : user.avatarUrl,
      avatarMxc: avatarMxc || undefined,
      profileScope: user.scope ?? known?.profileScope,
    });
    this.log.debug("Ghost synced", { userId, isNew, nameChanged, avatarChanged });
    return userId;
  }

  private async uploadAvatar(connector: Connector, url: string): Promise<string | undefined> {
    try {
      const media = await connector.fetchMedia(url, AVATAR_LIMIT_BYTES);
      const mxc = await this.matrix.upload(media.bytes, media.mimetype, "avatar");
      this.failedAvatars.delete(url);
      return mxc;
    } catch (error) {
      this.failedAvatars.set(url, Date.now());
      // A missing avatar is not worth losing a message over; it is tried again later.
      this.log.warn("Could not copy an avatar", { network: connector.network, error: (error as Error).message });
      return undefined;
    }
  }
}

function roomNameKey(roomId: string, userId: string): string {
  return `${roomId} ${userId}`;
}
