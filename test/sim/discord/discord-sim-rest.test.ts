import {
  AttachmentBuilder,
  ChannelType,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  WebhookClient,
  type Client,
  type ForumChannel,
  type TextChannel,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiError, connectClient, nextEvent } from "./client-helpers.js";
import { solidColorPng } from "./image.js";
import { DiscordSimulator } from "./index.js";

describe("Discord simulator: history, threads, webhooks, mentions", () => {
  const sim = new DiscordSimulator();
  let client: Client;
  let guildId: string;
  let channel: TextChannel;
  let aliceId: string;
  let hook: WebhookClient;

  beforeAll(async () => {
    await sim.start();
    guildId = sim.createGuild({ name: "Breadth" });
    const channelId = sim.createChannel(guildId, { name: "general" });
    aliceId = sim.createUser({ username: "alice", global_name: "Alice" });
    sim.addMember(guildId, aliceId);
    client = await connectClient(sim, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.GuildMembers,
    ]);
    channel = client.channels.cache.get(channelId) as TextChannel;
    const webhook = await channel.createWebhook({ name: "bridge" });
    hook = new WebhookClient({ id: webhook.id, token: webhook.token! }, { rest: { api: sim.apiBaseUrl } });
  });

  afterAll(async () => {
    hook?.destroy();
    await client?.destroy();
    await sim.stop();
  });

  it("pages history newest first around, before and after a message", async () => {
    const ids = ["one", "two", "three", "four", "five"].map(
      (content) => sim.userSendsMessage(channel.id, aliceId, { content }).id,
    );
    const [one, two, three, four, five] = ids as [string, string, string, string, string];
    const page = async (options: { limit: number; before?: string; after?: string; around?: string }) => [
      ...(await channel.messages.fetch({ ...options, cache: false })).keys(),
    ];
    expect(await page({ limit: 2 })).toEqual([five, four]);
    expect(await page({ limit: 10, before: three })).toEqual([two, one]);
    expect(await page({ limit: 2, after: two })).toEqual([four, three]);
    expect(await page({ limit: 3, around: three })).toEqual([four, three, two]);
    expect((await apiError(page({ limit: 101 }))).code).toBe(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
  });

  it("starts a thread from a message and lets the webhook post, edit and delete inside it", async () => {
    const starter = sim.userSendsMessage(channel.id, aliceId, { content: "thread starter" });
    const thread = await (await channel.messages.fetch(starter.id)).startThread({ name: "Bridged thread" });
    expect(thread.id).toBe(starter.id);
    expect(sim.channel(thread.id)).toMatchObject({ type: ChannelType.PublicThread, parent_id: channel.id, name: "Bridged thread" });
    expect(sim.message(starter.id)?.thread?.id).toBe(thread.id);

    const posted = await hook.send({ content: "into the thread", threadId: thread.id });
    expect(posted.channel_id).toBe(thread.id);
    const edited = await hook.editMessage(posted.id, { content: "into the thread, edited", threadId: thread.id });
    expect(edited.edited_timestamp).not.toBeNull();
    expect(sim.messages(thread.id).map((message) => message.content)).toEqual(["into the thread, edited"]);
    await hook.deleteMessage(posted.id, thread.id);
    expect(sim.messages(thread.id)).toEqual([]);
  });

  it("makes a forum post from a webhook execution with thread_name, and requires one", async () => {
    const forumId = sim.createChannel(guildId, { name: "ideas", type: ChannelType.GuildForum });
    const forum = (await client.channels.fetch(forumId)) as ForumChannel;
    const forumWebhook = await forum.createWebhook({ name: "forum bridge" });
    const forumHook = new WebhookClient({ id: forumWebhook.id, token: forumWebhook.token! }, { rest: { api: sim.apiBaseUrl } });
    try {
      const created = nextEvent(client, Events.ThreadCreate, (thread) => thread.parentId === forumId);
      const post = await forumHook.send({ content: "first post", threadName: "A new idea" });
      const [thread] = await created;
      expect(post.channel_id).toBe(thread.id);
      expect(post.id).toBe(thread.id); // a forum post's first message shares the thread's id
      expect(thread.name).toBe("A new idea");
      expect((await apiError(forumHook.send({ content: "where?" }))).code).toBe(
        RESTJSONErrorCodes.WebhooksPostedToForumChannelsMustHaveAThreadNameOrThreadId,
      );
    } finally {
      forumHook.destroy();
    }
  });

  it("relays a moderator's bulk delete and keeps hidden channels out of the bot's sight", async () => {
    const doomed = [1, 2, 3].map((n) => sim.userSendsMessage(channel.id, aliceId, { content: `spam ${n}` }).id);
    const bulk = nextEvent(client, Events.MessageBulkDelete);
    sim.bulkDelete(channel.id, doomed);
    expect([...(await bulk)[0].keys()].sort()).toEqual([...doomed].sort());

    const hiddenId = sim.createChannel(guildId, {
      name: "staff",
      overwrites: [{ id: guildId, type: OverwriteType.Role, allow: 0n, deny: PermissionFlagsBits.ViewChannel }],
    });
    const firstSeen = nextEvent(client, Events.MessageCreate, (message) => message.author.id === aliceId);
    sim.userSendsMessage(hiddenId, aliceId, { content: "not for bots" });
    sim.userSendsMessage(channel.id, aliceId, { content: "for everyone" });
    expect((await firstSeen)[0].content).toBe("for everyone");
    const error = await apiError(client.rest.get(`/channels/${hiddenId}/messages`));
    expect(error.code).toBe(RESTJSONErrorCodes.MissingAccess);
  });

  it("announces a guild the bot joins while connected, with members fetched over the gateway and REST", async () => {
    const joined = nextEvent(client, Events.GuildCreate);
    const carolId = sim.createUser({ username: "carol" });
    const secondId = sim.createGuild({ name: "Second", ownerId: carolId });
    const bobId = sim.createUser({ username: "bob" });
    sim.addMember(secondId, bobId, { nick: "Bobby" });
    const [guild] = await joined;
    expect(guild.id).toBe(secondId);
    const members = await guild.members.fetch();
    expect(members.map((member) => member.user.username).sort()).toEqual(["Parley", "bob", "carol"]);
    expect((await guild.members.fetch({ user: bobId, force: true })).nickname).toBe("Bobby");
  });

  it("renames a channel for the bot and dispatches CHANNEL_UPDATE", async () => {
    const updated = nextEvent(client, Events.ChannelUpdate, (_old, next) => next.id === channel.id);
    await channel.setName("renamed-by-bridge");
    await updated;
    expect(sim.channel(channel.id)).toMatchObject({ name: "renamed-by-bridge" });
  });

  it("describes spoilers, stickers and embed images the way Discord does", async () => {
    const received = nextEvent(client, Events.MessageCreate, (message) => message.author.id === aliceId);
    sim.userSendsMessage(channel.id, aliceId, {
      attachments: [{ filename: "secret plan.txt", bytes: Buffer.from("shh"), spoiler: true }],
      stickers: [{ name: "wave" }],
    });
    const [message] = await received;
    const attachment = message.attachments.first()!;
    expect([attachment.name, attachment.spoiler, attachment.contentType]).toEqual([
      "SPOILER_secret_plan.txt",
      true,
      "text/plain; charset=utf-8",
    ]);
    expect(message.stickers.first()?.name).toBe("wave");

    const chart = solidColorPng(4, 4, [10, 200, 10]);
    const sent = await channel.send({
      embeds: [new EmbedBuilder().setTitle("Chart").setImage("attachment://chart.png")],
      files: [new AttachmentBuilder(chart, { name: "chart.png" })],
    });
    const stored = sim.message(sent.id)!;
    expect(stored.attachments).toEqual([]);
    expect(stored.embeds[0]).toMatchObject({ type: "rich", title: "Chart", image: { width: 4, height: 4 } });
    const image = await fetch(stored.embeds[0]!.image!.url);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(chart);
  });

  it("works out mentions from content, permissions and allowed_mentions", async () => {
    const roleId = sim.createRole(guildId, { name: "helpers", mentionable: true });
    const fromPerson = sim.userSendsMessage(channel.id, aliceId, {
      content: `@everyone <@${sim.botUser.id}> <@&${roleId}>`,
    });
    expect(fromPerson).toMatchObject({
      mention_everyone: true,
      mention_roles: [roleId],
      mentions: [expect.objectContaining({ id: sim.botUser.id })],
    });

    const muted = await channel.send({ content: `@everyone <@${aliceId}>`, allowedMentions: { parse: [] } });
    expect(sim.message(muted.id)).toMatchObject({ mention_everyone: false, mentions: [] });

    const fromWebhook = await hook.send({ content: `@everyone <@${aliceId}>` });
    expect(sim.message(fromWebhook.id)).toMatchObject({
      mention_everyone: false, // webhooks parse only user mentions unless told otherwise
      mentions: [expect.objectContaining({ id: aliceId })],
    });

    const conflicting = apiError(
      channel.send({ content: `<@${aliceId}>`, allowedMentions: { parse: ["users"], users: [aliceId] } }),
    );
    expect((await conflicting).code).toBe(RESTJSONErrorCodes.InvalidFormBodyOrContentType);
  });
});
