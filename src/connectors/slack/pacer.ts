/**
 * Slack allows about one message per second per channel, with short bursts above that.
 * The pacer spaces posts to each channel that way (a generic cell rate algorithm: each
 * post books the next slot, and up to `burst` posts may run ahead of their slots), so a
 * burst from Matrix is delivered in order instead of tripping rate limits.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PacerOptions {
  intervalMs: number;
  burst: number;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

export class ChannelPacer {
  /** Per channel, the time the next post would be due if none ran ahead. */
  private readonly due = new Map<string, number>();
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<unknown>;

  constructor(private readonly options: PacerOptions = { intervalMs: 1000, burst: 3 }) {
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  /** Resolves when a post to the channel may go. */
  async take(channel: string): Promise<void> {
    const now = this.now();
    const due = Math.max(this.due.get(channel) ?? now, now);
    const allowedAt = due - (this.options.burst - 1) * this.options.intervalMs;
    this.due.set(channel, due + this.options.intervalMs);
    if (allowedAt > now) await this.wait(allowedAt - now);
  }
}
