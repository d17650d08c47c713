import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../../src/core/keyed-queue.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("KeyedQueue", () => {
  it("runs one key's tasks in order even when earlier ones are slower", async () => {
    const queue = new KeyedQueue(() => undefined);
    const done: number[] = [];
    for (const [index, delay] of [30, 1, 10, 0].entries()) {
      void queue.push("room", async () => { await tick(delay); done.push(index); });
    }
    await queue.drain();
    expect(done).toEqual([0, 1, 2, 3]);
  });

  it("runs different keys side by side", async () => {
    const queue = new KeyedQueue(() => undefined);
    const done: string[] = [];
    void queue.push("slow", async () => { await tick(40); done.push("slow"); });
    void queue.push("fast", async () => { done.push("fast"); });
    await queue.drain();
    expect(done).toEqual(["fast", "slow"]);
  });

  it("reports a failed task and goes on with the next", async () => {
    const errors: string[] = [];
    const queue = new KeyedQueue((key, error) => errors.push(`${key}: ${(error as Error).message}`));
    const done: number[] = [];
    void queue.push("room", async () => { throw new Error("boom"); });
    void queue.push("room", async () => { done.push(2); });
    await queue.drain();
    expect(errors).toEqual(["room: boom"]);
    expect(done).toEqual([2]);
    expect(queue.depth).toBe(0);
  });
});
