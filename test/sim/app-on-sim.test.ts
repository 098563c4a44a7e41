/**
 * The real server (dist/app/start.js, Probot's run) against the simulator through
 * GHE_HOST, with signed deliveries built from the simulator's own state: proof that the
 * simulator is GitHub enough for the App, and the pattern the demo and reliability suites use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubSim, type SimRepo } from "../../src/dev/github-sim/index.js";
import { SHOP_MODEL } from "../helpers/models.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const KEY = fileURLToPath(new URL("../fixtures/test-key.pem", import.meta.url));
const SECRET = "sim-webhook-secret";
const APP_ID = 123;
const INSTALLATION = 42;

let sim: GitHubSim;
let repo: SimRepo;
let app: ChildProcess;
let hook: string;
let output = "";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  sim = new GitHubSim();
  await sim.start();
  repo = await sim.createRepo({ owner: "acme", name: "shop", installationId: INSTALLATION });
  await repo.commit("main", { "threat-model.yml": SHOP_MODEL, ".github/threat-model-review.yml": "mode: enforce\n", "apps/web/src/index.ts": "export {};\n" }, "init");
  sim.setTeamMember("acme", "appsec", "carol", "active");

  const port = await freePort();
  app = spawn(process.execPath, ["dist/app/start.js"], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"] ?? "", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", APP_ID: String(APP_ID), PRIVATE_KEY_PATH: KEY, WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", ...sim.env() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  app.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; ; i++) {
    try {
      if ((await (await fetch(`http://127.0.0.1:${port}/ping`)).text()) === "PONG") break;
    } catch {
      if (i > 200) throw new Error(`the App did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  hook = `http://127.0.0.1:${port}/api/github/webhooks`;
}, 30_000);

afterAll(async () => {
  app?.kill("SIGTERM");
  await sim?.stop();
});

describe("the App against the simulator", () => {
  it("reviews a pull request: check run, one summary comment, an inline prompt, within the README's request budget", async () => {
    await repo.commit("refunds", { "apps/web/src/routes/refunds.ts": 'import { router } from "./router";\nrouter.post("/refunds", refund);\n' }, "refunds route");
    const pr = await repo.openPullRequest({ head: "refunds", base: "main", author: { login: "dev" } });
    sim.clearRequests();

    const res = await sim.deliver(hook, SECRET, "pull_request", sim.pullRequestEvent(repo, pr.number, "opened"));
    expect(res.status, output).toBe(200);

    const [run, ...more] = sim.checkRuns(repo);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ name: "Threat model", headSha: pr.head.sha, status: "completed", conclusion: "action_required" });
    expect(run!.annotations.length).toBeGreaterThan(0);
    const comments = sim.comments(repo, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ user: { login: "threat-model-review[bot]", type: "Bot" }, app: { id: APP_ID } });
    const reviews = sim.reviews(repo, pr.number);
    expect(reviews).toHaveLength(1);
    expect(sim.reviewComments(repo, pr.number)[0]).toMatchObject({ path: "apps/web/src/routes/refunds.ts", line: 2, side: "RIGHT" });
    // Token, config, check run created, files, base model, comment, review, check run completed.
    expect(sim.count({ counted: true })).toBeLessThanOrEqual(8);
    expect(sim.requests[0]).toMatchObject({ route: "POST /app/installations/{installation_id}/access_tokens" });
  });

  it("edits the same comment after a push, and a redelivery changes nothing", async () => {
    const number = 1;
    await repo.pushToPullRequest(number, { "apps/web/src/routes/refunds.ts": 'import { router } from "./router";\nrouter.post("/refunds", refund);\nrouter.get("/refunds", list);\n' }, "list refunds");
    const payload = sim.pullRequestEvent(repo, number, "synchronize");
    const first = await sim.deliver(hook, SECRET, "pull_request", payload, { deliveryId: "sync-1" });
    expect(first.status, output).toBe(200);
    expect(sim.comments(repo, number)).toHaveLength(1);
    expect(sim.checkRuns(repo, { headSha: sim.pullRequest(repo, number).head.sha })).toHaveLength(1);
    const writes = sim.count({ method: "POST" }) + sim.count({ method: "PATCH" });
    await sim.deliver(hook, SECRET, "pull_request", payload, { deliveryId: "sync-1" });
    expect(sim.count({ method: "POST" }) + sim.count({ method: "PATCH" })).toBe(writes);
  });

  it("retries a 502 on the file list (the retry revalidates the list the last event read) and still completes the check run", async () => {
    sim.faults.add({ method: "GET", path: /\/pulls\/1\/files$/, kind: "status", status: 502, times: 1 });
    sim.clearRequests();
    const res = await sim.deliver(hook, SECRET, "issue_comment", sim.issueCommentEvent(repo, 1, { user: "carol", body: "/threat-model recheck" }));
    expect(res.status, output).toBe(200);
    expect(sim.requests.filter((r) => r.route === "GET /repos/{owner}/{repo}/pulls/{pull_number}/files").map((r) => r.status)).toEqual([502, 304]);
    const last = sim.checkRuns(repo).at(-1)!;
    expect(last).toMatchObject({ status: "completed", conclusion: "action_required" });
    const comment = sim.comments(repo, 1).at(-1)!;
    expect(sim.reactions(repo, comment.id).map((r) => r.content)).toEqual(["+1"]);
  });

  it("refuses a forged delivery without one API call", async () => {
    sim.clearRequests();
    const res = await sim.deliver(hook, SECRET, "pull_request", sim.pullRequestEvent(repo, 1, "opened"), { signature: "sha256=0000" });
    expect(res.status).toBe(400);
    expect(sim.count()).toBe(0);
  });

  it("puts a health check run on pushes to the default branch", async () => {
    const sha = await repo.commit("main", { "apps/web/src/util.ts": "export const u = 1;\n" }, "util");
    const res = await sim.deliver(hook, SECRET, "push", sim.pushEvent(repo, "main"));
    expect(res.status, output).toBe(200);
    expect(sim.checkRuns(repo, { headSha: sha, name: "Threat model health" })).toEqual([expect.objectContaining({ status: "completed" })]);
  });
});
