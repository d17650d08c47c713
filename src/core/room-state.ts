import type { MatrixApi, MatrixEvent } from "./matrix-api.js";

const CAPACITY = 10_000;
/** A safety net only: every state change in Parley's rooms reaches it and forgets the entry at once. */
const TTL_MS = 10 * 60 * 1000;

interface Entry {
  value: unknown;
  fetchedAt: number;
}

/**
 * The room state each outgoing message needs (its sender's member event, the power
 * levels), remembered so that a message costs no requests to the homeserver. Parley's
 * users are in every room it bridges, so the homeserver pushes it every state event of
 * those rooms: each one forgets what it replaces, before any later event is handled.
 */
export class RoomState implements Pick<MatrixApi, "getState" | "createEvent"> {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change of a key, so a read that started before the change is not kept. */
  private readonly changes = new Map<string, number>();

  constructor(
    private readonly matrix: Pick<MatrixApi, "getState" | "createEvent">,
    private readonly now: () => number = Date.now,
  ) {}

  async getState<T = Record<string, unknown>>(roomId: string, type: string, stateKey = ""): Promise<T | undefined> {
    const key = keyOf(roomId, type, stateKey);
    const known = this.entries.get(key);
    if (known && this.now() - known.fetchedAt < TTL_MS) return known.value as T | undefined;
    const changesBefore = this.changes.get(key) ?? 0;
    const value = await this.matrix.getState<T>(roomId, type, stateKey);
    if ((this.changes.get(key) ?? 0) === changesBefore) this.remember(key, value);
    return value;
  }

  createEvent(roomId: string): Promise<MatrixEvent | undefined> {
    return this.matrix.createEvent(roomId);
  }

  /** Called with every event the homeserver pushes, as it arrives. */
  observe(events: readonly MatrixEvent[]): void {
    for (const event of events) {
      if (typeof event.state_key === "string") this.forget(event.room_id, event.type, event.state_key);
    }
  }

  /** Parley changed this state itself: the next read asks the homeserver, not waiting for the echo. */
  forget(roomId: string, type: string, stateKey: string): void {
    const key = keyOf(roomId, type, stateKey);
    this.entries.delete(key);
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
    if (this.changes.size > CAPACITY) this.changes.delete(this.changes.keys().next().value as string);
  }

  private remember(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { value, fetchedAt: this.now() });
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function keyOf(roomId: string, type: string, stateKey: string): string {
  return JSON.stringify([roomId, type, stateKey]);
}
