/** Discord ids: milliseconds since 2015-01-01 in the top 42 bits, then worker (5), process (5) and a counter (12). */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

const WORKER_ID = 1n;
const PROCESS_ID = 0n;
const COUNTER_MASK = 0xfff;

export class SnowflakeGenerator {
  private lastMs = 0;
  private counter = 0;

  constructor(private readonly now: () => number) {}

  /** Strictly increasing, like real ids minted by one worker: order of creation is order of ids. */
  next(): string {
    let ms = Math.max(this.now(), this.lastMs);
    if (ms === this.lastMs) {
      this.counter = (this.counter + 1) & COUNTER_MASK;
      // Counter exhausted within one millisecond: borrow the next millisecond rather than repeat an id.
      if (this.counter === 0) ms += 1;
    } else {
      this.counter = 0;
    }
    this.lastMs = ms;
    const id =
      (BigInt(ms - DISCORD_EPOCH_MS) << 22n) | (WORKER_ID << 17n) | (PROCESS_ID << 12n) | BigInt(this.counter);
    return id.toString();
  }
}

export function snowflakeTimestamp(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

export function compareSnowflakes(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Discord writes timestamps with microsecond precision and an explicit +00:00 offset. */
export function discordTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000+00:00");
}
