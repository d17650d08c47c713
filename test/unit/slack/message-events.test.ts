// Slack message events, subtype by subtype, as the RemoteEvents the core receives: with a
// workspace directory and contexts filled from tables instead of the Web API.
import { describe, expect, it } from "vitest";
import winston from "winston";
import type { ConnectorState } from "../../../src/core/connector.js";
import type { RemoteEvent } from "../../../src/core/events.js";
import { BridgedEdits } from "../../../src/connectors/slack/bridged-edits.js";
import type { SlackContexts } from "../../../src/connectors/slack/contexts.js";
import { InboundCursors } from "../../../src/connectors/slack/cursors.js";
import type { SlackDirectory } from "../../../src/connectors/slack/directory.js";
import { EchoFilter } from "../../../src/connectors/slack/echoes.js";
import { MessageEvents } from "../../../src/connectors/slack/message-events.js";
import { Senders } from "../../../src/connectors/slack/senders.js";
import type { SlackChannel, SlackFile, SlackMessage, SlackUser } from "../../../src/connectors/slack/slack-types.js";
import { p, parseCtx, t } from "./format-fixtures.js";

const USERS: Record<string, SlackUser> = {
  U1: { id: "U1", name: "carol", profile: { display_name: "Carol", image_72: "https://avatars.example/carol.png" } },
  U0PARLEY: { id: "U0PARLEY", name: "parley", is_bot: true },
};

/** What files.info knows. */
const FILES: Record<string, SlackFile> = {
  F0SHARED: { id: "F0SHARED", name: "plan.pdf", mimetype: "application/pdf", size: 2048, url_private: "https://files.slack.com/files-pri/T9-F0SHARED/plan.pdf" },
};

/** `state` is the connector's durable state, shared to stand for a restart. */
function setup(channel: SlackChannel = { id: "C1", topic: { value: "" }, purpose: { value: "" } }, state = new Map<string, string>()) {
  const emitted: RemoteEvent[] = [];
  const memory: ConnectorState = {
    get: async (key) => state.get(key),
    set: async (key, value) => void state.set(key, value),
    delete: async (key) => void state.delete(key),
  };
  const directory = {
    user: async (id: string) => USERS[id] ?? Promise.reject(new Error("user_not_found")),
    bot: async (id: string) => ({ id, name: "Jenkins", icons: { image_72: "https://icons.example/jenkins.png" } }),
    channel: async () => channel,
    forgetChannel: () => undefined,
    fileIfReadable: async (id: string) => FILES[id],
  } as unknown as SlackDirectory;
  const echoes = new EchoFilter({ teamId: "T1", botId: "B0PARLEY", botUserId: "U0PARLEY" });
  const cursors = new InboundCursors(memory);
  const events = new MessageEvents({
    teamId: "T1",
    host: { emit: async (event) => void emitted.push(event), log: winston.createLogger({ silent: true }) },
    directory,
    echoes,
    senders: new Senders("T1", directory, "{displayName}"),
    contexts: { parseContext: async () => parseCtx } as unknown as SlackContexts,
    cursors,
    edits: new BridgedEdits(memory),
    fetchSnippet: async () => undefined,
    fileUrlSuffix: (chat: string) => `#in=${chat}`,
  });
  return { emitted, events, echoes, cursors, state };
}

const carol = { id: "T1/U1", displayName: "Carol", avatarUrl: "https://avatars.example/carol.png", isBot: false };
const posted = (ts: string, text: string, extra: Partial<SlackMessage> = {}): SlackMessage => ({ type: "message", user: "U1", ts, text, ...extra });

describe("posted messages", () => {
  it("become messages from their sender, timestamped from their ts", async () => {
    const { events, emitted, cursors } = setup();
    await events.handle("C1", posted("1700000000.000100", "hello"));
    expect(emitted).toEqual([{
      type: "message", chat: "T1/C1", id: "1700000000.000100", sender: carol,
      content: { style: "text", text: [p(t("hello"))], media: [] }, timestamp: 1700000000000,
    }]);
    expect(await cursors.get("T1/C1")).toBe("1700000000.000100");
  });

  it("in a thread name their root; a broadcast is also in the channel", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", posted("2.0", "reply", { thread_ts: "1.0" }));
    await events.handle("C1", posted("3.0", "broadcast", { thread_ts: "1.0", subtype: "thread_broadcast" }));
    await events.handle("C1", posted("1.0", "a root with replies", { thread_ts: "1.0", reply_count: 2 }));
    expect(emitted.map((event) => event.type === "message" && [event.id, event.threadRoot, event.alsoInChannel])).toEqual([
      ["2.0", "1.0", undefined],
      ["3.0", "1.0", true],
      ["1.0", undefined, undefined],
    ]);
  });

  it("from an integration come from its bot", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", { type: "message", subtype: "bot_message", bot_id: "B0JENKINS", username: "Jenkins", ts: "4.0", text: "built" });
    expect(emitted[0]).toMatchObject({ sender: { id: "T1/B0JENKINS", displayName: "Jenkins", isBot: true } });
  });

  it("from someone Slack will not describe still arrive, under their id", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", posted("4.5", "who am I", { user: "U404" }));
    expect(emitted[0]).toMatchObject({ sender: { id: "T1/U404", displayName: "U404" } });
  });

  it("that Parley posted, or that are hidden or empty, are not bridged back", async () => {
    const { events, emitted, echoes, cursors } = setup();
    echoes.rememberPosted("C1", "5.2");
    await events.handle("C1", { type: "message", subtype: "bot_message", bot_id: "B0PARLEY", username: "Alice", ts: "5.0", text: "from matrix" });
    await events.handle("C1", { type: "message", subtype: "file_share", user: "U0PARLEY", bot_id: "B0PARLEY", ts: "5.1", text: "*Alice*" });
    await events.handle("C1", { type: "message", subtype: "file_share", user: "U1", ts: "5.2", text: "mine after all" });
    await events.handle("C1", posted("5.3", "hidden", { hidden: true }));
    await events.handle("C1", posted("5.4", "   "));
    expect(emitted).toEqual([]);
    expect(await cursors.get("T1/C1")).toBeUndefined();
  });
});

describe("a linked person's messages", () => {
  it("that Parley is posting as them wait for its timestamp and are not bridged back; their own are", async () => {
    const { events, emitted, echoes } = setup();
    let posted_: () => void = () => undefined;
    const posting = echoes.whilePostingAs("C1", "U1", new Promise<void>((resolve) => (posted_ = resolve)));
    // Slack's event for the post arrives before the post's answer.
    const echo = events.handle("C1", posted("6.0", "from matrix"));
    echoes.rememberPostedAsPerson("C1", "6.0");
    posted_();
    await posting;
    await echo;
    await events.handle("C1", posted("6.1", "from a Slack client"));
    expect(emitted.map((event) => event.type === "message" && event.id)).toEqual(["6.1"]);
  });

  it("edited by Parley as them are echoes, edited by them in Slack are edits", async () => {
    const { events, emitted, echoes } = setup();
    const changed = (text: string, editedTs: string): SlackMessage =>
      ({ type: "message", subtype: "message_changed", hidden: true, ts: "9.9", message: posted("6.0", text, { edited: { user: "U1", ts: editedTs } }), previous_message: posted("6.0", "before") });
    echoes.rememberEditAsPerson("C1", "6.0", "from matrix, fixed");
    await events.handle("C1", changed("from matrix, fixed", "6.2"));
    await events.handle("C1", changed("fixed on Slack", "6.3"));
    expect(emitted.map((event) => event.type === "edit" && event.content.text)).toEqual([[p(t("fixed on Slack"))]]);
  });
});

describe("files", () => {
  it("shared from another organisation are looked up, since the event carries only their id", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", posted("7.2", "", { subtype: "file_share", files: [{ id: "F0SHARED", mode: "file_access", file_access: "check_file_info" }] }));
    const media = emitted.flatMap((event) => (event.type === "message" ? event.content.media : []));
    expect(media).toMatchObject([{ kind: "file", filename: "plan.pdf", url: "https://files.slack.com/files-pri/T9-F0SHARED/plan.pdf#in=T1/C1" }]);
  });

  it("are marked with the chat they were shared in, so they are fetched with a token that can read them", async () => {
    const { events, emitted } = setup();
    const file = { id: "F1", name: "a.png", mimetype: "image/png", url_private_download: "https://files.slack.com/files-pri/T1-F1/download/a.png" };
    await events.handle("D1", posted("7.0", "", { subtype: "file_share", files: [file] }));
    await events.handle("C1", posted("7.1", "", { subtype: "file_share", files: [file] }));
    const urls = emitted.map((event) => event.type === "message" && event.content.media[0]?.url);
    expect(urls).toEqual([`${file.url_private_download}#in=T1/D1`, `${file.url_private_download}#in=T1/C1`]);
  });
});

describe("changed messages", () => {
  const changed = (message: SlackMessage, previous?: SlackMessage): SlackMessage =>
    ({ type: "message", subtype: "message_changed", hidden: true, ts: "9.9", message, previous_message: previous });

  it("edited by their author become edits, without media", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", changed(posted("1.0", "fixed", { edited: { user: "U1", ts: "1.5" } }), posted("1.0", "fixd")));
    expect(emitted).toEqual([{ type: "edit", chat: "T1/C1", id: "1.0", sender: carol, content: { style: "text", text: [p(t("fixed"))], media: [] }, timestamp: 1500 }]);
  });

  it("only gaining link previews are not edits", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", changed(posted("1.0", "see https://x.example", { attachments: [{ from_url: "https://x.example" }] }), posted("1.0", "see https://x.example")));
    expect(emitted).toEqual([]);
  });

  it("an older edit arriving after a newer one is dropped", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", changed(posted("1.0", "third", { edited: { user: "U1", ts: "1.3" } }), posted("1.0", "second")));
    await events.handle("C1", changed(posted("1.0", "second", { edited: { user: "U1", ts: "1.2" } }), posted("1.0", "first")));
    await events.handle("C1", changed(posted("1.0", "third", { edited: { user: "U1", ts: "1.3" } }), posted("1.0", "second")));
    expect(emitted.map((event) => event.type === "edit" && event.content.text)).toEqual([[p(t("third"))]]);
  });

  it("are remembered across a restart: an edit bridged before, or bridged with its message, is not bridged again", async () => {
    const first = setup();
    await first.events.handle("C1", changed(posted("1.0", "second", { edited: { user: "U1", ts: "1.2" } }), posted("1.0", "first")));
    await first.events.handle("C1", posted("2.0", "caught up edited", { edited: { user: "U1", ts: "2.5" } }));
    expect(first.state.get("edited:T1/C1/1.0")).toBe("1.2");
    expect(first.state.get("edited:T1/C1/2.0")).toBe("2.5");
    const { events, emitted } = setup(undefined, first.state);
    // What catching up finds in history: no previous message, only `edited`.
    await events.handle("C1", changed(posted("1.0", "second", { edited: { user: "U1", ts: "1.2" } })));
    await events.handle("C1", changed(posted("2.0", "caught up edited", { edited: { user: "U1", ts: "2.5" } })));
    await events.handle("C1", changed(posted("1.0", "third", { edited: { user: "U1", ts: "1.3" } })));
    expect(emitted.map((event) => event.type === "edit" && event.content.text)).toEqual([[p(t("third"))]]);
    expect(first.state.get("edited:T1/C1/1.0")).toBe("1.3");
    await events.handle("C1", { type: "message", subtype: "message_deleted", ts: "1.0", deleted_ts: "1.0" });
    expect(first.state.has("edited:T1/C1/1.0")).toBe(false);
  });

  it("edited by Parley are echoes", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", changed({ type: "message", subtype: "bot_message", bot_id: "B0PARLEY", ts: "1.0", text: "new", edited: { user: "U0PARLEY", ts: "1.1" } }));
    expect(emitted).toEqual([]);
  });

  it("turned into a tombstone (a thread root deleted under its replies) are deleted", async () => {
    const { events, emitted, echoes } = setup();
    await events.handle("C1", changed({ type: "message", subtype: "tombstone", user: "USLACKBOT", ts: "1.0", text: "This message was deleted.", hidden: true, thread_ts: "1.0" }));
    echoes.rememberDeleted("C1", "2.0");
    await events.handle("C1", changed({ type: "message", subtype: "tombstone", user: "USLACKBOT", ts: "2.0", text: "This message was deleted.", hidden: true }));
    expect(emitted).toEqual([{ type: "delete", chat: "T1/C1", ids: ["1.0"] }]);
  });
});

describe("deleted messages", () => {
  it("are deleted, unless Parley deleted them", async () => {
    const { events, emitted, echoes } = setup();
    echoes.rememberDeleted("C1", "2.0");
    await events.handle("C1", { type: "message", subtype: "message_deleted", hidden: true, ts: "9.0", deleted_ts: "1.0", previous_message: posted("1.0", "x") });
    await events.handle("C1", { type: "message", subtype: "message_deleted", hidden: true, ts: "9.1", deleted_ts: "2.0" });
    expect(emitted).toEqual([{ type: "delete", chat: "T1/C1", ids: ["1.0"] }]);
  });
});

describe("what Slack announces as messages", () => {
  it("joins and leaves become membership, but not the app's own", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", { type: "message", subtype: "channel_join", user: "U1", ts: "1.0", text: "<@U1> has joined the channel" });
    await events.handle("C1", { type: "message", subtype: "group_leave", user: "U1", ts: "2.0", text: "<@U1> has left the channel" });
    await events.handle("C1", { type: "message", subtype: "channel_join", user: "U0PARLEY", ts: "3.0", text: "<@U0PARLEY> has joined the channel" });
    expect(emitted).toEqual([
      { type: "member", chat: "T1/C1", user: carol, membership: "join" },
      { type: "member", chat: "T1/C1", user: carol, membership: "leave" },
    ]);
  });

  it("a rename renames", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", { type: "message", subtype: "channel_name", user: "U1", ts: "1.0", name: "new-name", text: "renamed" });
    expect(emitted).toEqual([{ type: "chat_update", chat: "T1/C1", name: "new-name" }]);
  });

  it("a topic or purpose change shows the topic, or the purpose where there is none", async () => {
    const withTopic = setup({ id: "C1", topic: { value: "Planning" }, purpose: { value: "Everything" } });
    await withTopic.events.handle("C1", { type: "message", subtype: "channel_purpose", user: "U1", ts: "1.0", purpose: "Everything", text: "" });
    const withoutTopic = setup({ id: "C1", topic: { value: "" }, purpose: { value: "Everything" } });
    await withoutTopic.events.handle("C1", { type: "message", subtype: "channel_purpose", user: "U1", ts: "1.0", purpose: "Everything", text: "" });
    expect(withTopic.emitted).toEqual([{ type: "chat_update", chat: "T1/C1", topic: "Planning" }]);
    expect(withoutTopic.emitted).toEqual([{ type: "chat_update", chat: "T1/C1", topic: "Everything" }]);
  });

  it("pins, huddles and the like are left alone", async () => {
    const { events, emitted } = setup();
    await events.handle("C1", { type: "message", subtype: "pinned_item", user: "U1", ts: "1.0", text: "pinned a message" });
    await events.handle("C1", { type: "message", subtype: "channel_archive", user: "U1", ts: "2.0", text: "archived" });
    expect(emitted).toEqual([]);
  });
});
