/**
 * The newest Slack message bridged from each channel, kept in the connector's durable
 * state. Catching up resumes here rather than at the newest message bridged either way:
 * a Matrix message posted to Slack during an outage is newer than what Slack users said
 * before it, which would otherwise be skipped.
 */
import type { ConnectorState } from "../../core/connector.js";
import { compareTs } from "./ids.js";

export class InboundCursors {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly state: ConnectorState) {}

  async get(chat: string): Promise<string | undefined> {
    if (!this.known.has(chat)) this.known.set(chat, await this.state.get(key(chat)));
    return this.known.get(chat);
  }

  async advance(chat: string, ts: string): Promise<void> {
    const current = await this.get(chat);
    if (current !== undefined && compareTs(ts, current) <= 0) return;
    this.known.set(chat, ts);
    await this.state.set(key(chat), ts);
  }
}

function key(chat: string): string {
  return `inbound-cursor:${chat}`;
}
