import type { ConfigReader } from "../../config/reader.js";
import { readOAuthClient, type OAuthClientConfig } from "../../config/oauth-client.js";

export interface SlackWorkspaceConfig {
  /** The bot token (`xoxb-…`) from OAuth & Permissions. */
  botToken: string;
  /** The app-level token (`xapp-…`) with connections:write, for Socket Mode. */
  appToken?: string;
  /** The signing secret, for the Events API over HTTP. */
  signingSecret?: string;
}

export interface SlackConfig {
  /** Socket Mode (no public URL needed) or the Events API over HTTP. */
  mode: "socket" | "http";
  workspaces: SlackWorkspaceConfig[];
  /** The Web API base URL, with its trailing slash. */
  apiUrl: string;
  /** Path on Parley's listener where Slack posts events in http mode. */
  eventsPath: string;
  ghostLocalpart: string;
  aliasLocalpart: string;
  displayName: string;
  spaces: boolean;
  uploadLimitBytes: number;
  /** The app's OAuth client, for `slack link`; absent turns OAuth linking off (`slack login-token` still works). */
  oauth?: OAuthClientConfig;
}


export function readSlackConfig(section: ConfigReader): SlackConfig {
  const mode = section.oneOf("mode", ["socket", "http"] as const, "socket");
  const workspaces = section.sections("workspaces").map((workspace) => {
    const config: SlackWorkspaceConfig = {
      botToken: workspace.requiredString("botToken", "required for every workspace"),
      appToken: mode === "socket"
        ? workspace.requiredString("appToken", "required when slack.mode is socket")
        : workspace.optionalString("appToken"),
      signingSecret: mode === "http"
        ? workspace.requiredString("signingSecret", "required when slack.mode is http")
        : workspace.optionalString("signingSecret"),
    };
    if (config.botToken && !config.botToken.startsWith("xoxb-")) workspace.problems.add(workspace.keyPath("botToken"), "must be a bot token (xoxb-…)");
    if (config.appToken && !config.appToken.startsWith("xapp-")) workspace.problems.add(workspace.keyPath("appToken"), "must be an app-level token (xapp-…)");
    workspace.rejectUnknownKeys();
    return config;
  });
  if (workspaces.length === 0) section.problems.add(section.keyPath("workspaces"), "list at least one workspace when slack.enabled is true");
  const config: SlackConfig = {
    mode,
    workspaces,
    apiUrl: section.url("apiUrl", "https://slack.com/api/").replace(/\/*$/, "/"),
    eventsPath: section.string("eventsPath", "/slack/events"),
    ghostLocalpart: section.template("ghostLocalpart", "slack_{teamId}_{userId}", ["teamId", "userId"]),
    aliasLocalpart: section.template("aliasLocalpart", "slack_{teamId}_{channelId}", ["teamId", "channelId"]),
    displayName: section.string("displayName", "{displayName}"),
    spaces: section.boolean("spaces", true),
    uploadLimitBytes: section.integer("uploadLimitBytes", 100 * 1024 * 1024, { min: 1024 }),
  };
  config.oauth = readOAuthClient(section, "slack link", "Basic Information -> App Credentials", "https://slack.com/oauth/v2/authorize");
  return config;
}
