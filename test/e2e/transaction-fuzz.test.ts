// Random mutations of real Matrix events thrown at the transaction endpoint: Parley must
// answer every one without crashing, keep its store intact, and still bridge a valid
// event afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixUser } from "../harness/matrix-user.js";
import { startParley, type ParleyUnderTest } from "./parley-harness.js";
import { mutateJson, seededRandom } from "../harness/test-utils.js";

const BOT = "@parley:localhost";
let env: ParleyUnderTest;
let alice: MatrixUser;
let dm: string;

const MATRIX_KEYS = ["content", "type", "event_id", "room_id", "sender", "redacts", "state_key"];
const mutate = (value: unknown, next: () => number) => mutateJson(value, next, MATRIX_KEYS);

function fixtures(): Record<string, unknown>[] {
  const base = { room_id: dm, sender: alice.userId, origin_server_ts: Date.now() };
  return [
    { ...base, event_id: "$m", type: "m.room.message", content: { msgtype: "m.text", body: "hello", format: "org.matrix.custom.html", formatted_body: "<b>hello</b>" } },
    { ...base, event_id: "$e", type: "m.room.message", content: { msgtype: "m.text", body: "* hi", "m.new_content": { msgtype: "m.text", body: "hi" }, "m.relates_to": { rel_type: "m.replace", event_id: "$m" } } },
    { ...base, event_id: "$r", type: "m.reaction", content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$m", key: "👍" } } },
    { ...base, event_id: "$d", type: "m.room.redaction", redacts: "$m", content: { redacts: "$m" } },
    { ...base, event_id: "$i", type: "m.room.member", state_key: BOT, content: { membership: "invite", is_direct: true } },
    { ...base, event_id: "$f", type: "m.room.message", content: { msgtype: "m.image", body: "a.png", url: "mxc://localhost/abc", info: { mimetype: "image/png", size: 3 } } },
    { ...base, event_id: "$t", type: "m.room.message", content: { msgtype: "m.text", body: "in thread", "m.relates_to": { rel_type: "m.thread", event_id: "$m", "m.in_reply_to": { event_id: "$m" } } } },
  ];
}

beforeAll(async () => {
  env = await startParley();
  alice = await env.synapse.registerUser("alice");
  dm = await alice.createDirectRoom(BOT);
  await alice.waitForEvent(dm, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
});

afterAll(async () => {
  await env?.stop();
});

describe("transaction fuzzing", () => {
  it("answers 600 mutated transactions with 200 or 400 and never falls over", async () => {
    const next = seededRandom(20261122);
    const statuses = new Set<number>();
    for (let round = 0; round < 600; round++) {
      const events = fixtures().map((event, index) => {
        const mutated = mutate(event, next);
        // Keep ids unique, or the dedupe would hide most rounds from the handlers.
        if (mutated && typeof mutated === "object" && typeof (mutated as Record<string, unknown>).event_id === "string") {
          (mutated as Record<string, unknown>).event_id = `$fuzz-${round}-${index}`;
        }
        return mutated;
      });
      const body = next() < 0.05 ? mutate({ events }, next) : { events, ephemeral: mutate([{ type: "m.typing" }], next) };
      const response = await fetch(`${env.parleyUrl}/_matrix/app/v1/transactions/fuzz-${round}`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${env.registration.hs_token}` },
        body: JSON.stringify(body) ?? "null",
      });
      statuses.add(response.status);
      expect([200, 400]).toContain(response.status);
    }
    expect(statuses.has(200)).toBe(true);
    // Every stored event was handled (done or failed), none left hanging.
    await env.parley.core.queue.drain();
    expect(await env.parley.store.inboxPending()).toEqual([]);
  });

  it("still answers a real user afterwards", async () => {
    await alice.sendText(dm, "ping");
    await alice.waitForEvent(dm, (event) => event.sender === BOT && String(event.content.body).startsWith("Pong!"), { timeoutMs: 20_000 });
  });
});
