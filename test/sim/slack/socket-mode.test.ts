// The Socket Mode wire protocol seen from a bare WebSocket client, for what bolt hides: the hello frame,
// redelivery of envelopes nobody acknowledged, single-use URLs and the disconnect frame.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { SlackSimulator, type SimTeam } from "./index.js";
import { waitFor, type Json } from "./testing.js";

async function openSocketUrl(sim: SlackSimulator, appToken: string): Promise<string> {
  const response = await fetch(`${sim.apiBaseUrl}apps.connections.open`, { method: "POST", headers: { authorization: `Bearer ${appToken}` } });
  const body = (await response.json()) as { ok: boolean; url: string };
  expect(body.ok).toBe(true);
  return body.url;
}

/** A client that records every frame and acknowledges nothing unless told to. */
async function connect(url: string): Promise<{ socket: WebSocket; frames: Json[] }> {
  const socket = new WebSocket(url);
  const frames: Json[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(data.toString()) as Json));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  return { socket, frames };
}

describe("the Socket Mode protocol", () => {
  const sim = new SlackSimulator({ ackTimeoutMs: 200 });
  let team: SimTeam;
  let alice: { id: string };
  let channel: { id: string };

  beforeAll(async () => {
    await sim.start();
    team = sim.createTeam({ name: "Acme", domain: "acme" });
    alice = sim.createUser(team.id, { name: "alice" });
    channel = sim.createChannel(team.id, { name: "general", members: [alice.id, team.botUserId] });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("greets with hello, resends an unacknowledged envelope with retry_attempt, and stops once acked", async () => {
    const { socket, frames } = await connect(await openSocketUrl(sim, team.appToken));
    await waitFor(() => frames.find((frame) => frame.type === "hello"), "hello");
    expect(frames[0]).toMatchObject({ type: "hello", num_connections: 1, connection_info: { app_id: team.appId }, debug_info: { host: expect.any(String) } });

    const ts = sim.userPosts(channel.id, alice.id, { text: "anyone?" });
    const envelopes = () => frames.filter((frame) => frame.type === "events_api");
    await waitFor(() => (envelopes().length >= 2 ? true : undefined), "a redelivery");
    const [first, second] = envelopes() as (Json & { payload: Json })[];
    expect(first).toMatchObject({ accepts_response_payload: false, retry_attempt: 0, retry_reason: "", payload: { type: "event_callback", event: { ts } } });
    expect(second).toMatchObject({ retry_attempt: 1, retry_reason: "timeout", payload: { event_id: first!.payload.event_id } });
    expect(second!.envelope_id).not.toBe(first!.envelope_id);

    socket.send(JSON.stringify({ envelope_id: second!.envelope_id, payload: {} }));
    await waitFor(() => sim.envelopes.find((record) => record.envelopeId === second!.envelope_id && record.outcome === "acked"), "the ack");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(envelopes()).toHaveLength(2);
    socket.close();
  });

  it("refuses a connection URL the second time", async () => {
    const url = await openSocketUrl(sim, team.appToken);
    (await connect(url)).socket.close();
    await expect(connect(url)).rejects.toThrow(/401/);
  });

  it("tells the client to reconnect with a disconnect frame, and closes on it if the client does not", async () => {
    const quickSim = new SlackSimulator({ disconnectGraceMs: 100 });
    await quickSim.start();
    const quickTeam = quickSim.createTeam({ name: "Quick", domain: "quick" });
    const { socket, frames } = await connect(await openSocketUrl(quickSim, quickTeam.appToken));
    await waitFor(() => frames.find((frame) => frame.type === "hello"), "hello");
    const closed = new Promise((resolve) => socket.once("close", resolve));
    quickSim.sendDisconnect("warning", quickTeam.id);
    await closed;
    expect(frames.find((frame) => frame.type === "disconnect")).toMatchObject({ reason: "warning", debug_info: { host: expect.any(String) } });
    await quickSim.stop();
  });
});
