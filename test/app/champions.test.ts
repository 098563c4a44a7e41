/* eslint-disable @typescript-eslint/no-explicit-any -- webhook payloads are edited as plain JSON. */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentBody, readState } from "../../src/github/summary-comment.js";
import { SHOP_MODEL, replace } from "../helpers/models.js";
import { APP_ID, OWNER, REPO, STATE_KEY, deliveryId, example, pullRequestEvent, testProbot } from "./harness.js";
import { FakeGitHub, type PullFile } from "./fake-github.js";

const SCOPE = "acme/shop#7";
const BASE = "b".repeat(40);
const HEAD = "a".repeat(40);
const HEAD2 = "c".repeat(40);
const AUTHOR = "dana";

const routeFile: PullFile = { filename: "apps/web/src/routes/refunds.ts", status: "added", patch: "@@ -0,0 +1,2 @@\n+import { router } from \"./router\";\n+router.post(\"/refunds\", refund);" };
const revised = replace(SHOP_MODEL, "    name: Web app\n", "    name: Web app\n    description: Takes refund requests too.\n");
const modelFile: PullFile = { filename: "threat-model.yml", status: "modified", patch: "@@ -20,1 +20,2 @@\n     name: Web app\n+    description: Takes refund requests too." };

let gh: FakeGitHub;
let app: ReturnType<typeof testProbot>;

beforeEach(() => {
  nock.disableNetConnect();
  gh = new FakeGitHub(OWNER, REPO, APP_ID);
  gh.config = "mode: enforce\n";
  gh.commit(BASE, { "threat-model.yml": SHOP_MODEL });
  gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL });
  gh.commit(HEAD2, { "threat-model.yml": SHOP_MODEL });
  gh.teamMembers.set("acme/appsec", new Map([["carol", "active"], ["pat", "pending"]]));
  gh.pulls.set(7, { number: 7, state: "open", draft: false, updated_at: "2026-11-27T10:00:00Z", changed_files: 1, head: { sha: HEAD }, base: { sha: BASE, ref: "main" }, user: { login: AUTHOR, type: "User" } } as any);
  gh.install();
  app = testProbot();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function deliver(name: string, payload: Record<string, unknown>) {
  await app.ready;
  await app.probot.receive({ id: deliveryId(), name: name as "push", payload: gh.stamp(payload) as never });
}

const opened = (head = HEAD, updatedAt = "2026-11-27T10:00:00Z") => {
  const p = pullRequestEvent({ head, base: BASE, updatedAt, action: head === HEAD ? "opened" : "synchronize" });
  p["pull_request"].user.login = AUTHOR;
  return p;
};

function setHead(sha: string, updatedAt: string) {
  const pr = gh.pulls.get(7) as any;
  pr.head.sha = sha;
  pr.updated_at = updatedAt;
}

const latest = () => [...gh.checkRuns.values()].at(-1)!;

function reviewEvent(login: string, state: string, commit = HEAD, type = "User") {
  gh.submittedReviews.push({ id: gh.submittedReviews.length + 1, user: { login, type }, state, commit_id: commit, submitted_at: "2026-11-27T12:00:00Z" });
  const payload = example("pull_request_review", "submitted");
  payload["action"] = state === "DISMISSED" ? "dismissed" : "submitted";
  payload["repository"].name = REPO;
  payload["repository"].owner.login = OWNER;
  payload["pull_request"].number = 7;
  payload["review"].user.login = login;
  payload["review"].state = state.toLowerCase();
  return payload;
}

function commentEvent(login: string, body: string, type = "User") {
  const payload = example("issue_comment", "created");
  payload["repository"].name = REPO;
  payload["repository"].owner.login = OWNER;
  payload["issue"].number = 7;
  payload["issue"].pull_request = { url: "https://api.github.com/repos/acme/shop/pulls/7" };
  payload["comment"].id = 4242;
  payload["comment"].body = body;
  payload["comment"].user = { ...payload["comment"].user, login, type };
  payload["sender"] = { ...payload["sender"], login, type };
  return payload;
}

function buttonEvent(login: string, head = HEAD) {
  const payload = example("check_run", "requested_action");
  payload["repository"].name = REPO;
  payload["repository"].owner.login = OWNER;
  payload["check_run"].head_sha = head;
  payload["check_run"].app = { ...payload["check_run"].app, id: APP_ID };
  payload["check_run"].pull_requests = [{ number: 7, id: 7, url: "", head: { sha: head, ref: "x", repo: {} }, base: { sha: BASE, ref: "main", repo: {} } }];
  payload["requested_action"] = { identifier: "ack" };
  payload["sender"] = { ...payload["sender"], login, type: "User" };
  return payload;
}

async function openModelChange() {
  gh.commit(HEAD, { "threat-model.yml": revised });
  gh.files = [routeFile, modelFile];
  await deliver("pull_request", opened());
  expect(latest()).toMatchObject({ conclusion: "action_required" });
  expect(latest().output!.title).toBe("Threat model change awaits a security champion");
}

describe("a model change needs a champion's approval", () => {
  it("an approval from a listed champion turns the check green", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED"));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "success" });
    expect(gh.comments[0]!.body).toContain("The model change is approved by @alice");
  });

  it("an active member of a listed team counts", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("carol", "APPROVED"));
    expect(latest().conclusion).toBe("success");
  });

  it("a pending team invitation is not membership", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("pat", "APPROVED"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("a reviewer who is not a champion (a write collaborator, an admin, an owner) does not count", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("maintainer-bob", "APPROVED"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("the author approving their own model change does not count, even as a champion", async () => {
    gh.commit(BASE, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', `[alice, "@acme/appsec", ${AUTHOR}]`) });
    gh.commit(HEAD, { "threat-model.yml": revised.replace('[alice, "@acme/appsec"]', `[alice, "@acme/appsec", ${AUTHOR}]`) });
    gh.files = [routeFile, modelFile];
    await deliver("pull_request", opened());
    await deliver("pull_request_review", reviewEvent(AUTHOR, "APPROVED"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("a bot's approval does not count", async () => {
    gh.commit(BASE, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', '[alice, "@acme/appsec", "renovate"]') });
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("renovate[bot]", "APPROVED", HEAD, "Bot"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("a dismissed approval no longer counts", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED"));
    expect(latest().conclusion).toBe("success");
    await deliver("pull_request_review", reviewEvent("alice", "DISMISSED"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("an approval given on an older model does not hold after a push changes the model again", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED", HEAD));
    gh.commit(HEAD2, { "threat-model.yml": revised.replace("title: Shop", "title: Shop 2") });
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });

  it("a push that leaves the model alone and raises nothing new keeps the approval", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED", HEAD));
    gh.commit(HEAD2, { "threat-model.yml": revised });
    // What was pushed after the approval: a wording fix in the docs.
    gh.compareFiles.set(`${HEAD}...${HEAD2}`, [{ filename: "docs/refunds.md", status: "modified", patch: "@@ -1 +1 @@\n-Refunds take a day.\n+Refunds take two days." }]);
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "success" });
  });

  it("code pushed after the approval that raises a finding needs a new approval", async () => {
    await openModelChange();
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED", HEAD));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "success" });
    gh.commit(HEAD2, { "threat-model.yml": revised });
    const exec = "@@ -0,0 +1,2 @@\n+import { exec } from \"node:child_process\";\n+router.post(\"/refunds/run\", (req) => exec(req.body.cmd));";
    gh.compareFiles.set(`${HEAD}...${HEAD2}`, [{ filename: "apps/web/src/routes/run.ts", status: "added", patch: exec }]);
    gh.files = [...gh.files, { filename: "apps/web/src/routes/run.ts", status: "added", patch: exec }];
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });

  it("asks the champions for a review once per pull request, not on every push", async () => {
    await openModelChange();
    gh.commit(HEAD2, { "threat-model.yml": revised.replace("title: Shop", "title: Shop 2") });
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(gh.reviewRequests).toEqual([{ reviewers: ["alice"], team_reviewers: ["appsec"] }]);
  });

  it("request_reviews: false asks nobody", async () => {
    gh.config = "request_reviews: false\n";
    await openModelChange();
    expect(gh.reviewRequests).toEqual([]);
  });

  it("a model the pull request adds names no champion: its own listed 'champion' cannot approve it", async () => {
    gh.contents.get(BASE)!.delete("threat-model.yml");
    gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', "[mallory]") });
    gh.files = [routeFile, { filename: "threat-model.yml", status: "added", patch: "@@ -0,0 +1 @@\n+version: 1" }];
    await deliver("pull_request", opened());
    await deliver("pull_request_review", reviewEvent("mallory", "APPROVED"));
    expect(latest()).toMatchObject({ conclusion: "action_required" });
    expect(latest().output!.title).toBe("Threat model change awaits a security champion");
    expect(gh.comments[0]!.body).toContain("No champions are listed in the default branch's model yet");
  });

  it("an approval accepts the model change but not a finding it leaves uncovered", async () => {
    // The change deletes the web component from the model and adds a route to it.
    const entry = (id: string) => new RegExp(`^ {2}- id: ${id}\\n(?: {4}.*\\n)+`, "m");
    const withoutWeb = ["web", "login", "web-payments", "login-stuffing"].reduce((m, id) => m.replace(entry(id), ""), SHOP_MODEL);
    gh.commit(HEAD, { "threat-model.yml": withoutWeb });
    gh.files = [routeFile, modelFile];
    await deliver("pull_request", opened());
    await deliver("pull_request_review", reviewEvent("alice", "APPROVED"));
    expect(latest()).toMatchObject({ conclusion: "action_required" });
    expect(latest().output!.title).toBe("Revisit the threat model: 1 open finding");
  });
});

describe("acknowledging findings without a model change", () => {
  beforeEach(() => {
    gh.files = [routeFile];
  });

  it("a champion's /threat-model ack with a reason turns the check green, is recorded and is heard", async () => {
    await deliver("pull_request", opened());
    expect(latest().conclusion).toBe("action_required");
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack the refunds route sits behind the support VPN"));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "success" });
    expect(latest().output!.title).toBe("Acknowledged by @alice");
    const body = gh.comments[0]!.body;
    expect(body.replace(/\\/g, "")).toContain("@alice acknowledged 1 finding at `aaaaaaaaaaaa` on 2026-11-27 12:00 UTC: the refunds route sits behind the support VPN");
    expect(readState(body, STATE_KEY, SCOPE)!.acks).toHaveLength(1);
    expect(gh.reactions).toEqual([{ comment_id: 4242, content: "+1" }]);
  });

  it("a team member can acknowledge", async () => {
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("carol", "/threat-model ack accepted risk, see SEC-40"));
    expect(latest().conclusion).toBe("success");
  });

  it("an ack without a reason changes nothing and gets the usage", async () => {
    await deliver("pull_request", opened());
    const before = gh.checkRuns.size;
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack"));
    expect(gh.checkRuns.size).toBe(before);
    expect(gh.comments.at(-1)!.body).toContain("An acknowledgement needs a reason");
    expect(gh.reactions).toEqual([{ comment_id: 4242, content: "eyes" }]);
  });

  it("a stranger's ack changes nothing and is told who may acknowledge", async () => {
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("mallory", "/threat-model ack trust me"));
    expect(latest().conclusion).toBe("action_required");
    expect(gh.comments.at(-1)!.body).toBe("@mallory, nothing was acknowledged: only the security champions listed in the default branch's threat model can acknowledge: @acme/appsec, @alice.");
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.acks).toEqual([]);
  });

  it("the author cannot acknowledge their own findings, even as a champion", async () => {
    gh.commit(BASE, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', `[alice, "@acme/appsec", ${AUTHOR}]`) });
    gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', `[alice, "@acme/appsec", ${AUTHOR}]`) });
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent(AUTHOR, "/threat-model ack mine"));
    expect(latest().conclusion).toBe("action_required");
    expect(gh.comments.at(-1)!.body).toContain("cannot acknowledge findings on their own pull request");
  });

  it("a fork that adds its author to champions gains nothing: mallory's ack and approval are refused", async () => {
    gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL.replace('[alice, "@acme/appsec"]', '[alice, "@acme/appsec", mallory]') });
    gh.files = [routeFile, { filename: "threat-model.yml", status: "modified", patch: "@@ -4 +4 @@\n-champions: [alice]\n+champions: [alice, mallory]" }];
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("mallory", "/threat-model ack fine"));
    await deliver("pull_request_review", reviewEvent("mallory", "APPROVED"));
    expect(latest().conclusion).toBe("action_required");
  });

  it("bots cannot command the App", async () => {
    await deliver("pull_request", opened());
    const before = gh.requests.length;
    await deliver("issue_comment", commentEvent("helper[bot]", "/threat-model ack automated", "Bot"));
    expect(gh.requests.length).toBe(before);
  });

  it("the Acknowledge button works for a champion", async () => {
    await deliver("pull_request", opened());
    expect(latest().output).toBeDefined();
    await deliver("check_run", buttonEvent("alice"));
    expect(latest()).toMatchObject({ conclusion: "success" });
    expect(latest().output!.title).toBe("Acknowledged by @alice");
  });

  it("the Acknowledge button does nothing for anyone else, and the summary says who may acknowledge", async () => {
    await deliver("pull_request", opened());
    const before = gh.requests.filter((r) => r.method !== "GET").length;
    await deliver("check_run", buttonEvent("mallory"));
    expect(latest().conclusion).toBe("action_required");
    expect(latest().output!.summary).toContain("ask @acme/appsec or @alice to acknowledge");
    // The stranger's click re-ran the review but wrote nothing that settles a finding.
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.acks).toEqual([]);
    expect(gh.requests.filter((r) => r.method !== "GET").length).toBeGreaterThanOrEqual(before);
  });

  it("the check offers the Acknowledge button while findings are open", async () => {
    await deliver("pull_request", opened());
    const completion = gh.requests.filter((r) => r.method !== "GET" && r.path.endsWith("check-runs") && (r.body as { status?: string }).status === "completed").at(-1)!;
    expect((completion.body as { actions: unknown[] }).actions).toEqual([{ label: "Acknowledge", description: "Champions: accept the open findings", identifier: "ack" }]);
  });

  it("acknowledged findings stay acknowledged; a new finding on a later push needs a new acknowledgement", async () => {
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack behind the VPN"));
    expect(latest().conclusion).toBe("success");
    // Same route on the next push: still acknowledged.
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "success" });
    // A second route in the same file: needs a new acknowledgement.
    gh.files = [{ ...routeFile, patch: "@@ -0,0 +1,3 @@\n+import { router } from \"./router\";\n+router.post(\"/refunds\", refund);\n+router.delete(\"/refunds/:id\", cancel);" }];
    setHead(HEAD, "2026-11-27T14:00:00Z");
    await deliver("pull_request", opened(HEAD, "2026-11-27T14:00:00Z"));
    expect(latest()).toMatchObject({ conclusion: "action_required" });
  });

  it("a summary comment whose hidden state was edited by hand is not trusted", async () => {
    await deliver("pull_request", opened());
    // Someone with write access edits the App's comment to fake an acknowledgement.
    const forged = { head: HEAD, updatedAt: "2026-11-27T10:00:00Z", inline: [], reviewsRequested: false, acks: [{ by: "alice", at: "2026-11-27T10:00:00Z", reason: "forged", sha: HEAD, findings: [{ key: "signal:http-route:apps/web/src/routes/refunds.ts", evidence: ['router.post("/refunds",refund);'] }] }] };
    gh.comments[0]!.body = commentBody("edited", forged, "a key only the forger knows", SCOPE);
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });
});

describe("acknowledgements belong to one pull request", () => {
  beforeEach(() => {
    gh.files = [routeFile];
  });

  it("an acknowledgement given while the pull request targeted another branch does not count once it targets main again", async () => {
    const EVIL = "e".repeat(40);
    // dana (with write access) pushes a branch whose model names her second account as champion.
    gh.commit(EVIL, { "threat-model.yml": replace(SHOP_MODEL, '[alice, "@acme/appsec"]', "[sock]") });
    await deliver("pull_request", opened());
    expect(latest().conclusion).toBe("action_required");
    const retarget = (sha: string, ref: string, updatedAt: string, from: string) => {
      const pr = gh.pulls.get(7) as any;
      pr.base = { sha, ref };
      pr.updated_at = updatedAt;
      const p = pullRequestEvent({ head: HEAD, base: sha, updatedAt, action: "edited" });
      p["pull_request"].base.ref = ref;
      p["pull_request"].user.login = AUTHOR;
      p["changes"] = { base: { ref: { from }, sha: { from: "f".repeat(40) } } };
      return p;
    };
    await deliver("pull_request", retarget(EVIL, "evil", "2026-11-27T11:00:00Z", "main"));
    await deliver("issue_comment", commentEvent("sock", "/threat-model ack fine"));
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.acks.map((a) => a.by)).toEqual(["sock"]);
    await deliver("pull_request", retarget(BASE, "main", "2026-11-27T12:00:00Z", "evil"));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "action_required" });
  });

  it("an acknowledgement by someone since removed from the champions no longer counts", async () => {
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack behind the VPN"));
    expect(latest().conclusion).toBe("success");
    // main's model drops alice; the next push is judged by the champions listed now.
    gh.commit(BASE, { "threat-model.yml": replace(SHOP_MODEL, '[alice, "@acme/appsec"]', '["@acme/appsec"]') });
    setHead(HEAD2, "2026-11-27T13:00:00Z");
    await deliver("pull_request", opened(HEAD2, "2026-11-27T13:00:00Z"));
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });

  it("a state copied from another pull request's comment does not verify there", async () => {
    await deliver("pull_request", opened());
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack behind the VPN"));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "success" });
    const body = gh.comments[0]!.body;
    expect(readState(body, STATE_KEY, SCOPE)!.acks).toHaveLength(1);
    expect(readState(body, STATE_KEY, "acme/shop#9")).toBeNull();
    expect(readState(body, STATE_KEY, "acme/other#7")).toBeNull();
    // Pull request #9 shows #7's comment, state and all (pasted by someone with write access).
    const nine = pullRequestEvent({ number: 9, head: HEAD2, base: BASE, updatedAt: "2026-11-27T10:00:00Z" });
    nine["pull_request"].user.login = AUTHOR;
    await deliver("pull_request", nine);
    expect(latest()).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });
});

describe("other commands", () => {
  beforeEach(() => {
    gh.files = [routeFile];
  });

  it("/threat-model recheck recomputes now and reacts", async () => {
    await deliver("issue_comment", commentEvent("dana", "please\n/threat-model recheck"));
    expect(gh.checkRuns.size).toBe(1);
    expect(gh.reactions).toEqual([{ comment_id: 4242, content: "+1" }]);
  });

  it("/threat-model explain posts the full report with questions for every touched flow", async () => {
    await deliver("issue_comment", commentEvent("dana", "/threat-model explain"));
    const explained = gh.comments.find((c) => c.body.includes("threat-model-review:explain"))!;
    expect(explained.body).toContain("### Threat model review: the full report");
    expect(explained.body).toContain("web-payments");
    expect(gh.reactions).toEqual([{ comment_id: 4242, content: "+1" }]);
  });

  it("an unknown command gets a short help reply", async () => {
    await deliver("issue_comment", commentEvent("dana", "/threat-model approve-everything"));
    expect(gh.checkRuns.size).toBe(0);
    expect(gh.comments.at(-1)!.body).toContain("`/threat-model approve-everything` is not a command I know");
    expect(gh.comments.at(-1)!.body).toContain("/threat-model ack <reason>");
    expect(gh.reactions).toEqual([{ comment_id: 4242, content: "eyes" }]);
  });

  it("a 100 KB comment is read only as far as its command", async () => {
    await deliver("issue_comment", commentEvent("dana", `/threat-model recheck\n${"x".repeat(100_000)}`));
    expect(gh.checkRuns.size).toBe(1);
  });

  it("comments without a command, and comments on issues, are ignored", async () => {
    await deliver("issue_comment", commentEvent("dana", "looks good to me"));
    const onIssue = commentEvent("dana", "/threat-model recheck");
    delete onIssue["issue"].pull_request;
    await deliver("issue_comment", onIssue);
    expect(gh.requests).toEqual([]);
  });
});

describe("health on pushes to the default branch", () => {
  function push(ref = "refs/heads/main", after = HEAD) {
    const payload = example("push");
    payload["repository"].name = REPO;
    payload["repository"].owner = { ...payload["repository"].owner, login: OWNER, name: OWNER };
    payload["repository"].default_branch = "main";
    payload["ref"] = ref;
    payload["after"] = after;
    payload["deleted"] = false;
    return payload;
  }

  it("puts a Threat model health check run on the pushed commit", async () => {
    gh.config = "max_age_days: 30\n";
    gh.commit(HEAD, { "threat-model.yml": `${SHOP_MODEL}  - id: open-one\n    title: Refund abuse\n    targets: [web]\n    likelihood: high\n    impact: very-high\n    status: open\n  - id: open-two\n    title: Log leak\n    targets: [payments]\n    likelihood: low\n    impact: low\n` });
    gh.trees.set(HEAD, [
      { path: "apps/web/src/a.ts", sha: "1".repeat(40) },
      { path: "services/payments/x.go", sha: "2".repeat(40) },
      { path: "tools/gen.py", sha: "3".repeat(40) },
      { path: "docs/a.md", sha: "4".repeat(40) },
    ]);
    await deliver("push", push());
    const check = latest();
    expect(check).toMatchObject({ name: "Threat model health", head_sha: HEAD, conclusion: "neutral" });
    const summary = check.output!.summary;
    expect(summary).toContain("Reviews past 30 days");
    expect(summary).toContain("component `web` Web app: reviewed 2026-10-01, 57 days ago");
    expect(summary.indexOf("`open-one`")).toBeLessThan(summary.indexOf("`open-two`"));
    expect(summary).toContain("| `open-one` Refund abuse | very-high (high × very-high) | open | `web` |");
    expect(summary).toContain("Top-level folders outside the model");
    expect(summary).toContain("`tools`");
    expect(summary).not.toContain("`docs`");
  });

  it("an invalid model on the default branch is a failure with annotations", async () => {
    gh.commit(HEAD, { "threat-model.yml": replace(SHOP_MODEL, "    zone: internet", "    zone: nowhere") });
    await deliver("push", push());
    expect(latest()).toMatchObject({ name: "Threat model health", conclusion: "failure" });
    expect(latest().annotations).toEqual([expect.objectContaining({ path: "threat-model.yml", start_line: 18 })]);
  });

  it("pushes to other branches are not checked", async () => {
    await deliver("push", push("refs/heads/feature"));
    expect(gh.requests).toEqual([]);
  });
});

describe("what the App remembers never outvotes GitHub", () => {
  beforeEach(() => {
    gh.files = [routeFile];
  });

  it("an acknowledgement survives a failure to remember the comment that records it", async () => {
    await deliver("pull_request", opened());
    expect(latest().conclusion).toBe("action_required");
    // The memo store (Redis, in a deployment) fails from now on for the comment.
    const remember = app.coordinator.remember.bind(app.coordinator);
    app.coordinator.remember = async (key, value) => {
      if (key.startsWith("comment:")) throw new Error("connection lost");
      return remember(key, value);
    };
    await deliver("issue_comment", commentEvent("alice", "/threat-model ack the refunds route sits behind the support VPN"));
    expect(latest()).toMatchObject({ conclusion: "success" });
    // The comment was written: the check must not say otherwise.
    expect(latest().output!.summary).not.toContain("could not be written");
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.acks).toHaveLength(1);
    // The next event on the same head still sees the acknowledgement.
    await deliver("pull_request", pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T10:00:00Z" }));
    expect(latest()).toMatchObject({ head_sha: HEAD, conclusion: "success" });
  });
});
