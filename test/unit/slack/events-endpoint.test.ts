// The Events API endpoint's routing: which configured workspace a signed callback belongs to.
import { createHmac } from "node:crypto";
import winston from "winston";
import { describe, expect, it } from "vitest";
import { slackEventsHandler, type HttpEndpointWorkspace } from "../../../src/connectors/slack/receivers.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const log = winston.createLogger({ silent: true });

/** A workspace whose receiver records the team of every callback delivered to it. */
function workspace(teamId: string, delivered: string[]): HttpEndpointWorkspace {
  const receiver = { deliver: async ({ body }: { body: Record<string, unknown> }) => void delivered.push(`${teamId}:${String(body.event_id)}`) };
  return { teamId, signingSecret: SECRET, receiver } as unknown as HttpEndpointWorkspace;
}

/** A callback signed the way Slack signs them: v0, the timestamp and the raw body. */
function signed(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${raw}`).digest("hex")}`;
  return {
    method: "POST", url: new URL("http://parley.example/slack/events"), params: {},
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": String(timestamp) },
    body: async () => Buffer.from(raw),
  };
}

const callback = (eventId: string, teamId: string, authorizedTeams: string[]) => ({
  type: "event_callback", event_id: eventId, team_id: teamId, api_app_id: "A0APP",
  event: { type: "message", channel: "C0SHARED", user: "U0OTHER", text: "hi", ts: "1.0" },
  authorizations: authorizedTeams.map((team) => ({ enterprise_id: null, team_id: team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false })),
});

describe("the Events API endpoint", () => {
  it("routes a callback to the workspace it was delivered for, also in a channel shared with another organisation", async () => {
    const delivered: string[] = [];
    const handle = slackEventsHandler(() => [workspace("T0OURS", delivered), workspace("T0SECOND", delivered)], log);
    expect((await handle(signed(callback("Ev1", "T0OURS", ["T0OURS"])))).status).toBe(200);
    // Slack Connect: team_id is the other organisation's; the authorization names ours.
    expect((await handle(signed(callback("Ev2", "T0THEIRS", ["T0SECOND"])))).status).toBe(200);
    expect(delivered).toEqual(["T0OURS:Ev1", "T0SECOND:Ev2"]);
  });

  it("acknowledges and drops a callback for a workspace it does not serve", async () => {
    const delivered: string[] = [];
    const handle = slackEventsHandler(() => [workspace("T0OURS", delivered)], log);
    expect((await handle(signed(callback("Ev3", "T0ELSE", ["T0ELSE"])))).status).toBe(200);
    expect(delivered).toEqual([]);
  });
});
