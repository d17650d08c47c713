// `npm run bench:bridge`: Parley end to end, built and run in its own process as in production,
// between a real Synapse and the Discord and Slack simulators. How long a message takes to
// cross each way, how many a second a burst crosses at, and how much memory the Parley
// process holds. Measured here, never asserted in tests. Prints Markdown for README's "Performance" section and writes the
// same figures to .tmp/bench-bridge.json.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import type { MatrixUser } from "../harness/matrix-user.js";
import { startStreamWorld, type StreamWorld } from "../e2e/reliability/two-way-stream.js";

const SEQUENTIAL_MESSAGES = 20;
/** A conversational pace, slower than Slack's one post a second per channel, so no message waits for another. */
const PAUSE_BETWEEN_MS = 1100;
/** PARLEY_BENCH_BURST makes it longer, to see whether memory levels off. */
const BURST_MESSAGES = Number(process.env.PARLEY_BENCH_BURST ?? 200);
const DEADLINE_MS = 120_000;

/**
 * Every message Alice's client sees arrive, by body, with the homeserver's timestamp: the
 * moment the bridge's event was stored, which is when a client could first show it.
 */
class MatrixArrivals {
  private readonly seen = new Map<string, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly user: MatrixUser) {
    this.loop = this.follow();
  }

  at(body: string): number | undefined {
    return this.seen.get(body);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async follow(): Promise<void> {
    let since: string | undefined;
    const filter = { room: { timeline: { limit: 1000 }, state: { types: [] } }, presence: { types: [] } };
    while (this.running) {
      const sync = await this.user.sync({ since, timeoutMs: since ? 1000 : 0, filter });
      for (const room of Object.values(sync.rooms?.join ?? {})) {
        for (const event of room.timeline?.events ?? []) {
          if (event.type === "m.room.message" && event.sender !== this.user.userId) this.seen.set(String(event.content.body), event.origin_server_ts);
        }
      }
      since = sync.next_batch;
    }
  }
}

interface Direction {
  /** For the tables; messages say "Discord to Matrix" instead, as Slack would escape the `>`. */
  name: string;
  /** Sends the message and resolves with when it was sent. */
  send(text: string): Promise<number>;
  /** When the other side got it, once it has. */
  arrivedAt(text: string): number | undefined;
}

/**
 * When each post reached a network, by text, read from the simulator's channel. Rescanned
 * only when a text is not known yet, so a long burst does not cost a scan per message.
 */
class RemoteArrivals {
  private readonly seen = new Map<string, number>();

  constructor(private readonly posts: () => Array<{ text: string; at: number }>) {}

  at(text: string): number | undefined {
    if (!this.seen.has(text)) for (const post of this.posts()) this.seen.set(post.text, post.at);
    return this.seen.get(text);
  }
}

function directions(world: StreamWorld, arrivals: MatrixArrivals): Direction[] {
  const discordChannel = world.remoteChannelIds[0] as string;
  const slackChannel = world.remoteChannelIds[2] as string;
  const [discordRoom, , slackRoom] = world.channels.map((channel) => channel.roomId) as [string, string, string];
  const onDiscord = new RemoteArrivals(() => world.discord.messages(discordChannel).map((m) => ({ text: m.content, at: Date.parse(m.timestamp) })));
  const onSlack = new RemoteArrivals(() => world.slack.messages(slackChannel).map((m) => ({ text: m.text ?? "", at: Math.round(Number(m.ts) * 1000) })));
  const fromMatrix = (roomId: string) => async (text: string) => {
    const sentAt = Date.now();
    await world.alice.sendText(roomId, text);
    return sentAt;
  };
  return [
    {
      name: "Discord -> Matrix",
      send: async (text) => (world.discord.userSendsMessage(discordChannel, world.discordPerson, { content: text }), Date.now()),
      arrivedAt: (text) => arrivals.at(text),
    },
    { name: "Matrix -> Discord", send: fromMatrix(discordRoom), arrivedAt: (text) => onDiscord.at(text) },
    {
      name: "Slack -> Matrix",
      send: async (text) => (world.slack.userPosts(slackChannel, world.slackPerson, { text }), Date.now()),
      arrivedAt: (text) => arrivals.at(text),
    },
    { name: "Matrix -> Slack", send: fromMatrix(slackRoom), arrivedAt: (text) => onSlack.at(text) },
  ];
}

function words(direction: Direction): string {
  return direction.name.replace(" -> ", " to ");
}

async function arrival(direction: Direction, text: string): Promise<number> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const at = direction.arrivedAt(text);
    if (at !== undefined) return at;
    if (Date.now() > deadline) throw new Error(`${direction.name}: "${text}" did not arrive`);
    await delay(5);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** One message at a time, at a person's pace: the delay between sending and the other side showing it. */
async function latency(direction: Direction): Promise<{ p50: number; p95: number; max: number }> {
  const times: number[] = [];
  for (let index = 0; index < SEQUENTIAL_MESSAGES; index++) {
    const text = `${words(direction)} latency ${index}`;
    const sentAt = await direction.send(text);
    times.push((await arrival(direction, text)) - sentAt);
    await delay(PAUSE_BETWEEN_MS);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] as number };
}

/** A burst sent as fast as the sender can: messages a second until the last one is across. */
async function burst(direction: Direction): Promise<number> {
  const started = Date.now();
  const texts = Array.from({ length: BURST_MESSAGES }, (_, index) => `${words(direction)} burst ${index}`);
  for (const text of texts) await direction.send(text);
  let last = 0;
  for (const text of texts) last = Math.max(last, await arrival(direction, text));
  return Math.round((BURST_MESSAGES / Math.max(1, last - started)) * 1000 * 10) / 10;
}

/** The Parley process's resident memory now and at its peak, from the kernel's accounting. */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(kib("VmRSS") / 1024), peakMiB: Math.round(kib("VmHWM") / 1024) };
}

async function main(): Promise<void> {
  const world = await startStreamWorld("compiled");
  const arrivals = new MatrixArrivals(world.alice);
  try {
    const pid = world.parley.pid as number;
    const all = directions(world, arrivals);
    for (const direction of all) {
      await direction.send(`${words(direction)} warm-up`);
      await arrival(direction, `${words(direction)} warm-up`);
    }
    const idle = memoryOf(pid);

    const latencies = [];
    for (const direction of all) latencies.push({ direction: direction.name, ...(await latency(direction)) });
    // Slack takes about one message a second per channel from an app, and Parley paces to it,
    // so a burst from Matrix to Slack measures Slack's limit, not Parley: it is left out.
    const bursts = [];
    for (const direction of all.filter((d) => d.name !== "Matrix -> Slack")) bursts.push({ direction: direction.name, perSecond: await burst(direction) });
    const after = memoryOf(pid);

    console.log("| direction | p50 ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: |");
    for (const row of latencies) console.log(`| ${row.direction} | ${row.p50} | ${row.p95} | ${row.max} |`);
    console.log(`\n| burst of ${BURST_MESSAGES} | messages a second |\n| --- | ---: |`);
    for (const row of bursts) console.log(`| ${row.direction} | ${row.perSecond} |`);
    console.log(`\nParley's resident memory: ${idle.rssMiB} MiB once connected, ${after.rssMiB} MiB after the runs, peak ${after.peakMiB} MiB (Node.js ${process.version})`);
    mkdirSync(".tmp", { recursive: true });
    writeFileSync(".tmp/bench-bridge.json", JSON.stringify({ latencies, bursts, memory: { idle, after }, node: process.version }, null, 2));
  } finally {
    await arrivals.stop();
    await world.stop("bench-bridge-parley");
  }
}

void main();
