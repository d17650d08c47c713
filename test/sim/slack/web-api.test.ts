// The simulator's Web API through the real @slack/web-api client (as bolt bundles it), plus raw requests where
// the client would hide what is being checked (JSON bodies, missing tokens).
import { LogLevel, webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackSimulator, type SimTeam } from "./index.js";

const { WebClient } = webApi;
type WebClient = InstanceType<typeof WebClient>;

describe("the Web API", () => {
  const sim = new SlackSimulator();
  let team: SimTeam;
  let alice: { id: string };
  let channel: { id: string };
  let bot: WebClient;

  beforeAll(async () => {
    await sim.start();
    team = sim.createTeam({ name: "Acme", domain: "acme", icon: "https://example.org/acme.png" });
    alice = sim.createUser(team.id, { name: "alice", real_name: "Alice Liddell", display_name: "ali", avatar: { bytes: Buffer.from("avatar"), mimetype: "image/png" } });
    channel = sim.createChannel(team.id, { name: "general", members: [alice.id, team.botUserId] });
    bot = new WebClient(team.botToken, { slackApiUrl: sim.apiBaseUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 20 } });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("pages conversations.history newest first, leaving out replies but not broadcasts", async () => {
    const quiet = sim.createChannel(team.id, { name: "history", members: [alice.id, team.botUserId] });
    const posted = ["one", "two", "three", "four"].map((text) => sim.userPosts(quiet.id, alice.id, { text }));
    sim.userPosts(quiet.id, alice.id, { text: "hidden reply", thread_ts: posted[0] });
    const broadcast = sim.userPosts(quiet.id, alice.id, { text: "shown reply", thread_ts: posted[0], reply_broadcast: true });

    const first = await bot.conversations.history({ channel: quiet.id, limit: 3 });
    expect(first.messages?.map((message) => message.text)).toEqual(["shown reply", "four", "three"]);
    expect(first.has_more).toBe(true);
    const second = await bot.conversations.history({ channel: quiet.id, limit: 3, cursor: first.response_metadata!.next_cursor });
    expect(second.messages?.map((message) => message.text)).toEqual(["two", "one"]);
    expect(second).toMatchObject({ has_more: false, response_metadata: { next_cursor: "" } });
    expect(second.messages?.[1]).toMatchObject({ ts: posted[0], reply_count: 2, thread_ts: posted[0], reply_users: [alice.id] });

    const window = await bot.conversations.history({ channel: quiet.id, oldest: posted[1], latest: posted[3], inclusive: true });
    expect(window.messages?.map((message) => message.ts)).toEqual([posted[3], posted[2], posted[1]]);
    const exclusive = await bot.conversations.history({ channel: quiet.id, oldest: posted[1], latest: broadcast });
    expect(exclusive.messages?.map((message) => message.ts)).toEqual([posted[3], posted[2]]);

    const thread = await bot.conversations.replies({ channel: quiet.id, ts: posted[0]! });
    expect(thread.messages?.map((message) => message.text)).toEqual(["one", "hidden reply", "shown reply"]);
    expect(thread.messages?.[1]).toMatchObject({ thread_ts: posted[0], parent_user_id: alice.id });
  });

  it("answers like Slack when the token or channel is wrong", async () => {
    const stranger = new WebClient("xoxb-0-0-nope", { slackApiUrl: sim.apiBaseUrl });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { ok: false, error: "invalid_auth" } });
    const anonymous = await fetch(`${sim.apiBaseUrl}auth.test`, { method: "POST" });
    expect(await anonymous.json()).toEqual({ ok: false, error: "not_authed" });
    const appLevel = new WebClient(team.appToken, { slackApiUrl: sim.apiBaseUrl });
    await expect(appLevel.chat.postMessage({ channel: channel.id, text: "x" })).rejects.toMatchObject({ data: { error: "not_allowed_token_type" } });

    const secret = sim.createChannel(team.id, { name: "secret", is_private: true, members: [alice.id] });
    await expect(bot.conversations.info({ channel: secret.id })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    const elsewhere = sim.createChannel(team.id, { name: "elsewhere", members: [alice.id] });
    await expect(bot.chat.postMessage({ channel: elsewhere.id, text: "hi" })).rejects.toMatchObject({ data: { error: "not_in_channel" } });
    await expect(bot.conversations.history({ channel: elsewhere.id })).rejects.toMatchObject({ data: { error: "not_in_channel" } });
    await bot.conversations.join({ channel: elsewhere.id });
    expect((await bot.conversations.members({ channel: elsewhere.id })).members).toEqual([alice.id, team.botUserId]);
    expect(await bot.conversations.join({ channel: elsewhere.id })).toMatchObject({ warning: "already_in_channel" });
  });

  it("describes people, bots, the team and its custom emoji", async () => {
    const { user } = await bot.users.info({ user: alice.id });
    expect(user).toMatchObject({ id: alice.id, name: "alice", real_name: "Alice Liddell", is_bot: false, profile: { display_name: "ali", real_name: "Alice Liddell" } });
    const avatar = await fetch(user!.profile!.image_72!);
    expect(await avatar.text()).toBe("avatar");
    expect((await bot.bots.info({ bot: team.botId })).bot).toMatchObject({ id: team.botId, app_id: team.appId, user_id: team.botUserId, name: "parley" });
    expect((await bot.users.info({ user: team.botUserId })).user).toMatchObject({ is_bot: true, profile: { bot_id: team.botId } });
    expect((await bot.team.info()).team).toMatchObject({ id: team.id, name: "Acme", domain: "acme", icon: { image_68: "https://example.org/acme.png" } });

    sim.addEmoji(team.id, "partyparrot", { bytes: Buffer.from("GIF89a"), mimetype: "image/gif" });
    sim.addEmoji(team.id, "parrot", { aliasFor: "partyparrot" });
    const { emoji } = await bot.emoji.list();
    expect(emoji).toMatchObject({ parrot: "alias:partyparrot" });
    expect(await (await fetch(emoji!.partyparrot!)).text()).toBe("GIF89a");
  });

  it("lists user groups, disabled ones only when asked", async () => {
    const oncall = sim.createUsergroup(team.id, { name: "On call", handle: "oncall", users: [alice.id] });
    const retired = sim.createUsergroup(team.id, { name: "Old team", handle: "oldteam", disabled: true });
    const active = await bot.usergroups.list({ include_users: true });
    expect(active.usergroups?.map((group) => [group.id, group.handle, group.users])).toEqual([[oncall, "oncall", [alice.id]]]);
    const all = await bot.usergroups.list({ include_disabled: true });
    expect(all.usergroups?.map((group) => [group.handle, group.date_delete !== 0, "users" in group])).toEqual([
      ["oncall", false, false],
      ["oldteam", true, false],
    ]);
    expect(retired).toMatch(/^S0/);
  });

  it("links to messages and thread replies", async () => {
    const root = sim.userPosts(channel.id, alice.id, { text: "root" });
    const reply = sim.userPosts(channel.id, alice.id, { text: "reply", thread_ts: root });
    const digits = (ts: string) => ts.replace(".", "");
    expect((await bot.chat.getPermalink({ channel: channel.id, message_ts: root })).permalink).toBe(`https://acme.slack.com/archives/${channel.id}/p${digits(root)}`);
    expect((await bot.chat.getPermalink({ channel: channel.id, message_ts: reply })).permalink).toBe(
      `https://acme.slack.com/archives/${channel.id}/p${digits(reply)}?thread_ts=${root}&cid=${channel.id}`,
    );
  });

  it("describes an uploaded file with files.info", async () => {
    const uploaded = await bot.files.uploadV2({ channel_id: channel.id, content: "print('hi')\n", filename: "hi.py", snippet_type: "python", title: "Greeting" });
    // uploadV2 answers with every files.completeUploadExternal response it made.
    const completions = (uploaded as unknown as { files: { files: { id: string }[] }[] }).files;
    const fileId = completions[0]!.files[0]!.id;
    const { file } = await bot.files.info({ file: fileId });
    expect(file).toMatchObject({ id: fileId, name: "hi.py", title: "Greeting", filetype: "python", mode: "snippet", user: team.botUserId, channels: [channel.id] });
  });

  it("gives a person's token through oauth.v2.access, which then acts as that person", async () => {
    const code = sim.createOAuthCode(alice.id, ["chat:write"]);
    const grant = await bot.oauth.v2.access({ client_id: team.clientId, client_secret: team.clientSecret, code });
    expect(grant).toMatchObject({ ok: true, app_id: team.appId, team: { id: team.id }, authed_user: { id: alice.id, token_type: "user" } });
    const userToken = grant.authed_user!.access_token!;
    expect(userToken).toMatch(/^xoxp-/);
    await expect(bot.oauth.v2.access({ client_id: team.clientId, client_secret: team.clientSecret, code })).rejects.toMatchObject({ data: { error: "invalid_code" } });

    expect(await bot.auth.test({ token: userToken })).toMatchObject({ user_id: alice.id });
    const posted = await bot.chat.postMessage({ token: userToken, channel: channel.id, text: "typed by me, sent by the bridge" });
    const stored = sim.message(channel.id, posted.ts!);
    expect(stored).toMatchObject({ user: alice.id, text: "typed by me, sent by the bridge" });
    expect(stored?.bot_id).toBeUndefined();
  });

  it("opens direct messages with a person's token, within the scopes they granted, until the token is revoked", async () => {
    const bob = sim.createUser(team.id, { name: "bob" });
    const carol = sim.createUser(team.id, { name: "carol" });
    const token = sim.createUserToken(alice.id, ["im:write", "im:read", "im:history", "chat:write"]);
    const opened = await bot.conversations.open({ token, users: bob.id });
    expect(opened.channel?.id).toMatch(/^D/);
    const dm = opened.channel!.id!;
    expect(await bot.conversations.open({ token, users: bob.id })).toMatchObject({ already_open: true, channel: { id: dm } });
    const info = await bot.conversations.info({ token, channel: dm });
    expect(info.channel).toMatchObject({ id: dm, is_im: true, user: bob.id });
    await bot.chat.postMessage({ token, channel: dm, text: "just us" });
    expect(sim.messages(dm).map((message) => message.user)).toEqual([alice.id]);
    // The app's bot is not in the conversation and cannot see it.
    await expect(bot.conversations.history({ channel: dm })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    await expect(bot.conversations.open({ token, users: `${bob.id},${carol.id}` })).rejects.toMatchObject({ data: { error: "missing_scope", needed: "mpim:write" } });
    await expect(bot.reactions.add({ token, channel: dm, timestamp: sim.messages(dm)[0]!.ts, name: "wave" })).rejects.toMatchObject({ data: { error: "missing_scope" } });

    sim.revokeToken(token);
    await expect(bot.auth.test({ token })).rejects.toMatchObject({ data: { error: "token_revoked" } });
    expect(sim.eventsSent(team.id).at(-1)?.event).toMatchObject({ type: "tokens_revoked", tokens: { oauth: [alice.id] } });
  });

  it("accepts JSON bodies only with the token in the Authorization header", async () => {
    const body = { channel: channel.id, text: "json", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*json*" } }] };
    const withHeader = await fetch(`${sim.apiBaseUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${team.botToken}` },
      body: JSON.stringify(body),
    });
    const posted = (await withHeader.json()) as { ok: boolean; ts: string };
    expect(posted.ok).toBe(true);
    expect(sim.message(channel.id, posted.ts)?.blocks).toEqual(body.blocks);
    const tokenInBody = await fetch(`${sim.apiBaseUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, token: team.botToken }),
    });
    expect(await tokenInBody.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("serves injected server errors, which the client retries", async () => {
    sim.failNext("conversations.info", 2, { status: 503 });
    const info = await bot.conversations.info({ channel: channel.id });
    expect(info.channel).toMatchObject({ id: channel.id, name: "general", is_member: true });
    expect(sim.requests("conversations.info").slice(-3).map((record) => record.status)).toEqual([503, 503, 200]);
  });
});
