// Nothing lost, nothing duplicated: a two-way stream of 504 messages across two Discord
// and two Slack channels while Parley is killed with SIGKILL at 20 random points and
// started again. Every message must arrive exactly once, in order per channel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differences, sendStream, startStreamWorld, type StreamWorld } from "./two-way-stream.js";

// Smaller runs for debugging: PARLEY_CHAOS_KILLS=3 PARLEY_CHAOS_MESSAGES=10.
const KILLS = Number(process.env.PARLEY_CHAOS_KILLS ?? 20);
const MESSAGES_PER_DIRECTION_PER_CHANNEL = Number(process.env.PARLEY_CHAOS_MESSAGES ?? 63); // 4 x 2 x 63 = 504

let world: StreamWorld;

beforeAll(async () => {
  world = await startStreamWorld();
}, 180_000);

afterAll(async () => {
  await world?.stop("kill-restart-parley");
});

describe("killing Parley mid-stream", () => {
  it(`delivers every message of a two-way stream exactly once, in order, through ${KILLS} SIGKILLs`, async () => {
    let kills = 0;
    const killer = (async () => {
      for (; kills < KILLS; kills++) {
        await new Promise((resolve) => setTimeout(resolve, 300 + world.random() * 1500));
        await world.parley.stop("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, world.random() * 500));
        await world.parley.start();
      }
    })();
    const expected = await sendStream(world, MESSAGES_PER_DIRECTION_PER_CHANNEL);
    await killer;
    expect(kills).toBe(KILLS);
    expect(await differences(world, expected)).toBe("");
  }, 600_000);
});
