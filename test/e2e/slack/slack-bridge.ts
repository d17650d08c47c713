// The Slack bridge end to end: the Slack simulator (which the unchanged @slack/bolt inside Parley
// connects to), a real Synapse, and Parley itself, with a workspace, a channel, people on both
// sides, and waits that poll what each side's users would see.
import { setTimeout as delay } from "node:timers/promises";
import { solidColorPng } from "../../sim/discord/image.js";
import { SlackSimulator, type SimMessage, type SimTeam, type SlackSimulatorOptions } from "../../sim/slack/index.js";
import type { MatrixEvent, MatrixUser } from "../../harness/matrix-user.js";
import { startParley, type ParleyUnderTest, type StartOptions } from "../parley-harness.js";

export interface SlackBridge {
  sim: SlackSimulator;
  env: ParleyUnderTest;
  team: SimTeam;
  /** A person with a display name, a real name and an avatar the simulator serves. */
  carol: { id: string; name: string };
  /** A person with a real name only. */
  dave: { id: string; name: string };
  /** The channel every test file starts with (Parley's app invited), and the room it became. */
  channelId: string;
  roomId: string;
  /** Matrix users: alice is an ordinary member of the portal; admin opened it and moderates. */
  alice: MatrixUser;
  admin: MatrixUser;
  stop(): Promise<void>;
}

export interface SlackBridgeOptions {
  sim?: SlackSimulatorOptions;
  /** Events over HTTP to Parley's listener instead of Socket Mode. */
  mode?: "socket" | "http";
  /** Extra keys of Parley's `slack` section, or a function of the simulator and its team giving them. */
  slack?: Record<string, unknown> | ((team: SimTeam, sim: SlackSimulator) => Record<string, unknown>);
  /** Extra top-level config sections (linking, say). */
  config?: Record<string, unknown>;
  parley?: StartOptions;
}

export const CAROL_AVATAR = solidColorPng(4, 4, [200, 40, 40]);

export { eventually } from "../../harness/test-utils.js";

export async function startSlackBridge(options: SlackBridgeOptions = {}): Promise<SlackBridge> {
  const sim = new SlackSimulator(options.sim);
  await sim.start();
  const team = sim.createTeam({ name: "Acme", domain: "acme", icon: undefined });
  const carol = sim.createUser(team.id, { name: "carol", real_name: "Carol Jones", display_name: "carol.j", avatar: { bytes: CAROL_AVATAR, mimetype: "image/png" } });
  const dave = sim.createUser(team.id, { name: "dave", real_name: "Dave Smith" });
  const mode = options.mode ?? "socket";
  const env = await startParley({
    ...options.config,
    slack: {
      enabled: true,
      mode,
      apiUrl: sim.apiBaseUrl,
      workspaces: [mode === "socket" ? { botToken: team.botToken, appToken: team.appToken } : { botToken: team.botToken, signingSecret: team.signingSecret }],
      ...(typeof options.slack === "function" ? options.slack(team, sim) : options.slack),
    },
  }, options.parley);
  if (mode === "http") sim.setRequestUrl(team.id, `${env.parleyUrl}/slack/events`);
  else await sim.waitForConnected(team.id);
  const channel = sim.createChannel(team.id, { name: "general", topic: "Company-wide chatter", members: [carol.id, dave.id] });
  sim.inviteBot(channel.id, { by: carol.id });
  const admin = await env.synapse.registerUser("admin", { displayName: "Admin" });
  const alice = await env.synapse.registerUser("alice", { displayName: "Alice" });
  const roomId = await admin.joinRoom(aliasOf(team.id, channel.id));
  await alice.joinRoom(roomId);
  return {
    sim, env, team, carol, dave, channelId: channel.id, roomId, alice, admin,
    async stop() {
      await env.stop();
      await sim.stop();
    },
  };
}

export function aliasOf(teamId: string, channelId: string): string {
  return `#slack_${teamId}_${channelId}:localhost`.toLowerCase();
}

export function ghostOf(teamId: string, slackUserId: string): string {
  return `@slack_${teamId}_${slackUserId}:localhost`.toLowerCase();
}

/** Polls the simulator until something a Slack user would see satisfies `find`. */
export async function waitForSlack<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`Slack never showed ${what}`);
    await delay(50);
  }
}

/** The newest channel message (or thread reply) whose text satisfies `match`. */
export function slackMessageWith(sim: SlackSimulator, channelId: string, match: (message: SimMessage) => boolean, threadTs?: string): SimMessage | undefined {
  const messages = threadTs ? sim.replies(channelId, threadTs) : sim.messages(channelId);
  return [...messages].reverse().find(match);
}

/** A Matrix message event whose body satisfies `match`. */
export const messageWhere = (match: (content: Record<string, unknown>, event: MatrixEvent) => boolean) => (event: MatrixEvent) =>
  event.type === "m.room.message" && match(event.content, event);


/** Waits a moment for anything that would wrongly arrive (an echo, a duplicate) to show up. */
export function settle(ms = 1500): Promise<void> {
  return delay(ms);
}
