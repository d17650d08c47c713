// Plumbing existing rooms with !slack bridge and !slack unbridge, and a channel's life on Slack
// (renames, topics, archiving, people coming and going, profile changes) as the room shows it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixUser } from "../../harness/matrix-user.js";
import { aliasOf, ghostOf, messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

const BOT = "@parley:localhost";
let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge();
});

afterAll(async () => {
  await bridge?.stop();
});

/** A room `owner` made, with Parley's bot in it, without any power there. */
async function roomWithBot(owner: MatrixUser, name: string): Promise<string> {
  const roomId = await owner.createRoom({ name, preset: "public_chat" });
  await owner.invite(roomId, BOT);
  await owner.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
  return roomId;
}

const fromBot = (match: (body: string) => boolean) =>
  messageWhere((content, event) => event.sender === BOT && match(String(content.body)));

describe("!slack bridge", () => {
  it("asks for the app to be invited first, then bridges the room both ways", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "design", members: [carol.id] });
    const roomId = await roomWithBot(admin, "Design talk");
    await admin.sendText(roomId, "!slack bridge design");
    await admin.waitForEvent(roomId, fromBot((body) => body === "Parley's Slack app is not in #design yet: invite it there on Slack (/invite), then run this again."));
    sim.inviteBot(channel.id, { by: carol.id });
    await admin.sendText(roomId, "!slack bridge #design");
    await admin.waitForEvent(roomId, fromBot((body) => body === "This room is now bridged to #design in Acme."));
    expect(await admin.getState(roomId, "m.room.name")).toEqual({ name: "Design talk" });
    sim.userPosts(channel.id, carol.id, { text: "p1 hello plumbed room" });
    await admin.waitForEvent(roomId, messageWhere((content) => content.body === "p1 hello plumbed room"));
    await admin.sendText(roomId, "p2 hello from the plumbed room");
    await waitForSlack(() => slackMessageWith(sim, channel.id, (message) => message.text === "p2 hello from the plumbed room"), "p2");
  });

  it("bridges a private channel, which no alias can open, by its id", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "hush", is_private: true, members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    await expect(admin.joinRoom(aliasOf(team.id, channel.id))).rejects.toThrow();
    const roomId = await roomWithBot(admin, "Hush");
    await admin.sendText(roomId, `!slack bridge ${channel.id}`);
    await admin.waitForEvent(roomId, fromBot((body) => body === "This room is now bridged to #hush in Acme."));
    sim.userPosts(channel.id, carol.id, { text: "p3 secret hello" });
    await admin.waitForEvent(roomId, messageWhere((content) => content.body === "p3 secret hello"));
  });

  it("is refused to someone who may not change the room's power levels", async () => {
    const { sim, team, carol, admin, alice } = bridge;
    const channel = sim.createChannel(team.id, { name: "refused", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    const roomId = await roomWithBot(admin, "Not Alice's");
    await alice.joinRoom(roomId);
    await alice.sendText(roomId, "!slack bridge refused");
    await alice.waitForEvent(roomId, fromBot((body) => body === "Only someone who may change this room's power levels can bridge or unbridge it."));
    expect(await bridge.env.parley.store.portalsInRoom(roomId)).toEqual([]);
  });
});

describe("an encrypted bridged room", () => {
  it("is told, once, that Parley cannot read it, and nothing encrypted reaches Slack", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "secretive", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    const roomId = await roomWithBot(admin, "Secretive");
    await admin.sendText(roomId, "!slack bridge secretive");
    await admin.waitForEvent(roomId, fromBot((body) => body === "This room is now bridged to #secretive in Acme."));
    await admin.setState(roomId, "m.room.encryption", "", { algorithm: "m.megolm.v1.aes-sha2" });
    const warning = "⚠️ This room is encrypted, and Parley cannot read encrypted messages: nothing sent here from now on is bridged. " +
      "Encryption cannot be turned off in a room; bridge a new, unencrypted room instead.";
    await admin.waitForEvent(roomId, fromBot((body) => body === warning));
    const ciphertext = { algorithm: "m.megolm.v1.aes-sha2", sender_key: "key", session_id: "session", device_id: "DEVICE", ciphertext: "AwgAEnAc" };
    await admin.sendEvent(roomId, "m.room.encrypted", ciphertext);
    await admin.sendEvent(roomId, "m.room.encrypted", ciphertext);
    sim.userPosts(channel.id, carol.id, { text: "e1 still heard from Slack" });
    await admin.waitForEvent(roomId, messageWhere((content) => content.body === "e1 still heard from Slack"));
    await settle(1000);
    const warnings = (await admin.roomMessages(roomId, { limit: 30 })).filter((event) => event.sender === BOT && event.content.body === warning);
    expect(warnings).toHaveLength(1);
    const postedByParley = sim.messages(channel.id).filter((message) => message.subtype !== "channel_join" && (message.user === team.botUserId || message.bot_id === team.botId));
    expect(postedByParley).toEqual([]);
  });
});

describe("!slack unbridge", () => {
  it("stops the bridging and says so", async () => {
    const { sim, team, carol, admin } = bridge;
    const channel = sim.createChannel(team.id, { name: "short-lived", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    const roomId = await roomWithBot(admin, "Short-lived");
    await admin.sendText(roomId, "!slack bridge short-lived");
    await admin.waitForEvent(roomId, fromBot((body) => body.startsWith("This room is now bridged")));
    await admin.sendText(roomId, "!slack unbridge");
    await admin.waitForEvent(roomId, fromBot((body) => body === `This room is no longer bridged to Slack: unbridged by ${admin.userId}`));
    sim.userPosts(channel.id, carol.id, { text: "p4 nobody hears this" });
    await admin.sendText(roomId, "p5 nor this");
    await settle();
    expect((await admin.roomMessages(roomId, { limit: 10 })).some((event) => event.content.body === "p4 nobody hears this")).toBe(false);
    expect(slackMessageWith(sim, channel.id, (message) => message.text === "p5 nor this")).toBeUndefined();
  });

  it("leaves what was said while unbridged on Slack, even after bridging again and a restart", async () => {
    const { sim, team, carol, admin, env } = bridge;
    const channel = sim.createChannel(team.id, { name: "on-and-off", members: [carol.id] });
    sim.inviteBot(channel.id, { by: carol.id });
    const roomId = await roomWithBot(admin, "On and off");
    await admin.sendText(roomId, "!slack bridge on-and-off");
    await admin.waitForEvent(roomId, fromBot((body) => body.startsWith("This room is now bridged")));
    sim.userPosts(channel.id, carol.id, { text: "p6 while bridged" });
    await admin.waitForEvent(roomId, messageWhere((content) => content.body === "p6 while bridged"));
    await admin.sendText(roomId, "!slack unbridge");
    await admin.waitForEvent(roomId, fromBot((body) => body.startsWith("This room is no longer bridged")));
    // Said during a long outage, which Slack gives up delivering: only history has it.
    await env.stopParley();
    sim.userPosts(channel.id, carol.id, { text: "p7 while unbridged" });
    sim.giveUpUndelivered(team.id);
    await env.startParleyAgain();
    await settle(1100);
    await admin.sendText(roomId, "!slack bridge on-and-off");
    await admin.waitForEvent(roomId, fromBot((body) => body.startsWith("This room is now bridged")));
    await env.restartParley();
    sim.userPosts(channel.id, carol.id, { text: "p8 bridged again" });
    await admin.waitForEvent(roomId, messageWhere((content) => content.body === "p8 bridged again"), { timeoutMs: 20_000 });
    const bodies = (await admin.roomMessages(roomId, { limit: 30 })).map((event) => event.content.body);
    expect(bodies).not.toContain("p7 while unbridged");
  });
});

describe("the channel's life on Slack", () => {
  it("a rename renames the room", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.renameChannel(channelId, carol.id, "general-chat");
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.name" && event.content.name === "general-chat");
  });

  it("a new topic, or a purpose where there is no topic, becomes the room topic", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.setTopic(channelId, carol.id, "Quarterly planning");
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.topic" && event.content.topic === "Quarterly planning");
    sim.setTopic(channelId, carol.id, "");
    sim.setPurpose(channelId, carol.id, "Everything, really");
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.topic" && event.content.topic === "Everything, really");
  });

  it("archiving and unarchiving are told, and the room stays bridged", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.archive(channelId, carol.id);
    await alice.waitForEvent(roomId, fromBot((body) => body.startsWith("The Slack channel was archived")));
    sim.unarchive(channelId, carol.id);
    await alice.waitForEvent(roomId, fromBot((body) => body.startsWith("The Slack channel was unarchived")));
    sim.userPosts(channelId, carol.id, { text: "a1 back again" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "a1 back again"));
  });

  it("people joining and leaving show as the room's membership", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const erin = sim.createUser(team.id, { name: "erin", real_name: "Erin Example" });
    sim.userJoins(channelId, erin.id);
    const ghost = ghostOf(team.id, erin.id);
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === ghost && event.content.membership === "join");
    sim.userLeaves(channelId, erin.id);
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === ghost && event.content.membership === "leave");
  });

  it("a changed Slack profile renames the ghost", async () => {
    const { sim, team, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { text: "a2 before the change" });
    await alice.waitForEvent(roomId, messageWhere((content) => content.body === "a2 before the change"));
    sim.updateUserProfile(carol.id, { display_name: "Caroline" });
    const ghost = ghostOf(team.id, carol.id);
    await alice.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === ghost && event.content.displayname === "Caroline");
  });
});
