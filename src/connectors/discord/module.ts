import type { NetworkModule } from "../../core/network-module.js";
import { templateToRegex } from "../../core/network-module.js";
import { readDiscordConfig, type DiscordConfig } from "./config.js";

export const discordModule: NetworkModule<DiscordConfig> = {
  name: "discord",
  readConfig: readDiscordConfig,
  namespaces: (config) => ({
    users: [templateToRegex(config.ghostLocalpart)],
    aliases: [templateToRegex(config.aliasLocalpart)],
  }),
  create: () => {
    throw new Error("The Discord connector is not part of this build yet");
  },
};
