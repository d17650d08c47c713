// Proves the harness against a real Synapse: the registration is loaded, people can talk,
// media round-trips, and a restart keeps everything.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MatrixApiError } from "./matrix-http.js";
import type { MatrixUser } from "./matrix-user.js";
import { startSynapse, type AppserviceRegistration, type SynapseHandle } from "./synapse.js";

const registration: AppserviceRegistration = {
  id: "harness-test",
  // Nothing listens there: these tests only need Synapse to have loaded the registration.
  url: "http://127.0.0.1:9",
  as_token: randomBytes(16).toString("hex"),
  hs_token: randomBytes(16).toString("hex"),
  sender_localpart: "harnessbot",
  namespaces: { users: [{ exclusive: true, regex: "@test_.*" }], aliases: [], rooms: [] },
  rate_limited: false,
  receive_ephemeral: true,
};

describe("real Synapse harness", () => {
  let synapse: SynapseHandle;
  let alice: MatrixUser;
  let bob: MatrixUser;

  beforeAll(async () => {
    synapse = await startSynapse({ registration });
    [alice, bob] = await Promise.all([
      synapse.registerUser("alice", { displayName: "Alice" }),
      synapse.registerUser("bob"),
    ]);
  });

  afterAll(async () => {
    await synapse?.stop();
  });

  it("loads the appservice registration, so its token acts for its bot and namespace", async () => {
    const bot = await synapse.appserviceUser();
    expect((await bot.whoami()).user_id).toBe("@harnessbot:localhost");

    const ghost = await synapse.appserviceUser("test_ghost");
    expect((await ghost.whoami()).user_id).toBe("@test_ghost:localhost");

    const outsider = synapse.appserviceUser("someone_else");
    await expect(outsider).rejects.toBeInstanceOf(MatrixApiError);
    await expect(outsider).rejects.toMatchObject({ status: 400, errcode: "M_EXCLUSIVE" });
  });

  it("lets one person invite another, who joins and reads the first one's message", async () => {
    const roomId = await alice.createRoom({ name: "Harness room", invite: [bob.userId] });

    const invitedTo = await bob.waitForInvite((invite) => invite.inviter === alice.userId);
    expect(invitedTo).toBe(roomId);
    expect(await bob.joinRoom(roomId)).toBe(roomId);

    await alice.sendText(roomId, "hello bob");
    const seen = await bob.waitForEvent(roomId, (event) => event.content.body === "hello bob");
    expect(seen).toMatchObject({ sender: alice.userId, type: "m.room.message", content: { msgtype: "m.text" } });
    expect(await bob.getProfile(alice.userId)).toMatchObject({ displayname: "Alice" });
    expect(await bob.joinedRooms()).toContain(roomId);
  });

  it("marks a direct chat as direct for both sides", async () => {
    const roomId = await alice.createDirectRoom(bob.userId);
    expect(await alice.getAccountData("m.direct")).toEqual({ [bob.userId]: [roomId] });
    const invitedTo = await bob.waitForInvite((invite) => invite.isDirect && invite.inviter === alice.userId);
    expect(invitedTo).toBe(roomId);
  });

  it("sends edits, reactions and redactions in the shapes other clients read", async () => {
    const roomId = await alice.createRoom({ preset: "public_chat" });
    await bob.joinRoom(roomId);
    const original = await alice.sendText(roomId, "first draft");

    const editId = await alice.edit(roomId, original, "final text");
    const edit = await bob.waitForEvent(roomId, (event) => event.event_id === editId);
    expect(edit.content).toMatchObject({
      body: "* final text",
      "m.new_content": { msgtype: "m.text", body: "final text" },
      "m.relates_to": { rel_type: "m.replace", event_id: original },
    });

    const reactionId = await bob.react(roomId, original, "👍");
    const reaction = await alice.waitForEvent(roomId, (event) => event.event_id === reactionId);
    expect(reaction).toMatchObject({
      type: "m.reaction",
      sender: bob.userId,
      content: { "m.relates_to": { rel_type: "m.annotation", event_id: original, key: "👍" } },
    });

    await alice.redact(roomId, original, "changed my mind");
    const redacted = await bob.getEvent(roomId, original);
    expect(redacted.content).toEqual({});
  });

  it("round-trips uploaded media through the authenticated download API only", async () => {
    const bytes = randomBytes(200_000);
    const mxc = await alice.uploadMedia(bytes, "image/png", "picture.png");
    expect(mxc).toMatch(/^mxc:\/\/localhost\//);

    const downloaded = await bob.downloadMedia(mxc);
    expect(downloaded.bytes.equals(bytes)).toBe(true);
    expect(downloaded.contentType).toBe("image/png");

    const anonymous = await fetch(`${synapse.baseUrl}/_matrix/client/v1/media/download/${mxc.slice("mxc://".length)}`);
    expect(anonymous.status).toBe(401);
  });

  it("reports a failed request with its HTTP status and errcode", async () => {
    const roomId = await alice.createRoom();
    const missing = alice.getEvent(roomId, "$no-such-event");
    await expect(missing).rejects.toMatchObject({ status: 404, errcode: "M_NOT_FOUND" });
    await expect(missing).rejects.toThrow(/HTTP 404 M_NOT_FOUND/);
  });

  it("says what it saw when the awaited event never comes", async () => {
    const roomId = await alice.createRoom({ name: "Quiet room" });
    await alice.sendText(roomId, "the only message");
    const waiting = alice.waitForEvent(roomId, (event) => event.content.body === "never sent", { timeoutMs: 400 });
    await expect(waiting).rejects.toThrow(/saw no matching event[\s\S]*the only message/);
  });

  it("keeps users, rooms and messages across a Synapse restart", async () => {
    const roomId = await alice.createRoom({ invite: [bob.userId] });
    await bob.joinRoom(roomId);
    await alice.sendText(roomId, "before restart");

    await synapse.restart();

    await bob.sendText(roomId, "after restart");
    const afterwards = await alice.waitForEvent(roomId, (event) => event.content.body === "after restart");
    expect(afterwards.sender).toBe(bob.userId);
    const history = await alice.roomMessages(roomId, { dir: "f" });
    const bodies = history.map((event) => event.content.body).filter(Boolean);
    expect(bodies).toEqual(["before restart", "after restart"]);
  });
});
