// Linked people as Slack actors: whose token acts for a Matrix sender, what a failure as them
// means (a broken link, or a job for the bot), and how credentials and file URLs are read.
import { describe, expect, it } from "vitest";
import winston from "winston";
import { UserClients, parseCredentials, serializeCredentials } from "../../../src/connectors/slack/accounts.js";
import { Puppets, failureCode } from "../../../src/connectors/slack/puppets.js";
import { chatOfFileUrl, fileChatSuffix } from "../../../src/connectors/slack/workspace.js";
import { PermanentError } from "../../../src/core/connector.js";

const log = winston.createLogger({ silent: true });

/** A Web API platform error as @slack/web-api throws it. */
const platformError = (code: string) => Object.assign(new Error(`An API error occurred: ${code}`), { code: "slack_webapi_platform_error", data: { ok: false, error: code } });

function setup(links: Record<string, string> = {}) {
  const broken: { matrixUserId: string; reason: string }[] = [];
  const puppets = new Puppets({
    log,
    credentialsFor: async (matrixUserId) => links[matrixUserId],
    linkBroken: async (matrixUserId, reason) => void broken.push({ matrixUserId, reason }),
    matrixUserFor: async (user) => (user === "T1/U0ALICE" ? "@alice:hs" : `@slack_${user}:hs`),
  }, new UserClients("http://127.0.0.1:1/api/", log));
  return { puppets, broken };
}

const alice = serializeCredentials({ token: "xoxp-alice", teamId: "T1", userId: "U0ALICE" });

describe("whose token acts for a Matrix sender", () => {
  it("theirs when they linked an account in the chat's workspace that still works", async () => {
    const { puppets } = setup({ "@alice:hs": alice });
    const puppet = await puppets.forSender({ userId: "@alice:hs", displayName: "Alice", remoteUserId: "T1/U0ALICE" }, "T1");
    expect(puppet).toMatchObject({ matrixUserId: "@alice:hs", teamId: "T1", slackUserId: "U0ALICE" });
    expect(puppet?.client.token).toBe("xoxp-alice");
    expect(await puppets.forSender({ userId: "@alice:hs", displayName: "Alice", remoteUserId: "T1/U0ALICE" }, "T2")).toBeUndefined();
    expect(await puppets.forSender({ userId: "@alice:hs", displayName: "Alice" }, "T1")).toBeUndefined();
    expect(await puppets.forSender({ userId: "@bob:hs", displayName: "Bob", remoteUserId: "T1/U0BOB" }, "T1")).toBeUndefined();
    expect(await puppets.forSlackUser("T1", "U0ALICE")).toMatchObject({ matrixUserId: "@alice:hs" });
    expect(await puppets.forSlackUser("T1", "U0CAROL")).toBeUndefined();
  });
});

describe("a failure acting as a linked person", () => {
  it("breaks the link when Slack refuses the token, telling why, and lets the bot do it", async () => {
    const { puppets, broken } = setup({ "@alice:hs": alice });
    const puppet = (await puppets.forMatrixUser("@alice:hs", "T1"))!;
    expect(await puppets.botMayTry(puppet, new PermanentError("refused", { cause: platformError("token_revoked") }))).toBe(true);
    expect(await puppets.botMayTry(puppet, platformError("account_inactive"))).toBe(true);
    expect(broken).toEqual([
      { matrixUserId: "@alice:hs", reason: "its token was revoked on Slack" },
      { matrixUserId: "@alice:hs", reason: "the Slack account was deactivated" },
    ]);
  });

  it("lets the bot do what their account may not, without breaking the link", async () => {
    const { puppets, broken } = setup({ "@alice:hs": alice });
    const puppet = (await puppets.forMatrixUser("@alice:hs", "T1"))!;
    for (const code of ["not_in_channel", "missing_scope", "cant_update_message"]) expect(await puppets.botMayTry(puppet, platformError(code))).toBe(true);
    expect(broken).toEqual([]);
  });

  it("is the sender's to hear about otherwise", async () => {
    const { puppets, broken } = setup({ "@alice:hs": alice });
    const puppet = (await puppets.forMatrixUser("@alice:hs", "T1"))!;
    expect(await puppets.botMayTry(puppet, platformError("msg_too_long"))).toBe(false);
    expect(await puppets.botMayTry(puppet, new Error("socket hang up"))).toBe(false);
    expect(broken).toEqual([]);
    expect(failureCode(new PermanentError("x", { cause: platformError("is_archived") }))).toBe("is_archived");
  });
});

describe("what Parley keeps and passes along", () => {
  it("reads back the credentials it stored, and nothing else", () => {
    expect(parseCredentials(alice)).toEqual({ token: "xoxp-alice", teamId: "T1", userId: "U0ALICE" });
    expect(parseCredentials("xoxp-alice")).toBeUndefined();
    expect(parseCredentials(JSON.stringify({ token: "xoxp-alice" }))).toBeUndefined();
  });

  it("marks file URLs with their chat, in a fragment Slack never sees", () => {
    const url = `https://files.slack.com/files-pri/T1-F1/a.png${fileChatSuffix("T1/D1")}`;
    expect(chatOfFileUrl(url)).toBe("T1/D1");
    expect(new URL(url).hash).toBe("#parley-chat=T1%2FD1");
    expect(chatOfFileUrl("https://files.slack.com/files-pri/T1-F1/a.png")).toBeUndefined();
  });
});
