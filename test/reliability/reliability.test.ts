/**
 * The reliability and abuse suite (src/dev/reliability) in the test run: each scenario
 * starts the real App server (dist/app/start.js) against the local GitHub and must end
 * with nothing lost and nothing duplicated. One file, so the scenarios run one after the
 * other (each starts its own processes; in parallel they would fight over two cores).
 * No nock here: it would block the loopback connections the scenarios need.
 */
import { describe, expect, it } from "vitest";
import { SCENARIOS, type ScenarioResult } from "../../src/dev/reliability/scenarios.js";

const byName = new Map(SCENARIOS.map((s) => [s.name, s]));

async function run(name: string): Promise<ScenarioResult> {
  const scenario = byName.get(name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const r = await scenario.run();
  // The figures, as `npm run reliability` prints them, for whoever reads the test log.
  console.log(`${r.outcome} ${r.scenario}: deliveries ${r.deliveries}, faults ${r.faults}, lost ${r.lost}, duplicated ${r.duplicated}; ${r.detail}`);
  return r;
}

function expectClean(r: ScenarioResult): void {
  expect(r.detail).toBeDefined();
  expect({ outcome: r.outcome, lost: r.lost, duplicated: r.duplicated, detail: r.detail }).toMatchObject({ outcome: "ok", lost: 0, duplicated: 0 });
}

const MINUTES = 60_000;

describe("faults", () => {
  it("every route the review uses failing once (500/502/503) is retried and the review completes", { timeout: 3 * MINUTES }, async () => {
    const r = await run("every-route-once");
    expectClean(r);
    expect(r.faults).toBe(8);
  });

  it("a comment and a review that land but answer 502 are not posted twice", { timeout: 2 * MINUTES }, async () => {
    expectClean(await run("landed-but-failed"));
  });

  it("secondary rate limits with retry-after are waited out", { timeout: 2 * MINUTES }, async () => {
    expectClean(await run("secondary-rate-limits"));
  });

  it("a route slower than the 10 s webhook window: the delivery is answered in time and the work completes", { timeout: 2 * MINUTES }, async () => {
    const r = await run("slow-route");
    expectClean(r);
    expect(r.detail).toMatch(/answered 202 after 9\.\d s/);
  });

  it("the token endpoint failing", { timeout: 2 * MINUTES }, async () => {
    expectClean(await run("token-endpoint"));
  });

  it("GitHub down for good: a failed check with the reason, the server stays up, the next delivery works", { timeout: 4 * MINUTES }, async () => {
    expectClean(await run("github-down"));
  });

  it("dropped connections are retried", { timeout: 2 * MINUTES }, async () => {
    expectClean(await run("dropped-connections"));
  });
});

describe("ordering", () => {
  it("the same delivery twice changes nothing", { timeout: 2 * MINUTES }, async () => {
    expectClean(await run("same-delivery-twice"));
  });

  it("20 synchronize deliveries shuffled and concurrent: one summary comment describing the newest head", { timeout: 4 * MINUTES }, async () => {
    expectClean(await run("shuffled-synchronizes"));
  });
});

describe("load", () => {
  it("500 deliveries across 50 pull requests, 20 at a time: no error, nothing lost or duplicated", { timeout: 6 * MINUTES }, async () => {
    const r = await run("load");
    expectClean(r);
    expect(r.deliveries).toBe(500);
    expect(r.latencyMs!.p95).toBeGreaterThan(0);
    expect(r.peakMemoryMiB).toBeGreaterThan(0);
  });
});

describe("hostile input", () => {
  for (const name of ["bad-signatures", "malformed-payloads", "deleted-fork", "hostile-models", "bad-config", "hostile-file-names", "huge-pull-request", "huge-comment"]) {
    it(name, { timeout: 4 * MINUTES }, async () => {
      expectClean(await run(name));
    });
  }
});

describe("scale-out", () => {
  it("two App processes sharing Redis: one summary comment, every push checked once, the newest head described", { timeout: 5 * MINUTES }, async (ctx) => {
    const r = await run("scale-out");
    if (r.outcome === "skipped") {
      // CI (REQUIRE_REDIS) installs redis-server: there a skip is a failure.
      expect(process.env["REQUIRE_REDIS"], r.detail).toBeUndefined();
      console.log(`SKIPPED: ${r.detail}`);
      ctx.skip();
    }
    expectClean(r);
  });
});
