import { describe, expect, it } from "vitest";
import { ChannelPacer } from "../../../src/connectors/slack/pacer.js";

/** A pacer on a fake clock, recording how long each post had to wait. */
function pacerWithClock(burst: number) {
  let now = 0;
  const waits: number[] = [];
  const pacer = new ChannelPacer({
    intervalMs: 1000,
    burst,
    now: () => now,
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { pacer, waits, advance: (ms: number) => (now += ms) };
}

describe("pacing posts to about one a second per channel", () => {
  it("lets a short burst through, then spaces the rest a second apart", async () => {
    const { pacer, waits } = pacerWithClock(3);
    for (let post = 0; post < 6; post++) await pacer.take("C1");
    expect(waits).toEqual([1000, 2000, 3000]);
  });

  it("paces each channel on its own", async () => {
    const { pacer, waits } = pacerWithClock(1);
    await pacer.take("C1");
    await pacer.take("C2");
    await pacer.take("C1");
    expect(waits).toEqual([1000]);
  });

  it("lets a quiet channel burst again", async () => {
    const { pacer, waits, advance } = pacerWithClock(2);
    await pacer.take("C1");
    await pacer.take("C1");
    advance(5000);
    await pacer.take("C1");
    await pacer.take("C1");
    expect(waits).toEqual([]);
  });
});
