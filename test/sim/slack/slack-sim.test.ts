// Proves the simulator against the real, unchanged @slack/bolt: a Socket Mode app and an HTTP-receiver app
// connect over loopback, receive what simulated people do, and act through app.client.
import { App, LogLevel } from "@slack/bolt";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackSimulator, type SimTeam } from "./index.js";
import { recordEvents, startSocketModeApp, waitFor, type Json, type ReceivedEvent } from "./testing.js";

const messageAt = (received: ReceivedEvent[], ts: string) => () => received.find(({ event }) => event.type === "message" && event.ts === ts);

describe("bolt in Socket Mode against the simulator", () => {
  const sim = new SlackSimulator();
  let team: SimTeam;
  let alice: { id: string };
  let channel: { id: string };
  let app: App;
  let received: ReceivedEvent[];

  beforeAll(async () => {
    await sim.start();
    team = sim.createTeam({ name: "Acme", domain: "acme" });
    alice = sim.createUser(team.id, { name: "alice", real_name: "Alice Liddell", display_name: "alice" });
    channel = sim.createChannel(team.id, { name: "general", topic: "Chat", members: [alice.id] });
    sim.inviteBot(channel.id, { by: alice.id });
    ({ app, received } = await startSocketModeApp(sim, team));
  });

  afterAll(async () => {
    await app?.stop();
    await sim.stop();
  });

  it("starts with auth.test on the bot token and opens the socket with the app token", () => {
    const [authTest] = sim.requests("auth.test");
    expect(authTest?.tokenKind).toBe("bot");
    expect(authTest?.response).toMatchObject({ ok: true, user_id: team.botUserId, bot_id: team.botId, team_id: team.id });
    expect(sim.requests("apps.connections.open")[0]?.tokenKind).toBe("app");
  });

  it("delivers the bot's invitation, which happened before the app connected, once it connects", async () => {
    const joined = await waitFor(() => received.find(({ event }) => event.type === "member_joined_channel"), "member_joined_channel");
    expect(joined.event).toMatchObject({ user: team.botUserId, channel: channel.id, channel_type: "C", team: team.id, inviter: alice.id });
    expect(joined.retryNum).toBe(1);
  });

  it("delivers a person's message with the text, author, channel, ts and rich_text blocks a client sends", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "Hello *world*, see <#" + channel.id + "> :wave:" });
    const { event } = await waitFor(messageAt(received, ts), "the message event");
    expect(event).toMatchObject({
      type: "message", user: alice.id, channel: channel.id, channel_type: "channel", team: team.id, ts, event_ts: ts,
      text: `Hello *world*, see <#${channel.id}|> :wave:`,
    });
    expect(event.client_msg_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.subtype).toBeUndefined();
    expect(event.blocks).toEqual([
      {
        type: "rich_text",
        block_id: expect.any(String),
        elements: [
          {
            type: "rich_text_section",
            elements: [
              { type: "text", text: "Hello " },
              { type: "text", text: "world", style: { bold: true } },
              { type: "text", text: ", see " },
              { type: "channel", channel_id: channel.id },
              { type: "text", text: " " },
              { type: "emoji", name: "wave", unicode: "1f44b" },
            ],
          },
        ],
      },
    ]);
    const envelope = sim.eventsSent().find((payload) => (payload.event as Json).ts === ts)!;
    expect(envelope).toMatchObject({ type: "event_callback", team_id: team.id, api_app_id: team.appId });
    await waitFor(() => sim.envelopes.find((record) => record.eventId === envelope.event_id && record.outcome === "acked"), "the ack");
  });

  it("stores app.client.chat.postMessage with a custom name and icon as a bot_message", async () => {
    const posted = await app.client.chat.postMessage({ channel: channel.id, text: "hi from Matrix", username: "Bob (Matrix)", icon_url: "https://example.org/bob.png" });
    expect(posted.ok).toBe(true);
    const stored = sim.message(channel.id, posted.ts!);
    expect(stored).toMatchObject({ subtype: "bot_message", text: "hi from Matrix", username: "Bob (Matrix)", bot_id: team.botId, icons: { image_48: "https://example.org/bob.png" } });
    expect(stored?.user).toBeUndefined();
  });

  it("applies chat.update and chat.delete to the app's own messages and refuses others'", async () => {
    const posted = await app.client.chat.postMessage({ channel: channel.id, text: "first draft" });
    expect(sim.message(channel.id, posted.ts!)).toMatchObject({ user: team.botUserId, bot_id: team.botId, app_id: team.appId });
    await app.client.chat.update({ channel: channel.id, ts: posted.ts!, text: "final & done" });
    expect(sim.message(channel.id, posted.ts!)).toMatchObject({ text: "final &amp; done", edited: { user: team.botUserId } });
    await app.client.chat.delete({ channel: channel.id, ts: posted.ts! });
    expect(sim.message(channel.id, posted.ts!)).toBeUndefined();

    const alicesTs = sim.userPosts(channel.id, alice.id, { text: "mine" });
    await expect(app.client.chat.update({ channel: channel.id, ts: alicesTs, text: "hijacked" })).rejects.toMatchObject({ data: { error: "cant_update_message" } });
    await expect(app.client.chat.delete({ channel: channel.id, ts: "1.000001" })).rejects.toMatchObject({ data: { error: "message_not_found" } });
  });

  it("records reactions.add under Slack's canonical emoji name", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "react to me" });
    await app.client.reactions.add({ channel: channel.id, timestamp: ts, name: "thumbsup" });
    expect(sim.reactions(channel.id, ts)).toEqual([{ name: "+1", users: [team.botUserId], count: 1 }]);
    await expect(app.client.reactions.add({ channel: channel.id, timestamp: ts, name: "+1" })).rejects.toMatchObject({ data: { error: "already_reacted" } });
    await expect(app.client.reactions.add({ channel: channel.id, timestamp: ts, name: "no_such_emoji_here" })).rejects.toMatchObject({ data: { error: "invalid_name" } });
  });

  it("round-trips files.uploadV2 bytes into the right thread, downloadable only with a token", async () => {
    const rootTs = sim.userPosts(channel.id, alice.id, { text: "thread for the notes" });
    const bytes = Buffer.from("line one\nline two\n\u00e9\u0000binary tail");
    await app.client.files.uploadV2({ channel_id: channel.id, thread_ts: rootTs, file: bytes, filename: "notes.txt", initial_comment: "the notes" });

    const [reply] = sim.replies(channel.id, rootTs);
    expect(reply).toMatchObject({ subtype: "file_share", text: "the notes", thread_ts: rootTs, user: team.botUserId });
    const file = reply!.files![0]!;
    expect(file).toMatchObject({ name: "notes.txt", mimetype: "text/plain", filetype: "text", size: bytes.length });
    expect(file.bytes?.equals(bytes)).toBe(true);

    const download = await fetch(String(file.url_private_download), { headers: { Authorization: `Bearer ${team.botToken}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const anonymous = await fetch(String(file.url_private), { redirect: "manual" });
    expect(anonymous.status).toBe(302);
  });

  it("answers a rate-limited call with 429 + Retry-After, which the client waits out and retries", async () => {
    sim.failNext("chat.postMessage", 1, { retryAfter: 1 });
    const started = Date.now();
    const posted = await app.client.chat.postMessage({ channel: channel.id, text: "after the limit" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sim.message(channel.id, posted.ts!)?.text).toBe("after the limit");
    expect(sim.requests("chat.postMessage").slice(-2).map((record) => record.status)).toEqual([429, 200]);
  });

  it("keeps events that happen while the socket is down and delivers them after bolt reconnects", async () => {
    sim.dropSocket(team.id);
    const whileDown = sim.userPosts(channel.id, alice.id, { text: "while you were away" });
    await sim.waitForConnected(team.id, { fresh: true, timeoutMs: 20_000 });
    const missed = await waitFor(messageAt(received, whileDown), "the message sent while disconnected");
    expect(missed.retryNum).toBe(1);
    const afterwards = sim.userPosts(channel.id, alice.id, { text: "welcome back" });
    expect((await waitFor(messageAt(received, afterwards), "a later message")).retryNum).toBe(0);
  });

  it("has bolt reconnect after a refresh_requested disconnect", async () => {
    const reconnected = sim.waitForConnected(team.id, { fresh: true, timeoutMs: 20_000 });
    sim.sendDisconnect("refresh_requested", team.id);
    await reconnected;
    const ts = sim.userPosts(channel.id, alice.id, { text: "after the refresh" });
    await waitFor(messageAt(received, ts), "a message after the refresh");
  });
});

describe("bolt's HTTP receiver against the simulator's Events API", () => {
  const sim = new SlackSimulator();
  let team: SimTeam;
  let alice: { id: string };
  let channel: { id: string };
  let app: App;
  let received: ReceivedEvent[];

  beforeAll(async () => {
    await sim.start();
    team = sim.createTeam({ name: "Hooks", domain: "hooks" });
    alice = sim.createUser(team.id, { name: "alice" });
    channel = sim.createChannel(team.id, { name: "random", members: [alice.id, team.botUserId] });
    app = new App({ token: team.botToken, signingSecret: team.signingSecret, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: sim.apiBaseUrl } });
    received = recordEvents(app);
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    sim.setRequestUrl(team.id, `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  });

  afterAll(async () => {
    await app?.stop();
    await sim.stop();
  });

  it("passes Slack's url_verification handshake", async () => {
    expect(await sim.verifyRequestUrl(team.id)).toBe(true);
  });

  it("delivers a signed event_callback that bolt accepts", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "over HTTP" });
    const { event } = await waitFor(messageAt(received, ts), "the message over HTTP");
    expect(event).toMatchObject({ user: alice.id, text: "over HTTP", channel: channel.id });
    const payload = sim.eventsSent(team.id).find((candidate) => (candidate.event as Json).ts === ts)!;
    const delivery = await waitFor(() => sim.httpDeliveries.find((record) => record.eventId === payload.event_id), "the delivery record");
    expect(delivery).toEqual({ eventId: payload.event_id, retryNum: 0, status: 200 });
  });

  it("has bolt reject a wrongly signed request and a stale one", async () => {
    const forged = { ...sim.eventsSent(team.id)[0], event_id: "Ev0FORGED001" };
    expect((await sim.postSignedEvent(team.id, forged, { signingSecret: "not-the-secret" })).status).toBe(401);
    const staleTimestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await sim.postSignedEvent(team.id, forged, { timestamp: staleTimestamp })).status).toBe(401);
    expect((await sim.postSignedEvent(team.id, { ...forged, event_id: "Ev0GENUINE01" })).status).toBe(200);
  });
});
