import type { NetworkModule } from "../../core/network-module.js";
import { templateToRegex } from "../../core/network-module.js";
import { readSlackConfig, type SlackConfig } from "./config.js";

export const slackModule: NetworkModule<SlackConfig> = {
  name: "slack",
  readConfig: readSlackConfig,
  namespaces: (config) => ({
    users: [templateToRegex(config.ghostLocalpart)],
    aliases: [templateToRegex(config.aliasLocalpart)],
  }),
  create: () => {
    throw new Error("The Slack connector is not part of this build yet");
  },
};
