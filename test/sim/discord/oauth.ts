import { randomBytes } from "node:crypto";
import { route, type RestRequest, type RestResult, type Route } from "./router.js";
import type { SimState } from "./state.js";

interface Grant {
  userId: string;
  scopes: string[];
}

const TOKEN_LIFETIME_SECONDS = 604_800;

const oauthError = (status: number, error: string, description: string): RestResult => ({
  status,
  body: { error, error_description: description },
});

/**
 * The part of Discord OAuth2 a bridge uses to learn who a person is: a test pre-authorises a user (standing in for
 * the consent screen) and gets a code, which the bridge trades at /oauth2/token for a bearer token.
 */
export class OAuthProvider {
  private readonly codes = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, Grant & { expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(
    private readonly state: SimState,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  authorize(userId: string, scopes: string[]): string {
    this.state.user(userId);
    const code = randomBytes(15).toString("base64url");
    this.codes.set(code, { userId, scopes });
    return code;
  }

  bearer(token: string): Grant | undefined {
    const grant = this.accessTokens.get(token);
    return grant && grant.expiresAt > this.state.now() ? { userId: grant.userId, scopes: grant.scopes } : undefined;
  }

  routes(): Route[] {
    return [route("POST", "/oauth2/token", (request) => this.exchange(request), "none")];
  }

  private exchange(request: RestRequest): RestResult {
    const { clientId, clientSecret } = this.clientCredentials(request);
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) {
      return oauthError(401, "invalid_client", "Invalid client");
    }
    const grantType = request.body.grant_type;
    const presented = grantType === "authorization_code" ? request.body.code : request.body.refresh_token;
    const store = grantType === "authorization_code" ? this.codes : grantType === "refresh_token" ? this.refreshTokens : undefined;
    if (!store) return oauthError(400, "unsupported_grant_type", `Unsupported grant type: ${String(grantType)}`);
    const grant = typeof presented === "string" ? store.get(presented) : undefined;
    if (!grant) {
      const field = grantType === "authorization_code" ? "code" : "refresh_token";
      return oauthError(400, "invalid_grant", `Invalid "${field}" in request.`);
    }
    // Codes and refresh tokens are single use.
    store.delete(presented);
    const accessToken = randomBytes(22).toString("base64url");
    const refreshToken = randomBytes(22).toString("base64url");
    this.accessTokens.set(accessToken, { ...grant, expiresAt: this.state.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    this.refreshTokens.set(refreshToken, grant);
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        access_token: accessToken,
        expires_in: TOKEN_LIFETIME_SECONDS,
        refresh_token: refreshToken,
        scope: grant.scopes.join(" "),
      },
    };
  }

  /** Either HTTP Basic or client_id/client_secret form fields, as Discord accepts both. */
  private clientCredentials(request: RestRequest): { clientId?: string; clientSecret?: string } {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "");
    if (basic) {
      const [clientId, clientSecret] = Buffer.from(basic[1]!, "base64").toString().split(":");
      return { clientId, clientSecret };
    }
    return { clientId: request.body.client_id, clientSecret: request.body.client_secret };
  }
}
