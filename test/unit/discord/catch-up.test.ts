// Catching up on edits and deletions: which bridged messages Discord's history shows edited
// or gone, read newest first, and only as far as history was read.
import { DiscordAPIError, RESTJSONErrorCodes, type APIMessage, type Client } from "discord.js";
import { describe, expect, it } from "vitest";
import { catchUp, type CatchUpDeps } from "../../../src/connectors/discord/catch-up.js";

const GUILD = "100";
const CHANNEL = "200";

function message(id: number, edited?: string, channelId = CHANNEL): APIMessage {
  return { id: String(id), channel_id: channelId, edited_timestamp: edited ?? null } as APIMessage;
}

/**
 * A channel holding `history` (ids ascending), and threads holding theirs, answering REST pages
 * newest first like Discord; a thread not listed answers Unknown Channel, as a deleted one does.
 */
function fakeClient(history: APIMessage[], requests: URLSearchParams[], threads: Record<string, APIMessage[]> = {}): Client {
  const get = async (route: string, options?: { query?: URLSearchParams }) => {
    if (route.startsWith(`/guilds/${GUILD}/threads`)) return { threads: [] };
    const channel = /^\/channels\/(\d+)\/messages/.exec(route)?.[1];
    const messages = channel === CHANNEL ? history : threads[channel!];
    if (!messages) throw new DiscordAPIError({ code: RESTJSONErrorCodes.UnknownChannel, message: "Unknown Channel" }, RESTJSONErrorCodes.UnknownChannel, 404, "GET", route, {});
    const query = options!.query!;
    requests.push(query);
    const limit = Number(query.get("limit"));
    const before = query.get("before");
    const after = query.get("after");
    if (before) return messages.filter((m) => BigInt(m.id) < BigInt(before)).slice(-limit).reverse();
    return messages.filter((m) => BigInt(m.id) > BigInt(after!)).slice(0, limit).reverse();
  };
  return { rest: { get } } as unknown as Client;
}

async function run(history: APIMessage[], bridged: string[], after: string, threads: Record<string, APIMessage[]> = {}) {
  const log: string[] = [];
  const requests: URLSearchParams[] = [];
  const deps: CatchUpDeps = {
    client: fakeClient(history, requests, threads),
    recentlyBridged: async () => bridged.map((remoteId) => ({ remoteId })),
    replay: async (_guild, m) => void log.push(`message ${m.id}`),
    replayEdit: async (_guild, m) => void log.push(`edit ${m.id}`),
    replayDeletes: async (_guild, place, ids) => void log.push(`delete ${place.threadId ?? place.parentId} ${ids.join(",")}`),
  };
  await catchUp(deps, `${GUILD}/${CHANNEL}`, after, 0);
  return { log, requests };
}

describe("catching up on Discord edits and deletions", () => {
  it("replays new messages, then edits oldest first, then one delete", async () => {
    const history = [message(10), message(11, "2026-01-02T00:00:00Z"), message(13, "2026-01-01T00:00:00Z"), message(14), message(15)];
    const { log } = await run(history, ["13", "12", "11", "10", "300/12"], "13", { 300: [message(12, undefined, "300")] });
    expect(log).toEqual(["message 14", "message 15", "edit 13", "edit 11", `delete ${CHANNEL} 12`]);
  });

  it("checks the messages of threads too, each in its own history", async () => {
    const thread = [message(20, "2026-01-03T00:00:00Z", "300"), message(22, undefined, "300")];
    const { log } = await run([message(10, "2026-01-04T00:00:00Z")], ["300/22", "300/21", "300/20", "10"], "10", { 300: thread });
    expect(log).toEqual(["edit 20", "edit 10", "delete 300 21"]);
  });

  it("takes every bridged message of a thread that is gone as deleted", async () => {
    const { log } = await run([message(10)], ["400/31", "400/30", "10"], "10");
    expect(log).toEqual(["delete 400 30,31"]);
  });

  it("judges no message older than the history it read", async () => {
    // 700 Matrix messages (webhooks) between two bridged ones: more than the pages read.
    const history = [message(1), ...Array.from({ length: 700 }, (_, i) => message(1000 + i)), message(5000, "2026-01-01T00:00:00Z")];
    const { log, requests } = await run(history, ["5000", "2"], "5000");
    expect(log).toEqual(["edit 5000"]);
    expect(requests.filter((query) => query.has("before"))).toHaveLength(5);
  });

  it("finds a message deleted at the beginning of the channel", async () => {
    const { log } = await run([message(3)], ["3", "2"], "3");
    expect(log).toEqual([`delete ${CHANNEL} 2`]);
  });
});
