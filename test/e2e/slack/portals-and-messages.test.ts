// Portals on demand, and messages both ways with their senders: what a Matrix user and a Slack
// user each see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAROL_AVATAR, aliasOf, ghostOf, messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";
import { solidColorPng } from "../../sim/discord/image.js";

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

describe("a portal opened by joining its alias", () => {
  it("is named and topic'd after the channel and sits in the workspace's space", async () => {
    const { admin, roomId } = bridge;
    expect(await admin.getState(roomId, "m.room.name")).toEqual({ name: "general" });
    expect(await admin.getState(roomId, "m.room.topic")).toMatchObject({ topic: "Company-wide chatter" });
    const parent = (await admin.roomMessages(roomId, { limit: 100, dir: "f" })).find((event) => event.type === "m.space.parent");
    expect(parent).toBeDefined();
    const spaceId = parent!.state_key!;
    await admin.joinRoom(spaceId);
    expect(await admin.getState(spaceId, "m.room.name")).toEqual({ name: "Acme" });
    expect(await admin.getState(spaceId, "m.space.child", roomId)).toMatchObject({ via: ["localhost"] });
  });

  it("takes the purpose as topic when the channel has none", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "projects", purpose: "Where projects live", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    const roomId = await admin.joinRoom(aliasOf(team.id, channel.id));
    expect(await admin.getState(roomId, "m.room.topic")).toMatchObject({ topic: "Where projects live" });
  });

  it("is refused for a channel Parley's app was not invited to", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "secret-plans", members: [carol.id] });
    await expect(admin.joinRoom(aliasOf(team.id, channel.id))).rejects.toThrow(/M_NOT_FOUND|not found/i);
  });
});

describe("messages from Slack", () => {
  it("arrive from the sender's ghost, named and pictured after their Slack profile", async () => {
    const { sim, team, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "Hello from Slack" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "Hello from Slack"));
    expect(event.sender).toBe(ghostOf(team.id, carol.id));
    expect(event.content.msgtype).toBe("m.text");
    const profile = await alice.getProfile(event.sender);
    expect(profile.displayname).toBe("carol.j");
    const avatar = await alice.downloadMedia(profile.avatar_url!);
    expect(avatar.bytes.equals(CAROL_AVATAR)).toBe(true);
  });

  it("name a person without a display name by their real name", async () => {
    const { sim, team, dave, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, dave.id, { text: "Dave here" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "Dave here"));
    expect((await alice.getProfile(ghostOf(team.id, dave.id))).displayname).toBe("Dave Smith");
    expect(event.sender).toBe(ghostOf(team.id, dave.id));
  });

  it("keep their formatting as HTML with a plain body", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "This is *bold*, _italic_, ~gone~ and `code`" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => String(content.body).startsWith("This is")));
    expect(event.content.formatted_body).toBe("This is <strong>bold</strong>, <em>italic</em>, <del>gone</del> and <code>code</code>");
    expect(event.content.body).toBe("This is bold, italic, gone and `code`");
  });

  it("from another integration's bot come from a ghost named by its bot profile", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const ci = sim.createIntegrationBot(team.id, { name: "CI Bot" });
    sim.botPosts(channelId, ci, { text: "Build *passed*" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "Build passed"));
    expect(event.sender).toBe(ghostOf(team.id, ci));
    expect((await alice.getProfile(event.sender)).displayname).toBe("CI Bot");
  });

  it("from an integration posting under names of its own come from one ghost per name, as Slack shows them", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const hook = sim.createIntegrationBot(team.id, { name: "incoming-webhook" });
    sim.botPosts(channelId, hook, { text: "PR merged", username: "github" });
    sim.botPosts(channelId, hook, { text: "Ticket closed", username: "jira" });
    const merged = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "PR merged"));
    const closed = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "Ticket closed"));
    expect((await alice.getProfile(merged.sender)).displayname).toBe("github");
    expect((await alice.getProfile(closed.sender)).displayname).toBe("jira");
    expect(merged.sender).not.toBe(closed.sender);
    expect(merged.sender).not.toBe(ghostOf(team.id, hook));
  });

  it("as /me arrive as emotes", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "waves hello", me: true });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "waves hello"));
    expect(event.content.msgtype).toBe("m.emote");
  });

  it("that are an app's context blocks arrive as notices", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const ci = sim.createIntegrationBot(team.id, { name: "Deploy Bot" });
    sim.botPosts(channelId, ci, { text: "Deployed v2", blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "Deployed *v2*" }] }] });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "Deployed v2"));
    expect(event.content.msgtype).toBe("m.notice");
    expect(event.content.formatted_body).toBe("Deployed <strong>v2</strong>");
  });
});

describe("messages from Matrix", () => {
  it("are posted under the sender's name and avatar, served from Parley's public URL", async () => {
    const { sim, env, channelId, alice, roomId } = bridge;
    const picture = solidColorPng(3, 3, [10, 200, 10]);
    const avatar = await alice.uploadMedia(picture, "image/png", "me.png");
    await alice.setAvatarUrl(avatar);
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === alice.userId && event.content.avatar_url === avatar);
    await alice.sendText(roomId, "Hello from Matrix");
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "Hello from Matrix"), "Alice's message");
    expect(posted.username).toBe("Alice");
    expect(posted.subtype).toBe("bot_message");
    const icon = (posted.icons as Record<string, string>).image_72!;
    expect(icon.startsWith(`${env.parleyUrl}/media/`)).toBe(true);
    const fetched = Buffer.from(await (await fetch(icon)).arrayBuffer());
    expect(fetched.equals(picture)).toBe(true);
  });

  it("carry their formatting as mrkdwn, with & < > escaped exactly", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    await alice.sendHtml(roomId, "**bold** 1 < 2 & 3", "<strong>bold</strong> <em>and</em> 1 &lt; 2 &amp; 3");
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text.startsWith("*bold*")), "the formatted message");
    expect(posted.text).toBe("*bold* _and_ 1 &lt; 2 &amp; 3");
  });

  it("as emotes read as Slack shows /me: in italics under the sender's name", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.emote", body: "dances" });
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "_dances_"), "the emote");
    expect(posted.username).toBe("Alice");
  });

  it("as notices become a muted context block with the same text as fallback", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.notice", body: "automated note" });
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text === "automated note"), "the notice");
    expect(posted.blocks).toEqual([{ type: "context", elements: [{ type: "mrkdwn", text: "automated note" }] }]);
  });

  it("do not come back to Matrix as echoes", async () => {
    const { alice, roomId } = bridge;
    const eventId = await alice.sendText(roomId, "only once, please");
    await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "only once, please"), "the message");
    await settle();
    const copies = (await alice.roomMessages(roomId, { limit: 30 })).filter((event) => event.content.body === "only once, please");
    expect(copies.map((event) => event.event_id)).toEqual([eventId]);
  });
});
