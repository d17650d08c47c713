// Parley on PostgreSQL end to end: the Slack simulator, a real Synapse, a throwaway
// PostgreSQL cluster, and Parley keeping its mappings there across a restart.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type PostgresHandle } from "../harness/postgres.js";
import { eventually } from "../harness/test-utils.js";
import { messageWhere, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack/slack-bridge.js";

let cluster: PostgresHandle;
let connectionString: string;
let bridge: SlackBridge;

beforeAll(async () => {
  cluster = await startPostgres();
  connectionString = await cluster.freshDatabase();
  bridge = await startSlackBridge({ config: { database: { engine: "postgres", connectionString } } });
});

afterAll(async () => {
  await bridge?.stop();
  await cluster?.stop();
});

/** The Slack message ids PostgreSQL holds for a Matrix event, read past Parley. */
async function slackIdsStoredFor(eventId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ remote_id: string }>(
      "SELECT remote_id FROM message_parts WHERE event_id = $1 AND network = 'slack'", [eventId],
    );
    return rows.map((row) => row.remote_id);
  } finally {
    await client.end();
  }
}

describe("Parley on PostgreSQL", () => {
  let matrixEventId: string;
  let slackTs: string;

  it("bridges a message each way and keeps the mapping in PostgreSQL", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "pg hello from Slack" });
    const fromSlack = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "pg hello from Slack"));
    expect(fromSlack.sender).not.toBe(alice.userId);

    matrixEventId = await alice.sendText(roomId, "pg hello from Matrix");
    const posted = await waitForSlack(
      () => slackMessageWith(sim, channelId, (message) => message.text === "pg hello from Matrix"), "the Matrix message",
    );
    slackTs = posted.ts;
    // Slack has the message a moment before Parley records where it went.
    await eventually(async () => expect(await slackIdsStoredFor(matrixEventId)).toEqual([slackTs]));
  });

  it("still knows the mapping after Parley restarts: an edit updates the same Slack message", async () => {
    const { sim, channelId, alice, roomId, env } = bridge;
    expect(slackTs).toBeDefined();
    await env.restartParley();
    const postsBefore = sim.requests("chat.postMessage").length;

    await alice.edit(roomId, matrixEventId, "pg hello from Matrix, edited after a restart");
    await waitForSlack(
      () => sim.requests("chat.update").find((request) => request.params.ts === slackTs && request.status === 200),
      "chat.update of the message posted before the restart",
    );
    expect(sim.message(channelId, slackTs)?.text).toBe("pg hello from Matrix, edited after a restart");
    expect(sim.requests("chat.postMessage").slice(postsBefore).map((request) => request.params.text)).not.toContain(
      "pg hello from Matrix, edited after a restart",
    );
  });
});
