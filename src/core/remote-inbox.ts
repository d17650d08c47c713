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
interface StoredEvent {
  seq: number;
  queueKey: string;
  event: RemoteEvent;
  /** Stored before this process started: it may have been half handled then. */
  resumed: boolean;
}

/**
 * Messages by the time they were posted (the sort is stable, so equal times keep their
 * order), then everything else in arrival order: an edit, a delete or a reaction
 * refers to a message, so it must come after the messages, never before.
 */
function inTimeOrder(items: StoredEvent[]): StoredEvent[] {
  const messages = items.filter((item) => item.event.type === "message");
  const others = items.filter((item) => item.event.type !== "message");
  const time = (item: StoredEvent) => (item.event.type === "message" ? item.event.timestamp : 0);
  return [...messages.sort((a, b) => time(a) - time(b)), ...others];
}

export class RemoteInbox {
  private readonly parked = new Map<string, StoredEvent[]>();
  /**
   * Events held or queued now, by seq: an event stored live while resume() reads the
   * backlog is seen by both, and must be handled once.
   */
  private readonly routed = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly queue: KeyedQueue,
    /** `again` is true when the event may have been half handled before (a retry, or after a restart). */
    private readonly handle: (connector: Connector, event: RemoteEvent, txnPrefix: string, again: boolean) => Promise<void>,
    private readonly stopping: () => boolean,
    private readonly log: Logger,
  ) {}

  /** Resolves once the event is stored; a connector may acknowledge it to its network then. */
  async accept(connector: Connector, event: RemoteEvent): Promise<void> {
    const key = remoteQueueKey(connector.network, event);
    const seq = await this.store.remoteInboxAdd(connector.network, key, event);
    // While stopping, events are only stored: the next start handles them.
    if (!this.stopping()) this.route(connector, { seq, queueKey: key, event, resumed: false });
  }

  async resume(connector: Connector): Promise<number> {
    const pending = await this.store.remoteInboxPending(connector.network);
    for (const item of pending) this.route(connector, { seq: item.seq, queueKey: item.queueKey, event: item.event as RemoteEvent, resumed: true });
    if (pending.length > 0) this.log.info(`Resuming ${pending.length} ${connector.displayName} event(s) saved before the last stop`);
    return pending.length;
  }

  /**
   * Holds a network's events (stored, not handled) while it catches up after a start or a
   * reconnect. History fetched then and live events arrive interleaved; released together
   * in time order, what was said during an outage never lands after what was said since.
   */
  park(network: string): void {
    if (!this.parked.has(network)) this.parked.set(network, []);
  }

  release(connector: Connector): void {
    const held = this.parked.get(connector.network) ?? [];
    this.parked.delete(connector.network);
    for (const item of inTimeOrder(held)) this.enqueue(connector, item);
  }

  private route(connector: Connector, item: StoredEvent): void {
    if (this.routed.has(item.seq)) return;
    this.routed.add(item.seq);
    const parked = this.parked.get(connector.network);
    if (parked) parked.push(item);
    else this.enqueue(connector, item);
  }

  private enqueue(connector: Connector, { seq, queueKey, event, resumed }: StoredEvent): void {
    void this.queue.push(queueKey, async () => {
      try {
        const outcome = await retryThroughOutages(`Bridging a ${connector.displayName} ${event.type}`,
          (attempt) => this.handle(connector, event, `parley.${connector.network}.${seq}`, resumed || attempt > 1), this.log, this.stopping);
        if (outcome === "done") await this.store.remoteInboxFinish(seq, "done");
      } catch (error) {
        this.log.error(`Could not bridge a ${connector.displayName} event`, { type: event.type, seq, error });
        await this.store.remoteInboxFinish(seq, "failed", (error as Error).message ?? String(error));
      } finally {
        this.routed.delete(seq);
      }
    });
  }
}
