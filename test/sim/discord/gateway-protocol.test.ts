import { once } from "node:events";
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes as Op } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DiscordSimulator } from "./index.js";

interface Frame {
  op: number;
  d: any;
  s: number | null;
  t: string | null;
}

/** A bare gateway connection, to check the protocol itself rather than discord.js's handling of it. */
class RawConnection {
  readonly frames: Frame[] = [];
  readonly closed: Promise<number>;
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (raw) => this.frames.push(JSON.parse(raw.toString()) as Frame));
    this.closed = once(socket, "close").then(([code]) => code as number);
  }

  static async open(url: string): Promise<RawConnection> {
    const connection = new RawConnection(new WebSocket(`${url}?v=10&encoding=json`));
    await once(connection.socket, "open");
    return connection;
  }

  send(op: Op, d: unknown): void {
    this.socket.send(JSON.stringify({ op, d }));
  }

  async next(accept: (frame: Frame) => boolean): Promise<Frame> {
    for (let waited = 0; waited < 5000; waited += 10) {
      const frame = this.frames.find(accept);
      if (frame) return frame;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("No matching gateway frame within 5 s");
  }
}

describe("Discord simulator gateway protocol", () => {
  const sim = new DiscordSimulator({ enabledPrivilegedIntents: GatewayIntentBits.MessageContent });
  const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;
  let guildId: string;
  let channelId: string;
  let aliceId: string;

  beforeAll(async () => {
    await sim.start();
    guildId = sim.createGuild({ name: "Protocol" });
    channelId = sim.createChannel(guildId, { name: "general" });
    aliceId = sim.createUser({ username: "alice" });
    sim.addMember(guildId, aliceId);
  });
  afterAll(() => sim.stop());

  it("greets with HELLO, acknowledges heartbeats and closes 4004 on a wrong token", async () => {
    const connection = await RawConnection.open(sim.gatewayUrl);
    const hello = await connection.next((frame) => frame.op === Op.Hello);
    expect(hello.d.heartbeat_interval).toBe(41_250);
    connection.send(Op.Heartbeat, null);
    await connection.next((frame) => frame.op === Op.HeartbeatAck);
    connection.send(Op.Identify, { token: "not-the-token", intents, properties: {} });
    expect(await connection.closed).toBe(GatewayCloseCodes.AuthenticationFailed);
  });

  it("closes 4014 when asking for a privileged intent the application lacks", async () => {
    const connection = await RawConnection.open(sim.gatewayUrl);
    connection.send(Op.Identify, { token: sim.botToken, intents: intents | GatewayIntentBits.GuildMembers, properties: {} });
    expect(await connection.closed).toBe(GatewayCloseCodes.DisallowedIntents);
  });

  it("answers a RESUME of an unknown session with INVALID_SESSION (not resumable)", async () => {
    const connection = await RawConnection.open(sim.gatewayUrl);
    connection.send(Op.Resume, { token: sim.botToken, session_id: "no-such-session", seq: 3 });
    expect(await connection.next((frame) => frame.op === Op.InvalidSession)).toMatchObject({ d: false });
    connection.socket.close();
  });

  it("numbers dispatches, lists only the bot without the presences intent, and replays them on RESUME", async () => {
    const first = await RawConnection.open(sim.gatewayUrl);
    first.send(Op.Identify, { token: sim.botToken, intents, properties: {} });
    const ready = await first.next((frame) => frame.t === "READY");
    const guildCreate = await first.next((frame) => frame.t === "GUILD_CREATE");
    expect([ready.s, guildCreate.s]).toEqual([1, 2]);
    expect(ready.d).toMatchObject({ v: 10, user: { id: sim.botUser.id, bot: true }, guilds: [{ id: guildId, unavailable: true }] });
    expect(ready.d.resume_gateway_url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+/);
    expect(guildCreate.d.members.map((member: { user: { id: string } }) => member.user.id)).toEqual([sim.botUser.id]);
    expect(guildCreate.d.member_count).toBe(3);

    first.socket.terminate();
    await first.closed;
    const missed = sim.userSendsMessage(channelId, aliceId, { content: "missed it" });

    const second = await RawConnection.open(ready.d.resume_gateway_url);
    second.send(Op.Resume, { token: sim.botToken, session_id: ready.d.session_id, seq: guildCreate.s });
    const replayed = await second.next((frame) => frame.t === "MESSAGE_CREATE");
    const resumed = await second.next((frame) => frame.t === "RESUMED");
    expect(replayed).toMatchObject({ s: 3, d: { id: missed.id, content: "missed it", guild_id: guildId } });
    expect(resumed.s).toBe(4);

    second.send(Op.RequestGuildMembers, { guild_id: guildId, query: "ali", limit: 10, nonce: "n1" });
    const chunk = await second.next((frame) => frame.t === "GUILD_MEMBERS_CHUNK");
    expect(chunk.d).toMatchObject({ guild_id: guildId, nonce: "n1", chunk_index: 0, chunk_count: 1 });
    expect(chunk.d.members.map((member: { user: { id: string } }) => member.user.id)).toEqual([aliceId]);
    second.socket.close();
  });
});
