import type { ConfigReader } from "../../config/reader.js";
import { readOAuthClient, type OAuthClientConfig } from "../../config/oauth-client.js";

export interface DiscordConfig {
  botToken: string;
  /** The REST API base, without the version (discord.js adds `/v10`). */
  apiUrl: string;
  /** Where avatars, emoji and attachments are served from. */
  cdnUrl: string;
  /** Localpart of a Discord user's ghost; `{userId}` is required. */
  ghostLocalpart: string;
  /** Localpart of a channel's alias; `{guildId}` and `{channelId}` are required. */
  aliasLocalpart: string;
  /** A ghost's display name; `{displayName}` is the nick, global name or username, in that order. */
  displayName: string;
  /** Guild ids that may be bridged; empty for every guild the bot is in. */
  allowedGuilds: string[];
  /** Put each guild's rooms in a Matrix space. */
  spaces: boolean;
  /** Files above this go as a link Parley serves (Discord's limit without boosts is 10 MiB). */
  uploadLimitBytes: number;
  /** How long a `bridge` request waits for a Discord moderator's approval. */
  approvalTimeoutSeconds: number;
  /** How long the gateway may stay unreachable before the bridged rooms are told. */
  outageNoticeSeconds: number;
  /** The application's OAuth2 client, for `discord link`; absent turns linking off. */
  oauth?: OAuthClientConfig;
}


export function readDiscordConfig(section: ConfigReader): DiscordConfig {
  const config: DiscordConfig = {
    botToken: section.requiredString("botToken", "required when discord.enabled is true"),
    apiUrl: section.url("apiUrl", "https://discord.com/api").replace(/\/+$/, ""),
    cdnUrl: section.url("cdnUrl", "https://cdn.discordapp.com").replace(/\/+$/, ""),
    ghostLocalpart: section.template("ghostLocalpart", "discord_{userId}", ["userId"]),
    aliasLocalpart: section.template("aliasLocalpart", "discord_{guildId}_{channelId}", ["guildId", "channelId"]),
    displayName: section.string("displayName", "{displayName}"),
    allowedGuilds: section.stringList("allowedGuilds"),
    spaces: section.boolean("spaces", true),
    uploadLimitBytes: section.integer("uploadLimitBytes", 10 * 1024 * 1024, { min: 1024 }),
    approvalTimeoutSeconds: section.integer("approvalTimeoutSeconds", 600, { min: 10 }),
    outageNoticeSeconds: section.integer("outageNoticeSeconds", 300, { min: 1 }),
  };
  config.oauth = readOAuthClient(section, "discord link", "the application id, and OAuth2 -> Client Secret", "https://discord.com/oauth2/authorize");
  return config;
}
