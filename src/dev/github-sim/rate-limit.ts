/**
 * The primary rate limit, one bucket per credential: per installation for installation
 * tokens (5,000 an hour unless configured), per App for JWTs, per user, and 60 an hour for
 * anonymous requests. A window opens on its first request and resets an hour later.
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  resource: "core";
}

interface Bucket {
  limit: number;
  used: number;
  reset: number;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly nowSeconds: () => number,
    private readonly limitFor: (key: string) => number,
  ) {}

  /** The bucket's state now (opening a window when none is open). */
  peek(key: string): RateLimitState {
    const b = this.bucket(key);
    return { limit: b.limit, remaining: Math.max(0, b.limit - b.used), used: b.used, reset: b.reset, resource: "core" };
  }

  exhausted(key: string): boolean {
    const b = this.bucket(key);
    return b.used >= b.limit;
  }

  charge(key: string): void {
    this.bucket(key).used++;
  }

  private bucket(key: string): Bucket {
    const now = this.nowSeconds();
    let b = this.buckets.get(key);
    if (!b || b.reset <= now) {
      b = { limit: this.limitFor(key), used: 0, reset: now + 3600 };
      this.buckets.set(key, b);
    }
    return b;
  }
}
