// Order, limits and failures: bursts keep their order both ways, Discord's 429s and 5xx are
// waited out and the message arrives once, a refusal reaches the sender as a notice, and a
// gateway drop or outage loses nothing (the rooms hear about a long one).
import { OverwriteType, PermissionFlagsBits } from "discord.js";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, ghostOf, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;
const BOT = "@parley:localhost";

beforeAll(async () => {
  bridge = await startDiscordBridge({ discord: () => ({ outageNoticeSeconds: 1 }) });
});

afterAll(async () => {
  await bridge?.stop();
});

async function bodiesFrom(sender: string, prefix: string): Promise<string[]> {
  const events = await bridge.alice.roomMessages(bridge.roomId, { limit: 100, dir: "b" });
  return events.reverse().filter((e) => e.sender === sender && String(e.content.body ?? "").startsWith(prefix)).map((e) => String(e.content.body));
}

describe("order", () => {
  it("holds for a burst from Discord", async () => {
    const { sim, channelId, bob } = bridge;
    const expected = Array.from({ length: 25 }, (_, i) => `discord burst ${i}`);
    for (const content of expected) sim.userSendsMessage(channelId, bob, { content });
    await eventually(async () => expect(await bodiesFrom(ghostOf(bob), "discord burst")).toEqual(expected), 30_000);
  });

  it("holds for a burst from Matrix", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const expected = Array.from({ length: 20 }, (_, i) => `matrix burst ${i}`);
    for (const body of expected) await alice.sendText(roomId, body);
    await eventually(() => expect(sim.messages(channelId).map((m) => m.content).filter((c) => c.startsWith("matrix burst"))).toEqual(expected), 30_000);
  });
});

describe("Discord's limits and failures", () => {
  const webhookPosts = { method: "POST", path: /^\/webhooks\// };

  it("waits out a 429 and posts the message once", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    sim.failNext(1, { status: 429, retryAfter: 0.5 }, webhookPosts);
    await alice.sendText(roomId, "after a rate limit");
    await waitForDiscord(sim, channelId, (m) => m.content === "after a rate limit");
    await delay(1000);
    expect(sim.messages(channelId).filter((m) => m.content === "after a rate limit")).toHaveLength(1);
  });

  it("retries through a run of 5xx and posts the message once", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    // More failures in a row than discord.js retries on its own: Parley's retries take over.
    sim.failNext(6, { status: 503 }, webhookPosts);
    await alice.sendText(roomId, "after an outage");
    await waitForDiscord(sim, channelId, (m) => m.content === "after an outage", 30_000);
    await delay(1000);
    expect(sim.messages(channelId).filter((m) => m.content === "after an outage")).toHaveLength(1);
    const requests = sim.requests.filter((request) => request.method === "POST" && request.path.startsWith("/webhooks/"));
    expect(requests.length).toBeGreaterThanOrEqual(7);
  });

  it("does not post twice when a 5xx came after Discord had posted", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendText(roomId, "same words again");
    await waitForDiscord(sim, channelId, (m) => m.content === "same words again");
    sim.failNext(1, { status: 502, afterRunning: true }, webhookPosts);
    const second = await alice.sendText(roomId, "same words again");
    await eventually(() => expect(sim.messages(channelId).filter((m) => m.content === "same words again")).toHaveLength(2), 20_000);
    await delay(1000);
    expect(sim.messages(channelId).filter((m) => m.content === "same words again")).toHaveLength(2);
    // The edit reaches the second post, so Parley knows it is the one the lost answer was for.
    await alice.edit(roomId, second, "same words, edited");
    await eventually(() => expect(sim.messages(channelId).map((m) => m.content).filter((c) => c.startsWith("same words"))).toEqual(["same words again", "same words, edited"]));
  });

  it("tells the sender when Discord refuses for good", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.setPermissionOverwrites(channelId, [{ id: sim.botUser.id, type: OverwriteType.Member, allow: 0n, deny: PermissionFlagsBits.AddReactions }]);
    sim.userSendsMessage(channelId, bob, { content: "no reactions allowed" });
    const target = await alice.waitForEvent(roomId, withBody("no reactions allowed"));
    await alice.react(roomId, target.event_id, "🙃");
    const notice = await alice.waitForEvent(roomId, (e) => e.sender === BOT && e.content.msgtype === "m.notice");
    expect(notice.content.body).toBe("⚠️ Your reaction could not be delivered to Discord: the Parley bot lacks a permission it needs there");
    sim.setPermissionOverwrites(channelId, []);
  });
});

describe("the gateway", () => {
  it("resumes after a drop and loses nothing said meanwhile", async () => {
    const { sim, channelId, bob } = bridge;
    const resumed = sim.waitForResume();
    sim.dropGateway(4000);
    sim.userSendsMessage(channelId, bob, { content: "said during the drop" });
    await resumed;
    sim.userSendsMessage(channelId, bob, { content: "said after the drop" });
    await eventually(async () => expect(await bodiesFrom(ghostOf(bob), "said ")).toEqual(["said during the drop", "said after the drop"]));
  });

  it("catches up on what was said while Parley was down, in order and once", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    await env.stopParley();
    sim.userSendsMessage(channelId, bob, { content: "missed 1" });
    sim.userSendsMessage(channelId, bob, { content: "missed 2" });
    await alice.sendText(roomId, "sent while Parley was down");
    await env.startParleyAgain();
    sim.userSendsMessage(channelId, bob, { content: "missed 3, said after the restart" });
    await eventually(async () => expect(await bodiesFrom(ghostOf(bob), "missed")).toEqual(["missed 1", "missed 2", "missed 3, said after the restart"]), 20_000);
    await waitForDiscord(sim, channelId, (m) => m.content === "sent while Parley was down", 20_000);
    await delay(1000);
    expect(await bodiesFrom(ghostOf(bob), "missed")).toHaveLength(3);
    expect(sim.messages(channelId).filter((m) => m.content === "sent while Parley was down")).toHaveLength(1);
  });

  it("catches up from the last Discord message, not a Matrix one posted during the outage", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    sim.pauseGateway();
    sim.userSendsMessage(channelId, bob, { content: "unheard before the Matrix reply" });
    await alice.sendText(roomId, "posted from Matrix while Discord's gateway was down");
    await waitForDiscord(sim, channelId, (m) => m.content === "posted from Matrix while Discord's gateway was down");
    // A new Parley starts a new gateway session: nothing is replayed, everything comes from history.
    await env.stopParley();
    sim.resumeGateway();
    // The stopped Parley, which was reconnecting, must not come back on its own.
    await delay(1500);
    expect(sim.gatewayConnected).toBe(false);
    await env.startParleyAgain();
    await alice.waitForEvent(roomId, withBody("unheard before the Matrix reply"), { timeoutMs: 20_000 });
  });

  it("tells the room when Discord stays unreachable, and when it is back", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.pauseGateway();
    sim.userSendsMessage(channelId, bob, { content: "outage message 1" });
    sim.userSendsMessage(channelId, bob, { content: "outage message 2" });
    const down = await alice.waitForEvent(roomId, (e) => e.sender === BOT && String(e.content.body).startsWith("⚠️ Discord has been unreachable"));
    expect(down.content.msgtype).toBe("m.notice");
    const resumed = sim.waitForResume(30_000);
    sim.resumeGateway();
    await resumed;
    await alice.waitForEvent(roomId, (e) => e.sender === BOT && e.content.body === "Discord is reachable again.", { timeoutMs: 30_000 });
    await eventually(async () => expect(await bodiesFrom(ghostOf(bob), "outage message")).toEqual(["outage message 1", "outage message 2"]));
  });
});
