// Files both ways, checked by their bytes: images, video, audio, files, stickers and
// spoilers from Discord; uploads from Matrix, and a link Parley serves for files over the
// upload limit (set low here: 4 KiB).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixEvent } from "../../harness/matrix-user.js";
import { solidColorPng } from "../../sim/discord/index.js";
import { ghostOf, startDiscordBridge, waitForDiscord, type DiscordBridge } from "./discord-bridge.js";

const UPLOAD_LIMIT = 4096;
let bridge: DiscordBridge;

beforeAll(async () => {
  bridge = await startDiscordBridge({ discord: () => ({ uploadLimitBytes: UPLOAD_LIMIT }) });
});

afterAll(async () => {
  await bridge?.stop();
});

const fileFrom = (ghost: string, filename: string) => (event: MatrixEvent) =>
  event.sender === ghost && event.type === "m.room.message" && event.content.filename === filename;

async function expectBytes(event: MatrixEvent, bytes: Buffer): Promise<void> {
  const downloaded = await bridge.alice.downloadMedia(event.content.url as string);
  expect(downloaded.bytes.equals(bytes)).toBe(true);
}

describe("Discord attachments in Matrix", () => {
  it.each([
    ["an image", "photo.png", solidColorPng(30, 20, [1, 2, 3]), "m.image", "image/png", { w: 30, h: 20 }],
    ["a video", "clip.mp4", Buffer.from("not really a video, but typed as one"), "m.video", "video/mp4", {}],
    ["a sound", "song.mp3", Buffer.from("ID3 pretend audio"), "m.audio", "audio/mpeg", {}],
    ["a file", "notes.pdf", Buffer.from("%PDF-1.4 pretend"), "m.file", "application/pdf", {}],
  ])("carry %s with its msgtype, type, size and dimensions", async (_name, filename, bytes, msgtype, mimetype, dimensions) => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    sim.userSendsMessage(channelId, bob, { attachments: [{ filename, bytes }] });
    const event = await alice.waitForEvent(roomId, fileFrom(ghostOf(bob), filename));
    expect(event.content.msgtype).toBe(msgtype);
    expect(event.content.info).toEqual({ mimetype, size: bytes.length, ...dimensions });
    await expectBytes(event, bytes);
  });

  it("keep a caption as its own message before the file", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const bytes = solidColorPng(5, 5, [9, 9, 9]);
    sim.userSendsMessage(channelId, bob, { content: "look at this", attachments: [{ filename: "tiny.png", bytes }] });
    const file = await alice.waitForEvent(roomId, fileFrom(ghostOf(bob), "tiny.png"));
    const events = await alice.roomMessages(roomId, { limit: 5 });
    const index = events.findIndex((e) => e.event_id === file.event_id);
    expect(events[index + 1]?.content.body).toBe("look at this");
  });

  it("keep a spoiler hidden", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const bytes = solidColorPng(12, 12, [200, 0, 0]);
    sim.userSendsMessage(channelId, bob, { attachments: [{ filename: "ending.png", bytes, spoiler: true }] });
    const event = await alice.waitForEvent(roomId, fileFrom(ghostOf(bob), "ending.png"));
    expect(event.content.msgtype).toBe("m.file");
    expect(event.content["page.codeberg.everypizza.msc4193.spoiler"]).toBe(true);
    await expectBytes(event, bytes);
  });

  it("carry a sticker as an image", async () => {
    const { sim, alice, roomId, channelId, bob } = bridge;
    const bytes = solidColorPng(160, 160, [0, 0, 250]);
    sim.userSendsMessage(channelId, bob, { stickers: [{ name: "Wave", bytes }] });
    const event = await alice.waitForEvent(roomId, fileFrom(ghostOf(bob), "Wave.png"));
    expect(event.content.msgtype).toBe("m.image");
    expect(event.content.body).toBe("Wave");
    await expectBytes(event, bytes);
  });
});

describe("Matrix files on Discord", () => {
  it("upload an image with its name, type and size", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const bytes = solidColorPng(40, 30, [0, 128, 0]);
    const mxc = await alice.uploadMedia(bytes, "image/png", "green.png");
    await alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.image", body: "green.png", filename: "green.png", url: mxc, info: { mimetype: "image/png", size: bytes.length, w: 40, h: 30 },
    });
    const message = await waitForDiscord(sim, channelId, (m) => m.attachments.some((a) => a.filename === "green.png"));
    const [attachment] = message.attachments;
    expect(attachment?.bytes.equals(bytes)).toBe(true);
    expect(attachment).toMatchObject({ content_type: "image/png", size: bytes.length, width: 40, height: 30 });
    expect(message.content).toBe("");
    expect(message.author.username).toBe("Alice");
  });

  it("upload a file with its caption, and a spoiler as a spoiler", async () => {
    const { sim, alice, roomId, channelId } = bridge;
    const bytes = Buffer.from("plain text notes\n");
    const mxc = await alice.uploadMedia(bytes, "text/plain", "notes.txt");
    await alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.file", body: "my notes", filename: "notes.txt", url: mxc, info: { mimetype: "text/plain", size: bytes.length },
    });
    const captioned = await waitForDiscord(sim, channelId, (m) => m.attachments.some((a) => a.filename === "notes.txt"));
    expect(captioned.content).toBe("my notes");
    expect(captioned.attachments[0]?.bytes.equals(bytes)).toBe(true);

    const secret = solidColorPng(6, 6, [6, 6, 6]);
    const secretMxc = await alice.uploadMedia(secret, "image/png", "twist.png");
    await alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.image", body: "twist.png", filename: "twist.png", url: secretMxc, info: { mimetype: "image/png", size: secret.length },
      "page.codeberg.everypizza.msc4193.spoiler": true,
    });
    const spoiler = await waitForDiscord(sim, channelId, (m) => m.attachments.some((a) => a.filename === "SPOILER_twist.png"));
    expect(spoiler.attachments[0]?.bytes.equals(secret)).toBe(true);
  });

  it("link a file over the upload limit, served by Parley, with a short note", async () => {
    const { sim, alice, roomId, channelId, env } = bridge;
    const bytes = Buffer.alloc(UPLOAD_LIMIT + 1000, 7);
    const mxc = await alice.uploadMedia(bytes, "application/octet-stream", "big.bin");
    await alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.file", body: "big.bin", filename: "big.bin", url: mxc, info: { mimetype: "application/octet-stream", size: bytes.length },
    });
    const message = await waitForDiscord(sim, channelId, (m) => m.content.includes("big.bin"));
    expect(message.attachments).toEqual([]);
    const link = /^📎 \[big\.bin\]\((http[^)]+)\) \(5\.0 KiB, too large to upload to Discord\)$/.exec(message.content)?.[1];
    expect(link?.startsWith(env.parleyUrl)).toBe(true);
    const served = await fetch(link as string);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
