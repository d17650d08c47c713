// A transaction the homeserver counts as delivered but Parley never received (Synapse can
// leave one unsent after recovering from an outage, until the next outage): Parley notices the
// hole at the next transaction, finds what it missed in the room's timeline, and bridges it
// first, so Slack sees every message, in order. Real Synapse, with a proxy in front of Parley
// that loses the chosen transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionProxy } from "../../harness/transaction-proxy.js";
import { eventually } from "../../harness/test-utils.js";
import { settle, startSlackBridge, waitForSlack, type SlackBridge } from "../slack/slack-bridge.js";

const proxy = new TransactionProxy();
let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge({ parley: { transactionProxy: proxy } });
});

afterAll(async () => {
  await bridge?.stop();
});

function slackTexts(prefix: string): string[] {
  return bridge.sim.messages(bridge.channelId).filter((message) => message.text.startsWith(prefix)).map((message) => message.text);
}

describe("a transaction the homeserver never delivered", () => {
  it("is found in the timeline and bridged before the messages after it", async () => {
    const { alice, roomId, env } = bridge;
    await alice.sendText(roomId, "h1 before the hole");
    await waitForSlack(() => slackTexts("h1 ").length === 1 || undefined, "the first message");

    proxy.lose = (events) => events.some((event) => event.content?.body === "h2 in the lost transaction");
    await alice.sendText(roomId, "h2 in the lost transaction");
    await eventually(() => expect(proxy.lost).toHaveLength(1));
    proxy.lose = () => false;
    await alice.sendText(roomId, "h3 after the hole");

    await waitForSlack(() => slackTexts("h").length === 3 || undefined, "all three messages");
    await settle(1000);
    expect(slackTexts("h")).toEqual(["h1 before the hole", "h2 in the lost transaction", "h3 after the hole"]);
    expect(env.logs.join("")).toContain("The homeserver skipped 1 event(s) in a room");
  });
});
