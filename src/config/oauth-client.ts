import type { ConfigReader } from "./reader.js";

/** A network application's OAuth client, with which people link their accounts. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Where people's browsers go to authorise (the network's own page unless a test says otherwise). */
  authorizeUrl: string;
}

/**
 * Reads a network's optional `oauth` section; absent, linking through OAuth is off.
 * `where` tells the admin where the network shows the client's id and secret.
 */
export function readOAuthClient(section: ConfigReader, command: string, where: string, authorizeUrl: string): OAuthClientConfig | undefined {
  if (!section.has("oauth")) return undefined;
  const oauth = section.section("oauth");
  const config = {
    clientId: oauth.requiredString("clientId", `required for ${command} (${where})`),
    clientSecret: oauth.requiredString("clientSecret", `required for ${command} (${where})`),
    authorizeUrl: oauth.url("authorizeUrl", authorizeUrl),
  };
  oauth.rejectUnknownKeys();
  return config;
}
