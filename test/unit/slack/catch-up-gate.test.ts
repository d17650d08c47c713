import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CatchUpGate } from "../../../src/connectors/slack/catch-up.js";

const host = { bridgedChats: async () => ["T1/C1", "T1/C2"] };

/** Whether `promise` settles within a few event-loop turns. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([promise.then(() => true), delay(20).then(() => false)]);
}

describe("holding live events while a chat catches up", () => {
  it("holds a chat bridged at the (re)connect until it is caught up", async () => {
    const gate = new CatchUpGate(host, 60_000);
    gate.reset();
    const waiting = gate.ready("T1/C1");
    expect(await settlesSoon(waiting)).toBe(false);
    gate.release("T1/C1");
    expect(await settlesSoon(waiting)).toBe(true);
  });

  it("does not hold a chat bridged after the connect, nor one caught up already", async () => {
    const gate = new CatchUpGate(host, 60_000);
    gate.reset();
    expect(await settlesSoon(gate.ready("T1/C9"))).toBe(true);
    gate.release("T1/C2");
    expect(await settlesSoon(gate.ready("T1/C2"))).toBe(true);
  });

  it("holds everything again after a reconnect", async () => {
    const gate = new CatchUpGate(host, 60_000);
    gate.reset();
    gate.release("T1/C1");
    gate.reset();
    expect(await settlesSoon(gate.ready("T1/C1"))).toBe(false);
    gate.releaseAll();
  });

  it("lets go on its own when no catch-up comes", async () => {
    const gate = new CatchUpGate(host, 30);
    gate.reset();
    const waiting = gate.ready("T1/C1");
    expect(await settlesSoon(waiting)).toBe(false);
    await delay(50);
    expect(await settlesSoon(waiting)).toBe(true);
  });

  it("lets everything go when stopping", async () => {
    const gate = new CatchUpGate(host, 60_000);
    gate.reset();
    const waiting = [gate.ready("T1/C1"), gate.ready("T1/C2")];
    gate.releaseAll();
    expect(await settlesSoon(Promise.all(waiting))).toBe(true);
  });
});
