// Random mutations of real Discord gateway dispatches and Slack events, delivered through
// the real discord.js and @slack/bolt to Parley running as its own process: it must not
// crash, must not corrupt its store, and must still bridge both ways afterwards.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutateJson } from "../../harness/test-utils.js";
import { differences, sendStream, startStreamWorld, type StreamWorld } from "./two-way-stream.js";

const ROUNDS = Number(process.env.PARLEY_FUZZ_ROUNDS ?? 300);
const DISCORD_KEYS = ["id", "channel_id", "guild_id", "author", "content", "message_id", "user_id", "emoji", "member", "type"];
const SLACK_KEYS = ["type", "subtype", "channel", "user", "ts", "text", "blocks", "message", "previous_message", "item", "thread_ts", "files"];

let world: StreamWorld;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  world = await startStreamWorld();
}, 180_000);

afterAll(async () => {
  await world?.stop("remote-fuzz-parley");
});

/** Real dispatches, as Discord sends them for what a person just did in the first channel. */
function discordFixtures(): { event: string; data: unknown }[] {
  const { discord, discordGuildId: guild, discordPerson: person, remoteChannelIds: [channel = ""] } = world;
  const sent = discord.userSendsMessage(channel, person, { content: `**real** message <@${person}>` });
  discord.userEditsMessage(sent.id, { content: "edited" });
  const message = { ...discord.message(sent.id), guild_id: guild, member: { nick: "Dana", roles: [] } };
  const reaction = { user_id: person, channel_id: channel, message_id: sent.id, guild_id: guild, emoji: { id: null, name: "👍" } };
  return [
    { event: "MESSAGE_CREATE", data: message },
    { event: "MESSAGE_UPDATE", data: { ...message, edited_timestamp: new Date().toISOString() } },
    { event: "MESSAGE_DELETE", data: { id: sent.id, channel_id: channel, guild_id: guild } },
    { event: "MESSAGE_DELETE_BULK", data: { ids: [sent.id], channel_id: channel, guild_id: guild } },
    { event: "MESSAGE_REACTION_ADD", data: reaction },
    { event: "MESSAGE_REACTION_REMOVE", data: reaction },
    { event: "TYPING_START", data: { channel_id: channel, guild_id: guild, user_id: person, timestamp: Math.floor(Date.now() / 1000) } },
    { event: "CHANNEL_UPDATE", data: discord.channel(channel) },
  ];
}

/** Real events, as Slack delivered them for what a person just did in the first Slack channel. */
function slackFixtures(): Record<string, unknown>[] {
  const { slack, slackPerson: person, remoteChannelIds } = world;
  const channel = remoteChannelIds[2] ?? "";
  const ts = slack.userPosts(channel, person, { text: `*real* message <@${person}>` });
  slack.userEdits(channel, ts, { text: "edited" });
  slack.userReacts(channel, ts, person, "thumbsup");
  slack.userPosts(channel, person, { text: "in a thread", thread_ts: ts, reply_broadcast: true });
  slack.userDeletes(channel, ts);
  return slack.eventsSent(world.slackTeamId).map((payload) => payload.event as Record<string, unknown>);
}

/** Slack's events are objects; a mutation that is not one is kept as the inner value of one. */
const asEvent = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { type: value };

describe("fuzzing the connectors' event handlers", () => {
  it(`survives ${ROUNDS} mutated Discord dispatches and ${ROUNDS} mutated Slack events`, async () => {
    const discordBase = discordFixtures();
    const slackBase = slackFixtures();
    expect(slackBase.length).toBeGreaterThan(4);
    await settle(1500);
    for (let round = 0; round < ROUNDS; round++) {
      const dispatch = discordBase[Math.floor(world.random() * discordBase.length)] as { event: string; data: unknown };
      world.discord.dispatchRaw(dispatch.event, mutateJson(dispatch.data, world.random, DISCORD_KEYS));
      const event = slackBase[Math.floor(world.random() * slackBase.length)] as Record<string, unknown>;
      world.slack.emitRawEvent(world.slackTeamId, asEvent(mutateJson(event, world.random, SLACK_KEYS)));
      if (round % 50 === 49) await settle(200);
    }
    await settle(3000);
    expect(world.parley.exited).toBe(false);
  }, 300_000);

  it("still bridges both ways afterwards, in the channels the garbage did not name", async () => {
    const healthy = { matrix: [[], [], [], []] as string[][], remote: [[], [], [], []] as string[][] };
    const said = await sendStream(world, 5, "after the fuzz ");
    // The first channel of each network took the garbage; only the second ones are compared.
    for (const c of [1, 3]) {
      healthy.matrix[c] = said.matrix[c] ?? [];
      healthy.remote[c] = said.remote[c] ?? [];
    }
    const report = (await differences(world, healthy, 60_000, [1, 3])).trim();
    expect(report).toBe("");
    expect(world.parley.exited).toBe(false);
  }, 180_000);

  it("leaves the store intact", () => {
    const db = new Database(world.databasePath, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
