import {
  ChannelType,
  Events,
  GatewayIntentBits,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  WebhookClient,
  type Client,
  type TextChannel,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiError, connectClient, nextEvent } from "./client-helpers.js";
import { solidColorPng } from "./image.js";
import { DiscordSimulator } from "./index.js";

const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessageTyping,
];

describe("Discord simulator driven by the real discord.js", () => {
  const sim = new DiscordSimulator({ uploadLimitBytes: 1024 * 1024 });
  const aliceAvatar = solidColorPng(64, 64, [200, 30, 30]);
  let client: Client;
  let guildId: string;
  let channelId: string;
  let aliceId: string;
  let channel: TextChannel;

  beforeAll(async () => {
    await sim.start();
    guildId = sim.createGuild({ name: "Parley Test" });
    channelId = sim.createChannel(guildId, { name: "general", topic: "Anything goes" });
    aliceId = sim.createUser({ username: "alice", global_name: "Alice", avatar: aliceAvatar });
    sim.addMember(guildId, aliceId, { nick: "Al" });
    client = await connectClient(sim, ALL_INTENTS);
    channel = client.channels.cache.get(channelId) as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await sim.stop();
  });

  it("logs the bot in and fills discord.js's cache from READY and GUILD_CREATE", () => {
    expect(client.user?.id).toBe(sim.botUser.id);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe("Parley Test");
    expect(guild?.memberCount).toBe(3); // owner, bot, alice
    expect(channel.name).toBe("general");
    expect(channel.topic).toBe("Anything goes");
    expect(channel.type).toBe(ChannelType.GuildText);
  });

  it("delivers a person's message with its content, author, member and a working avatar URL", async () => {
    const received = nextEvent(client, Events.MessageCreate, (message) => message.author.id === aliceId);
    const sent = sim.userSendsMessage(channelId, aliceId, { content: "hello from Discord" });
    const [message] = await received;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe("hello from Discord");
    expect(message.author.username).toBe("alice");
    expect(message.author.globalName).toBe("Alice");
    expect(message.member?.nickname).toBe("Al");
    const avatar = await fetch(message.author.displayAvatarURL());
    expect(Buffer.from(await avatar.arrayBuffer())).toEqual(aliceAvatar);
  });

  it("shows the bot's sends, replies, edits, reactions and deletions in the simulator", async () => {
    const own = nextEvent(client, Events.MessageCreate, (message) => message.content === "from the bot");
    const sent = await channel.send("from the bot");
    await own; // Discord echoes the bot's own messages on the gateway too.
    expect(sim.message(sent.id)).toMatchObject({ content: "from the bot", author: { id: sim.botUser.id } });

    const question = sim.userSendsMessage(channelId, aliceId, { content: "question?" });
    const reply = await channel.send({ content: "answer", reply: { messageReference: question.id } });
    expect(sim.message(reply.id)).toMatchObject({
      type: 19,
      message_reference: { message_id: question.id, channel_id: channelId, guild_id: guildId },
      mentions: [expect.objectContaining({ id: aliceId })],
    });

    const updated = nextEvent(client, Events.MessageUpdate, (_old, updated) => updated.id === sent.id);
    await sent.edit("from the bot, edited");
    await updated;
    expect(sim.message(sent.id)?.content).toBe("from the bot, edited");
    expect(sim.message(sent.id)?.edited_timestamp).not.toBeNull();

    await sent.react("👍");
    const hippo = sim.createEmoji(guildId, "hippo");
    await sent.react(hippo);
    expect(sim.reactions(sent.id)).toEqual([
      { emoji: "👍", userIds: [sim.botUser.id] },
      { emoji: `hippo:${hippo}`, userIds: [sim.botUser.id] },
    ]);
    expect((await apiError(sent.react("not an emoji"))).code).toBe(RESTJSONErrorCodes.UnknownEmoji);

    const deleted = nextEvent(client, Events.MessageDelete, (message) => message.id === sent.id);
    await sent.delete();
    await deleted;
    expect(sim.message(sent.id)).toBeUndefined();
    expect((await apiError(channel.messages.fetch({ message: sent.id, force: true }))).code).toBe(
      RESTJSONErrorCodes.UnknownMessage,
    );
  });

  it("posts through a webhook with a per-message name, avatar and file, bytes intact", async () => {
    const webhook = await channel.createWebhook({ name: "Parley bridge" });
    const hook = new WebhookClient({ id: webhook.id, token: webhook.token! }, { rest: { api: sim.apiBaseUrl } });
    const picture = solidColorPng(3, 2, [0, 128, 255]);
    const avatarUrl = `${sim.cdnBaseUrl}/avatars/${aliceId}/${sim.user(aliceId).avatar}.png`;
    const seen = nextEvent(client, Events.MessageCreate, (message) => message.webhookId === webhook.id);

    const posted = await hook.send({
      content: "bridged from Matrix",
      username: "Bob (Matrix)",
      avatarURL: avatarUrl,
      files: [{ attachment: picture, name: "photo.png" }],
    });
    const [gatewayCopy] = await seen;
    hook.destroy();

    expect(gatewayCopy.author.id).toBe(webhook.id);
    const stored = sim.message(posted.id)!;
    expect(stored).toMatchObject({
      webhook_id: webhook.id,
      content: "bridged from Matrix",
      author: { id: webhook.id, username: "Bob (Matrix)", bot: true },
      webhookAvatarUrl: avatarUrl,
    });
    expect(stored.attachments).toHaveLength(1);
    expect(stored.attachments[0]).toMatchObject({ filename: "photo.png", content_type: "image/png", width: 3, height: 2 });
    expect(stored.attachments[0]!.bytes).toEqual(picture);
    const download = await fetch(posted.attachments[0]!.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(picture);
    const unsigned = await fetch(posted.attachments[0]!.url.split("?")[0]!);
    expect(unsigned.status).toBe(404);
    const webhookAvatar = await fetch(`${sim.cdnBaseUrl}/avatars/${webhook.id}/${stored.author.avatar}.png`);
    expect(Buffer.from(await webhookAvatar.arrayBuffer())).toEqual(aliceAvatar);

    const execution = sim.requests.find((request) => request.method === "POST" && request.path.startsWith(`/webhooks/${webhook.id}/`));
    expect(execution).toMatchObject({ auth: "none", query: { wait: "true" }, status: 200 });
    expect(sim.webhooks(channelId).map((known) => known.id)).toContain(webhook.id);
  });

  it("returns the original message for a repeated enforced nonce instead of posting twice", async () => {
    const first = await channel.send({ content: "exactly once", nonce: "parley-txn-1", enforceNonce: true });
    const second = await channel.send({ content: "exactly once", nonce: "parley-txn-1", enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(sim.messages(channelId).filter((message) => message.content === "exactly once")).toHaveLength(1);
  });

  it("lets discord.js retry a 429 and 5xx responses transparently", async () => {
    const path = `/channels/${channelId}/messages`;
    sim.clearRequests();
    sim.failNext(1, { status: 429, retryAfter: 1 }, { method: "POST", path });
    const started = Date.now();
    await channel.send("after a rate limit");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // discord.js honoured retry_after
    sim.failNext(2, { status: 502 }, { method: "POST", path });
    await channel.send("after two bad gateways");

    const posts = sim.requests.filter((request) => request.method === "POST" && request.path === path);
    expect(posts.map((request) => request.status)).toEqual([429, 200, 502, 502, 200]);
    const contents = sim.messages(channelId).map((message) => message.content);
    expect(contents.filter((content) => content === "after a rate limit")).toHaveLength(1);
    expect(contents.filter((content) => content === "after two bad gateways")).toHaveLength(1);
  });

  it("answers a 429 with Discord's body and headers", async () => {
    sim.failNext(1, { status: 429, retryAfter: 0.25 }, { path: "/users/@me" });
    const response = await fetch(`${sim.apiBaseUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${sim.botToken}` } });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ message: "You are being rate limited.", retry_after: 0.25, global: false });
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.headers.get("x-ratelimit-scope")).toBe("user");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    const next = await fetch(`${sim.apiBaseUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${sim.botToken}` } });
    expect(next.status).toBe(200);
    expect(next.headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]{32}$/);
    expect((await fetch(`${sim.apiBaseUrl}/v10/users/@me`)).status).toBe(401);
  });

  it("resumes after the gateway drops and replays what happened meanwhile", async () => {
    const resumed = sim.waitForResume();
    const shardResumed = nextEvent(client, Events.ShardResume);
    sim.dropGateway(4000);
    const whileAway = sim.userSendsMessage(channelId, aliceId, { content: "sent while the bot was away" });
    const [replayed] = await nextEvent(client, Events.MessageCreate, (message) => message.id === whileAway.id);
    await resumed;
    await shardResumed;
    expect(replayed.content).toBe("sent while the bot was away");

    sim.pauseGateway();
    const backAgain = sim.waitForResume();
    const duringOutage = sim.userSendsMessage(channelId, aliceId, { content: "sent during an outage" });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // discord.js retries against a refusing gateway
    expect(sim.gatewayConnected).toBe(false);
    const delivered = nextEvent(client, Events.MessageCreate, (message) => message.id === duringOutage.id);
    sim.resumeGateway();
    await backAgain;
    expect((await delivered)[0].content).toBe("sent during an outage");
  });

  it("sends the gateway events of people's actions", async () => {
    const sent = sim.userSendsMessage(channelId, aliceId, { content: "react to me" });
    const reacted = nextEvent(client, Events.MessageReactionAdd, (reaction) => reaction.message.id === sent.id);
    sim.userReacts(sent.id, aliceId, "🎉");
    const [reaction, reactor] = await reacted;
    expect([reaction.emoji.name, reactor.id]).toEqual(["🎉", aliceId]);

    const typing = nextEvent(client, Events.TypingStart, (typist) => typist.user.id === aliceId);
    sim.userStartsTyping(channelId, aliceId);
    expect((await typing)[0].channel.id).toBe(channelId);

    const renamed = nextEvent(client, Events.ChannelUpdate, (_old, updated) => updated.id === channelId);
    sim.renameChannel(channelId, "lobby");
    await renamed;
    expect(channel.name).toBe("lobby");

    const nicked = nextEvent(client, Events.GuildMemberUpdate, (_old, member) => member.id === aliceId);
    sim.updateMember(guildId, aliceId, { nick: "Ally" });
    expect((await nicked)[1].nickname).toBe("Ally");

    const threadCreated = nextEvent(client, Events.ThreadCreate);
    const threadId = sim.createThread(channelId, { name: "side topic", ownerId: aliceId, fromMessageId: sent.id });
    expect((await threadCreated)[0].id).toBe(threadId);
    const inThread = nextEvent(client, Events.MessageCreate, (message) => message.channelId === threadId);
    sim.userSendsMessage(threadId, aliceId, { content: "in the thread" });
    expect((await inThread)[0].channel.isThread()).toBe(true);

    const edited = nextEvent(client, Events.MessageUpdate, (_old, message) => message.id === sent.id);
    sim.userEditsMessage(sent.id, { content: "react to me (edited)" });
    expect((await edited)[1].content).toBe("react to me (edited)");
  });

  it("answers with Discord's error codes for permissions and upload size", async () => {
    const locked = sim.createChannel(guildId, { name: "read-only" });
    sim.setPermissionOverwrites(locked, [
      { id: sim.botUser.id, type: OverwriteType.Member, allow: 0n, deny: PermissionFlagsBits.SendMessages },
    ]);
    const lockedChannel = (await client.channels.fetch(locked)) as TextChannel;
    expect((await apiError(lockedChannel.send("hi"))).code).toBe(RESTJSONErrorCodes.MissingPermissions);

    const tooBig = Buffer.alloc(1024 * 1024 + 1);
    const error = await apiError(channel.send({ files: [{ attachment: tooBig, name: "big.bin" }] }));
    expect([error.status, error.code]).toEqual([413, RESTJSONErrorCodes.RequestEntityTooLarge]);
  });

  it("hides message content from a client without the MESSAGE_CONTENT intent unless it is mentioned", async () => {
    const limited = await connectClient(sim, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const plain = nextEvent(limited, Events.MessageCreate, (message) => message.author.id === aliceId);
      sim.userSendsMessage(channelId, aliceId, { content: "secret" });
      expect((await plain)[0].content).toBe("");
      const mention = nextEvent(limited, Events.MessageCreate, (message) => message.author.id === aliceId);
      sim.userSendsMessage(channelId, aliceId, { content: `<@${sim.botUser.id}> hi` });
      expect((await mention)[0].content).toBe(`<@${sim.botUser.id}> hi`);
    } finally {
      await limited.destroy();
    }
  });

  it("trades an OAuth2 code for a bearer token that identifies the user", async () => {
    const code = sim.authorizeOAuthCode(aliceId);
    const tokenResponse = await fetch(`${sim.apiBaseUrl}/v10/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: "http://127.0.0.1/callback",
        client_id: sim.applicationId,
        client_secret: sim.clientSecret,
      }),
    });
    const token = (await tokenResponse.json()) as { access_token: string; token_type: string };
    expect(token.token_type).toBe("Bearer");
    const me = await fetch(`${sim.apiBaseUrl}/v10/users/@me`, { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(await me.json()).toMatchObject({ id: aliceId, username: "alice" });

    const reused = await fetch(`${sim.apiBaseUrl}/v10/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: sim.applicationId, client_secret: sim.clientSecret }),
    });
    expect([reused.status, ((await reused.json()) as { error: string }).error]).toEqual([400, "invalid_grant"]);
  });
});
