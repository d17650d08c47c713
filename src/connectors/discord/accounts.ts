/**
 * Linking a Matrix person to their Discord account through Discord's OAuth2 with only
 * the `identify` scope: Parley learns who they are on Discord, and nothing more. It never
 * acts as their account (Discord forbids automating user accounts), so no token is kept.
 */
import type { AccountLinking, LinkedAccount } from "../../core/connector.js";
import { PermanentError, RetryLaterError } from "../../core/connector.js";
import type { OAuthClientConfig } from "../../config/oauth-client.js";

interface TokenAnswer {
  access_token?: string;
  error?: string;
  error_description?: string;
}

interface DiscordMe {
  id: string;
  username: string;
  global_name?: string | null;
}

export class DiscordAccountLinking implements AccountLinking {
  constructor(private readonly apiUrl: string, private readonly oauth: OAuthClientConfig) {}

  authorizeUrl(state: string, redirectUri: string): string {
    const query = new URLSearchParams({
      client_id: this.oauth.clientId,
      response_type: "code",
      scope: "identify",
      state,
      redirect_uri: redirectUri,
      prompt: "consent",
    });
    return `${this.oauth.authorizeUrl}?${query.toString()}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<LinkedAccount> {
    const token = await this.call<TokenAnswer>("/oauth2/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id: this.oauth.clientId,
        client_secret: this.oauth.clientSecret,
      }).toString(),
    });
    if (!token.access_token) throw new PermanentError(`Discord refused the authorisation: ${token.error_description ?? token.error ?? "no token"}`);
    const me = await this.call<DiscordMe>("/users/@me", { headers: { authorization: `Bearer ${token.access_token}` } });
    return { remoteUserId: me.id, displayName: me.global_name || me.username };
  }

  private async call<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetch(`${this.apiUrl}/v10${path}`, init);
    const body = (await response.json().catch(() => ({}))) as T & { message?: string; error_description?: string };
    if (response.status === 429 || response.status >= 500) throw new RetryLaterError(`Discord answered ${response.status}`);
    if (!response.ok) {
      throw new PermanentError(`Discord refused the authorisation: ${body.error_description ?? body.message ?? `HTTP ${response.status}`}`);
    }
    return body;
  }
}
