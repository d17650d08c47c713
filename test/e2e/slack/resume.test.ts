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
/** Message timestamps the store maps to Matrix events: what Parley recorded before it stopped. */
const recorded = new Set<string>();

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
    botUserId: team.botUserId,
    isBridged: async (_channel, ts) => recorded.has(ts),
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

  it("that was a file Slack already has is not uploaded twice, though a file of the same name was before", async () => {
    const bytes = Buffer.from("the quarterly numbers");
    const upload = (eventId: string, resumed: boolean) => sender.send(channelId, {
      ...message("", eventId, resumed),
      text: [],
      media: {
        kind: "file", filename: "report.txt", mimetype: "text/plain", size: bytes.length,
        load: async () => bytes, publicUrl: "https://parley.example/media/report.txt", spoiler: false,
      },
    }, bot);
    const earlier = await upload("$event5", false);
    earlier.ids.forEach((ts) => recorded.add(ts));
    const first = await upload("$event6", false);
    expect(await upload("$event6", true)).toEqual(first);
    expect(first.ids).not.toEqual(earlier.ids);
    const shares = sim.messages(channelId).filter((posted) => posted.files?.some((file) => file.name === "report.txt"));
    expect(shares).toHaveLength(2);
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
