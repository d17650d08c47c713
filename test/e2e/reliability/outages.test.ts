// Nothing lost, nothing duplicated, through the outages a bridge meets: Synapse
// restarting (and its transaction ids starting over), the homeserver down for a while,
// Discord's gateway dropping and its REST answering 5xx and 429 storms, Slack's socket
// dropping and its Web API rate limiting. A two-way stream runs through each, and both
// sides must end up showing every message exactly once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differences, sendStream, startStreamWorld, type StreamExpectation, type StreamWorld } from "./two-way-stream.js";

const PER_CHANNEL = Number(process.env.PARLEY_OUTAGE_MESSAGES ?? 15);

let world: StreamWorld;
const said: StreamExpectation = { matrix: [], remote: [] };

/** Runs a stream while `disturb` works on the world, then checks everything said so far. */
async function streamThrough(label: string, disturb: () => Promise<void>): Promise<void> {
  const disturbance = disturb();
  const expected = await sendStream(world, PER_CHANNEL, `${label} `);
  await disturbance;
  expected.matrix.forEach((texts, c) => (said.matrix[c] ??= []).push(...texts));
  expected.remote.forEach((texts, c) => (said.remote[c] ??= []).push(...texts));
  expect(await differences(world, said)).toBe("");
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  world = await startStreamWorld();
}, 180_000);

afterAll(async () => {
  await world?.stop("outages-parley");
});

describe("a two-way stream through outages", () => {
  it("survives Synapse restarting twice mid-stream", async () => {
    await streamThrough("synapse-restart", async () => {
      await pause(1500);
      await world.synapse.restart();
      await pause(1500);
      await world.synapse.restart();
    });
  }, 300_000);

  it("waits out the homeserver being down for a while", async () => {
    await streamThrough("homeserver-down", async () => {
      await pause(1000);
      await world.synapse.restart(8000);
    });
  }, 300_000);

  it("resumes after Discord's gateway drops, and rides out 5xx and 429 storms on its REST API", async () => {
    await streamThrough("discord-storms", async () => {
      await pause(500);
      world.discord.dropGateway(4000);
      world.discord.failNext(6, { status: 502 });
      await pause(1500);
      world.discord.failNext(8, { status: 429, retryAfter: 0.5 });
      // 4009: the session timed out; discord.js starts a new one, so missed events come back by catching up.
      world.discord.dropGateway(4009);
      await pause(1500);
      world.discord.failNext(5, { status: 503 });
    });
  }, 300_000);

  it("reconnects after Slack's socket drops, and honours Retry-After on 429s", async () => {
    await streamThrough("slack-storms", async () => {
      await pause(500);
      world.slack.dropSocket(world.slackTeamId);
      world.slack.failNext("chat.postMessage", 5, { retryAfter: 1 });
      await pause(2000);
      world.slack.failNext("chat.postMessage", 3, { status: 503 });
      world.slack.dropSocket(world.slackTeamId);
    });
  }, 300_000);
});
