/**
 * Ordering and idempotency shared by several App processes through Redis (REDIS_URL): a
 * per-pull-request lock, the set of completed deliveries, and the newest pull request state
 * seen. With it, deliveries for one pull request can land on any replica and still run one
 * at a time, and a redelivery is recognised by whichever replica gets it.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Coordinator } from "./coordinator.js";

const PREFIX = "threat-model-review:";
/** A lock outlives its holder by at most this long (a crashed replica does not block forever). */
const LOCK_TTL_MS = 120_000;
const LOCK_POLL_MS = 50;
const DONE_TTL_S = 7 * 24 * 3600;

// Release only a lock we hold; extend only a lock we hold.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
// Record updatedAt unless a newer one is there; 1 when ours is older than what was seen.
// The value is "<updatedAt> <head sha>". Stale only when a newer state had another head.
const NEWEST = `local seen = redis.call("get", KEYS[1])
if seen then
  local at, head = string.match(seen, "^(%S+) ?(%S*)$")
  if at and at > ARGV[1] then
    if head == ARGV[3] then return 0 end
    return 1
  end
end
redis.call("set", KEYS[1], ARGV[1] .. " " .. ARGV[3], "EX", ARGV[2])
return 0`;

export class RedisCoordinator implements Coordinator {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true });
    // A lost connection is retried by ioredis; the commands that fail meanwhile reject, and
    // the review that needed them fails and says so. The event itself needs no handler
    // beyond this one (without it, ioredis prints every reconnect attempt as unhandled).
    this.redis.on("error", (e: Error) => {
      this.lastError = e.message;
    });
  }

  /** The last connection error, for health reporting. */
  lastError: string | null = null;

  async withLock<T>(key: string, job: () => Promise<T>): Promise<T> {
    const lock = `${PREFIX}lock:${key}`;
    const token = randomUUID();
    for (;;) {
      const got = await this.redis.set(lock, token, "PX", LOCK_TTL_MS, "NX");
      if (got === "OK") break;
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    // Keep the lock while the job runs, however long GitHub takes to answer.
    const keepAlive = setInterval(() => {
      this.redis.eval(EXTEND, 1, lock, token, String(LOCK_TTL_MS)).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    try {
      return await job();
    } finally {
      clearInterval(keepAlive);
      await this.redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
    }
  }

  async isDone(deliveryId: string): Promise<boolean> {
    return (await this.redis.exists(`${PREFIX}done:${deliveryId}`)) === 1;
  }

  async markDone(deliveryId: string): Promise<void> {
    await this.redis.set(`${PREFIX}done:${deliveryId}`, "1", "EX", DONE_TTL_S);
  }

  async noteCommented(key: string): Promise<void> {
    await this.redis.set(`${PREFIX}commented:${key}`, "1", "EX", DONE_TTL_S);
  }

  async hasCommented(key: string): Promise<boolean> {
    return (await this.redis.exists(`${PREFIX}commented:${key}`)) === 1;
  }

  async recall(key: string): Promise<string | null> {
    return this.redis.get(`${PREFIX}memo:${key}`);
  }

  async remember(key: string, value: string): Promise<void> {
    await this.redis.set(`${PREFIX}memo:${key}`, value, "EX", DONE_TTL_S);
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(`${PREFIX}memo:${key}`);
  }

  async olderThanSeen(key: string, updatedAt: string, headSha: string): Promise<boolean> {
    return (await this.redis.eval(NEWEST, 1, `${PREFIX}newest:${key}`, updatedAt, String(DONE_TTL_S), headSha)) === 1;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
