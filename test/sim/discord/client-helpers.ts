import { Client, DiscordAPIError, Events, type ClientEvents, type GatewayIntentBits } from "discord.js";
import type { DiscordSimulator } from "./index.js";

/** Resolves with the arguments of the next `event` that passes `accept`. */
export function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  accept: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[K]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener as never);
      resolve(args);
    };
    const timer = setTimeout(() => {
      client.off(event, listener as never);
      reject(new Error(`No ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.on(event, listener as never);
  });
}

/** A discord.js client logged in to the simulator and past its ready event. */
export async function connectClient(sim: DiscordSimulator, intents: GatewayIntentBits[]): Promise<Client> {
  const client = new Client({ intents, rest: { api: sim.apiBaseUrl, cdn: sim.cdnBaseUrl } });
  const ready = nextEvent(client, Events.ClientReady);
  await client.login(sim.botToken);
  await ready;
  return client;
}

/** The DiscordAPIError a discord.js call fails with (and a test failure if it succeeds). */
export async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof DiscordAPIError)) throw new Error(`Expected a DiscordAPIError, got ${String(error)}`);
  return error;
}
