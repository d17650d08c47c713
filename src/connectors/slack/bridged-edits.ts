/**
 * The newest edit of each Slack message that Parley bridged (its `edited.ts`), kept in the
 * connector's durable state. Catching up compares it with what history says, so an edit
 * made while Parley was away is bridged once, and one bridged before is not again.
 */
import type { ConnectorState } from "../../core/connector.js";
import { compareTs } from "./ids.js";

export class BridgedEdits {
  constructor(private readonly state: ConnectorState) {}

  /** The `edited.ts` of the newest edit bridged for a message, if any was. */
  get(chat: string, ts: string): Promise<string | undefined> {
    return this.state.get(key(chat, ts));
  }

  /** Whether an edit made at `editedTs` is newer than what was bridged of the message. */
  async isNewer(chat: string, ts: string, editedTs: string): Promise<boolean> {
    const bridged = await this.get(chat, ts);
    return bridged === undefined || compareTs(editedTs, bridged) > 0;
  }

  async record(chat: string, ts: string, editedTs: string): Promise<void> {
    if (!(await this.isNewer(chat, ts, editedTs))) return;
    await this.state.set(key(chat, ts), editedTs);
  }

  forget(chat: string, ts: string): Promise<void> {
    return this.state.delete(key(chat, ts));
  }
}

function key(chat: string, ts: string): string {
  return `edited:${chat}/${ts}`;
}
