import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { Connector } from "./connector.js";
import type { RemoteUser } from "./events.js";
import type { MatrixApi } from "./matrix-api.js";

const AVATAR_LIMIT_BYTES = 10 * 1024 * 1024;
/** An avatar that could not be fetched is tried again after this long, not on every message. */
const AVATAR_RETRY_MS = 60 * 60 * 1000;

/**
 * Remote people as Matrix users. A ghost is registered the first time it is needed,
 * and its name and avatar follow the remote profile; an avatar is uploaded only when
 * its remote URL changes, so a busy channel does not re-upload the same picture.
 */
export class Ghosts {
  /** In-flight syncs by Matrix id, so two messages from a new user do not register it twice. */
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Avatar URLs that failed to copy, and when. */
  private readonly failedAvatars = new Map<string, number>();

  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
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

  private async sync(connector: Connector, user: RemoteUser, userId: string): Promise<string> {
    const known = await this.store.getGhost(connector.network, user.id);
    const isNew = known === undefined;
    const nameChanged = known?.displayName !== user.displayName;
    const failedAt = user.avatarUrl ? this.failedAvatars.get(user.avatarUrl) : undefined;
    const avatarChanged = (known?.avatarSource ?? "") !== (user.avatarUrl ?? "") &&
      (failedAt === undefined || Date.now() - failedAt > AVATAR_RETRY_MS);
    if (!isNew && !nameChanged && !avatarChanged) return userId;

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
