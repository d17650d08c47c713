import { createHash } from "node:crypto";
import type { Logger } from "winston";
import type { ParleyConfig } from "./config/config.js";
import { Core } from "./core/core.js";
import type { NetworkModule } from "./core/network-module.js";
import { HttpServer } from "./http/server.js";
import { createLogger, registerSecret } from "./logging.js";
import { addAppserviceRoutes } from "./matrix/appservice-routes.js";
import { BridgeMatrixApi } from "./matrix/bridge-matrix-api.js";
import { SignedMediaLinks, addMediaRoutes } from "./matrix/media-links.js";
import { loadRegistration, type RegistrationFile } from "./matrix/registration.js";
import { DoublePuppetClient } from "./matrix/double-puppet.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";
import { PARLEY_VERSION } from "./version.js";
import { setBotProfile, waitForHomeserver } from "./matrix/startup-checks.js";
import { SecretBox } from "./core/secret-box.js";
import { addOAuthRoutes } from "./http/oauth-routes.js";

export interface RunningParley {
  /** The port the appservice listener took (useful when the config said 0). */
  port: number;
  core: Core;
  store: Store;
  log: Logger;
  stop(): Promise<void>;
}

/** Every string under a key that looks like a credential, so the logger can mask it. */
function registerConfigSecrets(value: unknown, key = ""): void {
  if (typeof value === "string" && /token|secret|password|key/i.test(key)) registerSecret(value);
  else if (value instanceof Map) value.forEach((item, name) => registerConfigSecrets(item, String(name)));
  else if (Array.isArray(value)) value.forEach((item) => registerConfigSecrets(item, key));
  else if (value !== null && typeof value === "object") {
    for (const [name, item] of Object.entries(value)) registerConfigSecrets(item, name);
  }
}

/**
 * Starts Parley: the store, the appservice listener, the homeserver checks, the bot's
 * profile and every enabled network. Used by the command line and by end-to-end tests.
 */
export async function start(
  config: ParleyConfig,
  registration: RegistrationFile,
  networks: readonly NetworkModule[],
  logger?: Logger,
): Promise<RunningParley> {
  const log = logger ?? createLogger(config.logging);
  registerSecret(registration.as_token);
  registerSecret(registration.hs_token);
  registerConfigSecrets(config.networks);
  registerConfigSecrets(config.database);

  const store = await openStore(config.database);
  const doublePuppet = config.linking.doublePuppetRegistration
    ? loadRegistration(config.linking.doublePuppetRegistration)
    : undefined;
  registerSecret(doublePuppet?.as_token);
  const matrix = new BridgeMatrixApi(config.homeserver.serverName, config.homeserver.url, registration, log,
    doublePuppet && new DoublePuppetClient(config.homeserver.url, doublePuppet.as_token));
  const http = new HttpServer(log.child({ module: "http" }));
  const mediaKey = createHash("sha256").update(`parley media links\u0000${registration.as_token}`).digest();
  const mediaLinks = new SignedMediaLinks(config.appservice.publicUrl, mediaKey);

  const connectors = networks
    .filter((network) => config.networks.has(network.name))
    .map((network) => network.create(config.networks.get(network.name), {
      log: log.child({ module: network.name }),
      serverName: config.homeserver.serverName,
      publicUrl: config.appservice.publicUrl,
      http,
    }));
  if (config.linking.encryptionKey) registerSecret(config.linking.encryptionKey);
  const core = new Core({
    matrix, store, connectors, mediaLinks, log,
    permissions: config.permissions,
    commandPrefix: config.bot.commandPrefix,
    publicUrl: config.appservice.publicUrl,
    secretBox: config.linking.encryptionKey ? SecretBox.fromBase64(config.linking.encryptionKey) : undefined,
    linkTtlMs: config.linking.linkTtlSeconds * 1000,
  });

  addAppserviceRoutes(http, registration.hs_token, {
    onEvents: (events, txnId) => core.acceptTransaction(events, txnId),
    onEphemeral: (events) => core.onEphemeral(events),
    onUserQuery: (userId) => core.bridging.onUserQuery(userId),
    onAliasQuery: (alias) => core.bridging.onAliasQuery(alias),
  }, log.child({ module: "appservice" }));
  addMediaRoutes(http, mediaLinks, matrix, log.child({ module: "media" }));
  addOAuthRoutes(http, core.accounts, (network) => core.bridging.connector(network), log.child({ module: "oauth" }));

  try {
    await matrix.initialise();
    const port = await http.listen(config.appservice.port, config.appservice.bindAddress);
    const versions = await waitForHomeserver(matrix, config.homeserver.url, log);
    await setBotProfile(matrix, store, config.bot, log);
    await core.start();
    const ping = await matrix.ping().catch((error: unknown) => ({ unsupported: (error as Error).message }));
    if ("unsupported" in ping) log.warn("The homeserver could not reach Parley's listener through the appservice ping", { detail: ping.unsupported });
    log.info(
      `Parley ${PARLEY_VERSION} is ready: listening on ${config.appservice.bindAddress}:${port}, homeserver ${config.homeserver.url} ` +
        `(Matrix ${versions.at(-1) ?? "unknown"}), bot ${matrix.botUserId}, networks: ${connectors.map((c) => c.displayName).join(", ") || "none enabled"}`,
    );
    return {
      port, core, store, log,
      async stop() {
        log.info("Parley is stopping");
        await http.close();
        await core.stop();
        await matrix.close();
        await store.close();
        log.info("Parley stopped");
      },
    };
  } catch (error) {
    await http.close();
    await core.stop().catch(() => undefined);
    await matrix.close();
    await store.close();
    throw error;
  }
}
