// A Matrix message delivered again after a restart (it may have reached Slack just before Parley
// stopped) is recognised in Slack's history by the metadata Parley posts with, not posted twice.
// Parley's sender against the simulator through the real Web API client; no homeserver needed.
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackContexts } from "../../../src/connectors/slack/contexts.js";
import { EchoFilter } from "../../../src/connectors/slack/echoes.js";
import { ChannelPacer } from "../../../src/connectors/slack/pacer.js";
import { type Actor, SlackSender } from "../../../src/connectors/slack/send.js";
import { slackRenderContext } from "../../../src/connectors/slack/convert/context.js";
import { SlackSimulator } from "../../sim/slack/index.js";
import { plainOutgoingMessage } from "../../harness/test-utils.js";

const sim = new SlackSimulator();
let sender: SlackSender;
let channelId: string;
let bot: Actor;
let asCarol: Actor;

beforeAll(async () => {
  await sim.start();
  const team = sim.createTeam({ name: "Acme", domain: "acme" });
  const carol = sim.createUser(team.id, { name: "carol" });
  channelId = sim.createChannel(team.id, { name: "general", members: [carol.id] }).id;
  sim.inviteBot(channelId);
  bot = { client: new webApi.WebClient(team.botToken, { slackApiUrl: sim.apiBaseUrl, retryConfig: { retries: 0 } }) };
  const carolToken = sim.createUserToken(carol.id, ["chat:write", "channels:history"]);
  asCarol = { client: new webApi.WebClient(carolToken, { slackApiUrl: sim.apiBaseUrl, retryConfig: { retries: 0 } }), asPerson: carol.id };
  sender = new SlackSender({
    contexts: { renderContext: async () => slackRenderContext({}) } as unknown as SlackContexts,
    echoes: new EchoFilter({ teamId: team.id, botId: team.botId, botUserId: team.botUserId }),
    pacer: new ChannelPacer(),
    uploadLimitBytes: 1024 * 1024,
  });
});

afterAll(async () => {
  await sim.stop();
});

const message = plainOutgoingMessage;

describe("a message delivered again after a restart", () => {
  it("that Slack already has is not posted twice", async () => {
    const first = await sender.send(channelId, message("once only", "$event1", false), bot);
    const again = await sender.send(channelId, message("once only", "$event1", true), bot);
    expect(again).toEqual(first);
    expect(sim.messages(channelId).filter((posted) => posted.text === "once only")).toHaveLength(1);
  });

  it("that Slack has in a thread is found there", async () => {
    const root = sim.messages(channelId)[0]!.ts;
    const first = await sender.send(channelId, message("in the thread", "$event2", false, root), bot);
    expect(await sender.send(channelId, message("in the thread", "$event2", true, root), bot)).toEqual(first);
    expect(sim.replies(channelId, root).filter((reply) => reply.text === "in the thread")).toHaveLength(1);
  });

  it("that never reached Slack is posted", async () => {
    const sent = await sender.send(channelId, message("never got there", "$event3", true), bot);
    expect(sim.message(channelId, sent.ids[0]!)?.text).toBe("never got there");
  });

  it("that a linked person's token posted is found, and posted as them once", async () => {
    const first = await sender.send(channelId, message("as carol", "$event4", false), asCarol);
    expect(await sender.send(channelId, message("as carol", "$event4", true), asCarol)).toEqual(first);
    const posted = sim.messages(channelId).filter((candidate) => candidate.text === "as carol");
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ user: asCarol.asPerson });
    expect(posted[0]?.username).toBeUndefined();
  });
});
