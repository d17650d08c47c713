// Looking bridged messages up again after downtime: what is still there, and what Slack says is gone.
import { describe, expect, it } from "vitest";
import type { webApi } from "@slack/bolt";
import { bridgedNow, missedMessages } from "../../../src/connectors/slack/catch-up.js";
import type { SlackMessage } from "../../../src/connectors/slack/slack-types.js";

const platformError = (error: string) => Object.assign(new Error(error), { code: "slack_webapi_platform_error", data: { error } });

/** A client over a channel's top-level messages and its threads (root first), as the Web API answers. */
function client(history: SlackMessage[], threads: Record<string, SlackMessage[]>, failing: Record<string, Error> = {}) {
  const calls: string[] = [];
  const fake = {
    conversations: {
      history: async () => ({ messages: [...history].reverse() }),
      replies: async ({ ts }: { ts: string }) => {
        calls.push(ts);
        if (failing[ts]) throw failing[ts];
        const thread = Object.values(threads).find((messages) => messages.some((message) => message.ts === ts));
        const message = thread ? undefined : history.find((candidate) => candidate.ts === ts);
        if (!thread && !message) throw platformError("thread_not_found");
        return { messages: thread ?? [message] };
      },
    },
  };
  return { client: fake as unknown as webApi.WebClient, calls };
}

describe("bridged messages looked up again", () => {
  it("are present, edited or tombstoned, or deleted when Slack has no such message", async () => {
    const root = { ts: "2.0", text: "root", reply_count: 2, latest_reply: "2.2" };
    const { client: slack } = client(
      [{ ts: "1.0", text: "kept" }, root, { ts: "3.0", text: "fixed", edited: { ts: "3.5" } }, { ts: "4.0", subtype: "tombstone", text: "This message was deleted." }],
      { "2.0": [root, { ts: "2.1", text: "reply", thread_ts: "2.0" }, { ts: "2.2", text: "reply fixed", thread_ts: "2.0", edited: { ts: "2.5" } }] },
    );
    const now = await bridgedNow(slack, "C1", ["5.0", "4.0", "3.0", "2.2", "2.1", "1.0", "0.5"]);
    expect(now.present.map((message) => message.ts)).toEqual(["1.0", "2.1", "2.2", "3.0", "4.0"]);
    expect(now.deleted).toEqual(["0.5", "5.0"]);
  });

  it("in a thread older than history was read for are looked up one by one; a failed look-up deletes nothing", async () => {
    const { client: slack, calls } = client([{ ts: "9.0", text: "new" }], { "1.0": [{ ts: "1.0", text: "old root" }, { ts: "8.0", text: "late reply", thread_ts: "1.0" }] }, { "8.5": platformError("internal_error") });
    await expect(bridgedNow(slack, "C1", ["9.0", "8.0", "8.5"])).rejects.toThrow(/trouble/);
    const { client: ok } = client([{ ts: "9.0", text: "new" }], { "1.0": [{ ts: "1.0", text: "old root" }, { ts: "8.0", text: "late reply", thread_ts: "1.0" }] });
    const now = await bridgedNow(ok, "C1", ["9.0", "8.0"]);
    expect(now).toEqual({ present: [{ ts: "8.0", text: "late reply", thread_ts: "1.0" }, { ts: "9.0", text: "new" }], deleted: [] });
    expect(calls).toEqual(["8.0", "8.5"]);
  });

  it("need no calls when there are none", async () => {
    const { client: slack, calls } = client([], {});
    expect(await bridgedNow(slack, "C1", [])).toEqual({ present: [], deleted: [] });
    expect(calls).toEqual([]);
  });
});

describe("messages missed while away", () => {
  it("include replies in threads whose root does not say when it was last replied to", async () => {
    const root = { ts: "2.0", text: "root", reply_count: 1 };
    const { client: slack, calls } = client([root, { ts: "3.0", text: "later" }], { "2.0": [root, { ts: "2.5", text: "reply", thread_ts: "2.0" }] });
    const missed = await missedMessages(slack, "C1", "1.0");
    expect(missed.map((message) => message.text)).toEqual(["root", "reply", "later"]);
    expect(calls).toEqual(["2.0"]);
  });
});
