/**
 * The Slack side's connection state, over every workspace: reported to the core (for
 * `status`, and so it catches up when a workspace comes back), and to the bridged rooms
 * of a workspace that stays unreachable, so people know why Slack is quiet.
 */
import type { ConnectorHost } from "../../core/connector.js";
import { parseChatId } from "./ids.js";

export const OUTAGE_NOTICE_AFTER_MS = 5 * 60 * 1000;

interface Outage {
  timer: NodeJS.Timeout;
  noticed: boolean;
}

export class ConnectionStatus {
  private readonly outages = new Map<string, Outage>();
  private reporting = false;

  constructor(
    private readonly host: Pick<ConnectorHost, "setConnected" | "bridgedChats" | "notify" | "log">,
    private readonly noticeAfterMs = OUTAGE_NOTICE_AFTER_MS,
  ) {}

  /** From now on changes reach the core; before, the core learns the state from start() itself. */
  startReporting(): void {
    this.reporting = true;
  }

  down(teamId: string): void {
    if (this.outages.has(teamId)) return;
    const outage: Outage = { noticed: false, timer: setTimeout(() => void this.notice(teamId, outage), this.noticeAfterMs) };
    outage.timer.unref();
    this.outages.set(teamId, outage);
    this.host.log.warn("Lost the connection to a Slack workspace; reconnecting", { teamId });
    if (this.reporting) this.host.setConnected(false, `the connection to Slack workspace ${teamId} was lost`);
  }

  up(teamId: string): void {
    const outage = this.outages.get(teamId);
    if (!outage) return;
    clearTimeout(outage.timer);
    this.outages.delete(teamId);
    this.host.log.info("Reconnected to a Slack workspace", { teamId });
    if (outage.noticed) void this.tellRooms(teamId, "Slack is reachable again; what was said meanwhile is being bridged now.");
    if (this.reporting && this.outages.size === 0) this.host.setConnected(true);
  }

  stop(): void {
    for (const outage of this.outages.values()) clearTimeout(outage.timer);
    this.outages.clear();
    this.reporting = false;
  }

  private async notice(teamId: string, outage: Outage): Promise<void> {
    if (this.outages.get(teamId) !== outage) return;
    outage.noticed = true;
    const minutes = Math.round(this.noticeAfterMs / 60_000);
    await this.tellRooms(teamId, `Slack has been unreachable for ${minutes} minute${minutes === 1 ? "" : "s"}. Messages sent here wait and go out once it is back.`);
  }

  private async tellRooms(teamId: string, text: string): Promise<void> {
    try {
      const chats = (await this.host.bridgedChats()).filter((chat) => parseChatId(chat)?.teamId === teamId);
      for (const chat of chats) await this.host.notify(chat, text);
    } catch (error) {
      this.host.log.warn("Could not tell rooms about the Slack connection", { error: (error as Error).message });
    }
  }
}
