import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import winston from "winston";
import { ConnectionStatus } from "../../../src/connectors/slack/connection.js";

/** A host that records what the connection status tells the core and the rooms. */
function recordingHost() {
  const reports: [boolean, string | undefined][] = [];
  const notices: [string, string][] = [];
  const host = {
    log: winston.createLogger({ silent: true }),
    setConnected: (connected: boolean, error?: string) => void reports.push([connected, error]),
    bridgedChats: async () => ["T1/C1", "T1/C2", "T2/C3"],
    notify: async (chat: string, text: string) => void notices.push([chat, text]),
  };
  return { host, reports, notices };
}

describe("the Slack connection's state", () => {
  it("is reported to the core only once start() is over", () => {
    const { host, reports } = recordingHost();
    const status = new ConnectionStatus(host, 60_000);
    status.down("T1");
    status.up("T1");
    expect(reports).toEqual([]);
    status.startReporting();
    status.down("T1");
    status.up("T1");
    status.stop();
    expect(reports).toEqual([[false, "the connection to Slack workspace T1 was lost"], [true, undefined]]);
  });

  it("is up only when every workspace is", () => {
    const { host, reports } = recordingHost();
    const status = new ConnectionStatus(host, 60_000);
    status.startReporting();
    status.down("T1");
    status.down("T2");
    status.up("T1");
    status.up("T2");
    status.stop();
    expect(reports.map(([connected]) => connected)).toEqual([false, false, true]);
  });

  it("tells the workspace's rooms when it stays down, and again when it is back", async () => {
    const { host, notices } = recordingHost();
    const status = new ConnectionStatus(host, 20);
    status.startReporting();
    status.down("T1");
    await delay(60);
    expect(notices.map(([chat]) => chat)).toEqual(["T1/C1", "T1/C2"]);
    expect(notices[0]![1]).toMatch(/^Slack has been unreachable for 0 minutes\. Messages sent here wait/);
    status.up("T1");
    await delay(10);
    expect(notices.slice(2)).toEqual([
      ["T1/C1", "Slack is reachable again; what was said meanwhile is being bridged now."],
      ["T1/C2", "Slack is reachable again; what was said meanwhile is being bridged now."],
    ]);
    status.stop();
  });

  it("says nothing to the rooms about a short drop", async () => {
    const { host, notices } = recordingHost();
    const status = new ConnectionStatus(host, 50);
    status.startReporting();
    status.down("T1");
    status.up("T1");
    await delay(80);
    expect(notices).toEqual([]);
    status.stop();
  });
});
