// A Matrix message delivered again after a restart (it may have reached Discord just before
// Parley stopped) is recognised in the channel's recent history, not posted twice: webhooks
// take no nonce. Parley's sender against the simulator through discord.js's real REST client;
// no homeserver needed.
import { Client, REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorHost, ConnectorState } from "../../../src/core/connector.js";
import { chatId } from "../../../src/connectors/discord/ids.js";
import { EchoGuard } from "../../../src/connectors/discord/echo.js";
import { RenderContexts } from "../../../src/connectors/discord/render-context.js";
import { DiscordSender } from "../../../src/connectors/discord/send.js";
import { Threads } from "../../../src/connectors/discord/threads.js";
import { SenderNames } from "../../../src/connectors/discord/webhook-name.js";
import { ChannelWebhooks } from "../../../src/connectors/discord/webhooks.js";
import { DiscordSimulator } from "../../sim/discord/index.js";
import { plainOutgoingMessage } from "../../harness/test-utils.js";

const sim = new DiscordSimulator();
let sender: DiscordSender;
let chat: string;
let channelId: string;
/** Remote ids the store maps to Matrix events: what Parley recorded before it stopped. */
const recorded = new Set<string>();

function memoryState(): ConnectorState {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

beforeAll(async () => {
  await sim.start();
  const guildId = sim.createGuild({ name: "Guild" });
  channelId = sim.createChannel(guildId, { name: "general" });
  chat = chatId(guildId, channelId);
  const client = new Client({ intents: [], rest: { api: sim.apiBaseUrl, cdn: sim.cdnBaseUrl } });
  client.rest.setToken(sim.botToken);
  const echo = new EchoGuard();
  echo.setBotUser(sim.botUser.id);
  const state = memoryState();
  sender = new DiscordSender({
    client,
    webhookRest: new REST({ api: sim.apiBaseUrl, retries: 0 }),
    config: { uploadLimitBytes: 1024 * 1024, cdnUrl: sim.cdnBaseUrl },
    webhooks: new ChannelWebhooks(client, () => state, echo),
    threads: new Threads(client),
    echo,
    renders: new RenderContexts(client, () => ({}) as ConnectorHost),
    names: new SenderNames(),
    webOrigin: sim.origin,
    isBridged: async (_chat, remoteId) => recorded.has(remoteId),
  });
});

afterAll(async () => {
  await sim.stop();
});

const message = plainOutgoingMessage;

describe("a message delivered again after a restart", () => {
  it("that Discord already has is not posted twice, every part of it", async () => {
    const long = Array.from({ length: 5 }, (_, i) => `Part ${i}: ${"words ".repeat(90)}`.trim()).join("\n\n");
    const first = await sender.send(chat, message(long, "$event1", false));
    expect(first.ids.length).toBeGreaterThan(1);
    const again = await sender.send(chat, message(long, "$event1", true));
    expect(again).toEqual(first);
    expect(sim.messages(channelId).filter((posted) => posted.content.startsWith("Part 0:"))).toHaveLength(1);
  });

  it("that Discord has in a thread is found there", async () => {
    const root = sim.messages(channelId)[0]!.id;
    const first = await sender.send(chat, message("in the thread", "$event2", false, root));
    expect(await sender.send(chat, message("in the thread", "$event2", true, root))).toEqual(first);
    expect(sim.messages(root).filter((posted) => posted.content === "in the thread")).toHaveLength(1);
  });

  it("is not mistaken for an earlier message with the same text", async () => {
    const earlier = await sender.send(chat, message("ok", "$event4", false));
    earlier.ids.forEach((id) => recorded.add(id));
    const again = await sender.send(chat, message("ok", "$event5", true));
    expect(again.ids).not.toEqual(earlier.ids);
    expect(sim.messages(channelId).filter((posted) => posted.content === "ok")).toHaveLength(2);
  });

  it("that never reached Discord is posted", async () => {
    const sent = await sender.send(chat, message("never got there", "$event3", true));
    expect(sim.message(sent.ids[0]!)?.content).toBe("never got there");
  });
});
