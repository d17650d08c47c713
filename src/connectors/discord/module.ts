import type { NetworkModule } from "../../core/network-module.js";
import { templateToRegex } from "../../core/network-module.js";
import { readDiscordConfig, type DiscordConfig } from "./config.js";
import { DiscordConnector } from "./index.js";

export const discordModule: NetworkModule<DiscordConfig> = {
  name: "discord",
  readConfig: readDiscordConfig,
  namespaces: (config) => ({
    users: [templateToRegex(config.ghostLocalpart)],
    aliases: [templateToRegex(config.aliasLocalpart)],
  }),
  create: (config, context) => new DiscordConnector(config, context),
};
