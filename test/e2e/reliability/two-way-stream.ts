// A two-way stream of messages through two Discord and two Slack channels, with Parley
// as a separate process, for the reliability tests: they disturb the stream (kill
// Parley, restart Synapse, drop connections, answer 429s) and then compare what each
// side's people see with what was said.
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../../src/config/config.js";
import { NETWORKS } from "../../../src/connectors/index.js";
import { generateRegistration } from "../../../src/matrix/registration.js";
import { DiscordSimulator } from "../../sim/discord/index.js";
import { SlackSimulator } from "../../sim/slack/index.js";
import { startSynapse, type SynapseHandle } from "../../harness/synapse.js";
import type { MatrixUser } from "../../harness/matrix-user.js";
import { freePort, seededRandom } from "../../harness/test-utils.js";
import { ParleyProcess, type ParleyBuild } from "../parley-process.js";

export interface StreamChannel {
  name: string;
  roomId: string;
  /** Posts as the remote person, on the network. */
  postRemote(text: string): void;
  /** What Matrix users' messages became on the network, in order. */
  remoteTexts(): string[];
}

export interface StreamWorld {
  synapse: SynapseHandle;
  discord: DiscordSimulator;
  slack: SlackSimulator;
  slackTeamId: string;
  /** The people posting on each network, and the raw ids of the bridged channels (Discord's first). */
  discordGuildId: string;
  discordPerson: string;
  slackPerson: string;
  remoteChannelIds: string[];
  /** Parley's SQLite file. */
  databasePath: string;
  parley: ParleyProcess;
  alice: MatrixUser;
  channels: StreamChannel[];
  random: () => number;
  stop(logName: string): Promise<void>;
}

export async function startStreamWorld(build: ParleyBuild = "sources"): Promise<StreamWorld> {
  const discord = new DiscordSimulator({ rateLimit: { limit: 1000, windowSeconds: 1 } });
  await discord.start();
  const slack = new SlackSimulator();
  await slack.start();
  const guild = discord.createGuild({ name: "Stream" });
  const dana = discord.createUser({ username: "dana" });
  discord.addMember(guild, dana, {});
  const team = slack.createTeam({ name: "Stream", domain: "stream" });
  const erin = slack.createUser(team.id, { name: "erin", real_name: "Erin" });

  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "parley-stream-"));
  const raw = {
    homeserver: { url: "http://127.0.0.1:1", serverName: "localhost" },
    appservice: { bindAddress: "127.0.0.1", port, publicUrl: `http://127.0.0.1:${port}` },
    database: { engine: "sqlite", path: join(dir, "parley.db") },
    logging: { level: process.env.PARLEY_STREAM_LOG_LEVEL ?? "info", console: true },
    permissions: { localhost: "admin" },
    discord: { enabled: true, botToken: discord.botToken, apiUrl: discord.apiBaseUrl, cdnUrl: discord.cdnBaseUrl },
    slack: { enabled: true, apiUrl: slack.apiBaseUrl, workspaces: [{ botToken: team.botToken, appToken: team.appToken }] },
  };
  const { config, problems } = readConfig(raw, NETWORKS);
  if (problems.length > 0) throw new Error(problems.join("; "));
  const registration = generateRegistration(config, NETWORKS, `http://127.0.0.1:${port}`);
  const synapse = await startSynapse({ registration: { ...registration } });
  raw.homeserver.url = synapse.baseUrl;
  const files = ParleyProcess.writeFiles(dir, raw, registration);
  const parley = new ParleyProcess(files.configPath, files.registrationPath, build);
  await parley.start();
  const alice = await synapse.registerUser("alice", { displayName: "Alice" });

  const channels: StreamChannel[] = [];
  const remoteChannelIds: string[] = [];
  for (const name of ["alpha", "beta"]) {
    const channelId = discord.createChannel(guild, { name });
    remoteChannelIds.push(channelId);
    const roomId = await alice.joinRoom(`#discord_${guild}_${channelId}:localhost`);
    channels.push({
      name: `discord #${name}`, roomId,
      postRemote: (text) => { discord.userSendsMessage(channelId, dana, { content: text }); },
      remoteTexts: () => discord.messages(channelId).filter((m) => m.webhook_id !== undefined).map((m) => m.content),
    });
  }
  for (const name of ["gamma", "delta"]) {
    const channel = slack.createChannel(team.id, { name, members: [erin.id] });
    remoteChannelIds.push(channel.id);
    slack.inviteBot(channel.id, { by: erin.id });
    const roomId = await alice.joinRoom(`#slack_${team.id}_${channel.id}:localhost`.toLowerCase());
    channels.push({
      name: `slack #${name}`, roomId,
      postRemote: (text) => { slack.userPosts(channel.id, erin.id, { text }); },
      remoteTexts: () => slack.messages(channel.id)
        .filter((m) => (m.subtype === undefined || m.subtype === "bot_message") && (m.user === undefined || m.user === team.botUserId))
        .map((m) => m.text ?? ""),
    });
  }
  return {
    synapse, discord, slack, slackTeamId: team.id, parley, alice, channels,
    discordGuildId: guild, discordPerson: dana, slackPerson: erin.id, remoteChannelIds, databasePath: raw.database.path,
    random: seededRandom(Number(process.env.PARLEY_STREAM_SEED ?? 424242)),
    async stop(logName: string) {
      await parley.stop("SIGKILL");
      // Every run's log, for whoever has to find out why a message went missing.
      mkdirSync(".tmp", { recursive: true });
      writeFileSync(`.tmp/${logName}.log`, parley.output);
      copyFileSync(synapse.logPath, `.tmp/${logName}-synapse.log`);
      await synapse.stop();
      await discord.stop();
      await slack.stop();
    },
  };
}

export interface StreamExpectation {
  /** Per channel: what the network's person said, as Matrix should show it. */
  matrix: string[][];
  /** Per channel: what Alice said on Matrix, as the network should show it. */
  remote: string[][];
}

/** Sends `perChannel` messages each way in every channel, interleaved, at a lively pace. */
export async function sendStream(world: StreamWorld, perChannel: number, label = ""): Promise<StreamExpectation> {
  const expected: StreamExpectation = { matrix: world.channels.map(() => []), remote: world.channels.map(() => []) };
  for (let index = 0; index < perChannel; index++) {
    for (const [c, channel] of world.channels.entries()) {
      const fromRemote = `${channel.name} remote ${label}${index}`;
      channel.postRemote(fromRemote);
      expected.matrix[c]?.push(fromRemote);
      const fromMatrix = `${channel.name} matrix ${label}${index}`;
      await sendRetrying(world.alice, channel.roomId, fromMatrix);
      expected.remote[c]?.push(fromMatrix);
    }
    await new Promise((resolve) => setTimeout(resolve, 60 + world.random() * 120));
  }
  return expected;
}

/**
 * Alice's client retries while her homeserver is down, as Matrix clients do: with the same
 * transaction id, so a send that reached the homeserver just before it went down is not
 * posted twice (the homeserver keeps a device's transaction ids across its restarts).
 */
async function sendRetrying(alice: MatrixUser, roomId: string, body: string): Promise<void> {
  const txnId = `stream-${randomUUID()}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body }, txnId);
      return;
    } catch (error) {
      if (attempt > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Bodies of the messages in a room from anyone but Alice and the bot, oldest first. */
async function matrixTexts(world: StreamWorld, roomId: string): Promise<string[]> {
  const texts: string[] = [];
  let from: string | undefined;
  for (let page = 0; page < 50; page++) {
    const response = await world.alice.roomMessagesPage(roomId, { dir: "f", limit: 100, from });
    for (const event of response.chunk) {
      if (event.type === "m.room.message" && event.sender !== world.alice.userId && event.sender !== "@parley:localhost") {
        texts.push(String(event.content.body));
      }
    }
    if (!response.end || response.chunk.length === 0) break;
    from = response.end;
  }
  return texts;
}

/**
 * Waits until both sides show exactly what was said, in order, or the time runs out;
 * returns what is still wrong (empty when nothing is): missing, duplicated, reordered.
 */
export async function differences(
  world: StreamWorld,
  expected: StreamExpectation,
  timeoutMs = 180_000,
  only?: readonly number[],
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems: string[] = [];
    for (const [c, channel] of world.channels.entries()) {
      if (only && !only.includes(c)) continue;
      const seenMatrix = await matrixTexts(world, channel.roomId).catch(() => [] as string[]);
      const seenRemote = channel.remoteTexts();
      if (JSON.stringify(seenMatrix) !== JSON.stringify(expected.matrix[c])) {
        problems.push(`${channel.name} on Matrix: ${describeDifference(expected.matrix[c] ?? [], seenMatrix)}`);
      }
      if (JSON.stringify(seenRemote) !== JSON.stringify(expected.remote[c])) {
        problems.push(`${channel.name} on the network: ${describeDifference(expected.remote[c] ?? [], seenRemote)}`);
      }
    }
    if (problems.length === 0 || Date.now() > deadline) return problems.join("\n");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function describeDifference(expected: string[], seen: string[]): string {
  const missing = expected.filter((text) => !seen.includes(text));
  const counts = new Map<string, number>();
  for (const text of seen) counts.set(text, (counts.get(text) ?? 0) + 1);
  const duplicated = [...counts].filter(([, count]) => count > 1).map(([text]) => text);
  const unexpected = seen.filter((text) => !expected.includes(text));
  const inOrder = seen.filter((text) => expected.includes(text));
  const outOfPlace = inOrder.findIndex((text, index) => index > 0 && expected.indexOf(text) < expected.indexOf(inOrder[index - 1] as string));
  // Which messages swapped, to match against Parley's log.
  const reordered = outOfPlace < 0 ? "no" : `after ${JSON.stringify(inOrder.slice(Math.max(0, outOfPlace - 2), outOfPlace + 2))}`;
  return `${seen.length}/${expected.length} seen; missing ${missing.length} ${JSON.stringify(missing.slice(0, 5))}; ` +
    `duplicated ${duplicated.length} ${JSON.stringify(duplicated.slice(0, 5))}; unexpected ${unexpected.length} ${JSON.stringify(unexpected.slice(0, 3))}; ` +
    `reordered: ${reordered}`;
}
