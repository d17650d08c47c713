// Formatting and every mention form, both ways: what Slack users typed as Matrix users see it,
// and what Matrix users wrote as Slack shows it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solidColorPng } from "../../sim/discord/image.js";
import { aliasOf, ghostOf, messageWhere, slackMessageWith, startSlackBridge, waitForSlack, type SlackBridge } from "./slack-bridge.js";

let bridge: SlackBridge;
let randomRoom: string;
let randomChannel: string;
let otherChannel: { id: string; name: string };

beforeAll(async () => {
  bridge = await startSlackBridge();
  const { sim, team, carol, admin, alice } = bridge;
  randomChannel = sim.createChannel(team.id, { name: "random", members: [carol.id] }).id;
  sim.inviteBot(randomChannel, { by: carol.id });
  randomRoom = await admin.joinRoom(aliasOf(team.id, randomChannel));
  otherChannel = sim.createChannel(team.id, { name: "elsewhere", members: [carol.id] });
  sim.addEmoji(team.id, "partyparrot", { bytes: solidColorPng(2, 2, [1, 2, 3]), mimetype: "image/png" });
  sim.addEmoji(team.id, "yes", { aliasFor: "white_check_mark" });
  // Alice may ping the room (@room), as a moderator.
  const bot = await bridge.env.synapse.appserviceUser();
  await bot.setPowerLevels(bridge.roomId, { users: { [alice.userId]: 50 } });
});

afterAll(async () => {
  await bridge?.stop();
});

/** What Matrix shows for a message Carol types on Slack, found by a piece of its plain body. */
async function fromSlack(typed: string, bodyStart: string) {
  const { sim, carol, channelId, alice, roomId } = bridge;
  sim.userPosts(channelId, carol.id, { text: typed });
  return alice.waitForEvent(roomId, messageWhere((content) => String(content.body).startsWith(bodyStart)));
}

/** What Slack shows for HTML Alice sends from Matrix, found by a marker at its start. */
async function fromMatrix(marker: string, html: string, body = html) {
  const { sim, channelId, alice, roomId } = bridge;
  await alice.sendHtml(roomId, `${marker} ${body}`, `${marker} ${html}`);
  return (await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text.startsWith(marker)), marker)).text;
}

describe("from Slack", () => {
  it("a user mention becomes a pill to the user's ghost, with m.mentions", async () => {
    const { team, dave } = bridge;
    const event = await fromSlack(`m1 hi <@${dave.id}>!`, "m1");
    const ghost = ghostOf(team.id, dave.id);
    expect(event.content.formatted_body).toBe(`m1 hi <a href="https://matrix.to/#/${ghost}">Dave Smith</a>!`);
    expect(event.content["m.mentions"]).toEqual({ user_ids: [ghost] });
  });

  it("a bridged channel becomes a room link; any other channel its name", async () => {
    const event = await fromSlack(`m2 see <#${randomChannel}> and <#${otherChannel.id}>`, "m2");
    expect(event.content.formatted_body).toBe(`m2 see <a href="https://matrix.to/#/${randomRoom}">#random</a> and #elsewhere`);
  });

  it("@here from a member pings the room", async () => {
    const event = await fromSlack("m3 <!here> lunch", "m3");
    expect(event.content.body).toBe("m3 @room lunch");
    expect(event.content["m.mentions"]).toMatchObject({ room: true });
  });

  it("@channel from a bot stays words and pings nobody", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const bot = sim.createIntegrationBot(team.id, { name: "Alerts" });
    sim.botPosts(channelId, bot, { text: "m4 <!channel> disk full" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => String(content.body).startsWith("m4")));
    expect(event.content.body).toBe("m4 @channel disk full");
    expect(event.content["m.mentions"]).not.toMatchObject({ room: true });
  });

  it("a user group shows by its handle", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    const bot = sim.createIntegrationBot(team.id, { name: "Pager" });
    sim.botPosts(channelId, bot, { text: "m5 paging <!subteam^S0TEAM1|@oncall>" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => String(content.body).startsWith("m5")));
    expect(event.content.body).toBe("m5 paging @oncall");
  });

  it("a user group mentioned by id alone is named from the workspace's user groups", async () => {
    const { sim, team } = bridge;
    const designers = sim.createUsergroup(team.id, { name: "Design", handle: "design-team" });
    const event = await fromSlack(`m5b ask <!subteam^${designers}>`, "m5b");
    expect(event.content.body).toBe("m5b ask @design-team");
  });

  it("links keep their labels", async () => {
    const event = await fromSlack("m6 read <https://example.com/doc?a=1&b=2|the doc> or https://example.org", "m6");
    expect(event.content.formatted_body).toBe('m6 read <a href="https://example.com/doc?a=1&amp;b=2">the doc</a> or <a href="https://example.org">https://example.org</a>');
  });

  it("standard emoji become Unicode, workspace emoji an image, aliases their target", async () => {
    const event = await fromSlack("m7 :tada: :partyparrot: :yes:", "m7");
    expect(event.content.body).toBe("m7 🎉 :partyparrot: ✅");
    expect(String(event.content.formatted_body)).toMatch(/^m7 🎉 <img data-mx-emoticon src="mxc:\/\/localhost\/[^"]+" alt=":partyparrot:" title=":partyparrot:" height="32"> ✅$/);
  });

  it("code, quotes and lists keep their shape", async () => {
    const event = await fromSlack("m8 intro\n```const x = 1 < 2;```\n> quoted *words*\n- one\n- two", "m8");
    expect(event.content.formatted_body).toBe(
      "<p>m8 intro</p><pre><code>const x = 1 &lt; 2;\n</code></pre><blockquote>quoted <strong>words</strong></blockquote><ul><li>one</li><li>two</li></ul>",
    );
  });

  it("text that only looks like markup stays literal", async () => {
    const { sim, team, channelId, alice, roomId } = bridge;
    // As an integration writes it: mrkdwn, which Slack stores with & < > escaped.
    sim.botPosts(channelId, sim.createIntegrationBot(team.id, { name: "Shrugger" }), { text: "m9 snake_case_name ¯\\_(ツ)_/¯ 12:30:45 1 < 2 & 3" });
    const event = await alice.waitForEvent(roomId, messageWhere((content) => String(content.body).startsWith("m9")));
    expect(event.content.body).toBe("m9 snake_case_name ¯\\_(ツ)_/¯ 12:30:45 1 < 2 & 3");
    expect(event.content.formatted_body).toBeUndefined();
  });
});

describe("from Matrix", () => {
  it("a pill to a Slack user's ghost becomes a Slack mention", async () => {
    const { team, carol } = bridge;
    const ghost = ghostOf(team.id, carol.id);
    expect(await fromMatrix("n1", `hi <a href="https://matrix.to/#/${ghost}">carol.j</a>`, "hi carol.j")).toBe(`n1 hi <@${carol.id}>`);
  });

  it("a link to a bridged room becomes a channel mention", async () => {
    expect(await fromMatrix("n2", `see <a href="https://matrix.to/#/${randomRoom}">#random</a>`, "see #random")).toBe(`n2 see <#${randomChannel}>`);
  });

  it("@room from someone allowed to ping becomes <!channel>; from anyone else, words", async () => {
    const { sim, channelId, admin, roomId } = bridge;
    expect(await fromMatrix("n3", "@room meeting now")).toBe("n3 <!channel> meeting now");
    await admin.sendText(roomId, "n4 @room not from me");
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text.startsWith("n4")), "n4");
    expect(posted.text).toBe("n4 @room not from me");
  });

  it("links, code, quotes and lists become mrkdwn", async () => {
    expect(await fromMatrix("n5", '<a href="https://example.com/a?b=1&amp;c=2">docs</a> and <code>x &lt; y</code>', "docs and x < y"))
      .toBe("n5 <https://example.com/a?b=1&amp;c=2|docs> and `x &lt; y`");
    expect(await fromMatrix("n6", "<blockquote>wise words</blockquote><ul><li>one</li><li><strong>two</strong></li></ul>", "> wise words\n- one\n- two"))
      .toBe("n6\n&gt; wise words\n• one\n• *two*");
  });

  it("text that only looks like markup stays literal on Slack", async () => {
    const { sim, channelId, alice, roomId } = bridge;
    await alice.sendText(roomId, "n7 snake_case ¯\\_(ツ)_/¯ 12:30:45 1 < 2 & 3 *not bold*");
    const posted = await waitForSlack(() => slackMessageWith(sim, channelId, (message) => message.text.startsWith("n7")), "n7");
    // A soft hyphen inside the asterisks keeps Slack from reading them as bold.
    expect(posted.text).toBe("n7 snake_case ¯\\_(ツ)_/¯ 12:30:45 1 &lt; 2 &amp; 3 *\u00ADnot bold\u00AD*");
  });
});
