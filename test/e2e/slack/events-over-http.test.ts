// The Events API over HTTP instead of Socket Mode: Slack posts signed events to a path on
// Parley's own listener; forged or stale requests are refused, and a message arrives once even
// when Slack retries it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge({ mode: "http" });
});

afterAll(async () => {
  await bridge?.stop();
});

describe("the Events API endpoint", () => {
  it("passes Slack's request URL check", async () => {
    expect(await bridge.sim.verifyRequestUrl(bridge.team.id)).toBe(true);
  });

  it("bridges messages both ways", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "h1 over http" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "h1 over http"));
    await alice.sendText(roomId, "h2 back to slack");
    await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "h2 back to slack"), "h2");
    expect(bridge.sim.httpDeliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  it("refuses a request signed with another secret, or signed too long ago", async () => {
    const { sim, team, channelId, carol } = bridge;
    const event = { type: "event_callback", team_id: team.id, event_id: "Ev0FORGED1", event: { type: "message", channel: channelId, user: carol.id, text: "h3 forged", ts: "1700000000.000100" } };
    expect((await sim.postSignedEvent(team.id, event, { signingSecret: "not-the-secret" })).status).toBe(401);
    expect((await sim.postSignedEvent(team.id, event, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    await settle(500);
    const seen = await bridge.alice.roomMessages(bridge.roomId, { limit: 10 });
    expect(seen.some((message) => message.content.body === "h3 forged")).toBe(false);
  });

  it("takes a retried delivery of the same event once", async () => {
    const { sim, team, channelId, carol, alice, roomId } = bridge;
    const ts = `${Math.floor(Date.now() / 1000)}.000042`;
    const event = {
      type: "event_callback", team_id: team.id, api_app_id: team.appId, event_id: "Ev0RETRIED1", event_time: Math.floor(Date.now() / 1000),
      event: { type: "message", channel: channelId, channel_type: "channel", user: carol.id, text: "h4 sent twice", ts, event_ts: ts },
    };
    expect((await sim.postSignedEvent(team.id, event)).status).toBe(200);
    expect((await sim.postSignedEvent(team.id, event, { retry: { num: 1, reason: "http_timeout" } })).status).toBe(200);
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "h4 sent twice"));
    await settle();
    const copies = (await alice.roomMessages(roomId, { limit: 10 })).filter((message) => message.content.body === "h4 sent twice");
    expect(copies).toHaveLength(1);
  });
});
