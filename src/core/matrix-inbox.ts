import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { KeyedQueue } from "./keyed-queue.js";
import type { MatrixEvent } from "./matrix-api.js";
import { retryThroughOutages } from "./retry.js";

/**
 * The durable path of Matrix events into Parley: a transaction's events are saved
 * before it is acknowledged, then handled in room order, and marked done or failed.
 * The event id is the key, so an event the homeserver sends again (its transaction ids
 * start over at 1 when it restarts) is handled once; events saved but not finished
 * when Parley stopped are handled again at start. While the homeserver is unreachable an
 * event waits and is tried again rather than being given up.
 */
export class MatrixInbox {
  private started = false;
  /** Events stored before this process began are deliveries resumed after a stop. */
  private readonly startedAt = Date.now();
  /**
   * accept() and start() run one after the other, never interleaved: an event stored while
   * start() reads the backlog must not be queued ahead of the backlog, or a room's order breaks.
   */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly queue: KeyedQueue,
    private readonly handle: (event: MatrixEvent, resumed: boolean) => Promise<void>,
    private readonly stopping: () => boolean,
    private readonly log: Logger,
  ) {}

  /** Saves and queues a transaction's events; resolves once they are stored. */
  accept(events: MatrixEvent[], txnId: string): Promise<void> {
    return this.inTurn(() => this.saveAndQueue(events, txnId));
  }

  private async saveAndQueue(events: MatrixEvent[], txnId: string): Promise<void> {
    const receivedAt = Date.now();
    const fresh = await this.store.inboxAdd(
      events.map((event) => ({ eventId: event.event_id, roomId: event.room_id, event: { ...event }, receivedAt })),
    );
    if (fresh.length < events.length) {
      this.log.debug("Skipped events already handled", { txnId, skipped: events.length - fresh.length });
    }
    // Before the networks are connected, events are only stored; start() picks them up.
    if (this.started) for (const item of fresh) this.enqueue(item.event as unknown as MatrixEvent, false);
  }

  /**
   * Starts handling events, once the networks are connected: first what was saved but
   * not finished before the last stop (or while Parley was starting), then new ones.
   */
  start(): Promise<number> {
    return this.inTurn(() => this.queueBacklog());
  }

  private async queueBacklog(): Promise<number> {
    this.started = true;
    const pending = await this.store.inboxPending();
    const resumed = pending.filter((item) => item.receivedAt < this.startedAt);
    for (const item of pending) this.enqueue(item.event as unknown as MatrixEvent, item.receivedAt < this.startedAt);
    if (resumed.length > 0) this.log.info(`Resuming ${resumed.length} Matrix event(s) saved before the last stop`);
    return pending.length;
  }

  private inTurn<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private enqueue(event: MatrixEvent, resumed: boolean): void {
    void this.queue.push(event.room_id, async () => {
      try {
        const outcome = await retryThroughOutages(`Handling ${event.type} ${event.event_id}`, () => this.handle(event, resumed), this.log, this.stopping);
        if (outcome === "done") await this.store.inboxFinish(event.event_id, "done");
      } catch (error) {
        this.log.error("Failed to handle a Matrix event", { eventId: event.event_id, roomId: event.room_id, type: event.type, error });
        await this.store.inboxFinish(event.event_id, "failed", (error as Error).message ?? String(error));
      }
    });
  }
}
