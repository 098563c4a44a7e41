/**
 * npm run demo: the real App, end to end, offline. It starts the project's local GitHub
 * (src/dev/github-sim) holding the bundled example repository (fixtures/demo: a shop's
 * checkout and its threat model), starts the App server as a deployment would (with a
 * throwaway key and webhook secret, pointed at the local GitHub through GHE_HOST), and
 * delivers signed webhooks for the example pull request: opened, then a push that revises
 * the model, then a security champion's approval. After each step it shows the check run
 * and the conversation as GitHub holds them, and at the end writes demo-output/index.html.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startApp, type AppProcess } from "../dev/app-process.js";
import { GitHubSim, type SimRepo } from "../dev/github-sim/index.js";
import { demoFiles } from "./fixture.js";
import { pageHtml, type Page, type PageEntry } from "./page.js";

/** Where the page goes: demo-output/ at the top of the project, or DEMO_OUTPUT. */
const OUT = process.env["DEMO_OUTPUT"] ?? fileURLToPath(new URL("../../demo-output/", import.meta.url));
const AUTHOR = "dana";

type Write = (s: string) => void;

function show(write: Write, sim: GitHubSim, repo: SimRepo, number: number, since: { comments: number; reviews: number; asked: number }): void {
  const pr = sim.pullRequest(repo, number);
  const check = sim.checkRuns(repo, { headSha: pr.head.sha }).at(-1);
  if (check) {
    write(`  check run "${check.name}" on ${pr.head.sha.slice(0, 7)}: ${check.conclusion ?? check.status} · ${check.output.title ?? ""}\n`);
    if (check.actions.length > 0) write(`    button: ${check.actions.map((a) => a.label).join(", ")}\n`);
  }
  const comments = sim.comments(repo, number);
  const summary = comments.find((c) => c.body.includes("threat-model-review:summary"));
  if (summary) {
    const lines = summary.body.replace(/<!--[\s\S]*?-->\n?/g, "").split("\n");
    const head = lines.filter((l) => /^(###|✅|⚠️|❌|ℹ️|🔐)/u.test(l)).slice(0, 4);
    write(`  summary comment (${comments.length === since.comments ? "edited in place" : "posted"}), ${lines.length} lines; it opens with:\n`);
    for (const l of head) write(`    ${l.length > 150 ? `${l.slice(0, 147)}...` : l}\n`);
  }
  const reviews = sim.reviews(repo, number);
  for (const r of reviews.slice(since.reviews)) {
    const inline = sim.reviewComments(repo, number).filter((c) => c.reviewId === r.id);
    write(`  review by ${r.user.login} (${r.state})${inline.length > 0 ? `, ${inline.length} inline prompt${inline.length === 1 ? "" : "s"}:` : ""}\n`);
    for (const c of inline) write(`    ${c.path}:${c.line}: ${c.body.split("\n")[2] ?? ""}\n`);
  }
  const asked = sim.requestedReviewers(repo, number);
  if (asked.users.length + asked.teams.length > since.asked) write(`  reviews requested from: ${[...asked.users, ...asked.teams.map((t) => `@acme/${t}`)].join(", ")}\n`);
}

export async function runDemo(write: Write = (s) => void process.stdout.write(s)): Promise<{ conclusions: (string | null)[]; page: string }> {
  const started = Date.now();
  const sim = new GitHubSim();
  let app: AppProcess | undefined;
  try {
    await sim.start();
    const repo = await sim.createRepo({ owner: "acme", name: "shop", installationId: 1001 });
    await repo.commit("main", demoFiles.base(), "Acme Shop checkout", { date: "2026-11-20T10:00:00Z" });
    sim.setTeamMember("acme", "appsec", "carol", "active");
    await repo.createBranch("add-refunds", "main");
    await repo.commit("add-refunds", demoFiles.pullRequest(), "Let customers ask for refunds");
    const pr = await repo.openPullRequest({ head: "add-refunds", base: "main", author: { login: AUTHOR }, title: "Let customers ask for refunds" });

    const env = sim.env();
    app = await startApp({ githubHost: env.GHE_HOST });
    write(`Local GitHub on ${env.GHE_HOST}; the App (node dist/app/start.js) on ${app.url}, talking to it through GHE_HOST.\n\n`);

    const conclusions: (string | null)[] = [];
    const step = async (title: string, event: string, payload: unknown) => {
      const asked = sim.requestedReviewers(repo, pr.number);
      const before = { comments: sim.comments(repo, pr.number).length, reviews: sim.reviews(repo, pr.number).length, asked: asked.users.length + asked.teams.length };
      write(`== ${title}\n`);
      const delivered = await sim.deliver(app!.webhookUrl, app!.secret, event, payload);
      write(`  delivery ${delivered.deliveryId}: the App answered ${delivered.status} after ${(delivered.ms / 1000).toFixed(1)} s\n`);
      show(write, sim, repo, pr.number, before);
      conclusions.push(sim.checkRuns(repo, { headSha: sim.pullRequest(repo, pr.number).head.sha }).at(-1)?.conclusion ?? null);
      write("\n");
    };

    await step("1. The pull request is opened: a refunds route and a refund call to the card processor", "pull_request", sim.pullRequestEvent(repo, pr.number, "opened"));
    await repo.pushToPullRequest(pr.number, demoFiles.revision(), "Model the refund flow and its threat");
    await step("2. The author revises threat-model.yml (a refund-request flow, a refund-fraud threat)", "pull_request", sim.pullRequestEvent(repo, pr.number, "synchronize"));
    const approval = sim.submitReview(repo, pr.number, { user: "alice", state: "APPROVED", body: "The refund flow and its threat look right." });
    await step("3. alice, a security champion, approves the model change", "pull_request_review", sim.reviewEvent(repo, pr.number, approval.id, "submitted"));

    const page = writePage(sim, repo, pr.number);
    write(`The pull request as GitHub would show it: ${page}\n`);
    write(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return { conclusions, page };
  } finally {
    await app?.stop();
    await sim.stop();
  }
}

function writePage(sim: GitHubSim, repo: SimRepo, number: number): string {
  const entries: PageEntry[] = [];
  for (const c of sim.comments(repo, number)) entries.push({ kind: "comment", author: c.user.login, when: c.updatedAt, markdown: c.body });
  for (const r of sim.reviews(repo, number)) {
    const inline = sim.reviewComments(repo, number).filter((c) => c.reviewId === r.id).map((c) => ({ path: c.path, line: c.line, markdown: c.body }));
    entries.push({ kind: r.state === "APPROVED" ? "approval" : "review", author: r.user.login, when: r.submittedAt ?? "", markdown: r.body, inline });
  }
  entries.sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : 0));
  const page: Page = {
    title: sim.pullRequest(repo, number).title ?? `Pull request #${number}`,
    repo: "acme/shop",
    number,
    entries,
    checks: sim.checkRuns(repo).map((c) => ({ name: c.name, conclusion: c.conclusion, title: c.output.title, summary: c.output.summary, headSha: c.headSha })),
  };
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, "index.html");
  writeFileSync(path, pageHtml(page));
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  runDemo().then(
    ({ conclusions }) => {
      // The demo worked when every step ended in a completed check run.
      process.exitCode = conclusions.every((c) => c !== null) ? 0 : 1;
    },
    (e: unknown) => {
      process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
