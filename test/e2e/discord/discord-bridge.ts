// The Discord bridge end to end: the Discord simulator (which the unchanged discord.js inside
// Parley connects to), a real Synapse, and Parley itself, with a guild, a channel, people on
// both sides, and waits that poll what each side's users would see.
import { setTimeout as delay } from "node:timers/promises";
import { DiscordSimulator, solidColorPng, type DiscordSimulatorOptions, type InspectedMessage } from "../../sim/discord/index.js";
import type { MatrixEvent, MatrixUser } from "../../harness/matrix-user.js";
import { startParley, type ParleyUnderTest, type StartOptions } from "../parley-harness.js";

export interface DiscordBridge {
  sim: DiscordSimulator;
  env: ParleyUnderTest;
  guildId: string;
  /** The channel every test file starts with, and the room it is bridged to. */
  channelId: string;
  roomId: string;
  /** A Discord member with a nick, a global name and an avatar. */
  bob: string;
  /** Matrix users with the portal's default power level. */
  alice: MatrixUser;
  admin: MatrixUser;
  stop(): Promise<void>;
}

export interface DiscordBridgeOptions {
  sim?: DiscordSimulatorOptions;
  /** Extra keys of Parley's `discord` config section, given the simulator and the first guild's id. */
  discord?: (guildId: string, sim: DiscordSimulator) => Record<string, unknown>;
  /** Extra top-level config sections (linking, say). */
  config?: Record<string, unknown>;
  parley?: StartOptions;
}

export const BOB_AVATAR = solidColorPng(64, 64, [200, 30, 30]);

export { eventually } from "../../harness/test-utils.js";

export async function startDiscordBridge(options: DiscordBridgeOptions = {}): Promise<DiscordBridge> {
  const sim = new DiscordSimulator({ rateLimit: { limit: 1000, windowSeconds: 1 }, ...options.sim });
  await sim.start();
  const guildId = sim.createGuild({ name: "Test Server", icon: solidColorPng(32, 32, [10, 120, 200]) });
  const channelId = sim.createChannel(guildId, { name: "general", topic: "Talk about anything" });
  const bob = sim.createUser({ username: "bob", global_name: "Bobby", avatar: BOB_AVATAR });
  sim.addMember(guildId, bob, { nick: "Bob the Builder" });
  const env = await startParley({
    ...options.config,
    discord: {
      enabled: true,
      botToken: sim.botToken,
      apiUrl: sim.apiBaseUrl,
      cdnUrl: sim.cdnBaseUrl,
      ...options.discord?.(guildId, sim),
    },
  }, options.parley);
  const admin = await env.synapse.registerUser("admin", { displayName: "Admin" });
  const alice = await env.synapse.registerUser("alice", { displayName: "Alice" });
  const roomId = await openPortal(admin, guildId, channelId);
  await alice.joinRoom(roomId);
  return {
    sim, env, guildId, channelId, roomId, bob, alice, admin,
    async stop() {
      await env.stop();
      await sim.stop();
    },
  };
}

/** Joins a channel's alias, which makes Parley open its portal, and returns the room. */
export async function openPortal(user: MatrixUser, guildId: string, channelId: string): Promise<string> {
  return user.joinRoom(`#discord_${guildId}_${channelId}:localhost`);
}

export function ghostOf(discordUserId: string): string {
  return `@discord_${discordUserId}:localhost`;
}

/** The channel's messages, none while it does not exist (yet: a thread Parley is about to start). */
function messagesIn(sim: DiscordSimulator, channelId: string): InspectedMessage[] {
  try {
    return sim.messages(channelId);
  } catch {
    return [];
  }
}

/** Polls the simulator until a message in the channel satisfies `predicate`. */
export async function waitForDiscord(
  sim: DiscordSimulator,
  channelId: string,
  predicate: (message: InspectedMessage) => boolean,
  timeoutMs = 10_000,
): Promise<InspectedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = messagesIn(sim, channelId).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = messagesIn(sim, channelId).slice(-10).map((message) => `${message.author.username}: ${JSON.stringify(message.content)}`);
      throw new Error(`No matching Discord message in ${channelId} within ${timeoutMs} ms. Latest:\n  ${seen.join("\n  ")}`);
    }
    await delay(100);
  }
}


/** A message event whose body is exactly `body`. */
export const withBody = (body: string) => (event: MatrixEvent) => event.type === "m.room.message" && event.content.body === body;

/** Matrix events in the room after the one given, oldest first. */
export async function eventsAfter(user: MatrixUser, roomId: string, eventId: string): Promise<MatrixEvent[]> {
  const events = await user.roomMessages(roomId, { limit: 100, dir: "b" });
  const index = events.findIndex((event) => event.event_id === eventId);
  return events.slice(0, index < 0 ? events.length : index).reverse();
}
