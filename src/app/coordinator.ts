/**
 * Ordering and idempotency for one App process. Work for one pull request runs one job at
 * a time; a delivery that already completed is not done again (GitHub's redelivery keeps
 * the delivery id); and the newest pull request state seen so far is remembered, so a
 * late delivery for an older head does not overwrite what a newer one wrote.
 * (Several processes share these through Redis: see the scale-out issue.)
 */

export interface Coordinator {
  /** Run `job` after every earlier job for `key` has finished. */
  withLock<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** True when the delivery already completed. */
  isDone(deliveryId: string): Promise<boolean>;
  markDone(deliveryId: string): Promise<void>;
  /**
   * Record that `key` was seen at `updatedAt` with head `headSha`; true when a newer state
   * with another head was seen before (a newer push replaced this one: the caller's result
   * is stale and must not overwrite shared output). An older event for the head already seen
   * is not stale: it describes the same commit.
   */
  olderThanSeen(key: string, updatedAt: string, headSha: string): Promise<boolean>;
  /** Remember that the App wrote a summary comment on `key` (an event's comment count may predate it). */
  noteCommented(key: string): Promise<void>;
  hasCommented(key: string): Promise<boolean>;
  /**
   * What the App last wrote under `key` (its summary comment, a check run's result), so an
   * event that would write the same again writes nothing and reads nothing back.
   */
  recall(key: string): Promise<string | null>;
  remember(key: string, value: string): Promise<void>;
  /** Drop what was remembered under `key`: the next event reads GitHub again. */
  forget(key: string): Promise<void>;
}

export class MemoryCoordinator implements Coordinator {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly done = new Set<string>();
  private readonly newest = new Map<string, { updatedAt: string; headSha: string }>();
  private readonly commented = new Set<string>();
  private readonly memos = new Map<string, string>();
  private memoBytes = 0;

  constructor(
    private readonly capacity = 10_000,
    private readonly memoLimitBytes = 32 * 1024 * 1024,
  ) {}

  async withLock<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(job, job);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  async isDone(deliveryId: string): Promise<boolean> {
    return this.done.has(deliveryId);
  }

  async markDone(deliveryId: string): Promise<void> {
    this.done.add(deliveryId);
    if (this.done.size > this.capacity) this.done.delete(this.done.values().next().value!);
  }

  async noteCommented(key: string): Promise<void> {
    this.commented.add(key);
    if (this.commented.size > this.capacity) this.commented.delete(this.commented.values().next().value!);
  }

  async hasCommented(key: string): Promise<boolean> {
    return this.commented.has(key);
  }

  async recall(key: string): Promise<string | null> {
    const value = this.memos.get(key);
    if (value === undefined) return null;
    this.memos.delete(key);
    this.memos.set(key, value);
    return value;
  }

  async remember(key: string, value: string): Promise<void> {
    const old = this.memos.get(key);
    if (old !== undefined) this.memoBytes -= old.length * 2;
    this.memos.delete(key);
    this.memos.set(key, value);
    this.memoBytes += value.length * 2;
    for (const [oldest, v] of this.memos) {
      if (this.memoBytes <= this.memoLimitBytes && this.memos.size <= this.capacity) break;
      this.memos.delete(oldest);
      this.memoBytes -= v.length * 2;
    }
  }

  async forget(key: string): Promise<void> {
    const old = this.memos.get(key);
    if (old !== undefined) this.memoBytes -= old.length * 2;
    this.memos.delete(key);
  }

  async olderThanSeen(key: string, updatedAt: string, headSha: string): Promise<boolean> {
    const seen = this.newest.get(key);
    if (seen !== undefined && seen.updatedAt > updatedAt) return seen.headSha !== headSha;
    this.newest.set(key, { updatedAt, headSha });
    if (this.newest.size > this.capacity) this.newest.delete(this.newest.keys().next().value!);
    return false;
  }
}
