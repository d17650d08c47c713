import { randomBytes } from "node:crypto";
import winston from "winston";
import { describe, expect, it } from "vitest";
import { AccountLinks } from "../../../src/core/account-links.js";
import type { Connector, LinkedAccount } from "../../../src/core/connector.js";
import { SecretBox } from "../../../src/core/secret-box.js";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store.js";

const log = winston.createLogger({ silent: true });

/** A network whose OAuth hands out one account per code, like a real authorisation server would. */
function network(accounts: Record<string, LinkedAccount>): Pick<Connector, "network" | "displayName" | "accounts"> {
  return {
    network: "slack",
    displayName: "Slack",
    accounts: {
      authorizeUrl: (state, redirectUri) => `https://auth.example/authorize?state=${state}&redirect_uri=${encodeURIComponent(redirectUri)}`,
      exchangeCode: async (code) => {
        const account = accounts[code];
        if (!account) throw new Error("invalid_code");
        return account;
      },
    },
  };
}

async function setup(ttlMs = 60_000) {
  const store = new SqliteStore(":memory:");
  const told: [string, string][] = [];
  const box = new SecretBox(randomBytes(32));
  const links = new AccountLinks(store, box, "https://parley.example", ttlMs,
    async (roomId, text) => { told.push([roomId, text]); }, async () => "!dm:hs", log);
  const connector = network({ good: { remoteUserId: "T1/U1", displayName: "alice", credentials: '{"token":"xoxp-1"}' } });
  const replies: string[] = [];
  const link = links.commandsFor(connector).find((command) => command.name === "link");
  await link?.run({ sender: "@alice:hs", roomId: "!dm:hs", eventId: "$e", isDirect: true, args: [], reply: async (text) => { replies.push(text); } });
  const state = new URL(/https:\/\/\S+/.exec(replies[0] ?? "")?.[0] ?? "https://x").searchParams.get("state") ?? "";
  return { store, told, box, links, connector, replies, state };
}

describe("SecretBox", () => {
  it("opens what it sealed, with a fresh IV every time, and refuses tampering or the wrong key", () => {
    const box = new SecretBox(randomBytes(32));
    const a = box.seal("xoxp-secret");
    expect(a).not.toContain("xoxp-secret");
    expect(box.seal("xoxp-secret")).not.toBe(a);
    expect(box.open(a)).toBe("xoxp-secret");
    const [version, iv, tag, data] = a.split(":");
    const flipped = Buffer.from(data ?? "", "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([version, iv, tag, flipped.toString("base64")].join(":"))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(a)).toThrow();
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("AccountLinks", () => {
  it("hands out an authorisation URL with the callback and a state", async () => {
    const { replies, state } = await setup();
    expect(replies[0]).toContain("redirect_uri=https%3A%2F%2Fparley.example%2Foauth%2Fslack%2Fcallback");
    expect(state.length).toBeGreaterThan(20);
  });

  it("links on a valid callback, stores the credentials encrypted, and confirms in the DM", async () => {
    const { store, told, box, links, connector, state } = await setup();
    const outcome = await links.complete(connector, "slack", state, "good");
    expect(outcome).toMatchObject({ ok: true });
    const [link] = await store.getUserLinks("@alice:hs");
    expect(link).toMatchObject({ matrixUserId: "@alice:hs", network: "slack", remoteUserId: "T1/U1", status: "ok" });
    expect(link?.secret).not.toContain("xoxp-1");
    expect(box.open(link?.secret ?? "")).toBe('{"token":"xoxp-1"}');
    expect(await links.credentialsFor("@alice:hs", "slack")).toBe('{"token":"xoxp-1"}');
    expect(told).toEqual([["!dm:hs", "Linked your Slack account alice (T1/U1)."]]);
  });

  it("refuses a replayed state, a made-up state, another network's state and an expired one", async () => {
    const first = await setup();
    await first.links.complete(first.connector, "slack", first.state, "good");
    expect(await first.links.complete(first.connector, "slack", first.state, "good")).toMatchObject({ ok: false, reason: expect.stringContaining("already used") });
    expect(await first.links.complete(first.connector, "slack", "made-up", "good")).toMatchObject({ ok: false });

    const other = await setup();
    expect(await other.links.complete(other.connector, "discord", other.state, "good")).toMatchObject({ ok: false, reason: expect.stringContaining("another network") });

    const expired = await setup(-1);
    expect(await expired.links.complete(expired.connector, "slack", expired.state, "good")).toMatchObject({ ok: false, reason: expect.stringContaining("expired") });
    expect(await expired.store.getUserLinks("@alice:hs")).toEqual([]);
  });

  it("reports a code the network refuses, without linking", async () => {
    const { store, told, links, connector, state } = await setup();
    expect(await links.complete(connector, "slack", state, "bad")).toMatchObject({ ok: false });
    expect(await store.getUserLinks("@alice:hs")).toEqual([]);
    expect(told[0]?.[1]).toContain("invalid_code");
  });

  it("marks a refused link broken, tells its owner, and stops handing out its credentials", async () => {
    const { store, told, links, connector, state } = await setup();
    await links.complete(connector, "slack", state, "good");
    await links.markBroken("@alice:hs", connector, "token_revoked");
    expect((await store.getUserLinks("@alice:hs"))[0]?.status).toBe("broken");
    expect(await links.credentialsFor("@alice:hs", "slack")).toBeUndefined();
    expect(told.at(-1)?.[1]).toContain("stopped working (token_revoked)");
  });

  it("unlinks and says so", async () => {
    const { store, links, connector, state } = await setup();
    await links.complete(connector, "slack", state, "good");
    const replies: string[] = [];
    await links.commandsFor(connector).find((command) => command.name === "unlink")?.run({
      sender: "@alice:hs", roomId: "!dm:hs", eventId: "$e", isDirect: true, args: [], reply: async (text) => { replies.push(text); },
    });
    expect(await store.getUserLinks("@alice:hs")).toEqual([]);
    expect(replies).toEqual(["Unlinked your Slack account. Parley has deleted its credentials."]);
  });
});
