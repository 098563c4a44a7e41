/**
 * What pull-request events cost in REST requests, counted by the local GitHub the real App
 * (dist/app/start.js) talks to: a first event on a repository, a repeat event (a push, with
 * the model and config unchanged), another event for a head already reviewed, a second pull
 * request on the same repository, and a 3,000-file pull request. `npm run bench` prints the
 * figures; test/sim/api-economy.test.ts asserts them.
 *
 * "Counted" is what GitHub charges to the installation's rate limit: 304 answers to
 * conditional requests are not, and the installation token is made with the App's JWT, which
 * has its own limit (it is listed separately).
 */
import { startApp } from "../app-process.js";
import { GitHubSim, type SimRepo } from "../github-sim/index.js";
import { SHOP_MODEL } from "../reliability/rig.js";

export interface EventCost {
  /** Requests charged to the installation. */
  counted: number;
  /** Installation tokens made (charged to the App, not the installation). */
  tokens: number;
  /** GETs answered 304: nothing charged. */
  revalidated: number;
  /** POST, PATCH, PUT and DELETE requests. */
  writes: number;
  /** Charged requests by route. */
  routes: Record<string, number>;
  /** How long the delivery took to be answered. */
  ms: number;
}

export interface ApiEconomy {
  first: EventCost;
  repeat: EventCost;
  sameHead: EventCost;
  secondPullRequest: EventCost;
  largePullRequest: EventCost & { files: number };
}

const INSTALLATION = 42;

export async function measureApiEconomy(options: { largeFiles?: number } = {}): Promise<ApiEconomy> {
  const largeFiles = options.largeFiles ?? 2999;
  const sim = new GitHubSim();
  await sim.start();
  const app = await startApp({ githubHost: sim.env().GHE_HOST, logLevel: "warn" });
  try {
    const repo = await sim.createRepo({ owner: "acme", name: "shop", installationId: INSTALLATION });
    await repo.commit("main", { "threat-model.yml": SHOP_MODEL, ".github/threat-model-review.yml": "mode: enforce\n", "apps/web/src/index.ts": "export {};\n" }, "init");

    const deliver = async (repoOf: SimRepo, number: number, action: string): Promise<EventCost> => {
      sim.clearRequests();
      const res = await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repoOf, number, action), { timeoutMs: 60_000 });
      if (res.status !== 200) throw new Error(`the App answered ${res.status} to ${action}:\n${app.log()}`);
      return costOf(sim, res.ms);
    };

    // A pull request with a route the model does not cover: every review has something to say.
    await repo.commit("refunds", { "apps/web/src/routes/refunds.ts": 'import { router } from "./router";\nrouter.post("/refunds", refund);\n' }, "refunds route");
    const pr = await repo.openPullRequest({ head: "refunds", base: "main", author: { login: "dev" } });
    const first = await deliver(repo, pr.number, "opened");

    await repo.pushToPullRequest(pr.number, { "apps/web/src/routes/list.ts": 'import { router } from "./router";\nrouter.get("/refunds", list);\n' }, "list refunds");
    const repeat = await deliver(repo, pr.number, "synchronize");

    const sameHead = await deliver(repo, pr.number, "ready_for_review");

    await repo.commit("cart", { "apps/web/src/routes/cart.ts": 'import { router } from "./router";\nrouter.post("/cart", add);\n' }, "cart route", { from: "main" });
    const second = await repo.openPullRequest({ head: "cart", base: "main", author: { login: "dev" } });
    const secondPullRequest = await deliver(repo, second.number, "opened");

    const many: Record<string, string> = {};
    for (let i = 0; i < largeFiles; i++) many[`apps/web/src/generated/module-${i}.ts`] = `export const value${i} = ${i};\n`;
    many["apps/web/src/routes/bulk.ts"] = 'import { router } from "./router";\nrouter.post("/bulk", bulk);\n';
    await repo.commit("bulk", many, "a large change", { from: "main" });
    const large = await repo.openPullRequest({ head: "bulk", base: "main", author: { login: "dev" } });
    const largePullRequest = { ...(await deliver(repo, large.number, "opened")), files: largeFiles + 1 };

    return { first, repeat, sameHead, secondPullRequest, largePullRequest };
  } finally {
    await app.stop();
    await sim.stop();
  }
}

function costOf(sim: GitHubSim, ms: number): EventCost {
  const token = (route: string | null) => route !== null && route.startsWith("POST /app/installations/");
  const requests = sim.requests;
  const routes: Record<string, number> = {};
  for (const r of requests) {
    if (!r.counted || token(r.route)) continue;
    const key = r.route ?? `${r.method} ${r.path}`;
    routes[key] = (routes[key] ?? 0) + 1;
  }
  return {
    counted: requests.filter((r) => r.counted && !token(r.route)).length,
    tokens: requests.filter((r) => token(r.route)).length,
    revalidated: requests.filter((r) => r.status === 304).length,
    writes: requests.filter((r) => r.method !== "GET" && !token(r.route)).length,
    routes,
    ms,
  };
}
