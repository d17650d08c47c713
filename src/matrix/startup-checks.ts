import type { Logger } from "winston";
import type { BotConfig } from "../config/config.js";
import type { MatrixApi } from "../core/matrix-api.js";
import type { Store } from "../store/store.js";

const HOMESERVER_ATTEMPTS = 10;

/** Waits until the homeserver answers, saying plainly what is wrong if it never does. */
export async function waitForHomeserver(matrix: MatrixApi, url: string, log: Logger): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await matrix.versions();
    } catch (error) {
      if (attempt >= HOMESERVER_ATTEMPTS) {
        throw new Error(`The homeserver at ${url} is not answering (${(error as Error).message}). Check homeserver.url.`);
      }
      log.warn(`The homeserver is not answering yet; trying again (${attempt}/${HOMESERVER_ATTEMPTS})`, { url });
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 5000)));
    }
  }
}

const PROFILE_SCOPE = "core:bot-profile";

/**
 * Registers the bot if needed and sets its name and avatar. An avatar given as an
 * http(s) URL is uploaded once and remembered; the same URL is not uploaded again.
 */
export async function setBotProfile(matrix: MatrixApi, store: Store, bot: BotConfig, log: Logger): Promise<void> {
  let avatarMxc: string | undefined;
  if (bot.avatar?.startsWith("mxc://")) avatarMxc = bot.avatar;
  else if (bot.avatar) avatarMxc = (await store.getState(PROFILE_SCOPE, bot.avatar)) ?? (await uploadAvatar(matrix, store, bot.avatar, log));
  try {
    await matrix.ensureUser(matrix.botUserId, { displayName: bot.displayName, avatarMxc });
  } catch (error) {
    throw new Error(
      `The bot user ${matrix.botUserId} does not work: ${(error as Error).message}. ` +
        "Is the registration file loaded by the homeserver (app_service_config_files) and are its tokens the same?",
    );
  }
}

async function uploadAvatar(matrix: MatrixApi, store: Store, url: string, log: Logger): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const mxc = await matrix.upload(Buffer.from(await response.arrayBuffer()), response.headers.get("content-type") ?? "image/png", "avatar");
    await store.setState(PROFILE_SCOPE, url, mxc);
    return mxc;
  } catch (error) {
    log.warn("Could not fetch bot.avatar; the bot keeps its current avatar", { url, error: (error as Error).message });
    return undefined;
  }
}
