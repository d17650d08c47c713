import type { OutgoingMessage } from "../../src/core/connector.js";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A seeded generator, so a failing run can be replayed with PARLEY_CHAOS_SEED. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null, undefined, 0, -1, 1e308, "", "x".repeat(5000), "\u0000", "💥", [], {}, [1, 2], { nested: { deep: [null] } }, true,
  "<script>alert(1)</script>", "mxc://", "@", "!", "$", "m.room.message", "999999999999999999999", "<@>", "U", ":",
];

/**
 * A random mutation of a real payload, for fuzzing: values swapped for odd ones, keys
 * dropped or misspelt, and now and then one of `keys` (the fields handlers rely on most)
 * replaced outright. Deterministic for a seeded `next`.
 */
export function mutateJson(value: unknown, next: () => number, keys: readonly string[], depth = 0): unknown {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  if (depth > 4 || next() < 0.15) return pick(ODD_VALUES);
  if (Array.isArray(value)) return value.map((item) => mutateJson(item, next, keys, depth + 1));
  if (value && typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const roll = next();
      if (roll < 0.1) continue;
      result[roll < 0.15 ? `${key}_` : key] = roll < 0.5 ? mutateJson(item, next, keys, depth + 1) : item;
    }
    if (next() < 0.2) result[pick(keys)] = pick(ODD_VALUES);
    return result;
  }
  return next() < 0.5 ? pick(ODD_VALUES) : value;
}

/** Retries a check until it passes or the time is up, then fails with its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A plain-text message from a Matrix user, as the core hands it to a connector. */
export function plainOutgoingMessage(text: string, eventId: string, resumed: boolean, threadRoot?: string): OutgoingMessage {
  return {
    sender: { userId: "@alice:example.org", displayName: "Alice" },
    style: "text",
    text: [{ type: "paragraph", children: [{ type: "text", text }] }],
    mayPingRoom: false,
    idempotencyKey: eventId,
    resumed,
    threadRoot,
  };
}
