import type { Logger } from "winston";
import type { Store } from "../store/store.js";
import type { MatrixApi, MatrixEvent } from "./matrix-api.js";
import { isTransient } from "./retry.js";

/** How far back before an event to look for ones the homeserver never pushed. */
const LOOKBACK = 20;
/** Older than this, a skipped event is reported rather than bridged: the moment has passed. */
const MAX_LATENESS_MS = 24 * 60 * 60 * 1000;

/**
 * Finds events the homeserver skipped. An appservice learns of events only from the
 * transactions its homeserver pushes, and Synapse has been seen to leave one behind: a
 * transaction created as its recovery from an outage ends is stored but not sent until
 * the next outage, while later ones go out. So when the transaction stream may have a hole,
 * Parley reads the timeline just before an event and picks out what it never received,
 * back to the newest event it did receive, to bridge those first, in their place.
 */
export class TimelineGaps {
  constructor(
    private readonly matrix: MatrixApi,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Events before `event` in its room that are not bridged yet, oldest first: those Parley
   * never received, and those it holds queued behind `event` (`isQueued`). The latter happens
   * after a restart: skipped events found earlier were stored after the event that revealed
   * them, and a stop before they were bridged leaves them behind it in the stored order.
   * Throws when the homeserver is unreachable or overloaded, so the caller can wait for it.
   */
  async missingBefore(event: MatrixEvent, isQueued: (eventId: string) => boolean = () => false): Promise<MatrixEvent[]> {
    let before: MatrixEvent[];
    try {
      before = await this.matrix.eventsBefore(event.room_id, event.event_id, LOOKBACK);
    } catch (error) {
      // Right after a homeserver restart, the very moment a hole is likeliest: wait and look again.
      if (isTransient(error)) throw error;
      // The bot may not be in the room (an invite): nothing to compare with.
      this.log.debug("Could not read the timeline to look for skipped events", { roomId: event.room_id, error: (error as Error).message });
      return [];
    }
    const known = await this.store.inboxKnown(before.map((earlier) => earlier.event_id));
    const missing: MatrixEvent[] = [];
    for (const earlier of before) {
      if (known.has(earlier.event_id) && !isQueued(earlier.event_id)) return this.inTime(missing.reverse(), event.room_id);
      // Before the bot joined, events were not Parley's to receive.
      if (earlier.type === "m.room.member" && earlier.state_key === this.matrix.botUserId) break;
      missing.push({ ...earlier, room_id: event.room_id });
    }
    // Nothing Parley received is in sight (a new room, or a long silence): no hole can be told from the start.
    return [];
  }

  private inTime(missing: MatrixEvent[], roomId: string): MatrixEvent[] {
    const recent = missing.filter((event) => this.now() - event.origin_server_ts <= MAX_LATENESS_MS);
    if (recent.length < missing.length) {
      this.log.warn("The homeserver never delivered some events, too old to bridge now", { roomId, skipped: missing.length - recent.length });
    }
    return recent;
  }
}
