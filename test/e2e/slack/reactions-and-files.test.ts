// Reactions and files, both ways: the emoji each side sees, reference counting of the bot's
// reactions, and files arriving with their bytes, type and place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { solidColorPng } from "../../sim/discord/image.js";
import { ghostOf, messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

const UPLOAD_LIMIT = 4096;
const PARROT = solidColorPng(3, 2, [9, 9, 9]);

let bridge: SlackBridge;

beforeAll(async () => {
  bridge = await startSlackBridge({ slack: { uploadLimitBytes: UPLOAD_LIMIT } });
  bridge.sim.addEmoji(bridge.team.id, "partyparrot", { bytes: PARROT, mimetype: "image/png" });
});

afterAll(async () => {
  await bridge?.stop();
});

const relation = (event: MatrixEvent) => (event.content["m.relates_to"] ?? {}) as Record<string, any>;

async function slackPostSeen(text: string) {
  const { sim, carol, channelId, alice, roomId } = bridge;
  const ts = sim.userPosts(channelId, carol.id, { text });
  const event = await alice.waitForEvent(roomId, messageWhere((content) => content.body === text));
  return { ts, event };
}

const reactionTo = (eventId: string, key?: string) => (event: MatrixEvent) =>
  event.type === "m.reaction" && relation(event).event_id === eventId && (key === undefined || relation(event).key === key);

describe("reactions from Slack", () => {
  it("+1 becomes 👍 from the reacting person's ghost, and goes away when they take it back", async () => {
    const { sim, team, dave, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r1 vote");
    sim.userReacts(channelId, ts, dave.id, "thumbsup");
    const reaction = await alice.waitForEvent(roomId, reactionTo(event.event_id, "👍"));
    expect(reaction.sender).toBe(ghostOf(team.id, dave.id));
    sim.userUnreacts(channelId, ts, dave.id, "+1");
    await alice.waitForEvent(roomId, (candidate) => candidate.type === "m.room.redaction" && candidate.redacts === reaction.event_id);
  });

  it("keep skin tones", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r2 wave");
    sim.userReacts(channelId, ts, dave.id, "wave::skin-tone-3");
    await alice.waitForEvent(roomId, reactionTo(event.event_id, "👋🏼"));
  });

  it("with a workspace emoji show its picture", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r3 party");
    sim.userReacts(channelId, ts, dave.id, "partyparrot");
    const reaction = await alice.waitForEvent(roomId, reactionTo(event.event_id));
    expect(reaction.content["com.beeper.reaction.shortcode"]).toBe(":partyparrot:");
    const key = relation(reaction).key as string;
    expect(key.startsWith("mxc://")).toBe(true);
    expect((await alice.downloadMedia(key)).bytes.equals(PARROT)).toBe(true);
  });
});

describe("reactions from Matrix", () => {
  it("👍 and ❤ (with or without its variation selector) become +1 and heart", async () => {
    const { sim, channelId, alice, admin, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r4 nice");
    await alice.react(roomId, event.event_id, "👍");
    await admin.react(roomId, event.event_id, "❤");
    await waitForSlack(() => sim.reactions(channelId, ts).length === 2, "both reactions");
    expect(sim.reactions(channelId, ts)).toEqual([
      { name: "+1", users: [bridge.team.botUserId], count: 1 },
      { name: "heart", users: [bridge.team.botUserId], count: 1 },
    ]);
    const { event: other, ts: otherTs } = await slackPostSeen("r4b also nice");
    await alice.react(roomId, other.event_id, "❤️");
    await waitForSlack(() => sim.reactions(channelId, otherTs)[0]?.name === "heart", "the heart with a variation selector");
  });

  it("count: the bot's reaction stays while any Matrix user still holds it", async () => {
    const { sim, channelId, alice, admin, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r5 shared");
    const fromAlice = await alice.react(roomId, event.event_id, "🎉");
    await waitForSlack(() => sim.reactions(channelId, ts).length === 1, "the first reaction");
    const fromAdmin = await admin.react(roomId, event.event_id, "🎉");
    await settle(1000);
    expect(sim.reactions(channelId, ts)).toEqual([{ name: "tada", users: [bridge.team.botUserId], count: 1 }]);
    await alice.redact(roomId, fromAlice);
    await settle(1000);
    expect(sim.reactions(channelId, ts)).toHaveLength(1);
    await admin.redact(roomId, fromAdmin);
    await waitForSlack(() => sim.reactions(channelId, ts).length === 0, "the reaction's removal");
  });

  it("with a custom emoji use the workspace emoji of that name", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event } = await slackPostSeen("r6 custom");
    const mxc = await alice.uploadMedia(PARROT, "image/png", "partyparrot.png");
    await alice.sendEvent(roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: event.event_id, key: mxc },
      "com.beeper.reaction.shortcode": ":partyparrot:",
    });
    await waitForSlack(() => sim.reactions(channelId, ts)[0]?.name === "partyparrot", "the custom reaction");
  });

  it("do not come back as reactions from Slack", async () => {
    const { alice, roomId } = bridge;
    const { event } = await slackPostSeen("r7 echo check");
    await alice.react(roomId, event.event_id, "👀");
    await settle();
    const reactions = (await alice.roomMessages(roomId, { limit: 20 })).filter(reactionTo(event.event_id));
    expect(reactions.map((reaction) => reaction.sender)).toEqual([alice.userId]);
  });
});

describe("files from Slack", () => {
  it("an image arrives as m.image with its bytes and info, after its caption", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    const picture = solidColorPng(5, 3, [1, 100, 200]);
    sim.userPosts(channelId, carol.id, { text: "f1 look", files: [{ name: "pic.png", bytes: picture }] });
    const image = await alice.waitForEvent(roomId, messageWhere((content) => content.msgtype === "m.image" && content.body === "pic.png"));
    expect(image.content.info).toMatchObject({ mimetype: "image/png", size: picture.length, w: 5, h: 3 });
    expect((await alice.downloadMedia(image.content.url as string)).bytes.equals(picture)).toBe(true);
    const events = await alice.roomMessages(roomId, { limit: 5 });
    const caption = events.find((event) => event.content.body === "f1 look")!;
    expect(events.indexOf(caption)).toBeGreaterThan(events.indexOf(events.find((event) => event.event_id === image.event_id)!));
  });

  it("a document arrives as m.file", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    const pdf = Buffer.from("%PDF-1.4 not really");
    sim.userPosts(channelId, carol.id, { files: [{ name: "report.pdf", bytes: pdf }] });
    const file = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "report.pdf"));
    expect(file.content).toMatchObject({ msgtype: "m.file", info: { mimetype: "application/pdf", size: pdf.length } });
    expect((await alice.downloadMedia(file.content.url as string)).bytes.equals(pdf)).toBe(true);
  });

  it("a snippet arrives as a code block", async () => {
    const { sim, carol, channelId, alice, roomId } = bridge;
    sim.userPosts(channelId, carol.id, { files: [{ name: "hello.py", bytes: Buffer.from("print('hi') < 3\n"), mode: "snippet", filetype: "python" }] });
    const code = await alice.waitForEvent(roomId, messageWhere((content) => String(content.formatted_body ?? "").includes("print(")));
    expect(code.content.formatted_body).toBe('<pre><code class="language-python">print(\'hi\') &lt; 3\n</code></pre>');
  });

  it("in a thread stays in the thread", async () => {
    const { sim, dave, channelId, alice, roomId } = bridge;
    const { ts, event: root } = await slackPostSeen("f4 root");
    sim.userPosts(channelId, dave.id, { thread_ts: ts, files: [{ name: "thread.png", bytes: solidColorPng(2, 2, [5, 5, 5]) }] });
    const image = await alice.waitForEvent(roomId, messageWhere((content) => content.body === "thread.png"));
    expect(relation(image)).toMatchObject({ rel_type: "m.thread", event_id: root.event_id });
  });
});

describe("files from Matrix", () => {
  it("are uploaded to Slack with their bytes, named after the sender, into the right thread", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const { ts, event: root } = await slackPostSeen("f5 root");
    const picture = solidColorPng(4, 4, [50, 60, 70]);
    const mxc = await alice.uploadMedia(picture, "image/png", "from-matrix.png");
    await alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.image", body: "from-matrix.png", filename: "from-matrix.png", url: mxc, info: { mimetype: "image/png", size: picture.length, w: 4, h: 4 },
      "m.relates_to": { rel_type: "m.thread", event_id: root.event_id, is_falling_back: true, "m.in_reply_to": { event_id: root.event_id } },
    });
    const shared = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.files?.[0]?.name === "from-matrix.png", ts), "the upload");
    expect(shared.files![0]!.bytes!.equals(picture)).toBe(true);
    expect(shared.text).toBe("*Alice*");
    expect(shared.thread_ts).toBe(ts);
  });

  it("with a caption carry it after the sender's name", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const bytes = Buffer.from("some notes");
    const mxc = await alice.uploadMedia(bytes, "text/plain", "notes.txt");
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.file", body: "my *notes*", filename: "notes.txt", url: mxc, info: { mimetype: "text/plain", size: bytes.length } });
    const shared = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.files?.[0]?.name === "notes.txt"), "the captioned upload");
    expect(shared.text).toBe("*Alice*: my *\u00ADnotes\u00AD*");
  });

  it("are found in the channel when files.info will not say where they were shared, so a redaction still deletes them", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    const bytes = Buffer.from("minutes of the meeting");
    const mxc = await alice.uploadMedia(bytes, "text/plain", "minutes.txt");
    sim.failNext("files.info", 10, { status: 503 });
    const eventId = await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.file", body: "minutes.txt", filename: "minutes.txt", url: mxc, info: { mimetype: "text/plain", size: bytes.length } });
    const shared = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.files?.[0]?.name === "minutes.txt"), "the upload");
    await alice.redact(roomId, eventId);
    await waitForSlack(() => (slackMessageWith(sim, channelId, (message) => message.ts === shared.ts) ? undefined : true), "the deletion");
  });

  it("over the upload limit become a link Parley serves, with a note", async () => {
    const { sim, env, channelId, alice, roomId } = bridge;
    const big = Buffer.alloc(UPLOAD_LIMIT * 2, 7);
    const mxc = await alice.uploadMedia(big, "application/octet-stream", "big.bin");
    await alice.sendEvent(roomId, "m.room.message", { msgtype: "m.file", body: "big.bin", filename: "big.bin", url: mxc, info: { mimetype: "application/octet-stream", size: big.length } });
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text.includes("too large to upload")), "the link");
    const link = /<([^|>]+)\|big\.bin>/.exec(posted.text)?.[1];
    expect(link?.startsWith(`${env.parleyUrl}/media/`)).toBe(true);
    expect(posted.text).toBe(`<${link}|big.bin> (8.0 KiB, too large to upload to Slack)`);
    expect(posted.username).toBe("Alice");
    expect(Buffer.from(await (await fetch(link!)).arrayBuffer()).equals(big)).toBe(true);
  });
});
