/**
 * Linking a Matrix person to their own Slack account, so Parley can act as them: Slack's
 * OAuth v2 asking for user scopes only (the app is already installed with its bot), or a
 * user token (`xoxp-…`) they paste with `slack login-token`. Either way Parley keeps the
 * token, which the core stores encrypted, and nothing else.
 */
import { webApi } from "@slack/bolt";
import type { Logger } from "winston";
import type { AccountLinking, LinkedAccount } from "../../core/connector.js";
import { PermanentError } from "../../core/connector.js";
import { boltLogger } from "./bolt-logger.js";
import type { OAuthClientConfig } from "../../config/oauth-client.js";
import { slackCall, slackErrorCode, toConnectorError } from "./errors.js";
import { toUserId } from "./ids.js";
import { fillDisplayName } from "./people.js";
import { RecentMap } from "./recent.js";
import type { SlackUser } from "./slack-types.js";

type WebClient = InstanceType<typeof webApi.WebClient>;

/**
 * What Parley asks a person to let it do as them: post, edit, delete, react and upload
 * (chat:write, reactions:write, files:write), read their direct and group messages and
 * hear about them as they happen (im:/mpim:history, reactions:read, files:read for the
 * files in them), open conversations (im:/mpim:write), and look up the people and
 * conversations involved (users:read, the :read scopes). The app manifest lists the same.
 */
export const USER_SCOPES = [
  "chat:write",
  "reactions:write",
  "reactions:read",
  "files:write",
  "files:read",
  "channels:history",
  "groups:history",
  "im:history",
  "mpim:history",
  "im:read",
  "mpim:read",
  "im:write",
  "mpim:write",
  "users:read",
  "channels:read",
  "groups:read",
] as const;

/** What Parley keeps of a linked account, encrypted by the core. */
export interface SlackCredentials {
  token: string;
  teamId: string;
  /** The person's Slack user id (`U…`). */
  userId: string;
}

export function serializeCredentials(credentials: SlackCredentials): string {
  return JSON.stringify(credentials);
}

export function parseCredentials(text: string): SlackCredentials | undefined {
  try {
    const value = JSON.parse(text) as Partial<SlackCredentials>;
    return typeof value.token === "string" && typeof value.teamId === "string" && typeof value.userId === "string"
      ? { token: value.token, teamId: value.teamId, userId: value.userId }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Web API clients for people's tokens, made once per token and shared; they never log a token. */
export class UserClients {
  private readonly clients = new RecentMap<string, WebClient>(500);

  constructor(private readonly apiUrl: string, private readonly log: Logger) {}

  for(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, {
        slackApiUrl: this.apiUrl,
        logger: boltLogger(this.log),
        // As for the bot: rate limits and failures go to the core's retries.
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      });
      this.clients.set(token, client);
    }
    return client;
  }

  forget(token: string): void {
    this.clients.delete(token);
  }

  /** A client with no token, for oauth.v2.access (which authenticates with the app's client id and secret). */
  anonymous(): WebClient {
    return new webApi.WebClient(undefined, { slackApiUrl: this.apiUrl, logger: boltLogger(this.log), retryConfig: { retries: 0 } });
  }
}

/** A person's name as Slack shows it, for telling them which account was linked. */
export function linkedName(user: SlackUser | undefined, fallback: string): string {
  if (!user) return fallback;
  return fillDisplayName("{displayName}", {
    displayName: user.profile?.display_name,
    realName: user.profile?.real_name || user.real_name,
    username: user.name ?? fallback,
  });
}

/** Reads who a user token belongs to; rejects with a sentence for the person when Slack refuses it. */
export async function identifyUserToken(clients: UserClients, token: string): Promise<{ teamId: string; userId: string; name: string }> {
  const client = clients.for(token);
  let auth: { team_id?: string; user_id?: string; bot_id?: string };
  try {
    auth = await client.auth.test();
  } catch (error) {
    clients.forget(token);
    const code = slackErrorCode(error);
    if (code) throw new PermanentError(`Slack did not accept that token (${code}). Copy it again, or use "slack link" instead.`);
    throw error;
  }
  if (auth.bot_id) {
    clients.forget(token);
    throw new PermanentError("That is a bot token. Parley needs your own user token (xoxp-…).");
  }
  const teamId = auth.team_id as string;
  const userId = auth.user_id as string;
  const user = await client.users.info({ user: userId }).then((answer) => answer.user as SlackUser, () => undefined);
  return { teamId, userId, name: linkedName(user, userId) };
}

interface OAuthAnswer {
  authed_user?: { id?: string; access_token?: string; token_type?: string };
  team?: { id?: string };
}

/** Slack's OAuth v2 for user scopes, run by the core's `slack link` and callback. */
export class SlackAccountLinking implements AccountLinking {
  constructor(
    private readonly oauth: OAuthClientConfig,
    private readonly clients: UserClients,
    /** The connected workspaces' team ids: only their accounts can be linked. */
    private readonly teamIds: () => string[],
  ) {}

  authorizeUrl(state: string, redirectUri: string): string {
    const query = new URLSearchParams({ client_id: this.oauth.clientId, user_scope: USER_SCOPES.join(","), state, redirect_uri: redirectUri });
    // With one workspace, Slack's page need not ask which.
    const teams = this.teamIds();
    if (teams.length === 1) query.set("team", teams[0] as string);
    return `${this.oauth.authorizeUrl}?${query.toString()}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<LinkedAccount> {
    const answer = await slackCall("exchanging the authorisation code", () => this.clients.anonymous().oauth.v2.access({
      client_id: this.oauth.clientId,
      client_secret: this.oauth.clientSecret,
      code,
      redirect_uri: redirectUri,
    })) as OAuthAnswer;
    const token = answer.authed_user?.access_token;
    const userId = answer.authed_user?.id;
    const teamId = answer.team?.id;
    if (!token || !userId || !teamId || answer.authed_user?.token_type !== "user") {
      throw new PermanentError("Slack gave no user token for the account");
    }
    if (!this.teamIds().includes(teamId)) {
      throw new PermanentError("that account is in a Slack workspace Parley is not connected to");
    }
    const user = await this.clients.for(token).users.info({ user: userId }).then((info) => info.user as SlackUser, () => undefined);
    return {
      remoteUserId: toUserId(teamId, userId),
      displayName: linkedName(user, userId),
      remoteGroup: teamId,
      credentials: serializeCredentials({ token, teamId, userId }),
    };
  }

  async revoke(credentials: string): Promise<void> {
    const parsed = parseCredentials(credentials);
    if (!parsed) return;
    const client = this.clients.for(parsed.token);
    this.clients.forget(parsed.token);
    try {
      await client.auth.revoke();
    } catch (error) {
      // Revoked or expired already: what unlinking wanted.
      const code = slackErrorCode(error);
      if (code !== "token_revoked" && code !== "invalid_auth" && code !== "account_inactive") throw toConnectorError(error, "revoking the token");
    }
  }
}
