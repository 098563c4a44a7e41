/**
 * What the reliability scenarios run on: the project's local GitHub, one or more real App
 * processes (the same `node dist/app/start.js` a deployment runs), and a real Redis server
 * when the scenario scales out. Repositories are small shops with a threat model; pull
 * requests add a route the model does not cover, so every review has something to say.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, startApp, type AppProcess } from "../app-process.js";
import { GitHubSim, type SimRepo } from "../github-sim/index.js";

export const SHOP_MODEL = `version: 1
title: Shop
reviewed_at: 2026-10-01
champions: [alice, "@acme/appsec"]
trust_zones:
  - { id: internet, trust: 0 }
  - { id: dmz, trust: 40 }
  - { id: internal, trust: 80 }
components:
  - { id: browser, type: actor, zone: internet }
  - { id: web, name: Web app, type: process, zone: dmz, paths: ["apps/web/**"] }
  - { id: db, type: datastore, zone: internal, paths: ["db/**"] }
data_assets:
  - { id: orders, classification: confidential }
data_flows:
  - { id: requests, source: browser, destination: web, protocol: https, authentication: session, encrypted: true }
  - { id: queries, source: web, destination: db, protocol: postgres, data: [orders] }
`;

export interface Rig {
  sim: GitHubSim;
  apps: AppProcess[];
  redisUrl?: string;
  stop(): Promise<void>;
}

export interface RigOptions {
  apps?: number;
  redis?: boolean;
  /** Extra environment for the App processes. */
  env?: Record<string, string>;
}

export class RedisUnavailable extends Error {}

/** A throwaway Redis server on a free port (Debian's redis-server), no persistence. */
export async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  } catch (e) {
    throw new RedisUnavailable(`redis-server could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const failed = new Promise<never>((_, reject) => child.on("error", (e) => reject(new RedisUnavailable(`redis-server could not start: ${e.message}`))));
  const ready = (async () => {
    const { Redis } = await import("ioredis");
    for (let i = 0; i < 100; i++) {
      const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      // Refused until the server listens: the connect() below says so.
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new RedisUnavailable("redis-server did not answer");
  })();
  await Promise.race([ready, failed]);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const gone = new Promise<void>((r) => child.on("exit", () => r()));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const sim = new GitHubSim();
  await sim.start();
  let redis: { url: string; stop: () => Promise<void> } | undefined;
  const apps: AppProcess[] = [];
  try {
    if (options.redis) redis = await startRedis();
    const env = sim.env();
    // Every replica shares one App identity and webhook secret, as behind a load balancer.
    const secret = `reliability-${Math.random().toString(36).slice(2)}`;
    for (let i = 0; i < (options.apps ?? 1); i++) {
      apps.push(await startApp({ githubHost: env.GHE_HOST, secret, ...(redis && { redisUrl: redis.url }), ...(options.env && { env: options.env }) }));
    }
  } catch (e) {
    for (const a of apps) await a.stop();
    await redis?.stop();
    await sim.stop();
    throw e;
  }
  return {
    sim,
    apps,
    ...(redis && { redisUrl: redis.url }),
    stop: async () => {
      for (const a of apps) await a.stop();
      await redis?.stop();
      await sim.stop();
    },
  };
}

let nextInstallation = 5000;

/** A shop repository in its own installation (writes are throttled per installation). */
export async function createShop(sim: GitHubSim, name: string, files: Record<string, string> = {}): Promise<SimRepo> {
  const repo = await sim.createRepo({ owner: "acme", name, installationId: nextInstallation++ });
  await repo.commit("main", { "threat-model.yml": SHOP_MODEL, ".github/threat-model-review.yml": "mode: enforce\n", "apps/web/src/index.ts": "export const app = 1;\n", ...files }, "shop");
  return repo;
}

/** A pull request adding a route to the web app: the model should be revisited. */
export async function openRoutePullRequest(repo: SimRepo, branch = "feature", extra: Record<string, string> = {}): Promise<number> {
  await repo.createBranch(branch, "main");
  await repo.commit(branch, { "apps/web/src/routes/refunds.ts": 'import { router } from "./router";\nrouter.post("/refunds", refund);\n', ...extra }, "add a refunds route");
  const pr = await repo.openPullRequest({ head: branch, base: "main", author: { login: "dana" } });
  return pr.number;
}

/** Wait until `check` holds, polling the simulator's state. */
export async function until(check: () => boolean, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/**
 * Waits until `check` holds and the App has then sent the simulator nothing for `quietMs`:
 * the App answers a delivery at once and writes afterwards (the check run first, then the
 * comment and the review, a few seconds apart under Probot's write throttle), so "the check
 * is completed" is not "the review is done". The quiet window lets a late duplicate show up
 * before the scenario judges. False when `check` never held within `timeoutMs`.
 */
export async function settle(sim: GitHubSim, check: () => boolean, timeoutMs = 60_000, quietMs = 1_000): Promise<boolean> {
  if (!(await until(check, timeoutMs))) return false;
  let seen = sim.requests.length;
  let since = Date.now();
  const deadline = Date.now() + Math.max(quietMs * 10, 10_000);
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (sim.requests.length !== seen) {
      seen = sim.requests.length;
      since = Date.now();
    }
  }
  return check();
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
