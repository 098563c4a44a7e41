/**
 * The coordinator's contract, for one process (memory) and for replicas (Redis, a real
 * redis-server on loopback; .ci/run installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCoordinator, type Coordinator } from "../../src/app/coordinator.js";
import { RedisCoordinator } from "../../src/app/redis-coordinator.js";
import { RedisUnavailable, startRedis } from "../../src/dev/reliability/rig.js";

function contract(name: string, make: () => Promise<Coordinator | null>): void {
  describe(name, () => {
    let c: Coordinator | null;
    beforeAll(async () => {
      c = await make();
    });

    it("runs jobs for one key one at a time, in order", async (ctx) => {
      if (!c) return ctx.skip();
      const order: string[] = [];
      const job = (label: string, ms: number) => async () => {
        order.push(`start ${label}`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`end ${label}`);
      };
      await Promise.all([c.withLock("pr-1", job("a", 60)), c.withLock("pr-1", job("b", 1))]);
      expect(order).toEqual(["start a", "end a", "start b", "end b"]);
    });

    it("remembers finished deliveries and the newest state seen", async (ctx) => {
      if (!c) return ctx.skip();
      const id = `delivery-${Math.random()}`;
      expect(await c.isDone(id)).toBe(false);
      await c.markDone(id);
      expect(await c.isDone(id)).toBe(true);
      const key = `pr-${Math.random()}`;
      expect(await c.olderThanSeen(key, "2026-11-27T10:00:00Z", "aaa")).toBe(false);
      expect(await c.olderThanSeen(key, "2026-11-27T11:00:00Z", "bbb")).toBe(false);
      // An older event for another head: a newer push replaced it.
      expect(await c.olderThanSeen(key, "2026-11-27T10:30:00Z", "aaa")).toBe(true);
      // An older event for the head seen last describes the same commit: not stale.
      expect(await c.olderThanSeen(key, "2026-11-27T10:45:00Z", "bbb")).toBe(false);
      expect(await c.olderThanSeen(key, "2026-11-27T10:50:00Z", "ccc")).toBe(true);
    });

    it("recalls what it was asked to remember, the latest value", async (ctx) => {
      if (!c) return ctx.skip();
      const key = `comment:acme/shop#${Math.random()}`;
      expect(await c.recall(key)).toBeNull();
      await c.remember(key, JSON.stringify({ id: 1, body: "one" }));
      await c.remember(key, JSON.stringify({ id: 1, body: "two" }));
      expect(JSON.parse((await c.recall(key))!)).toEqual({ id: 1, body: "two" });
      await c.forget(key);
      expect(await c.recall(key)).toBeNull();
    });
  });
}

contract("memory coordinator", async () => new MemoryCoordinator());

let redis: { url: string; stop: () => Promise<void> } | null = null;
let redisCoordinator: RedisCoordinator | null = null;
beforeAll(async () => {
  try {
    redis = await startRedis();
    redisCoordinator = new RedisCoordinator(redis.url);
  } catch (e) {
    if (!(e instanceof RedisUnavailable) || process.env["REQUIRE_REDIS"]) throw e;
    process.stderr.write(`redis coordinator tests skipped: ${e.message} (install redis-server; .ci/run does)\n`);
  }
});
afterAll(async () => {
  await redisCoordinator?.close();
  await redis?.stop();
});
contract("redis coordinator", async () => redisCoordinator);

describe("the memory coordinator's bounds", () => {
  it("forgets the least recently used memo past its size", async () => {
    const c = new MemoryCoordinator(10_000, 100);
    await c.remember("a", "x".repeat(20));
    await c.remember("b", "y".repeat(20));
    await c.recall("a");
    await c.remember("c", "z".repeat(20));
    expect(await c.recall("b")).toBeNull();
    expect(await c.recall("a")).toBe("x".repeat(20));
    expect(await c.recall("c")).toBe("z".repeat(20));
  });
});
