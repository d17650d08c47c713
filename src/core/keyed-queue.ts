/**
 * One serial queue per key (a Matrix room): tasks of one key run one after another in
 * the order they were added, tasks of different keys run side by side. This is what
 * keeps a room's order in both directions and stops an edit overtaking its message.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly depths = new Map<string, number>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  push(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.depths.set(key, (this.depths.get(key) ?? 0) + 1);
    const run = previous.then(task).catch((error: unknown) => this.onError(key, error));
    const tail = run.finally(() => {
      const depth = (this.depths.get(key) ?? 1) - 1;
      if (depth === 0) this.depths.delete(key);
      else this.depths.set(key, depth);
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    this.tails.set(key, tail);
    return run;
  }

  /** Tasks waiting or running, over all keys. */
  get depth(): number {
    let total = 0;
    for (const depth of this.depths.values()) total += depth;
    return total;
  }

  /** Resolves once every task added so far has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
