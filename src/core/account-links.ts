import { randomBytes } from "node:crypto";
import type { Logger } from "winston";
import type { Store, UserLink } from "../store/store.js";
import type { BotCommand } from "./commands/command.js";
import type { Connector, LinkedAccount } from "./connector.js";
import type { SecretBox } from "./secret-box.js";

const STATE_SCOPE = "core:link-state";

/** What linking needs to know of a network. */
type LinkableNetwork = Pick<Connector, "network" | "displayName" | "accounts">;

interface PendingLink {
  matrixUserId: string;
  network: string;
  /** The private chat where the person asked, to confirm in. */
  roomId: string;
  expiresAt: number;
}

export type LinkOutcome =
  | { ok: true; network: string; account: LinkedAccount }
  | { ok: false; reason: string };

/**
 * People's own accounts on the networks. Linking runs OAuth: `link` hands out an
 * authorisation URL carrying a state that is bound to the Matrix user, single use and
 * short-lived; the callback checks it, the connector trades the code, and the
 * credentials are stored encrypted. A link the network stops accepting is marked broken
 * and its owner told, while everything else goes on working.
 */
export class AccountLinks {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox | undefined,
    private readonly callbackBase: string,
    private readonly stateTtlMs: number,
    private readonly tell: (roomId: string, text: string) => Promise<void>,
    private readonly dmRoomOf: (matrixUserId: string) => Promise<string | undefined>,
    private readonly log: Logger,
  ) {}

  redirectUri(network: string): string {
    return `${this.callbackBase}/oauth/${network}/callback`;
  }

  /** The `link` and `unlink` commands of a network that supports linking. */
  commandsFor(connector: LinkableNetwork): BotCommand[] {
    const accounts = connector.accounts;
    const commands: BotCommand[] = [{
      name: "unlink",
      usage: "unlink",
      summary: `forget your linked ${connector.displayName} account`,
      level: "user",
      run: async (context) => {
        const links = (await this.store.getUserLinks(context.sender)).filter((link) => link.network === connector.network);
        let revoked = 0;
        for (const link of links) {
          const credentials = link.secret ? this.opened(link.secret) : undefined;
          // Deleted first: the network's notice that the token was revoked then finds no link to mark broken.
          await this.store.deleteUserLink(link.matrixUserId, link.network, link.remoteUserId);
          if (credentials !== undefined && accounts?.revoke && (await this.revoke(accounts.revoke.bind(accounts), credentials, connector.network))) revoked++;
        }
        await context.reply(links.length === 0
          ? `You have no linked ${connector.displayName} account.`
          : `Unlinked your ${connector.displayName} account. Parley has ${revoked > 0 ? `revoked its access on ${connector.displayName} and ` : ""}deleted its credentials.`);
      },
    }];
    if (accounts) {
      commands.push({
        name: "link",
        usage: "link",
        summary: `link your ${connector.displayName} account, to send and receive as yourself`,
        level: "user",
        directOnly: true,
        run: async (context) => {
          if (!this.box) {
            await context.reply("Account linking is turned off on this bridge: its administrator has not set linking.encryptionKey.");
            return;
          }
          const state = await this.begin(context.sender, connector.network, context.roomId);
          const url = accounts.authorizeUrl(state, this.redirectUri(connector.network));
          await context.reply(
            `Open this link to connect your ${connector.displayName} account (it works once, for ${Math.round(this.stateTtlMs / 60000)} minutes): ${url}`,
          );
        },
      });
    }
    return commands;
  }

  private async begin(matrixUserId: string, network: string, roomId: string): Promise<string> {
    const state = randomBytes(24).toString("base64url");
    const pending: PendingLink = { matrixUserId, network, roomId, expiresAt: Date.now() + this.stateTtlMs };
    await this.store.setState(STATE_SCOPE, state, JSON.stringify(pending));
    return state;
  }

  /** Handles the OAuth callback; the state is used up whatever the outcome. */
  async complete(connector: LinkableNetwork | undefined, network: string, state: string, code: string): Promise<LinkOutcome> {
    const saved = state ? await this.store.getState(STATE_SCOPE, state) : undefined;
    if (saved === undefined) return { ok: false, reason: "This link is not valid or was already used. Ask the bot for a new one." };
    await this.store.deleteState(STATE_SCOPE, state);
    const pending = JSON.parse(saved) as PendingLink;
    if (pending.network !== network || !connector?.accounts) return { ok: false, reason: "This link was made for another network." };
    if (pending.expiresAt < Date.now()) return { ok: false, reason: "This link has expired. Ask the bot for a new one." };
    if (!code) return { ok: false, reason: "The authorisation was cancelled." };
    let account: LinkedAccount;
    try {
      account = await connector.accounts.exchangeCode(code, this.redirectUri(network));
    } catch (error) {
      this.log.warn("An OAuth code exchange failed", { network, error: (error as Error).message });
      await this.tell(pending.roomId, `Linking your ${connector.displayName} account failed: ${(error as Error).message}`);
      return { ok: false, reason: `${connector.displayName} did not accept the authorisation. Try again from the start.` };
    }
    await this.save(pending.matrixUserId, connector, account);
    await this.tell(pending.roomId, `Linked your ${connector.displayName} account ${account.displayName} (${account.remoteUserId}).`);
    return { ok: true, network, account };
  }

  async save(matrixUserId: string, connector: LinkableNetwork, account: LinkedAccount): Promise<void> {
    if (!this.box) throw new Error("account linking is turned off: linking.encryptionKey is not set");
    const existing = await this.store.findUserLinkByRemote(connector.network, account.remoteUserId);
    if (existing && existing.matrixUserId !== matrixUserId) {
      await this.store.deleteUserLink(existing.matrixUserId, existing.network, existing.remoteUserId);
    }
    const link: UserLink = {
      matrixUserId,
      network: connector.network,
      remoteUserId: account.remoteUserId,
      remoteGroup: account.remoteGroup,
      secret: account.credentials === undefined ? undefined : this.box.seal(account.credentials),
      status: "ok",
      createdAt: Date.now(),
    };
    await this.store.upsertUserLink(link);
    this.log.info("Linked an account", { matrixUserId, network: connector.network, remoteUserId: account.remoteUserId });
  }

  async credentialsFor(matrixUserId: string, network: string): Promise<string | undefined> {
    const link = (await this.store.getUserLinks(matrixUserId)).find((item) => item.network === network && item.status === "ok");
    return link?.secret ? this.opened(link.secret) : undefined;
  }

  private opened(secret: string): string | undefined {
    if (!this.box) return undefined;
    try {
      return this.box.open(secret);
    } catch {
      this.log.error("A linked account's credentials do not decrypt: was linking.encryptionKey changed?");
      return undefined;
    }
  }

  /** Best effort: the link is gone either way, and the person is told whether access was revoked. */
  private async revoke(revoke: (credentials: string) => Promise<void>, credentials: string, network: string): Promise<boolean> {
    try {
      await revoke(credentials);
      return true;
    } catch (error) {
      this.log.warn("Could not revoke an unlinked account's access", { network, error: (error as Error).message });
      return false;
    }
  }

  async markBroken(matrixUserId: string, connector: LinkableNetwork, reason: string): Promise<void> {
    const links = (await this.store.getUserLinks(matrixUserId)).filter((link) => link.network === connector.network && link.status === "ok");
    if (links.length === 0) return;
    for (const link of links) await this.store.upsertUserLink({ ...link, status: "broken" });
    this.log.warn("A linked account stopped working", { matrixUserId, network: connector.network, reason });
    const room = await this.dmRoomOf(matrixUserId);
    if (room) {
      await this.tell(room, `Your linked ${connector.displayName} account stopped working (${reason}). ` +
        `Parley uses the bridge's own identity for you until you send "${connector.network} link" again.`);
    }
  }
}
