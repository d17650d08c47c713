/**
 * The connection to Discord: the discord.js client (gateway and REST, pointed at the
 * configured API and CDN), its raw dispatches handed on, and the connection's ups and
 * downs. discord.js resumes a dropped gateway session by itself, and Discord replays what
 * was missed; Parley reports the drop to the core, and tells the bridged rooms when Discord
 * stays unreachable for longer than the configured time.
 */
import type { EventEmitter } from "node:events";
import { Client, Events, GatewayIntentBits, REST, type ClientOptions, type GatewayDispatchPayload } from "discord.js";
import type { Logger } from "winston";
import type { ConnectorHost } from "../../core/connector.js";
import type { DiscordConfig } from "./config.js";

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessageTyping,
  GatewayIntentBits.GuildExpressions,
];
const READY_TIMEOUT_MS = 60_000;

type RestRequester = NonNullable<ClientOptions["rest"]>["makeRequest"];

/**
 * REST goes through Node's own fetch: discord.js's default (its bundled undici) refuses the
 * FormData of file uploads once another undici is loaded in the process ("body must be a
 * FormData created by this undici package instance"), which is the case inside Parley.
 */
export function createDiscordClient(config: Pick<DiscordConfig, "apiUrl" | "cdnUrl">): Client {
  return new Client({ intents: INTENTS, rest: { api: config.apiUrl, cdn: config.cdnUrl, makeRequest: fetch as unknown as RestRequester } });
}

/**
 * REST for executing webhooks, which discord.js would retry on a 5xx or a timeout by
 * itself: but those can come after Discord posted, and a webhook post takes no nonce. The
 * core's retries look for the post in the channel before posting again. No token: a
 * webhook's URL is its credential.
 */
export function createWebhookRest(config: Pick<DiscordConfig, "apiUrl" | "cdnUrl">): REST {
  return new REST({ api: config.apiUrl, cdn: config.cdnUrl, makeRequest: fetch as unknown as RestRequester, retries: 0 });
}

/** Logs in and resolves once the gateway is ready; dispatches go to `onDispatch` from then on. */
export async function connect(client: Client, token: string, onDispatch: (packet: GatewayDispatchPayload) => void): Promise<void> {
  (client as unknown as EventEmitter).on(Events.Raw, onDispatch);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Discord's gateway did not get ready in time")), READY_TIMEOUT_MS);
    client.once(Events.ClientReady, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await client.login(token);
  await ready;
}

/**
 * Closes the connection for good. @discordjs/ws reconnects 500 ms after a drop, and a
 * destroy within that window finds the shard idle, skips it and forgets it, so the shard
 * connects anyway, unowned. The shards are taken before the destroy, and one that comes
 * back (anything it receives says so) is destroyed then, when that works. discord.js no
 * longer handles what such a shard receives: its handlers would read a session the
 * destroy has cleared (a RESUMED then throws inside discord.js).
 */
export async function disconnect(client: Client): Promise<void> {
  const manager = shardManager(client);
  const shards = [...(manager?.strategy?.shards?.values() ?? [])];
  manager?.removeAllListeners(SHARD_DISPATCH);
  manager?.on(SHARD_DISPATCH, () => {
    for (const shard of shards) void shard.destroy({ code: 1000, reason: "Parley stopped" });
  });
  await client.destroy();
}

/** @discordjs/ws's event for a received dispatch. */
const SHARD_DISPATCH = "dispatch";

interface GatewayShard {
  destroy(options: { code: number; reason: string }): Promise<void>;
}

interface ShardManager extends Pick<EventEmitter, "on" | "removeAllListeners"> {
  strategy?: { shards?: Map<number, GatewayShard> };
}

/** discord.js's own @discordjs/ws manager: not public, hence read defensively. */
function shardManager(client: Client): ShardManager | undefined {
  return (client.ws as unknown as { _ws?: ShardManager })._ws;
}

/**
 * Follows the gateway connection: down when discord.js starts reconnecting, up again when
 * the session resumes (or a new one is ready). Rooms hear about an outage only once it has
 * lasted `outageNoticeSeconds`, and then also when it ends.
 */
export class ConnectionWatch {
  private up = true;
  private outageTimer: NodeJS.Timeout | undefined;
  private roomsTold = false;
  private stopped = false;

  constructor(
    private readonly host: () => ConnectorHost,
    private readonly outageNoticeSeconds: number,
    private readonly log: Logger,
  ) {}

  attach(client: Client): void {
    client.on(Events.ShardReconnecting, () => this.down("the Discord gateway connection dropped; reconnecting"));
    client.on(Events.ShardDisconnect, (event) => this.down(`the Discord gateway closed the connection (code ${event.code})`));
    client.on(Events.ShardError, (error) => this.log.warn("Discord gateway error", { error: error.message }));
    client.on(Events.ShardResume, () => this.restored());
    client.on(Events.ShardReady, () => this.restored());
  }

  /** Parley is closing the connection itself: that is no outage. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.outageTimer);
  }

  private down(reason: string): void {
    if (!this.up || this.stopped) return;
    this.up = false;
    this.log.warn("Discord is unreachable", { reason });
    this.host().setConnected(false, reason);
    this.outageTimer = setTimeout(() => {
      this.roomsTold = true;
      void this.tellRooms(`⚠️ Discord has been unreachable for a while; messages from there will arrive once it is back.`);
    }, this.outageNoticeSeconds * 1000);
  }

  private restored(): void {
    if (this.up) return;
    this.up = true;
    clearTimeout(this.outageTimer);
    this.log.info("Discord is reachable again");
    this.host().setConnected(true);
    if (this.roomsTold) {
      this.roomsTold = false;
      void this.tellRooms("Discord is reachable again.");
    }
  }

  private async tellRooms(text: string): Promise<void> {
    try {
      for (const chat of await this.host().bridgedChats()) await this.host().notify(chat, text);
    } catch (error) {
      this.log.warn("Could not tell the bridged rooms about Discord's connection", { error: (error as Error).message });
    }
  }
}
