import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { Connector } from "./connector.js";
import type { RemoteEvent } from "./events.js";
import type { KeyedQueue } from "./keyed-queue.js";
import { retryThroughOutages } from "./retry.js";

/** Events of one chat share a queue, so they reach Matrix in the order they happened. */
export function remoteQueueKey(network: string, event: RemoteEvent): string {
  return event.type === "user_update" ? `remote:${network}:users` : `remote:${network}:${event.chat}`;
}

/**
 * The durable path of remote events into Matrix: each event is saved before it is
 * handled, handled in its chat's order, retried for as long as the homeserver is down,
 * and marked done or failed. Events saved but not finished are handled at the next start.
 */
export class RemoteInbox {
  constructor(
    private readonly store: Store,
    private readonly queue: KeyedQueue,
    private readonly handle: (connector: Connector, event: RemoteEvent, txnPrefix: string) => Promise<void>,
    private readonly stopping: () => boolean,
    private readonly log: Logger,
  ) {}

  /** Resolves once the event is stored; a connector may acknowledge it to its network then. */
  async accept(connector: Connector, event: RemoteEvent): Promise<void> {
    const key = remoteQueueKey(connector.network, event);
    const seq = await this.store.remoteInboxAdd(connector.network, key, event);
    // While stopping, events are only stored: the next start handles them.
    if (!this.stopping()) this.enqueue(connector, seq, key, event);
  }

  async resume(connector: Connector): Promise<number> {
    const pending = await this.store.remoteInboxPending(connector.network);
    for (const item of pending) this.enqueue(connector, item.seq, item.queueKey, item.event as RemoteEvent);
    if (pending.length > 0) this.log.info(`Resuming ${pending.length} ${connector.displayName} event(s) saved before the last stop`);
    return pending.length;
  }

  private enqueue(connector: Connector, seq: number, key: string, event: RemoteEvent): void {
    void this.queue.push(key, async () => {
      try {
        const outcome = await retryThroughOutages(`Bridging a ${connector.displayName} ${event.type}`,
          () => this.handle(connector, event, `parley.${connector.network}.${seq}`), this.log, this.stopping);
        if (outcome === "done") await this.store.remoteInboxFinish(seq, "done");
      } catch (error) {
        this.log.error(`Could not bridge a ${connector.displayName} event`, { type: event.type, seq, error });
        await this.store.remoteInboxFinish(seq, "failed", (error as Error).message ?? String(error));
      }
    });
  }
}
