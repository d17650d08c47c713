// Issue: nothing lost, nothing duplicated. A two-way stream of 500 messages across two
// Discord and two Slack channels while Parley is killed with SIGKILL at 20 random
// points and started again: every message must arrive exactly once, in order per channel.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../../src/config/config.js";
import { NETWORKS } from "../../../src/connectors/index.js";
import { generateRegistration } from "../../../src/matrix/registration.js";
import { DiscordSimulator } from "../../sim/discord/index.js";
import { SlackSimulator } from "../../sim/slack/index.js";
import { startSynapse, type SynapseHandle } from "../../harness/synapse.js";
import type { MatrixUser } from "../../harness/matrix-user.js";
import { ParleyProcess } from "../parley-process.js";
import { freePort, seededRandom } from "../../harness/test-utils.js";

// Smaller runs for debugging: PARLEY_CHAOS_KILLS=3 PARLEY_CHAOS_MESSAGES=10.
const KILLS = Number(process.env.PARLEY_CHAOS_KILLS ?? 20);
const MESSAGES_PER_DIRECTION_PER_CHANNEL = Number(process.env.PARLEY_CHAOS_MESSAGES ?? 63); // 4 channels x 2 directions x 63 = 504

interface Channel {
  name: string;
  roomId: string;
  /** Posts as the remote person, in the remote network. */
  postRemote(text: string): void;
  /** What Matrix users' messages became on the remote side, in order. */
  remoteTexts(): string[];
}

let synapse: SynapseHandle;
let discord: DiscordSimulator;
let slack: SlackSimulator;
let parley: ParleyProcess;
let alice: MatrixUser;
const channels: Channel[] = [];

beforeAll(async () => {
  discord = new DiscordSimulator({ rateLimit: { limit: 1000, windowSeconds: 1 } });
  await discord.start();
  slack = new SlackSimulator();
  await slack.start();
  const guild = discord.createGuild({ name: "Chaos" });
  const dana = discord.createUser({ username: "dana" });
  discord.addMember(guild, dana, {});
  const team = slack.createTeam({ name: "Chaos", domain: "chaos" });
  const erin = slack.createUser(team.id, { name: "erin", real_name: "Erin" });

  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "parley-chaos-"));
  const raw = {
    homeserver: { url: "http://127.0.0.1:1", serverName: "localhost" },
    appservice: { bindAddress: "127.0.0.1", port, publicUrl: `http://127.0.0.1:${port}` },
    database: { engine: "sqlite", path: join(dir, "parley.db") },
    logging: { level: process.env.PARLEY_CHAOS_LOG_LEVEL ?? "info", console: true },
    permissions: { localhost: "admin" },
    discord: { enabled: true, botToken: discord.botToken, apiUrl: discord.apiBaseUrl, cdnUrl: discord.cdnBaseUrl },
    slack: { enabled: true, apiUrl: slack.apiBaseUrl, workspaces: [{ botToken: team.botToken, appToken: team.appToken }] },
  };
  const { config, problems } = readConfig(raw, NETWORKS);
  expect(problems).toEqual([]);
  const registration = generateRegistration(config, NETWORKS, `http://127.0.0.1:${port}`);
  synapse = await startSynapse({ registration: { ...registration } });
  raw.homeserver.url = synapse.baseUrl;
  const files = ParleyProcess.writeFiles(dir, raw, registration);
  parley = new ParleyProcess(files.configPath, files.registrationPath);
  await parley.start();
  alice = await synapse.registerUser("alice", { displayName: "Alice" });

  for (const name of ["alpha", "beta"]) {
    const channelId = discord.createChannel(guild, { name });
    const roomId = await alice.joinRoom(`#discord_${guild}_${channelId}:localhost`);
    channels.push({
      name: `discord #${name}`, roomId,
      postRemote: (text) => { discord.userSendsMessage(channelId, dana, { content: text }); },
      remoteTexts: () => discord.messages(channelId).filter((m) => m.webhook_id !== undefined).map((m) => m.content),
    });
  }
  for (const name of ["gamma", "delta"]) {
    const channel = slack.createChannel(team.id, { name, members: [erin.id] });
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
}, 180_000);

afterAll(async () => {
  await parley?.stop("SIGKILL");
  // Every run's log, for whoever has to find out why a message went missing.
  mkdirSync(".tmp", { recursive: true });
  writeFileSync(".tmp/chaos-parley.log", parley?.output ?? "");
  await synapse?.stop();
  await discord?.stop();
  await slack?.stop();
});

/** Bodies of the messages in a room sent by anyone but alice and the bot, oldest first. */
async function matrixTexts(roomId: string): Promise<string[]> {
  const texts: string[] = [];
  let from: string | undefined;
  for (let page = 0; page < 20; page++) {
    const response = await alice.roomMessagesPage(roomId, { dir: "f", limit: 100, from });
    for (const event of response.chunk) {
      if (event.type === "m.room.message" && event.sender !== alice.userId && event.sender !== "@parley:localhost") {
        texts.push(String(event.content.body));
      }
    }
    if (!response.end || response.chunk.length === 0) break;
    from = response.end;
  }
  return texts;
}

describe("killing Parley mid-stream", () => {
  it(`delivers every message of a two-way stream exactly once, in order, through ${KILLS} SIGKILLs`, async () => {
    const next = seededRandom(Number(process.env.PARLEY_CHAOS_SEED ?? 424242));
    const expectedMatrix = channels.map(() => [] as string[]);
    const expectedRemote = channels.map(() => [] as string[]);
    let stopKilling = false;

    const killer = (async () => {
      for (let kill = 0; kill < KILLS && !stopKilling; kill++) {
        await new Promise((resolve) => setTimeout(resolve, 300 + next() * 1500));
        await parley.stop("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, next() * 500));
        await parley.start();
      }
    })();

    for (let index = 0; index < MESSAGES_PER_DIRECTION_PER_CHANNEL; index++) {
      for (const [c, channel] of channels.entries()) {
        const fromRemote = `${channel.name} remote ${index}`;
        channel.postRemote(fromRemote);
        expectedMatrix[c]?.push(fromRemote);
        const fromMatrix = `${channel.name} matrix ${index}`;
        await alice.sendText(channel.roomId, fromMatrix);
        expectedRemote[c]?.push(fromMatrix);
      }
      await new Promise((resolve) => setTimeout(resolve, 60 + next() * 120));
    }
    await killer;
    stopKilling = true;
    expect(parley.starts).toBeGreaterThanOrEqual(KILLS + 1);

    // Let everything settle, then compare what each side's people see.
    const deadline = Date.now() + 180_000;
    let report = "";
    for (;;) {
      const problems: string[] = [];
      for (const [c, channel] of channels.entries()) {
        const seenMatrix = await matrixTexts(channel.roomId);
        const seenRemote = channel.remoteTexts();
        if (JSON.stringify(seenMatrix) !== JSON.stringify(expectedMatrix[c])) {
          problems.push(`${channel.name} on Matrix: ${describeDifference(expectedMatrix[c] ?? [], seenMatrix)}`);
        }
        if (JSON.stringify(seenRemote) !== JSON.stringify(expectedRemote[c])) {
          problems.push(`${channel.name} on the network: ${describeDifference(expectedRemote[c] ?? [], seenRemote)}`);
        }
      }
      report = problems.join("\n");
      if (problems.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(report).toBe("");
  }, 600_000);
});

function describeDifference(expected: string[], seen: string[]): string {
  const missing = expected.filter((text) => !seen.includes(text));
  const counts = new Map<string, number>();
  for (const text of seen) counts.set(text, (counts.get(text) ?? 0) + 1);
  const duplicated = [...counts].filter(([, count]) => count > 1).map(([text]) => text);
  const unexpected = seen.filter((text) => !expected.includes(text));
  const inOrder = seen.filter((text) => expected.includes(text));
  const orderBroken = inOrder.some((text, index) => index > 0 && expected.indexOf(text) < expected.indexOf(inOrder[index - 1] as string));
  return `${seen.length}/${expected.length} seen; missing ${missing.length} ${JSON.stringify(missing.slice(0, 5))}; ` +
    `duplicated ${duplicated.length} ${JSON.stringify(duplicated.slice(0, 5))}; unexpected ${unexpected.length} ${JSON.stringify(unexpected.slice(0, 3))}; ` +
    `reordered: ${orderBroken}`;
}
