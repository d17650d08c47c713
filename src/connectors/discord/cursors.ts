/**
 * The newest Discord message bridged from each chat (its threads included), kept in the
 * connector's durable state: catching up resumes after it. The newest message bridged
 * either way would not do: a Matrix message posted to Discord during an outage is newer
 * than what Discord people said before it, which would then be skipped.
 */
import type { ConnectorState } from "../../core/connector.js";
import { compareSnowflakes } from "./ids.js";

export class InboundCursors {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly state: () => ConnectorState) {}

  async get(chat: string): Promise<string | undefined> {
    if (!this.known.has(chat)) this.known.set(chat, await this.state().get(key(chat)));
    return this.known.get(chat);
  }

  /** Moves the chat's cursor to `messageId` if that is newer. */
  async advance(chat: string, messageId: string): Promise<void> {
    const current = await this.get(chat);
    if (current !== undefined && compareSnowflakes(messageId, current) <= 0) return;
    this.known.set(chat, messageId);
    await this.state().set(key(chat), messageId);
  }
}

function key(chat: string): string {
  return `inbound-cursor:${chat}`;
}
