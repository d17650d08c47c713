// Linking a Slack account (issue: account linking and puppeting): OAuth v2 with user scopes through
// Parley's callback, or a pasted user token; then what the person sends from Matrix goes to Slack as
// their own Slack user, their Slack direct messages become Matrix rooms both ways, what they post on
// Slack appears as their own Matrix account (double puppeting) without echo, a revoked token is
// noticed, and no token is ever written in the clear.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_SCOPES } from "../../../src/connectors/slack/accounts.js";
import type { MatrixEvent, MatrixUser } from "../../harness/matrix-user.js";
import { eventually, ghostOf, messageWhere, settle, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

const BOT = "@parley:localhost";
let bridge: SlackBridge;
/** Alice's own Slack account, which she links to her Matrix account. */
let aliceSlack: string;
/** Bob's, which he links with a user token. */
let bobSlack: string;
const BAD_TOKEN = "xoxp-1234-not-a-real-token";
/** Alice's private chat with the bridge bot. */
let dm: string;

const fromBot = (match: (body: string) => boolean) => (event: MatrixEvent) =>
  event.sender === BOT && event.type === "m.room.message" && match(String(event.content.body ?? ""));
const withBody = (body: string) => messageWhere((content) => content.body === body);

async function askForLink(user: MatrixUser, room: string): Promise<URL> {
  await user.sendText(room, "slack link");
  const reply = await user.waitForEvent(room, fromBot((body) => body.includes("connect your Slack account")));
  return new URL(/https?:\/\/\S+/.exec(String(reply.content.body))?.[0] ?? "");
}

/** What a person's browser does after approving on Slack: follow the redirect back to Parley with a code. */
async function approve(link: URL, slackUserId: string, state = link.searchParams.get("state") ?? ""): Promise<Response> {
  const code = bridge.sim.createOAuthCode(slackUserId, (link.searchParams.get("user_scope") ?? "").split(","));
  const callback = new URL(link.searchParams.get("redirect_uri") ?? "");
  callback.searchParams.set("code", code);
  callback.searchParams.set("state", state);
  return fetch(callback);
}

/** How many events of the room satisfy `match`, among its latest. */
async function countIn(user: MatrixUser, roomId: string, match: (event: MatrixEvent) => boolean): Promise<number> {
  return (await user.roomMessages(roomId, { limit: 100 })).filter(match).length;
}

/** The direct message (or group one) between exactly these Slack people, once it exists. */
function conversationOf(...userIds: string[]): string | undefined {
  return bridge.sim.state.findConversation(bridge.team.id, userIds)?.id;
}

beforeAll(async () => {
  bridge = await startSlackBridge({
    slack: (team, sim) => ({ oauth: { clientId: team.clientId, clientSecret: team.clientSecret, authorizeUrl: `${sim.origin}/oauth/v2/authorize` } }),
    config: { linking: { encryptionKey: randomBytes(32).toString("base64") } },
    parley: { doublePuppet: true },
  });
  aliceSlack = bridge.sim.createUser(bridge.team.id, { name: "alice", real_name: "Alice Liddell", display_name: "Alice on Slack" }).id;
  bridge.sim.userJoins(bridge.channelId, aliceSlack);
  dm = await bridge.alice.createDirectRoom(BOT);
  await bridge.alice.waitForEvent(dm, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
});

afterAll(async () => {
  await bridge?.stop();
});

describe("linking a Slack account with OAuth", () => {
  it("hands out Slack's authorisation URL for the user scopes a puppet needs, with Parley's callback", async () => {
    const link = await askForLink(bridge.alice, dm);
    expect(link.origin + link.pathname).toBe(`${bridge.sim.origin}/oauth/v2/authorize`);
    expect(link.searchParams.get("client_id")).toBe(bridge.team.clientId);
    expect(link.searchParams.get("user_scope")?.split(",").sort()).toEqual([...USER_SCOPES].sort());
    expect(link.searchParams.get("redirect_uri")).toBe(`${bridge.env.parleyUrl}/oauth/slack/callback`);
    expect(link.searchParams.get("team")).toBe(bridge.team.id);
  });

  it("refuses a tampered state and says so on the page", async () => {
    const link = await askForLink(bridge.alice, dm);
    const response = await approve(link, aliceSlack, `${link.searchParams.get("state")}x`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("not valid or was already used");
  });

  it("links on approval, confirms in the chat and on the page, and refuses the same link twice", async () => {
    const link = await askForLink(bridge.alice, dm);
    const response = await approve(link, aliceSlack);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Alice on Slack is now linked");
    const remote = `${bridge.team.id}/${aliceSlack}`;
    await bridge.alice.waitForEvent(dm, fromBot((body) => body === `Linked your Slack account Alice on Slack (${remote}).`));
    const replay = await approve(link, aliceSlack);
    expect(replay.status).toBe(400);

    await bridge.alice.sendText(dm, "whoami");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.includes(`Linked accounts: slack ${remote}.`)));
  });
});

describe("a linked person on Slack", () => {
  it("posts their Matrix messages as their own Slack user, with no borrowed name or icon, and no echo", async () => {
    await bridge.alice.sendText(bridge.roomId, "written on Matrix by Alice");
    const posted = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "written on Matrix by Alice"), "Alice's post");
    expect(posted.user).toBe(aliceSlack);
    expect(posted.username).toBeUndefined();
    expect(posted.icons).toBeUndefined();
    expect(posted.bot_id).toBeUndefined();
    await settle();
    expect(await countIn(bridge.alice, bridge.roomId, withBody("written on Matrix by Alice"))).toBe(1);
    expect(bridge.sim.messages(bridge.channelId).filter((message) => message.text === "written on Matrix by Alice")).toHaveLength(1);
  });

  it("edits and reacts as them, without the edit or the reaction coming back", async () => {
    const original = await bridge.alice.sendText(bridge.roomId, "first draft");
    const posted = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "first draft"), "the draft");
    await bridge.alice.edit(bridge.roomId, original, "second draft");
    await waitForSlack(() => bridge.sim.message(bridge.channelId, posted.ts)?.text === "second draft", "the edit");
    expect(bridge.sim.message(bridge.channelId, posted.ts)?.edited).toMatchObject({ user: aliceSlack });

    const carolTs = bridge.sim.userPosts(bridge.channelId, bridge.carol.id, { text: "react to me" });
    const carolEvent = await bridge.alice.waitForEvent(bridge.roomId, withBody("react to me"));
    await bridge.alice.react(bridge.roomId, carolEvent.event_id, "👍");
    await waitForSlack(() => bridge.sim.reactions(bridge.channelId, carolTs).find((reaction) => reaction.users.includes(aliceSlack)), "Alice's reaction");
    expect(bridge.sim.reactions(bridge.channelId, carolTs)).toEqual([{ name: "+1", users: [aliceSlack], count: 1 }]);

    await settle();
    const isEdit = (event: MatrixEvent) => (event.content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace";
    expect(await countIn(bridge.alice, bridge.roomId, isEdit)).toBe(1);
    expect(await countIn(bridge.alice, bridge.roomId, (event) => event.type === "m.reaction")).toBe(1);
  });

  it("uploads their files and deletes their messages as them", async () => {
    const bytes = Buffer.from("notes from Alice");
    const mxc = await bridge.alice.uploadMedia(bytes, "text/plain", "alice.txt");
    await bridge.alice.sendEvent(bridge.roomId, "m.room.message", { msgtype: "m.file", body: "my notes", filename: "alice.txt", url: mxc, info: { mimetype: "text/plain", size: bytes.length } });
    const shared = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.files?.[0]?.name === "alice.txt"), "Alice's upload");
    expect(shared).toMatchObject({ user: aliceSlack, text: "my notes" });
    expect(shared.files![0]!.bytes!.equals(bytes)).toBe(true);

    const doomed = await bridge.alice.sendText(bridge.roomId, "about to vanish");
    const posted = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "about to vanish"), "the doomed post");
    await bridge.alice.redact(bridge.roomId, doomed);
    await waitForSlack(() => bridge.sim.message(bridge.channelId, posted.ts) === undefined, "the deletion");
    await settle();
    expect(await countIn(bridge.alice, bridge.roomId, (event) => event.content.msgtype === "m.file")).toBe(1);
  });

  it("shows what they post from a Slack client as their own Matrix account, without echoing it back", async () => {
    bridge.sim.userPosts(bridge.channelId, aliceSlack, { text: "written on Slack by Alice" });
    const event = await bridge.alice.waitForEvent(bridge.roomId, withBody("written on Slack by Alice"));
    expect(event.sender).toBe(bridge.alice.userId);
    await settle();
    expect(bridge.sim.messages(bridge.channelId).filter((message) => message.text === "written on Slack by Alice")).toHaveLength(1);
    expect(await countIn(bridge.alice, bridge.roomId, withBody("written on Slack by Alice"))).toBe(1);
  });
});

describe("a linked person's Slack direct messages", () => {
  it("appear as a direct chat with the other person's ghost when someone writes to them, and take replies", async () => {
    const conversation = bridge.sim.openConversation(bridge.team.id, [bridge.carol.id, aliceSlack]);
    bridge.sim.userPosts(conversation, bridge.carol.id, { text: "psst, Alice" });
    const carolGhost = ghostOf(bridge.team.id, bridge.carol.id);
    const roomId = await bridge.alice.waitForInvite((invite) => invite.inviter === carolGhost && invite.isDirect);
    await bridge.alice.joinRoom(roomId);
    const first = await bridge.alice.waitForEvent(roomId, withBody("psst, Alice"));
    expect(first.sender).toBe(carolGhost);

    await bridge.alice.sendText(roomId, "hi Carol, from Matrix");
    const reply = await waitForSlack(() => slackMessageWith(bridge.sim, conversation, (message) => message.text === "hi Carol, from Matrix"), "Alice's reply");
    expect(reply.user).toBe(aliceSlack);
    expect(reply.username).toBeUndefined();

    // Written in a Slack client: her own Matrix account, once.
    bridge.sim.userPosts(conversation, aliceSlack, { text: "and this from my phone" });
    expect((await bridge.alice.waitForEvent(roomId, withBody("and this from my phone"))).sender).toBe(bridge.alice.userId);
    await settle();
    expect(await countIn(bridge.alice, roomId, withBody("hi Carol, from Matrix"))).toBe(1);
    expect(bridge.sim.messages(conversation).map((message) => message.text)).toEqual(["psst, Alice", "hi Carol, from Matrix", "and this from my phone"]);
  });

  it("carry files, read with the person's own token", async () => {
    const conversation = conversationOf(bridge.carol.id, aliceSlack)!;
    const roomId = (await bridge.env.parley.store.getPortal("slack", `${bridge.team.id}/${conversation}`))!.roomId;
    const bytes = Buffer.from("for your eyes only");
    bridge.sim.userPosts(conversation, bridge.carol.id, { text: "the file", files: [{ name: "secret.txt", bytes, mimetype: "text/plain" }] });
    const file = await bridge.alice.waitForEvent(roomId, messageWhere((content) => content.msgtype === "m.file"));
    expect((await bridge.alice.downloadMedia(String(file.content.url))).bytes.equals(bytes)).toBe(true);
  });

  it("are opened from Matrix with slack dm, both ways", async () => {
    await bridge.alice.sendText(dm, "slack dm dave");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.startsWith("I opened that Slack conversation")));
    const daveGhost = ghostOf(bridge.team.id, bridge.dave.id);
    const roomId = await bridge.alice.waitForInvite((invite) => invite.inviter === daveGhost && invite.isDirect);
    await bridge.alice.joinRoom(roomId);
    await bridge.alice.sendText(roomId, "hello Dave");
    const conversation = await waitForSlack(() => conversationOf(aliceSlack, bridge.dave.id), "the conversation");
    await waitForSlack(() => slackMessageWith(bridge.sim, conversation, (message) => message.text === "hello Dave" && message.user === aliceSlack), "Alice's message");
    bridge.sim.userPosts(conversation, bridge.dave.id, { text: "hello Alice" });
    expect((await bridge.alice.waitForEvent(roomId, withBody("hello Alice"))).sender).toBe(daveGhost);
  });

  it("with several people are group direct messages, opened with slack dm too", async () => {
    await bridge.alice.sendText(dm, `slack dm @carol ${bridge.dave.id}`);
    const conversation = await waitForSlack(() => conversationOf(aliceSlack, bridge.carol.id, bridge.dave.id), "the group conversation");
    const portal = await eventually(async () => {
      const found = await bridge.env.parley.store.getPortal("slack", `${bridge.team.id}/${conversation}`);
      if (!found) throw new Error("no room for the group conversation yet");
      return found;
    });
    await bridge.alice.waitForInvite((invite) => invite.roomId === portal.roomId && invite.isDirect);
    await bridge.alice.joinRoom(portal.roomId);
    await bridge.alice.sendText(portal.roomId, "hello both");
    await waitForSlack(() => slackMessageWith(bridge.sim, conversation, (message) => message.text === "hello both" && message.user === aliceSlack), "Alice's message");
    bridge.sim.userPosts(conversation, bridge.dave.id, { text: "hi from Dave" });
    expect((await bridge.alice.waitForEvent(portal.roomId, withBody("hi from Dave"))).sender).toBe(ghostOf(bridge.team.id, bridge.dave.id));
  });

  it("are opened from Matrix by inviting a ghost to a direct chat", async () => {
    const erin = bridge.sim.createUser(bridge.team.id, { name: "erin", real_name: "Erin Example" }).id;
    const erinGhost = ghostOf(bridge.team.id, erin);
    const roomId = await bridge.alice.createDirectRoom(erinGhost);
    await bridge.alice.waitForEvent(roomId, (event) => event.type === "m.room.member" && event.state_key === erinGhost && event.content.membership === "join");
    await bridge.alice.sendText(roomId, "hello Erin");
    const conversation = await waitForSlack(() => conversationOf(aliceSlack, erin), "the conversation");
    await waitForSlack(() => slackMessageWith(bridge.sim, conversation, (message) => message.text === "hello Erin" && message.user === aliceSlack), "Alice's message");
    bridge.sim.userPosts(conversation, erin, { text: "hi Alice" });
    expect((await bridge.alice.waitForEvent(roomId, withBody("hi Alice"))).sender).toBe(erinGhost);
  });
});

describe("linking with a user token", () => {
  let bob: MatrixUser;
  let bobDm: string;

  beforeAll(async () => {
    bob = await bridge.env.synapse.registerUser("bob", { displayName: "Bob" });
    bobDm = await bob.createDirectRoom(BOT);
    await bob.waitForEvent(bobDm, (event) => event.type === "m.room.member" && event.state_key === BOT && event.content.membership === "join");
    bobSlack = bridge.sim.createUser(bridge.team.id, { name: "bob", real_name: "Bob Builder" }).id;
    bridge.sim.userJoins(bridge.channelId, bobSlack);
    await bob.joinRoom(bridge.roomId);
  });

  const redacted = async (user: MatrixUser, roomId: string, eventId: string) =>
    eventually(async () => expect((await user.getEvent(roomId, eventId)).content).toEqual({}));

  it("answers a token Slack refuses plainly, and removes the message that carried it", async () => {
    const eventId = await bob.sendText(bobDm, `slack login-token ${BAD_TOKEN}`);
    await bob.waitForEvent(bobDm, fromBot((body) => body.startsWith("I could not link your Slack account: Slack did not accept that token (invalid_auth).")));
    await redacted(bob, bobDm, eventId);
  });

  it("refuses a token in a shared room, but still removes it", async () => {
    const token = bridge.sim.createUserToken(bobSlack, ["chat:write"]);
    const eventId = await bob.sendText(bridge.roomId, `!slack login-token ${token}`);
    await bob.waitForEvent(bridge.roomId, fromBot((body) => body.startsWith('For your safety, "slack login-token" only works in a private chat with me.')));
    await redacted(bob, bridge.roomId, eventId);
    expect(await bridge.env.parley.store.getUserLinks(bob.userId)).toEqual([]);
  });

  it("links with a good token, removes the message, and posts as them", async () => {
    const token = bridge.sim.createUserToken(bobSlack, [...USER_SCOPES]);
    const eventId = await bob.sendText(bobDm, `slack login-token ${token}`);
    await bob.waitForEvent(bobDm, fromBot((body) => body === `Linked your Slack account Bob Builder (${bridge.team.id}/${bobSlack}). I removed your message that carried the token.`));
    await redacted(bob, bobDm, eventId);
    await bob.sendText(bridge.roomId, "Bob, as himself");
    const posted = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "Bob, as himself"), "Bob's post");
    expect(posted.user).toBe(bobSlack);
  });

  it("notices Slack revoking the token as soon as Slack says so", async () => {
    const [token] = bridge.sim.userTokens(bobSlack).slice(-1);
    bridge.sim.revokeToken(token!);
    await bob.waitForEvent(bobDm, fromBot((body) => body.startsWith("Your linked Slack account stopped working")));
    await eventually(async () => expect((await bridge.env.parley.store.getUserLinks(bob.userId))[0]?.status).toBe("broken"));
  });
});

describe("a revoked token", () => {
  it("is noticed at the next use: the person is told, the link is broken, and the message goes out through the bot", async () => {
    for (const token of bridge.sim.userTokens(aliceSlack)) bridge.sim.revokeToken(token, { quietly: true });
    await bridge.alice.sendText(bridge.roomId, "after the revocation");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.startsWith("Your linked Slack account stopped working (its token was revoked on Slack).")));
    const posted = await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "after the revocation"), "the message, through the bot");
    expect(posted).toMatchObject({ bot_id: bridge.team.botId, username: "Alice" });
    expect((await bridge.env.parley.store.getUserLinks(bridge.alice.userId))[0]?.status).toBe("broken");

    await bridge.alice.sendText(bridge.roomId, "and the next one");
    await waitForSlack(() => slackMessageWith(bridge.sim, bridge.channelId, (message) => message.text === "and the next one" && message.bot_id === bridge.team.botId), "the next message");
  });
});

describe("unlinking", () => {
  it("revokes the token on Slack and forgets the account, after which their Slack posts come through their ghost again", async () => {
    const token = bridge.sim.createUserToken(aliceSlack, [...USER_SCOPES]);
    await bridge.alice.sendText(dm, `slack login-token ${token}`);
    await bridge.alice.waitForEvent(dm, fromBot((body) => body.startsWith("Linked your Slack account")));
    await bridge.alice.sendText(dm, "slack unlink");
    await bridge.alice.waitForEvent(dm, fromBot((body) => body === "Unlinked your Slack account. Parley has revoked its access on Slack and deleted its credentials."));
    expect(bridge.sim.isRevoked(token)).toBe(true);
    expect(await bridge.env.parley.store.getUserLinks(bridge.alice.userId)).toEqual([]);
    bridge.sim.userPosts(bridge.channelId, aliceSlack, { text: "after unlinking" });
    const event = await bridge.alice.waitForEvent(bridge.roomId, withBody("after unlinking"));
    expect(event.sender).toBe(ghostOf(bridge.team.id, aliceSlack));
  });
});

describe("secrets", () => {
  it("never writes a token in Parley's log or in the clear in its store", async () => {
    const tokens = [...bridge.sim.userTokens(aliceSlack), ...bridge.sim.userTokens(bobSlack), BAD_TOKEN];
    expect(tokens).toHaveLength(5);
    const log = bridge.env.logs.join("");
    expect(log.length).toBeGreaterThan(0);
    const database = bridge.env.config.database as { path?: string };
    const files = await Promise.all(["", "-wal", "-shm"].map((suffix) => readFile(`${database.path}${suffix}`).catch(() => Buffer.alloc(0))));
    for (const token of tokens) {
      expect(log.includes(token)).toBe(false);
      for (const bytes of files) expect(bytes.includes(Buffer.from(token))).toBe(false);
    }
  });
});
