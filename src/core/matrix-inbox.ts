import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { KeyedQueue } from "./keyed-queue.js";
import type { MatrixEvent } from "./matrix-api.js";
import { retryThroughOutages } from "./retry.js";
import type { TimelineGaps } from "./timeline-gaps.js";

/**
 * Silence this long may have been the homeserver restarting. Synapse loses the events it held
 * for an appservice but had not yet put in a transaction when it stops; if it stopped between
 * sending a transaction and recording it as sent, its ids go on from that one after the restart,
 * and only the silence tells. Quiet rooms pay one timeline read per message for this.
 */
const SILENCE_MAY_HIDE_HOLE_MS = 1000;

/**
 * The durable path of Matrix events into Parley: a transaction's events are saved
 * before it is acknowledged, then handled in room order, and marked done or failed.
 * The event id is the key, so an event the homeserver sends again (its transaction ids
 * can start over at 1 when it restarts) is handled once; events saved but not finished
 * when Parley stopped are handled again at start. While the homeserver is unreachable an
 * event waits and is tried again rather than being given up.
 *
 * Where the stream of transactions may have a hole (after a start, when a transaction id
 * does not follow the last one, or after a silence), the next event of each room is checked
 * against the room's timeline, and events the homeserver skipped are bridged first, in their
 * place. The hole may hold any room's events, so every room is checked once after each hole.
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
  /** The last transaction id, when it was a number (Synapse counts them up by one). */
  private lastTxn?: number;
  private lastTxnAt = 0;
  /** Holes the transaction stream may have had so far (a start counts as one). */
  private holes = 1;
  /** Per room, how many holes there had been when its timeline was last checked. */
  private readonly checkedAfter = new Map<string, number>();
  /** Events queued and not yet handled, and whether each is resumed: one may be handled ahead of its turn. */
  private readonly queued = new Map<string, boolean>();

  constructor(
    private readonly store: Store,
    private readonly queue: KeyedQueue,
    private readonly handle: (event: MatrixEvent, resumed: boolean) => Promise<void>,
    private readonly gaps: Pick<TimelineGaps, "missingBefore">,
    private readonly stopping: () => boolean,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves and queues a transaction's events; resolves once they are stored. */
  accept(events: MatrixEvent[], txnId: string): Promise<void> {
    return this.inTurn(() => this.saveAndQueue(events, txnId));
  }

  private async saveAndQueue(events: MatrixEvent[], txnId: string): Promise<void> {
    if (this.mayFollowHole(txnId)) this.holes++;
    const receivedAt = Date.now();
    const fresh = await this.store.inboxAdd(
      events.map((event) => ({ eventId: event.event_id, roomId: event.room_id, event: { ...event }, receivedAt })),
    );
    if (fresh.length < events.length) {
      this.log.debug("Skipped events already handled", { txnId, skipped: events.length - fresh.length });
    }
    // Before the networks are connected, events are only stored; start() picks them up.
    if (this.started) this.enqueueAll(fresh.map((item) => item.event as unknown as MatrixEvent), () => false);
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
    const resumed = new Set(pending.filter((item) => item.receivedAt < this.startedAt).map((item) => item.eventId));
    this.enqueueAll(pending.map((item) => item.event as unknown as MatrixEvent), (event) => resumed.has(event.event_id));
    if (resumed.size > 0) this.log.info(`Resuming ${resumed.size} Matrix event(s) saved before the last stop`);
    return pending.length;
  }

  /** Whether a transaction may come after one Parley never received, or after a homeserver restart. */
  private mayFollowHole(txnId: string): boolean {
    const number = /^\d{1,15}$/.test(txnId) ? Number(txnId) : undefined;
    const follows = number !== undefined && this.lastTxn !== undefined && number === this.lastTxn + 1;
    const now = this.now();
    const silent = now - this.lastTxnAt > SILENCE_MAY_HIDE_HOLE_MS;
    this.lastTxn = number;
    this.lastTxnAt = now;
    return !follows || silent;
  }

  private inTurn<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private enqueueAll(events: MatrixEvent[], resumed: (event: MatrixEvent) => boolean): void {
    for (const event of events) {
      const checkGap = (this.checkedAfter.get(event.room_id) ?? 0) < this.holes;
      this.checkedAfter.set(event.room_id, this.holes);
      this.queued.set(event.event_id, resumed(event));
      void this.queue.push(event.room_id, async () => {
        // Stopping before the check could be made: the event stays stored, and is checked at the next start.
        if (checkGap && (await this.bridgeSkippedBefore(event)) === "stopped") return;
        await this.runQueued(event);
      });
    }
  }

  /** Handles a queued event, unless it was handled ahead of its turn. */
  private async runQueued(event: MatrixEvent): Promise<void> {
    const resumed = this.queued.get(event.event_id);
    if (resumed === undefined) return;
    this.queued.delete(event.event_id);
    await this.run(event, resumed);
  }

  private async bridgeSkippedBefore(event: MatrixEvent): Promise<"done" | "stopped"> {
    let earlier: MatrixEvent[] = [];
    const looked = await retryThroughOutages(`Looking for skipped events before ${event.event_id}`, async () => {
      earlier = await this.gaps.missingBefore(event, (eventId) => this.queued.has(eventId));
    }, this.log, this.stopping);
    if (looked === "stopped" || earlier.length === 0) return looked;
    const receivedAt = Date.now();
    const fresh = await this.store.inboxAdd(earlier
      .filter((skipped) => !this.queued.has(skipped.event_id))
      .map((skipped) => ({ eventId: skipped.event_id, roomId: skipped.room_id, event: { ...skipped }, receivedAt })));
    const skipped = new Set(fresh.map((item) => item.eventId));
    if (skipped.size > 0) {
      this.log.warn(`The homeserver skipped ${skipped.size} event(s) in a room; bridging them before what came after`, {
        roomId: event.room_id, eventIds: [...skipped],
      });
    }
    for (const item of earlier) {
      if (skipped.has(item.event_id)) await this.run(item, false);
      else await this.runQueued(item);
    }
    return "done";
  }

  private async run(event: MatrixEvent, resumed: boolean): Promise<void> {
    try {
      const outcome = await retryThroughOutages(`Handling ${event.type} ${event.event_id}`, () => this.handle(event, resumed), this.log, this.stopping);
      if (outcome === "done") await this.store.inboxFinish(event.event_id, "done");
    } catch (error) {
      this.log.error("Failed to handle a Matrix event", { eventId: event.event_id, roomId: event.room_id, type: event.type, error });
      await this.store.inboxFinish(event.event_id, "failed", (error as Error).message ?? String(error));
    }
  }
}
