// A transaction the homeserver counts as delivered but Parley never received (Synapse can
// leave one unsent after recovering from an outage, until the next outage): Parley notices the
// hole at the next transaction, finds what it missed in the room's timeline, and bridges it
// first, so Slack sees every message, in order. Real Synapse, with a proxy in front of Parley
// that loses the chosen transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionProxy } from "../../harness/transaction-proxy.js";
import { eventually } from "../../harness/test-utils.js";
import { aliasOf, settle, startSlackBridge, waitForSlack, type SlackBridge } from "../slack/slack-bridge.js";

const proxy = new TransactionProxy();
let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge({ parley: { transactionProxy: proxy } });
});

afterAll(async () => {
  await bridge?.stop();
});

function slackTexts(prefix: string, channelId = bridge.channelId): string[] {
  return bridge.sim.messages(channelId).filter((message) => message.text.startsWith(prefix)).map((message) => message.text);
}

/** Loses the next transaction that carries a message with this body. */
async function loseTransactionOf(body: string, send: () => Promise<unknown>): Promise<void> {
  const lostBefore = proxy.lost.length;
  proxy.lose = (events) => events.some((event) => event.content?.body === body);
  await send();
  await eventually(() => expect(proxy.lost).toHaveLength(lostBefore + 1));
  proxy.lose = () => false;
}

describe("a transaction the homeserver never delivered", () => {
  it("is found in the timeline and bridged before the messages after it", async () => {
    const { alice, roomId, env } = bridge;
    await alice.sendText(roomId, "h1 before the hole");
    await waitForSlack(() => slackTexts("h1 ").length === 1 || undefined, "the first message");

    await loseTransactionOf("h2 in the lost transaction", () => alice.sendText(roomId, "h2 in the lost transaction"));
    await alice.sendText(roomId, "h3 after the hole");

    await waitForSlack(() => slackTexts("h").length === 3 || undefined, "all three messages");
    await settle(1000);
    expect(slackTexts("h")).toEqual(["h1 before the hole", "h2 in the lost transaction", "h3 after the hole"]);
    expect(env.logs.join("")).toContain("The homeserver skipped 1 event(s) in a room");
  });

  it("is found when the transaction after the hole is another room's", async () => {
    const { sim, team, carol, admin, alice, roomId, env } = bridge;
    const other = sim.createChannel(team.id, { name: "other", members: [carol.id] });
    sim.inviteBot(other.id, { by: carol.id });
    const otherRoom = await admin.joinRoom(aliasOf(team.id, other.id));
    await alice.sendText(roomId, "r1 before the hole");
    await waitForSlack(() => slackTexts("r1 ").length === 1 || undefined, "the first message");

    await loseTransactionOf("r2 in the lost transaction", () => alice.sendText(roomId, "r2 in the lost transaction"));
    await admin.sendText(otherRoom, "r elsewhere");
    await waitForSlack(() => slackTexts("r elsewhere", other.id).length === 1 || undefined, "the other room's message");
    await alice.sendText(roomId, "r3 after the hole");

    await waitForSlack(() => slackTexts("r").length === 3 || undefined, "all three messages");
    await settle(1000);
    expect(slackTexts("r")).toEqual(["r1 before the hole", "r2 in the lost transaction", "r3 after the hole"]);
    expect(env.logs.join("").split("The homeserver skipped 1 event(s) in a room")).toHaveLength(3);
  });
});
