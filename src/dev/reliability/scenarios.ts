/**
 * The reliability and abuse scenarios: each runs against the real App server and the local
 * GitHub, and says what happened in figures: deliveries, faults injected, the outcome, and
 * outputs lost (a check run left open, a comment or prompt missing) or duplicated (two
 * summary comments, a prompt posted twice).
 */
import { createHmac } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import type { GitHubSim, SimRepo } from "../github-sim/index.js";
import { createShop, openRoutePullRequest, percentile, settle, startRig, until, type Rig, RedisUnavailable } from "./rig.js";

export interface ScenarioResult {
  scenario: string;
  group: "faults" | "ordering" | "load" | "hostile" | "scale-out";
  deliveries: number;
  faults: number;
  outcome: "ok" | "FAILED" | "skipped";
  lost: number;
  duplicated: number;
  detail: string;
  latencyMs?: { p50: number; p95: number; max: number };
  peakMemoryMiB?: number;
}

export interface Scenario {
  name: string;
  group: ScenarioResult["group"];
  run: () => Promise<ScenarioResult>;
}

const SUMMARY = "threat-model-review:summary";

/** What the conversation of a pull request holds now. */
function observe(sim: GitHubSim, repo: SimRepo, number: number) {
  const pr = sim.pullRequest(repo, number);
  const summaries = sim.comments(repo, number).filter((c) => c.body.includes(SUMMARY));
  const prompts = sim.reviewComments(repo, number);
  const keys = prompts.map((c) => /threat-model-review:finding (\w+)/.exec(c.body)?.[1] ?? c.body);
  const headChecks = sim.checkRuns(repo, { headSha: pr.head.sha, name: "Threat model" });
  const open = sim.checkRuns(repo, { name: "Threat model" }).filter((c) => c.status !== "completed");
  return {
    head: pr.head.sha,
    summaries,
    promptDuplicates: keys.length - new Set(keys).size,
    headCheck: headChecks.at(-1),
    openChecks: open.length,
  };
}

/** A pull request that should end revisit, with one summary comment and one inline prompt. */
function judgeRoutePullRequest(sim: GitHubSim, repo: SimRepo, number: number): { lost: number; duplicated: number; notes: string[] } {
  const o = observe(sim, repo, number);
  const notes: string[] = [];
  let lost = 0;
  let duplicated = 0;
  if (o.headCheck?.conclusion !== "action_required") {
    lost++;
    notes.push(`check on the head is ${o.headCheck ? `${o.headCheck.status}/${o.headCheck.conclusion}` : "missing"}`);
  }
  if (o.openChecks > 0) {
    lost += o.openChecks;
    notes.push(`${o.openChecks} check run(s) left in progress`);
  }
  if (o.summaries.length === 0) {
    lost++;
    notes.push("no summary comment");
  }
  if (o.summaries.length > 1) {
    duplicated += o.summaries.length - 1;
    notes.push(`${o.summaries.length} summary comments`);
  }
  if (sim.reviewComments(repo, number).length === 0) {
    lost++;
    notes.push("no inline prompt");
  }
  if (o.promptDuplicates > 0) notes.push(`${o.promptDuplicates} inline prompt(s) posted twice`);
  duplicated += o.promptDuplicates;
  return { lost, duplicated, notes };
}

/** The whole review of a route pull request is on GitHub: check, summary comment, inline prompt. */
function reviewed(sim: GitHubSim, repo: SimRepo, number: number): boolean {
  return judgeRoutePullRequest(sim, repo, number).lost === 0;
}

async function withRig<T>(options: Parameters<typeof startRig>[0], fn: (rig: Rig) => Promise<T>): Promise<T> {
  const rig = await startRig(options);
  try {
    return await fn(rig);
  } finally {
    await rig.stop();
  }
}

function result(scenario: string, group: ScenarioResult["group"], parts: Omit<ScenarioResult, "scenario" | "group" | "outcome"> & { ok: boolean }): ScenarioResult {
  const { ok, ...rest } = parts;
  return { scenario, group, outcome: ok ? "ok" : "FAILED", ...rest };
}

// ------------------------------------------------------------------------------------------
// Faults

/** Every route a review uses fails once (500, 502, 503 in turn), in one delivery. */
async function everyRouteFailsOnce(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "faults");
    const n = await openRoutePullRequest(repo);
    const routes: [string | undefined, RegExp][] = [
      ["POST", /\/access_tokens$/],
      ["GET", /\/contents\/\.github\/threat-model-review\.yml$/],
      ["POST", /\/check-runs$/],
      ["GET", /\/pulls\/\d+\/files$/],
      ["GET", /\/contents\/threat-model\.yml$/],
      ["POST", /\/issues\/\d+\/comments$/],
      ["POST", /\/pulls\/\d+\/reviews$/],
      ["PATCH", /\/check-runs\/\d+$/],
    ];
    const added = routes.map(([method, path], i) => sim.faults.add({ ...(method && { method }), path, kind: "status", status: [500, 502, 503][i % 3]!, times: 1 }));
    const d = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const taken = added.filter((f) => f.hits > 0).length;
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("every route the review uses fails once (500/502/503)", "faults", {
      deliveries: 1,
      faults: taken,
      lost: j.lost,
      duplicated: j.duplicated,
      ok: j.lost === 0 && j.duplicated === 0 && taken === routes.length,
      detail: `answered ${d.status} in ${(d.ms / 1000).toFixed(1)} s; ${taken} of ${routes.length} faults taken and retried${j.notes.length ? `; ${j.notes.join("; ")}` : ""}`,
    });
  });
}

/** A write that lands but answers 502: found again, never posted twice. */
async function writesThatLandedButFailed(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "landed");
    const n = await openRoutePullRequest(repo);
    sim.faults.add({ method: "POST", path: /\/issues\/\d+\/comments$/, kind: "apply-then-fail", status: 502, times: 1 });
    sim.faults.add({ method: "POST", path: /\/pulls\/\d+\/reviews$/, kind: "apply-then-fail", status: 502, times: 1 });
    await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    const reviews = sim.reviews(repo, n).length;
    const duplicated = j.duplicated + Math.max(0, reviews - 1);
    return result("a comment and a review land but answer 502", "faults", {
      deliveries: 1,
      faults: 2,
      lost: j.lost,
      duplicated,
      ok: j.lost === 0 && duplicated === 0,
      detail: `${observe(sim, repo, n).summaries.length} summary comment, ${reviews} review${j.notes.length ? `; ${j.notes.join("; ")}` : ""}`,
    });
  });
}

/** Secondary rate limits (403 and 429 with retry-after): waited out and retried. */
async function secondaryRateLimits(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "secondary");
    const n = await openRoutePullRequest(repo);
    sim.faults.add({ method: "PATCH", path: /\/check-runs\/\d+$/, kind: "secondary-rate-limit", retryAfter: 1, times: 1 });
    sim.faults.add({ method: "POST", path: /\/check-runs$/, kind: "secondary-rate-limit", status: 429, retryAfter: 1, times: 1 });
    const d = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("secondary rate limits (403 and 429, retry-after 1 s)", "faults", {
      deliveries: 1,
      faults: 2,
      lost: j.lost,
      duplicated: j.duplicated,
      ok: j.lost === 0 && j.duplicated === 0,
      detail: `answered ${d.status} in ${(d.ms / 1000).toFixed(1)} s${j.notes.length ? `; ${j.notes.join("; ")}` : ""}`,
    });
  });
}

/** A route slower than GitHub's 10 s webhook window: answered in time, the work completes. */
async function slowPastTheWebhookWindow(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "slow");
    const n = await openRoutePullRequest(repo);
    sim.faults.add({ method: "GET", path: /\/pulls\/\d+\/files$/, kind: "slow", ms: 11_000, times: 1 });
    const d = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"));
    const done = await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    const inTime = d.status >= 200 && d.status < 300 && d.ms < 10_000;
    return result("a route answers after 11 s (past the 10 s webhook window)", "faults", {
      deliveries: 1,
      faults: 1,
      lost: j.lost + (inTime ? 0 : 1),
      duplicated: j.duplicated,
      ok: inTime && done && j.lost === 0 && j.duplicated === 0,
      detail: `delivery answered ${d.status} after ${(d.ms / 1000).toFixed(1)} s; the review completed afterwards`,
    });
  });
}

/** The installation-token endpoint fails: retried, or reported, and the next delivery works. */
async function tokenEndpointFails(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "token");
    const n = await openRoutePullRequest(repo);
    sim.faults.add({ method: "POST", path: /\/access_tokens$/, kind: "status", status: 500, times: 2 });
    const first = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 60_000 });
    await until(() => observe(sim, repo, n).headCheck?.status === "completed", 20_000);
    const afterFirst = observe(sim, repo, n).headCheck?.conclusion ?? "none";
    // GitHub does not redeliver by itself; the next event (a re-run, a push) must work.
    const second = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "reopened"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 30_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("the installation-token endpoint fails twice", "faults", {
      deliveries: 2,
      faults: 2,
      lost: j.lost,
      duplicated: j.duplicated,
      ok: j.lost === 0 && j.duplicated === 0,
      detail: `first delivery answered ${first.status} (check: ${afterFirst}); the next answered ${second.status} and completed the review`,
    });
  });
}

/** GitHub down for good: the check run ends failure with a reason where it can write; the server stays up. */
async function githubDownForGood(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "down");
    const n = await openRoutePullRequest(repo);
    const app = apps[0]!;
    // Reads fail for good, writes still work: the check run must say why it failed.
    const files = sim.faults.add({ method: "GET", path: /\/pulls\/\d+\/files$/, kind: "status", status: 502, times: Infinity });
    await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 90_000 });
    await until(() => observe(sim, repo, n).headCheck?.status === "completed", 90_000);
    const failed = observe(sim, repo, n).headCheck;
    const reasoned = failed?.conclusion === "failure" && /could not finish/.test(failed.output.title ?? "") && /502/.test(failed.output.summary ?? "");
    sim.faults.remove(files.id);
    // Then everything fails: nothing can be written, the server must stay up.
    const everything = sim.faults.add({ path: /.*/, kind: "status", status: 503, times: Infinity });
    const down = await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repo, n, "synchronize"), { timeoutMs: 90_000 });
    const ping = await fetch(`${app.url}/ping`).then((r) => r.text()).catch(() => "");
    sim.faults.remove(everything.id);
    await repo.pushToPullRequest(n, { "apps/web/src/x.ts": "export const x = 2;\n" }, "next push");
    const next = await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repo, n, "synchronize"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("GitHub down for good, then back", "faults", {
      deliveries: 3,
      faults: files.hits + everything.hits,
      lost: j.lost + (reasoned ? 0 : 1),
      duplicated: j.duplicated,
      ok: reasoned && ping === "PONG" && j.lost === 0 && j.duplicated === 0,
      detail: `reads failing: check ${failed?.conclusion ?? "none"} "${failed?.output.title ?? ""}"; all down: delivery answered ${down.status}, /ping ${ping || "no answer"}; back up: answered ${next.status}, review completed${j.notes.length ? `; ${j.notes.join("; ")}` : ""}`,
    });
  });
}

/** Connections dropped without an answer: retried. */
async function droppedConnections(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "dropped");
    const n = await openRoutePullRequest(repo);
    sim.faults.add({ method: "GET", path: /\/contents\/threat-model\.yml$/, kind: "drop", times: 1 });
    sim.faults.add({ method: "GET", path: /\/issues\/\d+\/comments$/, kind: "drop", times: 1 });
    sim.faults.add({ method: "GET", path: /\/pulls\/\d+\/files$/, kind: "drop", times: 1 });
    await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"), { timeoutMs: 60_000 });
    await settle(sim, () => reviewed(sim, repo, n), 60_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("connections dropped without an answer", "faults", {
      deliveries: 1,
      faults: 3,
      lost: j.lost,
      duplicated: j.duplicated,
      ok: j.lost === 0 && j.duplicated === 0,
      detail: j.notes.join("; ") || "retried; the review completed",
    });
  });
}

// ------------------------------------------------------------------------------------------
// Ordering

async function sameDeliveryTwice(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "twice");
    const n = await openRoutePullRequest(repo);
    const payload = sim.pullRequestEvent(repo, n, "opened");
    const first = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", payload, { deliveryId: "same-delivery" });
    const writesBefore = sim.count({ method: "POST" }) + sim.count({ method: "PATCH" });
    const second = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", payload, { deliveryId: "same-delivery" });
    const writesAfter = sim.count({ method: "POST" }) + sim.count({ method: "PATCH" });
    const j = judgeRoutePullRequest(sim, repo, n);
    const checks = sim.checkRuns(repo).length;
    const duplicated = j.duplicated + (writesAfter - writesBefore) + Math.max(0, checks - 1);
    return result("the same delivery twice", "ordering", {
      deliveries: 2,
      faults: 0,
      lost: j.lost,
      duplicated,
      ok: j.lost === 0 && duplicated === 0,
      detail: `answered ${first.status} then ${second.status}; the second wrote ${writesAfter - writesBefore} times`,
    });
  });
}

/** 20 pushes, their synchronize deliveries shuffled and sent at once. */
async function shuffledSynchronizes(count = 20): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "shuffled");
    const n = await openRoutePullRequest(repo);
    const payloads: unknown[] = [];
    const heads: string[] = [];
    for (let i = 0; i < count; i++) {
      await repo.pushToPullRequest(n, { [`apps/web/src/step-${i}.ts`]: `export const step${i} = ${i};\n` }, `push ${i}`);
      payloads.push(sim.pullRequestEvent(repo, n, "synchronize"));
      heads.push(sim.pullRequest(repo, n).head.sha);
    }
    const newest = sim.pullRequest(repo, n).head.sha;
    const order = payloads.map((p, i) => ({ p, k: Math.sin(i * 7919) })).sort((a, b) => a.k - b.k).map((x) => x.p);
    const results = await Promise.all(order.map((p) => sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", p, { timeoutMs: 120_000 })));
    await settle(sim, () => heads.every((h) => sim.checkRuns(repo, { headSha: h }).some((c) => c.status === "completed")) && observe(sim, repo, n).openChecks === 0 && stateHeadOf(observe(sim, repo, n).summaries[0]?.body ?? "") === newest, 180_000, 2_000);
    const o = observe(sim, repo, n);
    const summary = o.summaries[0]?.body ?? "";
    const describesNewest = stateHeadOf(summary) === newest;
    const j = judgeRoutePullRequest(sim, repo, n);
    return result(`${count} synchronize deliveries for one pull request, shuffled and concurrent`, "ordering", {
      deliveries: count,
      faults: 0,
      lost: j.lost + (describesNewest ? 0 : 1),
      duplicated: j.duplicated,
      ok: describesNewest && j.lost === 0 && j.duplicated === 0,
      detail: `${results.filter((r) => r.status >= 200 && r.status < 300).length}/${count} answered 2xx; ${o.summaries.length} summary comment, describing the newest head: ${describesNewest}`,
    });
  });
}

/** The head sha in the summary comment's hidden state (signed, not encrypted: deflated JSON). */
function stateHeadOf(body: string): string | null {
  const m = /threat-model-review:state ([\w-]+)\./.exec(body);
  if (!m) return null;
  try {
    const state = JSON.parse(inflateRawSync(Buffer.from(m[1]!, "base64url")).toString("utf8")) as { head?: string };
    return state.head ?? null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------
// Load

async function load(deliveries = 500, pullRequests = 50, concurrency = 20): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const app = apps[0]!;
    const perPr = Math.ceil(deliveries / pullRequests);
    const prs: { repo: SimRepo; n: number }[] = [];
    const queue: { event: string; payload: unknown }[] = [];
    for (let i = 0; i < pullRequests; i++) {
      const repo = await createShop(sim, `load-${i}`);
      const n = await openRoutePullRequest(repo);
      prs.push({ repo, n });
    }
    // Each pull request: opened, then pushes; the payloads interleave across pull requests.
    const perPrPayloads: { event: string; payload: unknown }[][] = [];
    for (const { repo, n } of prs) {
      const list = [{ event: "pull_request", payload: sim.pullRequestEvent(repo, n, "opened") }];
      for (let k = 1; k < perPr; k++) {
        await repo.pushToPullRequest(n, { [`apps/web/src/p${k}.ts`]: `export const p${k} = ${k};\n` }, `push ${k}`);
        list.push({ event: "pull_request", payload: sim.pullRequestEvent(repo, n, "synchronize") });
      }
      perPrPayloads.push(list);
    }
    for (let k = 0; k < perPr; k++) for (const list of perPrPayloads) if (list[k]) queue.push(list[k]!);
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        const r = await sim.deliver(app.webhookUrl, app.secret, item.event, item.payload, { timeoutMs: 60_000 });
        latencies.push(r.ms);
        if (r.status < 200 || r.status >= 300) errors++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await settle(sim, () => prs.every(({ repo, n }) => reviewed(sim, repo, n)), 180_000, 2_000);
    const elapsed = (Date.now() - started) / 1000;
    let lost = 0;
    let duplicated = 0;
    const problems = new Map<string, number>();
    for (const { repo, n } of prs) {
      const j = judgeRoutePullRequest(sim, repo, n);
      lost += j.lost;
      duplicated += j.duplicated;
      for (const note of j.notes) problems.set(note, (problems.get(note) ?? 0) + 1);
    }
    const peak = app.peakMemory();
    return {
      scenario: `${queue.length} deliveries across ${pullRequests} pull requests, ${concurrency} at a time`,
      group: "load",
      deliveries: queue.length,
      faults: 0,
      outcome: errors === 0 && lost === 0 && duplicated === 0 ? "ok" : "FAILED",
      lost,
      duplicated,
      detail: `${errors} delivery errors; all done in ${elapsed.toFixed(0)} s; ${problems.size === 0 ? "every pull request ends with its newest head checked and one summary comment" : [...problems].map(([k, v]) => `${v}× ${k}`).join("; ")}`,
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) },
      ...(peak !== null && { peakMemoryMiB: peak / (1024 * 1024) }),
    };
  });
}

// ------------------------------------------------------------------------------------------
// Hostile input

function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function rawDelivery(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `raw-${Math.random()}`, ...headers }, body });
  return r.status;
}

async function badSignatures(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const app = apps[0]!;
    const repo = await createShop(sim, "unsigned");
    const n = await openRoutePullRequest(repo);
    const body = JSON.stringify(sim.pullRequestEvent(repo, n, "opened"));
    const before = sim.count({});
    const unsigned = await rawDelivery(app.webhookUrl, {}, body);
    const wrongKey = await rawDelivery(app.webhookUrl, { "x-hub-signature-256": sign("not-the-secret", body) }, body);
    const tampered = await rawDelivery(app.webhookUrl, { "x-hub-signature-256": sign(app.secret, body) }, body.replace("opened", "reopened"));
    const calls = sim.count({}) - before;
    const refused = [unsigned, wrongKey, tampered].every((s) => s >= 400 && s < 500);
    return result("unsigned, wrongly signed and tampered deliveries", "hostile", {
      deliveries: 3,
      faults: 0,
      lost: 0,
      duplicated: 0,
      ok: refused && calls === 0,
      detail: `answered ${unsigned}, ${wrongKey}, ${tampered}; ${calls} GitHub API calls`,
    });
  });
}

async function malformedPayloads(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const app = apps[0]!;
    const before = sim.count({});
    // Each body with the answers that are acceptable: Probot answers 400 to what it cannot
    // parse and 500 to a JSON null (inside its own middleware); what parses but lacks the
    // event's fields is ignored by the App (200).
    const cases: [string, string, number[]][] = [
      ["truncated JSON", "{", [400]],
      ["truncated object", '{"action": "opened", "pull_request":', [400]],
      ["null", "null", [400, 500]],
      ["a list", "[]", [200, 400]],
      ["an event without its fields", '{"action":"opened"}', [200, 400]],
      ["not JSON at all", "x".repeat(10_000), [400]],
    ];
    const answers: string[] = [];
    let wrong = 0;
    for (const [label, body, acceptable] of cases) {
      const status = await rawDelivery(app.webhookUrl, { "x-hub-signature-256": sign(app.secret, body) }, body);
      if (!acceptable.includes(status)) wrong++;
      answers.push(`${label} ${status}`);
    }
    const ping = await fetch(`${app.url}/ping`).then((r) => r.text()).catch(() => "");
    const calls = sim.count({}) - before;
    return result("malformed and truncated payloads, validly signed", "hostile", {
      deliveries: cases.length,
      faults: 0,
      lost: 0,
      duplicated: 0,
      ok: ping === "PONG" && calls === 0 && wrong === 0,
      detail: `answered: ${answers.join(", ")}; ${calls} GitHub API calls; server ${ping === "PONG" ? "up" : "DOWN"}`,
    });
  });
}

async function deletedFork(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "fork");
    const n = await openRoutePullRequest(repo);
    const payload = sim.pullRequestEvent(repo, n, "opened") as unknown as { pull_request: { head: { repo: unknown } } };
    payload.pull_request.head.repo = null;
    await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", payload);
    await settle(sim, () => reviewed(sim, repo, n), 30_000);
    const j = judgeRoutePullRequest(sim, repo, n);
    return result("a pull request from a deleted fork (head repo null)", "hostile", { deliveries: 1, faults: 0, lost: j.lost, duplicated: j.duplicated, ok: j.lost === 0 && j.duplicated === 0, detail: j.notes.join("; ") || "reviewed through the base repository" });
  });
}

async function hostileModels(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const app = apps[0]!;
    let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n";
    for (let i = 0; i < 9; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(",")}]\n`;
    const cases: [string, string, RegExp][] = [
      ["alias bomb", bomb, /alias/],
      ["5 MiB model", `version: 1\ntitle: "${"x".repeat(5 * 1024 * 1024)}"\n`, /limit is 1\.0 MiB/],
      ["not UTF-8", "version: 1\ntitle: caf\u00e9\n", /not valid UTF-8/],
      ["pathological globs", `version: 1\ntrust_zones: [{id: z}]\ncomponents:\n  - id: c\n    type: process\n    zone: z\n    paths: ["${"{a,b}".repeat(30)}", "${"*".repeat(999)}x", "${"a".repeat(1001)}"]\n`, /expand to more than 64|1001 characters/],
      ["deep nesting", `version: 1\ntitle: ${"[".repeat(100_000)}\n`, /nesting/],
    ];
    let lost = 0;
    const notes: string[] = [];
    for (const [i, [label, text, expected]] of cases.entries()) {
      const repo = await createShop(sim, `hostile-model-${i}`);
      await repo.createBranch("feature", "main");
      // "café" in Latin-1: the é is byte 0xE9, which is not UTF-8.
      const content = label === "not UTF-8" ? Buffer.from(text, "latin1") : text;
      await repo.commit("feature", { "threat-model.yml": content }, "change the model");
      const pr = await repo.openPullRequest({ head: "feature", base: "main", author: { login: "mallory" } });
      const d = await sim.deliver(app.webhookUrl, app.secret, "pull_request", sim.pullRequestEvent(repo, pr.number, "opened"), { timeoutMs: 60_000 });
      await until(() => observe(sim, repo, pr.number).headCheck?.status === "completed", 60_000);
      const check = observe(sim, repo, pr.number).headCheck;
      // The summary escapes markdown punctuation; read it as a person would.
      const ok = check?.conclusion === "failure" && expected.test((check.output.summary ?? "").replace(/\\/g, ""));
      if (!ok) {
        lost++;
        notes.push(`${label}: ${check?.conclusion ?? "no check"} (${(check?.output.summary ?? "").slice(0, 120)})`);
      } else notes.push(`${label}: failure in ${(d.ms / 1000).toFixed(1)} s`);
    }
    const ping = await fetch(`${app.url}/ping`).then((r) => r.text()).catch(() => "");
    return result("hostile models in a pull request", "hostile", { deliveries: cases.length, faults: 0, lost, duplicated: 0, ok: lost === 0 && ping === "PONG", detail: notes.join("; ") });
  });
}

async function configWithWrongTypes(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "bad-config", { ".github/threat-model-review.yml": "mode: strict\nmax_age_days: soon\nignore: docs/**\n" });
    const n = await openRoutePullRequest(repo);
    await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, n, "opened"));
    await until(() => observe(sim, repo, n).headCheck?.status === "completed", 30_000);
    const check = observe(sim, repo, n).headCheck;
    const summary = check?.output.summary ?? "";
    const ok = check?.conclusion === "failure" && summary.includes(".github/threat-model-review.yml:1:7") && summary.includes(":2:15");
    return result("a config with wrong types", "hostile", { deliveries: 1, faults: 0, lost: ok ? 0 : 1, duplicated: 0, ok, detail: ok ? "the check fails and points at each value (file:line:column), no silent default" : summary.slice(0, 200) });
  });
}

async function hostileFileNames(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "names");
    await repo.createBranch("feature", "main");
    const names = ["apps/web/src/<img src=x onerror=alert(1)>.ts", "apps/web/src/[click](https:__evil.example) @admin #12.ts", "apps/web/src/``` `tick` | pipe.ts", "apps/web/src/**bold** _it_ <script>x<_script>.ts"];
    await repo.commit("feature", Object.fromEntries(names.map((p) => [p, 'router.post("/x", handler);\n'])), "hostile names");
    const pr = await repo.openPullRequest({ head: "feature", base: "main", author: { login: "mallory" } });
    await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, pr.number, "opened"));
    await settle(sim, () => reviewed(sim, repo, pr.number), 30_000);
    const bodies = [...sim.comments(repo, pr.number).map((c) => c.body), observe(sim, repo, pr.number).headCheck?.output.summary ?? "", ...sim.reviewComments(repo, pr.number).map((c) => c.body)].join("\n");
    // Outside code spans, nothing may read as a tag, a link, a mention or an issue reference.
    const outside = bodies.replace(/`+[^`]*`+/g, "").replace(/```[\s\S]*?```/g, "");
    const leaks = [/<img/i, /<script/i, /\]\(https?:/, /@admin\b/, /(^|\s)#12\b/].filter((re) => re.test(outside));
    return result("file names with markdown, HTML, backticks and @mentions", "hostile", { deliveries: 1, faults: 0, lost: 0, duplicated: 0, ok: leaks.length === 0 && bodies.length > 0, detail: leaks.length === 0 ? "every name escaped: no tag, link, mention or reference" : `leaked: ${leaks.map(String).join(", ")}` });
  });
}

async function hugePullRequest(files = 3500): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "huge");
    await repo.createBranch("feature", "main");
    const change: Record<string, string> = { "apps/web/src/routes/refunds.ts": 'router.post("/refunds", refund);\n', "apps/web/public/logo.png": "\u0089PNG\r\n\u001a\n\u0000\u0000binary" };
    for (let i = 0; i < files - 2; i++) change[`generated/part-${String(i).padStart(4, "0")}.txt`] = `${i}\n`;
    await repo.commit("feature", change, "a very large change");
    const pr = await repo.openPullRequest({ head: "feature", base: "main", author: { login: "dana" } });
    const d = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "pull_request", sim.pullRequestEvent(repo, pr.number, "opened"), { timeoutMs: 120_000 });
    await until(() => observe(sim, repo, pr.number).headCheck?.status === "completed", 120_000);
    const check = observe(sim, repo, pr.number).headCheck;
    const summary = (check?.output.summary ?? "").replace(/\\/g, "");
    const honest = /GitHub lists diffs for the first 3,000 only/.test(summary);
    const binary = /not scanned|no diff/.test(summary);
    return result(`a pull request of ${files} files, with a binary file`, "hostile", {
      deliveries: 1,
      faults: 0,
      lost: check?.status === "completed" ? 0 : 1,
      duplicated: 0,
      ok: check?.status === "completed" && honest && binary,
      detail: `answered ${d.status} in ${(d.ms / 1000).toFixed(1)} s; check ${check?.conclusion}; says signals covered only the first 3,000: ${honest}; lists unscanned files: ${binary}`,
    });
  });
}

async function hugeCommentCommand(): Promise<ScenarioResult> {
  return withRig({}, async ({ sim, apps }) => {
    const repo = await createShop(sim, "command");
    const n = await openRoutePullRequest(repo);
    const payload = sim.issueCommentEvent(repo, n, { user: "dana", body: `/threat-model recheck\n${"x".repeat(100 * 1024)}` });
    const d = await sim.deliver(apps[0]!.webhookUrl, apps[0]!.secret, "issue_comment", payload);
    await settle(sim, () => sim.reactions(repo).some((r) => r.content === "+1"), 30_000);
    const reacted = sim.reactions(repo).some((r) => r.content === "+1");
    return result("a comment command of 100 KB", "hostile", { deliveries: 1, faults: 0, lost: reacted ? 0 : 1, duplicated: 0, ok: reacted && d.status < 300, detail: `answered ${d.status} in ${(d.ms / 1000).toFixed(1)} s; recheck carried out and acknowledged with a reaction: ${reacted}` });
  });
}

// ------------------------------------------------------------------------------------------
// Scale-out

async function twoReplicasWithRedis(count = 20): Promise<ScenarioResult> {
  let rig: Rig;
  try {
    rig = await startRig({ apps: 2, redis: true });
  } catch (e) {
    if (e instanceof RedisUnavailable) {
      return { scenario: "two App processes sharing Redis", group: "scale-out", deliveries: 0, faults: 0, outcome: "skipped", lost: 0, duplicated: 0, detail: `skipped: ${e.message} (install Debian's redis-server; .ci/run does)` };
    }
    throw e;
  }
  try {
    const { sim, apps } = rig;
    const repo = await createShop(sim, "replicas");
    const n = await openRoutePullRequest(repo);
    const payloads: unknown[] = [sim.pullRequestEvent(repo, n, "opened")];
    const heads = [sim.pullRequest(repo, n).head.sha];
    for (let i = 1; i < count; i++) {
      await repo.pushToPullRequest(n, { [`apps/web/src/r${i}.ts`]: `export const r${i} = ${i};\n` }, `push ${i}`);
      payloads.push(sim.pullRequestEvent(repo, n, "synchronize"));
      heads.push(sim.pullRequest(repo, n).head.sha);
    }
    const newest = sim.pullRequest(repo, n).head.sha;
    // Split between the replicas, and deliver each opened event to both (a redelivery landing elsewhere).
    const sends = payloads.map((p, i) => sim.deliver(apps[i % 2]!.webhookUrl, apps[i % 2]!.secret, "pull_request", p, { timeoutMs: 120_000, deliveryId: `replica-${i}` }));
    sends.push(sim.deliver(apps[1]!.webhookUrl, apps[1]!.secret, "pull_request", payloads[0], { timeoutMs: 120_000, deliveryId: "replica-0" }));
    await Promise.all(sends);
    // Every push gets its own completed check run, whichever replica took it.
    const allChecked = () => heads.every((h) => sim.checkRuns(repo, { headSha: h }).some((c) => c.status === "completed"));
    await settle(sim, () => allChecked() && observe(sim, repo, n).openChecks === 0 && stateHeadOf(observe(sim, repo, n).summaries[0]?.body ?? "") === newest, 180_000, 2_000);
    const o = observe(sim, repo, n);
    const j = judgeRoutePullRequest(sim, repo, n);
    const newestChecked = o.headCheck?.status === "completed" && o.head === newest && stateHeadOf(o.summaries[0]?.body ?? "") === newest;
    const unchecked = heads.filter((h) => !sim.checkRuns(repo, { headSha: h }).some((c) => c.status === "completed")).length;
    const extraChecks = heads.reduce((a, h) => a + Math.max(0, sim.checkRuns(repo, { headSha: h }).length - 1), 0);
    return result(`two App processes sharing Redis, ${count} pushes of one pull request split between them`, "scale-out", {
      deliveries: sends.length,
      faults: 0,
      lost: j.lost + (newestChecked ? 0 : 1) + unchecked,
      duplicated: j.duplicated + extraChecks,
      ok: newestChecked && unchecked === 0 && extraChecks === 0 && j.lost === 0 && j.duplicated === 0,
      detail: `${o.summaries.length} summary comment, describing the newest head: ${newestChecked}; ${sim.checkRuns(repo).length} check runs for ${count} pushes, one each (the redelivery on the other replica did nothing)`,
    });
  } finally {
    await rig.stop();
  }
}

export const SCENARIOS: Scenario[] = [
  { name: "every-route-once", group: "faults", run: everyRouteFailsOnce },
  { name: "landed-but-failed", group: "faults", run: writesThatLandedButFailed },
  { name: "secondary-rate-limits", group: "faults", run: secondaryRateLimits },
  { name: "slow-route", group: "faults", run: slowPastTheWebhookWindow },
  { name: "token-endpoint", group: "faults", run: tokenEndpointFails },
  { name: "github-down", group: "faults", run: githubDownForGood },
  { name: "dropped-connections", group: "faults", run: droppedConnections },
  { name: "same-delivery-twice", group: "ordering", run: sameDeliveryTwice },
  { name: "shuffled-synchronizes", group: "ordering", run: () => shuffledSynchronizes(20) },
  { name: "load", group: "load", run: () => load(500, 50, 20) },
  { name: "load-small", group: "load", run: () => load(60, 6, 20) },
  { name: "bad-signatures", group: "hostile", run: badSignatures },
  { name: "malformed-payloads", group: "hostile", run: malformedPayloads },
  { name: "deleted-fork", group: "hostile", run: deletedFork },
  { name: "hostile-models", group: "hostile", run: hostileModels },
  { name: "bad-config", group: "hostile", run: configWithWrongTypes },
  { name: "hostile-file-names", group: "hostile", run: hostileFileNames },
  { name: "huge-pull-request", group: "hostile", run: () => hugePullRequest(3500) },
  { name: "huge-comment", group: "hostile", run: hugeCommentCommand },
  { name: "scale-out", group: "scale-out", run: () => twoReplicasWithRedis(20) },
];
