// The foundation end to end: a real Synapse, Parley started as the command line starts
// it, and real Matrix users talking to the bridge bot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent, MatrixUser } from "../harness/matrix-user.js";
import { startParley, type ParleyUnderTest } from "./parley-harness.js";

const BOT = "@parley:localhost";
let env: ParleyUnderTest;
let alice: MatrixUser;
let dm: string;

const fromBot = (match: (body: string) => boolean) => (event: MatrixEvent) =>
  event.sender === BOT && event.type === "m.room.message" && match(String(event.content.body ?? ""));

async function putTransaction(txnId: string, body: unknown, token = env.registration.hs_token): Promise<Response> {
  return fetch(`${env.parleyUrl}/_matrix/app/v1/transactions/${txnId}`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function botRepliesAfter(eventId: string, room = dm): Promise<MatrixEvent[]> {
  const events = await alice.roomMessages(room, { limit: 50, dir: "b" });
  const index = events.findIndex((event) => event.event_id === eventId);
  return events.slice(0, index).filter((event) => event.sender === BOT && event.type === "m.room.message");
}

beforeAll(async () => {
  env = await startParley();
  alice = await env.synapse.registerUser("alice", { displayName: "Alice" });
  dm = await alice.createDirectRoom(BOT);
  await alice.waitForEvent(dm, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
});

afterAll(async () => {
  await env?.stop();
});

describe("the bridge bot", () => {
  it("has the display name from the config", async () => {
    expect((await alice.getProfile(BOT)).displayname).toBe("Parley");
  });

  it("answers ping in a private chat, without a prefix", async () => {
    await alice.sendText(dm, "ping");
    const reply = await alice.waitForEvent(dm, fromBot((body) => body.startsWith("Pong!")));
    expect(reply.content.msgtype).toBe("m.notice");
  });

  it("answers version and whoami", async () => {
    await alice.sendText(dm, "!parley version");
    await alice.waitForEvent(dm, fromBot((body) => /^Parley \d+\.\d+\.\d+ \(Node\.js /.test(body)));
    await alice.sendText(dm, "whoami");
    await alice.waitForEvent(dm, fromBot((body) =>
      body === "You are @alice:localhost, with the user permission level. You have not linked any account."));
  });

  it("lists the commands in help", async () => {
    await alice.sendText(dm, "help");
    const reply = await alice.waitForEvent(dm, fromBot((body) => body.includes("Commands you can use")));
    expect(String(reply.content.body)).toContain("!parley ping — check that the bridge is alive");
    expect(String(reply.content.body)).not.toContain("!parley status");
    expect(String(reply.content.formatted_body)).toContain("<code>!parley ping</code>");
  });

  it("answers an unknown command helpfully", async () => {
    await alice.sendText(dm, "dance");
    await alice.waitForEvent(dm, fromBot((body) => body === 'I don\'t know the command "dance". Send "!parley help" to see what I can do.'));
  });

  it("answers commands with the prefix in a shared room, and ignores ordinary chat there", async () => {
    const bob = await env.synapse.registerUser("bob");
    const room = await alice.createRoom({ name: "shared" });
    await alice.invite(room, BOT);
    await alice.invite(room, bob.userId);
    await bob.joinRoom(room);
    await alice.waitForEvent(room, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
    const chat = await alice.sendText(room, "ping");
    const command = await bob.sendText(room, "!parley ping");
    await alice.waitForEvent(room, fromBot((body) => body.startsWith("Pong!")));
    const replies = await botRepliesAfter(chat, room);
    expect(replies.map((event) => event.content.body).filter((body) => String(body).startsWith("Pong"))).toHaveLength(1);
    expect(await botRepliesAfter(command, room)).toHaveLength(1);
  });

  it("declines invites from users the permissions leave out", async () => {
    const outsider = await env.synapse.registerUser("outsider");
    const room = await outsider.createDirectRoom(BOT);
    const leave = await outsider.waitForEvent(room, (event) =>
      event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "leave");
    expect(String(leave.content.reason)).toContain("not allowed to use this bridge");
  });
});

describe("the appservice endpoint", () => {
  const validEvent = (id: string, body: string) => ({
    event_id: id, room_id: dm, sender: "@alice:localhost", type: "m.room.message", origin_server_ts: Date.now(),
    content: { msgtype: "m.text", body },
  });

  it("refuses a wrong homeserver token with 403 M_FORBIDDEN and a missing one with 401", async () => {
    const wrong = await putTransaction("t-wrong", { events: [] }, "not-the-token");
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ errcode: "M_FORBIDDEN" });
    const missing = await putTransaction("t-missing", { events: [] }, "");
    expect(missing.status).toBe(401);
  });

  it("skips malformed events and still handles the valid ones in the same transaction", async () => {
    const marker = `$valid-${Date.now()}`;
    const response = await putTransaction(`t-mixed-${Date.now()}`, {
      events: [
        null, 42, "text", { type: "m.room.message" }, { event_id: "$x", room_id: dm, sender: "@a:b", type: "m.room.message", content: "nope" },
        { event_id: "$y", room_id: "not-a-room", sender: "@a:b", type: "m.room.message", content: {} },
        validEvent(marker, "!parley version"),
      ],
    });
    expect(response.status).toBe(200);
    await alice.waitForEvent(dm, fromBot((body) => body.startsWith("Parley ")));
    expect(env.logs.some((line) => line.includes("Skipping a malformed event"))).toBe(true);
  });

  it("rejects a body that is not JSON with 400 and keeps running", async () => {
    const response = await fetch(`${env.parleyUrl}/_matrix/app/v1/transactions/t-garbage`, {
      method: "PUT", headers: { authorization: `Bearer ${env.registration.hs_token}` }, body: "{not json",
    });
    expect(response.status).toBe(400);
    expect((await putTransaction("t-after-garbage", { events: [] })).status).toBe(200);
  });

  it("handles the same event id once even when it comes back under a reused transaction id", async () => {
    const eventId = `$dedupe-${Date.now()}`;
    const before = (await alice.roomMessages(dm, { limit: 1 }))[0]?.event_id as string;
    // Synapse restarts its transaction ids at 1: the same txn id with new content, then the same event again.
    expect((await putTransaction("1", { events: [validEvent(eventId, "whoami")] })).status).toBe(200);
    expect((await putTransaction("1", { events: [validEvent(eventId, "whoami")] })).status).toBe(200);
    expect((await putTransaction("2", { events: [validEvent(eventId, "whoami")] })).status).toBe(200);
    await alice.waitForEvent(dm, fromBot((body) => body.startsWith("You are @alice:localhost")));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const replies = await botRepliesAfter(before);
    expect(replies.filter((event) => String(event.content.body).startsWith("You are"))).toHaveLength(1);
  });

  it("answers the homeserver's ping", async () => {
    const response = await fetch(`${env.parleyUrl}/_matrix/app/v1/ping`, {
      method: "POST", headers: { authorization: `Bearer ${env.registration.hs_token}`, "content-type": "application/json" }, body: "{}",
    });
    expect(response.status).toBe(200);
  });
});

describe("restarts", () => {
  it("keeps working after Synapse restarts and reuses transaction ids", async () => {
    await env.synapse.restart();
    await alice.sendText(dm, "!parley ping");
    await alice.waitForEvent(dm, fromBot((body) => body.startsWith("Pong!")), { timeoutMs: 30_000 });
  });

  it("keeps working after Parley restarts on the same store", async () => {
    await env.restartParley();
    await alice.sendText(dm, "version");
    await alice.waitForEvent(dm, fromBot((body) => body.startsWith("Parley ")), { timeoutMs: 30_000 });
  });
});

describe("logs", () => {
  it("log transactions at debug and never a token", () => {
    const all = env.logs.join("\n");
    expect(all).toContain("Transaction received");
    expect(all).toContain("Parley 0.1.0 is ready");
    expect(all).not.toContain(env.registration.as_token);
    expect(all).not.toContain(env.registration.hs_token);
  });
});
