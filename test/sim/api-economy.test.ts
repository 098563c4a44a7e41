/**
 * What events cost against the installation's rate limit, counted by the local GitHub the
 * real App talks to (the figures `npm run bench` prints come from the same code).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppProcess } from "../../src/dev/app-process.js";
import { measureApiEconomy, type ApiEconomy } from "../../src/dev/bench/api-economy.js";
import { GitHubSim, type SimRepo } from "../../src/dev/github-sim/index.js";
import { SHOP_MODEL } from "../../src/dev/reliability/rig.js";

const CONTENTS = "GET /repos/{owner}/{repo}/contents/{path}";

describe("API economy", () => {
  let economy: ApiEconomy;
  beforeAll(async () => {
    economy = await measureApiEconomy();
  }, 120_000);

  it("a typical repeat event (a push; model and config unchanged) costs at most 5 counted requests and no new token", () => {
    expect(economy.repeat.counted).toBeLessThanOrEqual(5);
    expect(economy.repeat.tokens).toBe(0);
    // Config and model are revalidated, not fetched: 304s are free.
    expect(economy.repeat.revalidated).toBeGreaterThanOrEqual(2);
    expect(economy.repeat.routes[CONTENTS]).toBeUndefined();
  });

  it("the first event pays for the token, the config and the model once", () => {
    expect(economy.first.tokens).toBe(1);
    expect(economy.first.routes[CONTENTS]).toBe(2);
    expect(economy.first.counted).toBeLessThanOrEqual(6);
  });

  it("an event for a head already reviewed with the same result writes nothing", () => {
    expect(economy.sameHead.writes).toBe(0);
    expect(economy.sameHead.counted).toBe(0);
  });

  it("another pull request on the same repository reuses the installation's config and model", () => {
    expect(economy.secondPullRequest.routes[CONTENTS]).toBeUndefined();
    expect(economy.secondPullRequest.tokens).toBe(0);
  });

  it("a 3,000-file pull request reads its files in pages of 100 and writes no more than a small one", () => {
    expect(economy.largePullRequest.files).toBe(3000);
    expect(economy.largePullRequest.routes["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"]).toBe(30);
    expect(economy.largePullRequest.writes).toBeLessThanOrEqual(3);
  });
});

describe("caching never serves a stale policy", () => {
  let sim: GitHubSim;
  let app: AppProcess;
  let repo: SimRepo;
  beforeAll(async () => {
    sim = new GitHubSim();
    await sim.start();
    app = await startApp({ githubHost: sim.env().GHE_HOST });
    repo = await sim.createRepo({ owner: "acme", name: "shop", installationId: 7 });
    await repo.commit("main", { "threat-model.yml": SHOP_MODEL, ".github/threat-model-review.yml": "mode: enforce\n" }, "init");
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  const latest = (sha: string) => sim.checkRuns(repo, { headSha: sha }).at(-1)!;
  const deliver = async (n: number, action: string) => {
    sim.clearRequests();
    const res = await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repo, n, action), { timeoutMs: 60_000 });
    expect(res.status, app.log()).toBe(200);
    return sim.requests.filter((r) => r.route === CONTENTS).map((r) => r.status);
  };

  it("a config or model changed on the base branch applies on the next event", async () => {
    await repo.commit("feature", { "apps/web/src/routes/refunds.ts": 'router.post("/refunds", refund);\n' }, "route");
    const pr = await repo.openPullRequest({ head: "feature", base: "main", author: { login: "dev" } });
    await deliver(pr.number, "opened");
    expect(latest(pr.head.sha).conclusion).toBe("action_required");

    // Unchanged: both revalidated.
    await repo.pushToPullRequest(pr.number, { "apps/web/src/a.ts": "export const a = 1;\n" }, "a");
    expect(await deliver(pr.number, "synchronize")).toEqual([304, 304]);

    await repo.commit("main", { ".github/threat-model-review.yml": "mode: advisory\n" }, "advisory");
    await repo.pushToPullRequest(pr.number, { "apps/web/src/b.ts": "export const b = 1;\n" }, "b");
    expect(await deliver(pr.number, "synchronize")).toEqual([200, 304]);
    expect(latest(sim.pullRequest(repo, pr.number).head.sha).conclusion).toBe("neutral");

    await repo.commit("main", { "threat-model.yml": "version: 1\ntrust_zones: [\n" }, "broken model");
    await repo.pushToPullRequest(pr.number, { "apps/web/src/c.ts": "export const c = 1;\n" }, "c");
    expect(await deliver(pr.number, "synchronize")).toEqual([304, 200]);
    expect(latest(sim.pullRequest(repo, pr.number).head.sha)).toMatchObject({ conclusion: "failure" });
  }, 60_000);
});
