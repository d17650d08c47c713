import type { NetworkModule } from "../core/network-module.js";
import { discordModule } from "./discord/module.js";
import { slackModule } from "./slack/module.js";

/** Every network Parley can bridge; the core finds them here and nowhere else. */
export const NETWORKS: readonly NetworkModule[] = [discordModule as NetworkModule, slackModule as NetworkModule];
