// Messages both ways, as each side's people see them: text and formatting, who sent it
// (names and avatars), mentions, emotes and notices, custom emoji, bots' embeds, profile
// changes and typing, and that nothing comes back to where it came from.
import { OverwriteType, PermissionFlagsBits } from "discord.js";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { solidColorPng } from "../../sim/discord/index.js";
import { BOB_AVATAR, eventually, ghostOf, startDiscordBridge, waitForDiscord, withBody, type DiscordBridge } from "./discord-bridge.js";

let bridge: DiscordBridge;
let carol: string;

const fromGhost = (discordUserId: string, body: string) => (event: MatrixEvent) =>
  event.sender === ghostOf(discordUserId) && event.type === "m.room.message" && event.content.body === body;

beforeAll(async () => {
  bridge = await startDiscordBridge();
  carol = bridge.sim.createUser({ username: "carol", global_name: "Carol" });
  bridge.sim.addMember(bridge.guildId, carol);
});

afterAll(async () => {
  await bridge?.stop();
});

describe("Discord to Matrix", () => {
  it("shows a message with its formatting, from a ghost with the member's nick and avatar", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "hello **bold** and ||hidden||" });
    // The plain body keeps the spoiler hidden, as the spec asks.
    const event = await alice.waitForEvent(roomId, fromGhost(bob, "hello bold and [Spoiler]"));
    expect(event.content.msgtype).toBe("m.text");
    expect(event.content.formatted_body).toBe("hello <strong>bold</strong> and <span data-mx-spoiler>hidden</span>");
    const profile = await alice.getProfile(ghostOf(bob));
    expect(profile.displayname).toBe("Bob the Builder");
    expect((await alice.downloadMedia(profile.avatar_url as string)).bytes.equals(BOB_AVATAR)).toBe(true);
  });

  it("turns a user mention into a pill that notifies the ghost", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, carol, { content: `thanks <@${bob}>!` });
    const event = await alice.waitForEvent(roomId, fromGhost(carol, "thanks @Bob the Builder!"));
    expect(event.content.formatted_body).toBe(`thanks <a href="https://matrix.to/#/${ghostOf(bob)}">@Bob the Builder</a>!`);
    expect(event.content["m.mentions"]).toEqual({ user_ids: [ghostOf(bob)] });
  });

  it("pings the room for @everyone only when Discord let it ping", async () => {
    const { sim, alice, roomId, channelId, guildId } = bridge;
    sim.userSendsMessage(channelId, carol, { content: "@everyone meeting now" });
    const ping = await alice.waitForEvent(roomId, fromGhost(carol, "@room meeting now"));
    expect(ping.content["m.mentions"]).toEqual({ room: true, user_ids: [] });

    const dave = sim.createUser({ username: "dave" });
    sim.addMember(guildId, dave);
    sim.setPermissionOverwrites(channelId, [{ id: dave, type: OverwriteType.Member, allow: 0n, deny: PermissionFlagsBits.MentionEveryone }]);
    sim.userSendsMessage(channelId, dave, { content: "@everyone hello?" });
    const harmless = await alice.waitForEvent(roomId, fromGhost(dave, "@everyone hello?"));
    expect(harmless.content["m.mentions"]).toEqual({ user_ids: [] });
    sim.setPermissionOverwrites(channelId, []);
  });

  it("links a channel mention to its room (or the alias that opens one) and names a role", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    const other = sim.createChannel(guildId, { name: "random" });
    const role = sim.createRole(guildId, { name: "Gardeners", mentionable: true });
    sim.userSendsMessage(channelId, bob, { content: `see <#${channelId}> and <#${other}>, <@&${role}>` });
    const event = await alice.waitForEvent(roomId, fromGhost(bob, "see #general and #random, @Gardeners"));
    expect(event.content.formatted_body).toBe(
      `see <a href="https://matrix.to/#/${roomId}">#general</a> and ` +
        `<a href="https://matrix.to/#/#discord_${guildId}_${other}:localhost">#random</a>, @Gardeners`,
    );
  });

  it("shows /me as an emote and a silent message as a notice", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { content: "_waves_" });
    expect((await alice.waitForEvent(roomId, fromGhost(bob, "waves"))).content.msgtype).toBe("m.emote");
    sim.userSendsMessage(channelId, bob, { content: "quiet please", silent: true });
    expect((await alice.waitForEvent(roomId, fromGhost(bob, "quiet please"))).content.msgtype).toBe("m.notice");
  });

  it("shows custom emoji inline as images uploaded once", async () => {
    const { sim, alice, roomId, channelId, guildId, bob } = bridge;
    const image = solidColorPng(24, 24, [0, 200, 0]);
    const emoji = sim.createEmoji(guildId, "frog", false, image);
    sim.userSendsMessage(channelId, bob, { content: `look <:frog:${emoji}>` });
    const first = await alice.waitForEvent(roomId, fromGhost(bob, "look :frog:"));
    const src = /<img data-mx-emoticon src="(mxc:\/\/[^"]+)" alt=":frog:"/.exec(String(first.content.formatted_body))?.[1];
    expect(src).toBeDefined();
    expect((await alice.downloadMedia(src as string)).bytes.equals(image)).toBe(true);
    sim.userSendsMessage(channelId, bob, { content: `again <:frog:${emoji}>` });
    const second = await alice.waitForEvent(roomId, fromGhost(bob, "again :frog:"));
    expect(String(second.content.formatted_body)).toContain(`src="${src}"`);
  });

  it("shows a bot's embed as readable text, with no HTML of its own", async () => {
    const { sim, alice, roomId, channelId, guildId } = bridge;
    const ci = sim.createUser({ username: "CI", bot: true });
    sim.addMember(guildId, ci);
    sim.userSendsMessage(channelId, ci, {
      embeds: [{ title: "Build #12 <img src=x onerror=alert(1)>", url: "https://ci.example/12", description: "All **green**", fields: [{ name: "Branch", value: "main" }] }],
    });
    const event = await alice.waitForEvent(roomId, (e) => e.sender === ghostOf(ci) && e.type === "m.room.message");
    expect(event.content.body).toContain("Build #12 <img src=x onerror=alert(1)>");
    expect(event.content.formatted_body).toBe(
      '<blockquote><p><strong><a href="https://ci.example/12">Build #12 &lt;img src=x onerror=alert(1)&gt;</a></strong></p>' +
        "<p>All <strong>green</strong></p><p><strong>Branch</strong></p><p>main</p></blockquote>",
    );
    expect((await alice.getProfile(ghostOf(ci))).displayname).toBe("CI (bot)");
  });

  it("follows a member's new nick", async () => {
    const { sim, alice, guildId, bob } = bridge;
    sim.updateMember(guildId, bob, { nick: "Robert" });
    await eventually(async () => expect((await alice.getProfile(ghostOf(bob))).displayname).toBe("Robert"));
    sim.updateMember(guildId, bob, { nick: "Bob the Builder" });
    await eventually(async () => expect((await alice.getProfile(ghostOf(bob))).displayname).toBe("Bob the Builder"));
  });

  it("shows a Discord member typing", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userStartsTyping(channelId, bob);
    await alice.waitForTyping(roomId, ghostOf(bob));
  });
});

describe("Matrix to Discord", () => {
  it("posts through the channel's webhook under the sender's name and avatar", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const avatar = solidColorPng(48, 48, [250, 200, 0]);
    await alice.setAvatarUrl(await alice.uploadMedia(avatar, "image/png", "alice.png"));
    await alice.sendHtml(roomId, "hi **there**", "hi <strong>there</strong> and <em>you</em>");
    const message = await waitForDiscord(sim, channelId, (m) => m.content === "hi **there** and *you*");
    expect(message.author.username).toBe("Alice");
    expect(message.webhook_id).toBeDefined();
    const stored = await fetch(`${sim.cdnBaseUrl}/avatars/${message.webhook_id}/${message.author.avatar}.png`);
    expect(Buffer.from(await stored.arrayBuffer()).equals(avatar)).toBe(true);
    expect(message.webhookAvatarUrl).not.toContain(bridge.env.synapse.baseUrl);
  });

  it("follows the sender's new display name from the next message", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendText(roomId, "before the rename");
    expect((await waitForDiscord(sim, channelId, (m) => m.content === "before the rename")).author.username).toBe("Alice");
    await alice.setDisplayName("Alice Liddell");
    await alice.sendText(roomId, "after the rename");
    expect((await waitForDiscord(sim, channelId, (m) => m.content === "after the rename")).author.username).toBe("Alice Liddell");
    await alice.setDisplayName("Alice");
  });

  it("links an inline image to the file as Parley serves it", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const image = solidColorPng(8, 8, [0, 128, 255]);
    const mxc = await alice.uploadMedia(image, "image/png", "dot.png");
    await alice.sendHtml(roomId, "look: dot", `look: <img src="${mxc}" alt="dot">`);
    const message = await waitForDiscord(sim, channelId, (m) => m.content.startsWith("look: "));
    const url = /\((https?:\/\/[^)\s]+)\)/.exec(message.content)?.[1] ?? /https?:\/\/\S+/.exec(message.content)?.[0];
    expect(url).toMatch(new RegExp(`^${bridge.env.parleyUrl}/media/`));
    expect(message.content).not.toContain("mxc://");
    const served = await fetch(url!);
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
  });

  it("tells someone the bridge does not relay for, once, and relays nothing of theirs", async () => {
    const { sim, alice, roomId, channelId, env } = bridge;
    const outsider = await env.synapse.registerUser("outsider");
    await outsider.joinRoom(roomId);
    await outsider.sendText(roomId, "outsider speaking");
    await outsider.sendText(roomId, "outsider again");
    await alice.sendText(roomId, "after the outsider");
    await waitForDiscord(sim, channelId, (m) => m.content === "after the outsider");
    expect(sim.messages(channelId).filter((m) => m.content.startsWith("outsider"))).toEqual([]);
    const notices = (await alice.roomMessages(roomId, { limit: 30 }))
      .filter((event) => event.sender === "@parley:localhost" && String(event.content.body).includes("@outsider:localhost"));
    expect(notices.map((event) => event.content.body)).toEqual([
      "⚠️ Messages from @outsider:localhost are not bridged from this room: this bridge does not relay for them. Its administrator can allow it.",
    ]);
  });

  it("shares a location as a map link", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.location", body: "Big Ben", geo_uri: "geo:51.5007,-0.1246;u=10" });
    const message = await waitForDiscord(sim, channelId, (m) => m.content.includes("Big Ben"));
    expect(message.content).toContain("📍");
    expect(message.content).toContain("https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246#map=16/51.5007/-0.1246");
  });

  it("shows a poll as its question and answers", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendEvent(roomId, "org.matrix.msc3381.poll.start", {
      "org.matrix.msc3381.poll.start": {
        kind: "org.matrix.msc3381.poll.disclosed", max_selections: 1,
        question: { "org.matrix.msc1767.text": "Lunch?" },
        answers: [{ id: "a", "org.matrix.msc1767.text": "Pizza" }, { id: "b", "org.matrix.msc1767.text": "Salad" }],
      },
      "org.matrix.msc1767.text": "Lunch?\n1. Pizza\n2. Salad",
    });
    const message = await waitForDiscord(sim, channelId, (m) => m.content.includes("Lunch?"));
    expect(message.content.replace(/\\/g, "")).toBe("📊 Lunch?\n1. Pizza\n2. Salad\n(vote in Matrix)");
  });

  it("reuses one webhook for every message", async () => {
    const { sim, alice, admin, roomId, channelId } = bridge;
    await alice.sendText(roomId, "one");
    await admin.sendText(roomId, "two");
    await waitForDiscord(sim, channelId, (m) => m.content === "two" && m.author.username === "Admin");
    expect(sim.webhooks(channelId)).toHaveLength(1);
  });

  it("mentions the Discord user behind a ghost's pill, and a Matrix user by name", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    await alice.sendHtml(roomId, "Bob, Admin: hi", `<a href="https://matrix.to/#/${ghostOf(bob)}">Bob</a>, <a href="https://matrix.to/#/@admin:localhost">Admin</a>: hi`);
    const message = await waitForDiscord(sim, channelId, (m) => m.content === `<@${bob}>, Admin: hi`);
    expect(message.mentions.map((user) => user.id)).toEqual([bob]);
  });

  it("never pings everyone for a sender without the power, and keeps markdown literal", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendText(roomId, "@room and @everyone and **stars**");
    const message = await waitForDiscord(sim, channelId, (m) => m.content.startsWith("@room and"));
    expect(message.content).toBe("@room and @\u200beveryone and \\*\\*stars\\*\\*");
    expect(message.mention_everyone).toBe(false);
  });

  it("writes a mention of a bridged room as the channel", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendHtml(roomId, "go to general", `go to <a href="https://matrix.to/#/${roomId}">general</a>`);
    await waitForDiscord(sim, channelId, (m) => m.content === `go to <#${channelId}>`);
  });

  it("shows a Matrix user typing as the bot typing", async () => {
    const { sim, alice, roomId, channelId, env } = bridge;
    sim.clearRequests();
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/typing/${encodeURIComponent(alice.userId)}`;
    const response = await fetch(`${env.synapse.baseUrl}${path}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${alice.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ typing: true, timeout: 10_000 }),
    });
    expect(response.status).toBe(200);
    await eventually(() => expect(sim.requests.some((r) => r.method === "POST" && r.path === `/channels/${channelId}/typing`)).toBe(true));
  });

  it("sends an emote as /me does and a notice silently", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.emote", body: "dances" });
    await waitForDiscord(sim, channelId, (m) => m.content === "_dances_");
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.notice", body: "automated note" });
    const notice = await waitForDiscord(sim, channelId, (m) => m.content === "automated note");
    expect(notice.flags).toBe(4096);
  });

  it("uses the guild's custom emoji for a Matrix one of the same name, else its shortcode", async () => {
    const { sim, alice, roomId, channelId, guildId } = bridge;
    const party = sim.createEmoji(guildId, "party");
    const mxc = await alice.uploadMedia(solidColorPng(8, 8, [1, 2, 3]), "image/png", "party.png");
    await alice.sendHtml(roomId, ":party: :nothere:", `<img data-mx-emoticon src="${mxc}" alt=":party:"> <img data-mx-emoticon src="${mxc}" alt=":nothere:">`);
    await waitForDiscord(sim, channelId, (m) => m.content === `<:party:${party}> :nothere:`);
  });

  it("tells apart two Matrix users with the same name", async () => {
    const { sim, roomId, channelId, env } = bridge;
    const other = await env.synapse.registerUser("alice2", { displayName: "Alice" });
    await other.joinRoom(roomId);
    await other.sendText(roomId, "I am the other Alice");
    const message = await waitForDiscord(sim, channelId, (m) => m.content === "I am the other Alice");
    expect(message.author.username).toBe("Alice (@alice2:localhost)");
  });
});

describe("echoes", () => {
  it("brings nothing back to the side it came from", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const sent = await alice.sendText(roomId, "echo from Matrix");
    sim.userSendsMessage(channelId, bob, { content: "echo from Discord" });
    await waitForDiscord(sim, channelId, (m) => m.content === "echo from Matrix");
    await alice.waitForEvent(roomId, withBody("echo from Discord"));
    await delay(1500);
    expect(sim.messages(channelId).filter((m) => m.content.startsWith("echo from"))).toHaveLength(2);
    const events = (await alice.roomMessages(roomId, { limit: 30 })).filter((e) => String(e.content.body ?? "").startsWith("echo from"));
    expect(events.map((e) => [e.sender, e.content.body]).sort()).toEqual([
      ["@alice:localhost", "echo from Matrix"],
      [ghostOf(bob), "echo from Discord"],
    ]);
    expect(events.find((e) => e.content.body === "echo from Matrix")?.event_id).toBe(sent);
  });
});
