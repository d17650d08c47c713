import type { NetworkModule } from "../../core/network-module.js";
import { templateToRegex } from "../../core/network-module.js";
import { readSlackConfig, type SlackConfig } from "./config.js";
import { SlackConnector } from "./index.js";

export const slackModule: NetworkModule<SlackConfig> = {
  name: "slack",
  readConfig: readSlackConfig,
  namespaces: (config) => ({
    users: [templateToRegex(config.ghostLocalpart)],
    aliases: [templateToRegex(config.aliasLocalpart)],
  }),
  create: (config, context) => new SlackConnector(config, context),
};
