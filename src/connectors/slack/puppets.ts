/**
 * Linked people as Slack actors: the token of a Matrix user's working link, as a Web API
 * client that acts as them. When Slack stops accepting a token (revoked, the account
 * deactivated), the link is marked broken and its owner told, once, and the action is done
 * as Parley's bot instead, so nothing they send is lost.
 */
import type { webApi } from "@slack/bolt";
import type { ConnectorHost, MatrixSender } from "../../core/connector.js";
import { type UserClients, parseCredentials } from "./accounts.js";
import { slackErrorCode } from "./errors.js";
import { parseUserId, toUserId } from "./ids.js";

export interface Puppet {
  matrixUserId: string;
  teamId: string;
  /** Their Slack user id (`U…`). */
  slackUserId: string;
  client: webApi.WebClient;
}

/** Slack's answers for a token that no longer works, and what to tell its owner. */
const AUTH_FAILURES: Record<string, string> = {
  invalid_auth: "Slack no longer accepts its token",
  token_revoked: "its token was revoked on Slack",
  token_expired: "its token expired",
  account_inactive: "the Slack account was deactivated",
  not_authed: "Slack did not accept its token",
};

/**
 * What the person's own account may not do where Parley's bot can: post in a channel they
 * are not in, use a scope they did not grant, change a message someone else posted.
 */
const BOT_CAN_TRY: ReadonlySet<string> = new Set([
  "not_in_channel", "channel_not_found", "missing_scope", "cant_update_message", "cant_delete_message", "restricted_action",
]);

/** The Slack error code behind a failure, whether raw or already translated for the core. */
export function failureCode(error: unknown): string | undefined {
  return slackErrorCode(error) ?? slackErrorCode((error as { cause?: unknown } | undefined)?.cause);
}

export function isAuthFailure(error: unknown): boolean {
  const code = failureCode(error);
  return code !== undefined && code in AUTH_FAILURES;
}

export class Puppets {
  constructor(
    private readonly host: Pick<ConnectorHost, "credentialsFor" | "linkBroken" | "matrixUserFor" | "log">,
    private readonly clients: UserClients,
  ) {}

  /** The sender's own account in this workspace, when they linked one that still works. */
  async forSender(sender: MatrixSender, teamId: string): Promise<Puppet | undefined> {
    if (!sender.remoteUserId || parseUserId(sender.remoteUserId)?.teamId !== teamId) return undefined;
    return this.forMatrixUser(sender.userId, teamId);
  }

  async forMatrixUser(matrixUserId: string, teamId: string): Promise<Puppet | undefined> {
    const text = await this.host.credentialsFor(matrixUserId);
    const credentials = text === undefined ? undefined : parseCredentials(text);
    if (!credentials || credentials.teamId !== teamId) return undefined;
    return { matrixUserId, teamId, slackUserId: credentials.userId, client: this.clients.for(credentials.token) };
  }

  /** The linked account of a Slack user, if one of Parley's people linked it. */
  async forSlackUser(teamId: string, slackUserId: string): Promise<Puppet | undefined> {
    const matrixUserId = await this.host.matrixUserFor(toUserId(teamId, slackUserId));
    const puppet = await this.forMatrixUser(matrixUserId, teamId);
    return puppet?.slackUserId === slackUserId ? puppet : undefined;
  }

  /**
   * After a failure acting as the person: whether to do it as the bot instead. A token
   * Slack refuses breaks the link (and tells its owner) first.
   */
  async botMayTry(puppet: Puppet, error: unknown): Promise<boolean> {
    const code = failureCode(error);
    if (code === undefined) return false;
    if (code in AUTH_FAILURES) {
      await this.broken(puppet, code);
      return true;
    }
    if (BOT_CAN_TRY.has(code)) {
      this.host.log.info("Acting as Parley's bot where a linked account may not", { matrixUserId: puppet.matrixUserId, code });
      return true;
    }
    return false;
  }

  /** Runs a call as the person, breaking the link when Slack refuses their token. */
  async call<T>(puppet: Puppet, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = failureCode(error);
      if (code !== undefined && code in AUTH_FAILURES) await this.broken(puppet, code);
      throw error;
    }
  }

  /**
   * Slack says (tokens_revoked) that some of these people's tokens were revoked. It does not
   * say which, and a person may have linked again since: the link breaks if its token fails.
   */
  async revoked(teamId: string, slackUserIds: readonly string[]): Promise<void> {
    for (const slackUserId of slackUserIds) {
      const puppet = await this.forSlackUser(teamId, slackUserId);
      if (!puppet) continue;
      await this.call(puppet, () => puppet.client.auth.test()).catch((error: unknown) => {
        if (!isAuthFailure(error)) this.host.log.warn("Could not check a linked account's token", { error: (error as Error).message });
      });
    }
  }

  private async broken(puppet: Puppet, code: string): Promise<void> {
    this.host.log.warn("Slack refused a linked account's token", { matrixUserId: puppet.matrixUserId, code });
    await this.host.linkBroken(puppet.matrixUserId, AUTH_FAILURES[code] ?? `Slack answered ${code}`);
  }
}
