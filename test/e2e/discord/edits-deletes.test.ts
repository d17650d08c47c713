// Edits and deletions both ways, and long Matrix messages that Discord needs as several:
// every part is edited or deleted with the message it belongs to.
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { eventually, ghostOf, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;

beforeAll(async () => {
  bridge = await startDiscordBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

const replacing = (eventId: string) => (event: MatrixEvent) =>
  (event.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined)?.rel_type === "m.replace" &&
  (event.content["m.relates_to"] as { event_id?: string }).event_id === eventId;

describe("edits", () => {
  it("turn a Discord edit into m.replace with the * fallback", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = sim.userSendsMessage(channelId, bob, { content: "teh plan" });
    const original = await alice.waitForEvent(roomId, withBody("teh plan"));
    sim.userEditsMessage(sent.id, { content: "the **plan**" });
    const edit = await alice.waitForEvent(roomId, replacing(original.event_id));
    expect(edit.sender).toBe(ghostOf(bob));
    expect(edit.content.body).toBe("* the plan");
    expect(edit.content.formatted_body).toBe("* the <strong>plan</strong>");
    expect(edit.content["m.new_content"]).toMatchObject({ msgtype: "m.text", body: "the plan", formatted_body: "the <strong>plan</strong>" });
  });

  it("are bridged whole when Discord's update carries only the fields that changed", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = sim.userSendsMessage(channelId, bob, { content: "version one" });
    const original = await alice.waitForEvent(roomId, withBody("version one"));
    sim.sendSubsetMessageUpdates(true);
    try {
      sim.userEditsMessage(sent.id, { content: "version *two*" });
      const edit = await alice.waitForEvent(roomId, replacing(original.event_id));
      expect(edit.sender).toBe(ghostOf(bob));
      expect(edit.content["m.new_content"]).toMatchObject({ body: "version two", formatted_body: "version <em>two</em>" });
    } finally {
      sim.sendSubsetMessageUpdates(false);
    }
  });

  it("ignore Discord's own updates that only add a link preview", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = sim.userSendsMessage(channelId, bob, { content: "see https://example.org/" });
    const original = await alice.waitForEvent(roomId, withBody("see https://example.org/"));
    sim.unfurlLinks(sent.id, [{ title: "Example Domain", url: "https://example.org/" }]);
    sim.userSendsMessage(channelId, bob, { content: "after the preview" });
    await alice.waitForEvent(roomId, withBody("after the preview"));
    const events = await alice.roomMessages(roomId, { limit: 10 });
    expect(events.some(replacing(original.event_id))).toBe(false);
  });

  it("edit a Matrix message on Discord in place", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const original = await alice.sendText(roomId, "first draft");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "first draft");
    await alice.edit(roomId, original, "final draft", "<em>final</em> draft");
    await eventually(() => expect(sim.message(posted.id)?.content).toBe("*final* draft"));
    expect(sim.message(posted.id)?.edited_timestamp).not.toBeNull();
    expect(sim.messages(channelId).filter((m) => m.content.includes("draft"))).toHaveLength(1);
  });
});

describe("deletes", () => {
  it("redact the Matrix message when a Discord message is deleted", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = sim.userSendsMessage(channelId, bob, { content: "oops, wrong channel" });
    const event = await alice.waitForEvent(roomId, withBody("oops, wrong channel"));
    sim.userDeletesMessage(sent.id);
    await eventually(async () => expect((await alice.getEvent(roomId, event.event_id)).unsigned?.redacted_because).toBeDefined());
  });

  it("redact every message of a bulk delete", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = ["spam 1", "spam 2", "spam 3"].map((content) => sim.userSendsMessage(channelId, bob, { content }));
    const events: MatrixEvent[] = [];
    for (const body of ["spam 1", "spam 2", "spam 3"]) events.push(await alice.waitForEvent(roomId, withBody(body)));
    sim.bulkDelete(channelId, sent.map((message) => message.id));
    await eventually(async () => {
      for (const event of events) expect((await alice.getEvent(roomId, event.event_id)).unsigned?.redacted_because).toBeDefined();
    });
  });

  it("delete on Discord what a Matrix user redacts, and nothing else", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const eventId = await alice.sendText(roomId, "regrettable");
    const posted = await waitForDiscord(sim, channelId, (m) => m.content === "regrettable");
    await alice.redact(roomId, eventId);
    await eventually(() => expect(sim.message(posted.id)).toBeUndefined());
    // The deletion's echo must not try to redact anything again.
    await delay(500);
    expect(bridge.env.logs.join("\n")).not.toMatch(/Could not bridge a Discord event.*delete/);
  });

  it("delete a Discord user's message when a Matrix moderator redacts it", async () => {
    const { sim, alice, roomId, channelId, bob, env } = bridge;
    const sent = sim.userSendsMessage(channelId, bob, { content: "rule-breaking" });
    const event = await alice.waitForEvent(roomId, withBody("rule-breaking"));
    // The portal's creator, the bridge bot, makes alice a moderator.
    const bot = await env.synapse.appserviceUser();
    await bot.setPowerLevels(roomId, { users: { "@alice:localhost": 50 } });
    await alice.redact(roomId, event.event_id, "spam");
    await eventually(() => expect(sim.message(sent.id)).toBeUndefined());
  });
});

describe("long messages", () => {
  const paragraph = (i: number) => `Paragraph ${i}. ${"All work and no play makes Jack a dull boy. ".repeat(8)}`.trim();
  const long = Array.from({ length: 12 }, (_, i) => paragraph(i)).join("\n\n");

  it("go as several Discord messages, edited and deleted together", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const eventId = await alice.sendText(roomId, long);
    const last = await waitForDiscord(sim, channelId, (m) => m.content.includes("Paragraph 11."));
    const parts = sim.messages(channelId).filter((m) => m.content.includes("Paragraph"));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.content.length).toBeLessThanOrEqual(2000);
    expect(parts.map((m) => m.content).join("\n\n")).toBe(long);
    expect(parts.at(-1)?.id).toBe(last.id);

    const edited = long.replace(/Jack/g, "Jill");
    await alice.edit(roomId, eventId, edited);
    await eventually(() => {
      const now = sim.messages(channelId).filter((m) => m.content.includes("Paragraph"));
      expect(now.map((m) => m.id)).toEqual(parts.map((m) => m.id));
      expect(now.map((m) => m.content).join("\n\n")).toBe(edited);
    });

    await alice.redact(roomId, eventId);
    await eventually(() => expect(sim.messages(channelId).filter((m) => m.content.includes("Paragraph"))).toHaveLength(0));
  });

  it("grow or shrink by parts when an edit changes their number", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const eventId = await alice.sendText(roomId, "short at first");
    const first = await waitForDiscord(sim, channelId, (m) => m.content === "short at first");
    const longer = long.replace(/Paragraph/g, "Section");
    await alice.edit(roomId, eventId, longer);
    await eventually(() => {
      const parts = sim.messages(channelId).filter((m) => m.content.includes("Section"));
      expect(parts.length).toBeGreaterThan(1);
      expect(parts[0]?.id).toBe(first.id);
      expect(parts.map((m) => m.content).join("\n\n")).toBe(longer);
    });
    await alice.edit(roomId, eventId, "short again");
    await eventually(() => {
      expect(sim.message(first.id)?.content).toBe("short again");
      expect(sim.messages(channelId).filter((m) => m.content.includes("Section"))).toHaveLength(0);
    });
    await alice.redact(roomId, eventId);
    await eventually(() => expect(sim.message(first.id)).toBeUndefined());
  });
});
