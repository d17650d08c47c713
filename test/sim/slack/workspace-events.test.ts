// What a bolt app hears when simulated people act: each event in the shape Slack documents for it.
import type { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackSimulator, type SimTeam } from "./index.js";
import { nextEvent, startSocketModeApp, type ReceivedEvent } from "./testing.js";

// A 1x1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

describe("workspace activity as events", () => {
  const sim = new SlackSimulator();
  let team: SimTeam;
  let alice: { id: string };
  let bob: { id: string };
  let channel: { id: string };
  let app: App;
  let received: ReceivedEvent[];
  const messageEvent = (what: string, predicate: (event: Record<string, any>) => boolean) =>
    nextEvent(received, what, (event) => event.type === "message" && event.channel === channel.id && predicate(event));

  beforeAll(async () => {
    await sim.start();
    team = sim.createTeam({ name: "Acme", domain: "acme" });
    alice = sim.createUser(team.id, { name: "alice", real_name: "Alice Liddell" });
    bob = sim.createUser(team.id, { name: "bob" });
    channel = sim.createChannel(team.id, { name: "general", members: [alice.id, bob.id] });
    sim.inviteBot(channel.id, { by: alice.id });
    ({ app, received } = await startSocketModeApp(sim, team));
  });

  afterAll(async () => {
    await app?.stop();
    await sim.stop();
  });

  it("announces an edit as message_changed with the new message, the previous one and `edited`", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "draft" });
    sim.userEdits(channel.id, ts, { text: "final *text*" });
    const event = await messageEvent("the edit", (candidate) => candidate.subtype === "message_changed" && candidate.message.ts === ts);
    expect(event).toMatchObject({ hidden: true, channel_type: "channel", previous_message: { ts, text: "draft", user: alice.id } });
    expect(event.message).toMatchObject({ ts, user: alice.id, text: "final *text*", edited: { user: alice.id } });
    expect(event.message.blocks[0].elements[0].elements).toEqual([{ type: "text", text: "final " }, { type: "text", text: "text", style: { bold: true } }]);
    expect(event.ts).not.toBe(ts);
  });

  it("announces link previews as message_changed with attachments and no `edited`", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "look https://example.com/post" });
    sim.addUnfurls(channel.id, ts, [{ url: "https://example.com/post", title: "A post", service_name: "Example" }]);
    const event = await messageEvent("the unfurl", (candidate) => candidate.subtype === "message_changed" && candidate.message.ts === ts);
    expect(event.message.edited).toBeUndefined();
    expect(event.message.attachments).toEqual([
      { id: 1, from_url: "https://example.com/post", original_url: "https://example.com/post", title_link: "https://example.com/post", fallback: "Example: A post", title: "A post", service_name: "Example" },
    ]);
    expect(event.previous_message.attachments).toBeUndefined();
  });

  it("announces a deletion as message_deleted carrying the previous message", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "oops" });
    sim.userDeletes(channel.id, ts);
    const event = await messageEvent("the deletion", (candidate) => candidate.subtype === "message_deleted" && candidate.deleted_ts === ts);
    expect(event).toMatchObject({ hidden: true, previous_message: { ts, text: "oops" } });
    expect(sim.message(channel.id, ts)).toBeUndefined();
  });

  it("turns a deleted thread root with replies into a tombstone, removed with its last reply", async () => {
    const root = sim.userPosts(channel.id, alice.id, { text: "root" });
    const reply = sim.userPosts(channel.id, bob.id, { text: "reply", thread_ts: root });
    sim.userDeletes(channel.id, root);
    const changed = await messageEvent("the tombstone", (candidate) => candidate.subtype === "message_changed" && candidate.message.ts === root);
    expect(changed.message).toMatchObject({ subtype: "tombstone", text: "This message was deleted.", user: "USLACKBOT", hidden: true, thread_ts: root, reply_count: 1 });
    expect(changed.previous_message).toMatchObject({ text: "root", user: alice.id });
    sim.userDeletes(channel.id, reply);
    await messageEvent("the root going too", (candidate) => candidate.subtype === "message_deleted" && candidate.deleted_ts === root);
    expect(sim.message(channel.id, root)).toBeUndefined();
  });

  it("sends thread replies with parent_user_id, and broadcasts as thread_broadcast with their root", async () => {
    const root = sim.userPosts(channel.id, alice.id, { text: "question" });
    const reply = sim.userPosts(channel.id, bob.id, { text: "answer", thread_ts: root });
    const broadcast = sim.userPosts(channel.id, bob.id, { text: "for everyone", thread_ts: root, reply_broadcast: true });
    const replyEvent = await messageEvent("the reply", (candidate) => candidate.ts === reply);
    expect(replyEvent).toMatchObject({ thread_ts: root, parent_user_id: alice.id });
    expect(replyEvent.subtype).toBeUndefined();
    const broadcastEvent = await messageEvent("the broadcast", (candidate) => candidate.ts === broadcast);
    expect(broadcastEvent).toMatchObject({ subtype: "thread_broadcast", thread_ts: root, root: { ts: root, text: "question", reply_count: 2 } });
    const timeline = sim.messages(channel.id).map((message) => message.ts);
    expect(timeline).toContain(broadcast);
    expect(timeline).not.toContain(reply);
  });

  it("sends reaction_added and reaction_removed with the item and its author", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "nice" });
    sim.userReacts(channel.id, ts, bob.id, "thumbsup");
    const added = await nextEvent(received, "reaction_added", (event) => event.type === "reaction_added" && event.item.ts === ts);
    expect(added).toMatchObject({ user: bob.id, reaction: "+1", item_user: alice.id, item: { type: "message", channel: channel.id, ts } });
    sim.userUnreacts(channel.id, ts, bob.id, "+1");
    await nextEvent(received, "reaction_removed", (event) => event.type === "reaction_removed" && event.item.ts === ts);
    expect(sim.reactions(channel.id, ts)).toEqual([]);
  });

  it("announces renames, topics, purposes and archiving with their events and system messages", async () => {
    sim.renameChannel(channel.id, alice.id, "town-square");
    expect(await nextEvent(received, "channel_rename", (event) => event.type === "channel_rename")).toMatchObject({ channel: { id: channel.id, name: "town-square" } });
    expect(await messageEvent("channel_name", (event) => event.subtype === "channel_name")).toMatchObject({ old_name: "general", name: "town-square", user: alice.id });
    sim.setTopic(channel.id, alice.id, "Weekly sync");
    expect(await messageEvent("channel_topic", (event) => event.subtype === "channel_topic")).toMatchObject({ topic: "Weekly sync", text: `<@${alice.id}> set the channel topic: Weekly sync` });
    sim.setPurpose(channel.id, alice.id, "Everything");
    expect(await messageEvent("channel_purpose", (event) => event.subtype === "channel_purpose")).toMatchObject({ purpose: "Everything" });
    sim.archive(channel.id, alice.id);
    expect(await nextEvent(received, "channel_archive", (event) => event.type === "channel_archive")).toMatchObject({ channel: channel.id, user: alice.id });
    expect(() => sim.userPosts(channel.id, alice.id, { text: "anyone?" })).toThrow(/archived/);
    sim.unarchive(channel.id, alice.id);
    await nextEvent(received, "channel_unarchive", (event) => event.type === "channel_unarchive");
  });

  it("announces people joining and leaving", async () => {
    const carol = sim.createUser(team.id, { name: "carol" });
    sim.userJoins(channel.id, carol.id, { inviter: alice.id });
    expect(await nextEvent(received, "member_joined_channel", (event) => event.type === "member_joined_channel" && event.user === carol.id)).toMatchObject({ channel: channel.id, inviter: alice.id, channel_type: "C" });
    expect(await messageEvent("channel_join", (event) => event.subtype === "channel_join" && event.user === carol.id)).toMatchObject({ text: `<@${carol.id}> has joined the channel` });
    sim.userLeaves(channel.id, carol.id);
    await nextEvent(received, "member_left_channel", (event) => event.type === "member_left_channel" && event.user === carol.id);
  });

  it("sends user_change with the whole updated user", async () => {
    sim.updateUserProfile(alice.id, { display_name: "Ally", status_text: "reading" });
    const event = await nextEvent(received, "user_change", (candidate) => candidate.type === "user_change");
    expect(event.user).toMatchObject({ id: alice.id, name: "alice", real_name: "Alice Liddell", profile: { display_name: "Ally", status_text: "reading" } });
  });

  it("sends another integration's posts as bot_message with its name and icon, and no user", async () => {
    const ci = sim.createIntegrationBot(team.id, { name: "CI", icon_url: "https://example.org/ci.png" });
    const ts = sim.botPosts(channel.id, ci, { text: "build passed" });
    const event = await messageEvent("the bot message", (candidate) => candidate.ts === ts);
    expect(event).toMatchObject({ subtype: "bot_message", bot_id: ci, username: "CI", text: "build passed", icons: { image_48: "https://example.org/ci.png" } });
    expect(event.user).toBeUndefined();
  });

  it("sends a person's upload as file_share, with files the bot token can download", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "a pixel", files: [{ name: "pixel.png", bytes: PNG }] });
    const event = await messageEvent("the file share", (candidate) => candidate.ts === ts);
    expect(event).toMatchObject({ subtype: "file_share", text: "a pixel", upload: false, user: alice.id });
    expect(event.files[0]).toMatchObject({ name: "pixel.png", mimetype: "image/png", filetype: "png", size: PNG.length, mode: "hosted", original_w: 1, original_h: 1, user: alice.id });
    const download = await fetch(event.files[0].url_private_download, { headers: { Authorization: `Bearer ${team.botToken}` } });
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("sends /me messages as me_message", async () => {
    const ts = sim.userPosts(channel.id, alice.id, { text: "waves", me: true });
    expect(await messageEvent("the /me message", (candidate) => candidate.ts === ts)).toMatchObject({ subtype: "me_message", text: "waves", user: alice.id });
  });

  it("sends nothing from a private channel the bot is not in", async () => {
    const secret = sim.createChannel(team.id, { name: "secret", is_private: true, members: [alice.id] });
    sim.userPosts(secret.id, alice.id, { text: "just us" });
    const marker = sim.userPosts(channel.id, alice.id, { text: "back in public" });
    await messageEvent("a later public message", (candidate) => candidate.ts === marker);
    expect(received.some(({ event }) => event.channel === secret.id)).toBe(false);
    expect(sim.eventsSent(team.id).some((payload) => (payload.event as Record<string, unknown>).channel === secret.id)).toBe(false);
  });

  it("delivers a direct message the bot is not in on behalf of a member who granted im:history, and no other", async () => {
    const dm = sim.openConversation(team.id, [alice.id, bob.id]);
    const unheard = sim.userPosts(dm, bob.id, { text: "nobody gave the app a token yet" });
    sim.createUserToken(alice.id, ["im:history"]);
    const ts = sim.userPosts(dm, bob.id, { text: "hi alice" });
    const event = await nextEvent(received, "the direct message", (candidate) => candidate.type === "message" && candidate.ts === ts);
    expect(event).toMatchObject({ channel: dm, channel_type: "im", user: bob.id, text: "hi alice" });
    const payload = sim.eventsSent(team.id).find((sent) => (sent.event as Record<string, unknown>).ts === ts);
    expect(payload?.authorizations).toEqual([expect.objectContaining({ user_id: alice.id, is_bot: false })]);
    expect(received.some(({ event }) => event.ts === unheard)).toBe(false);
  });
});
