import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SUMMARY_MARKER, readState } from "../../src/github/summary-comment.js";
import { SHOP_MODEL, replace } from "../helpers/models.js";
import { APP_ID, OWNER, REPO, STATE_KEY, deliveryId, example, pullRequestEvent, testProbot } from "./harness.js";
import { FakeGitHub, type PullFile } from "./fake-github.js";

const SCOPE = "acme/shop#7";
const BASE = "b".repeat(40);
const HEAD = "a".repeat(40);
const HEAD2 = "c".repeat(40);

const ROUTE_PATCH = "@@ -1,2 +1,4 @@\n import { Router } from \"express\";\n+\n+router.post(\"/refunds\", refund);\n export const r = 1;";
const routeFile: PullFile = { filename: "apps/web/src/routes/refunds.ts", status: "modified", patch: ROUTE_PATCH };
const plainFile: PullFile = { filename: "apps/web/src/cart.ts", status: "modified", patch: "@@ -1 +1,2 @@\n const a = 1;\n+const b = 2;" };
const flowFile: PullFile = { filename: "services/payments/src/processor.ts", status: "modified", patch: "@@ -1 +1,2 @@\n const a = 1;\n+const timeoutMs = 5000;" };

let gh: FakeGitHub;

beforeEach(() => {
  nock.disableNetConnect();
  gh = new FakeGitHub(OWNER, REPO, APP_ID);
  gh.config = "mode: enforce\n";
  gh.commit(BASE, { "threat-model.yml": SHOP_MODEL });
  gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL });
  gh.commit(HEAD2, { "threat-model.yml": SHOP_MODEL });
  gh.install();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function deliver(payload: Record<string, unknown>, id = deliveryId(), name = "pull_request") {
  const { probot, ready } = current ?? (current = testProbot());
  await ready;
  await probot.receive({ id, name: name as "pull_request", payload: gh.stamp(payload) as never });
}
let current: ReturnType<typeof testProbot> | undefined;
beforeEach(() => {
  current = testProbot();
});

const run = () => [...gh.checkRuns.values()];
const writes = () => gh.requests.filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"));

describe("a pull request that needs the model revisited", () => {
  it("blocks with action_required, annotates, comments once and prompts inline", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));

    const [check] = run();
    expect(check).toMatchObject({ name: "Threat model", head_sha: HEAD, status: "completed", conclusion: "action_required" });
    expect(check!.output!.title).toBe("Revisit the threat model: 1 open finding");
    expect(check!.output!.summary).toMatch(/^⚠️ \*\*Revisit the threat model\*\*/);
    expect(check!.annotations).toEqual([
      expect.objectContaining({ path: "apps/web/src/routes/refunds.ts", start_line: 3, end_line: 3, annotation_level: "warning", title: "Express-style route" }),
    ]);
    // A quick review writes its run once, already completed.
    const checkWrites = gh.requests.filter((r) => r.method !== "GET" && r.path.includes("/check-runs"));
    expect(checkWrites).toHaveLength(1);
    expect(checkWrites[0]!.body).toMatchObject({ status: "completed", conclusion: "action_required", head_sha: HEAD });

    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(gh.comments[0]!.body).toContain("### Threat model review");
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)).toMatchObject({ head: HEAD, updatedAt: "2026-11-27T10:00:00Z" });

    expect(gh.reviews).toHaveLength(1);
    expect(gh.reviews[0]).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
    expect(gh.reviews[0]!.comments).toEqual([
      { path: "apps/web/src/routes/refunds.ts", line: 3, side: "RIGHT", body: expect.stringContaining("Who can call this new endpoint") },
    ]);
  });

  it("a first event (under 100 files, no earlier comment) costs 6 REST requests, the token included", async () => {
    // With a config file and a medium finding (no inline prompt). Repeat events revalidate
    // the config and model for free: see test/sim/api-economy.test.ts.
    gh.files = [flowFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("action_required");
    expect(gh.comments).toHaveLength(1);
    const installation = installationOf();
    expect(gh.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`)).toEqual([
      `POST /app/installations/${installation}/access_tokens`,
      "GET /repos/acme/shop/contents/.github/threat-model-review.yml",
      "GET /repos/acme/shop/pulls/7/files",
      "GET /repos/acme/shop/contents/threat-model.yml",
      // The check run first (what a merge waits for), then the conversation.
      "POST /repos/acme/shop/check-runs",
      "POST /repos/acme/shop/issues/7/comments",
    ]);
  });

  it("request counts for the other typical shapes", async () => {
    const count = async (config: string | null, files: PullFile[]) => {
      gh.requests.length = 0;
      gh.comments.length = 0;
      gh.config = config;
      gh.files = files;
      current = testProbot();
      await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
      return gh.count();
    };
    // No config file: Probot also looks in the owner's .github repository.
    expect(await count(null, [flowFile])).toBe(7);
    // A high-severity finding adds the one review that holds the inline prompts.
    expect(await count("mode: enforce\n", [routeFile])).toBe(7);
    // Both.
    expect(await count(null, [routeFile])).toBe(8);
    // A pass writes no comment.
    expect(await count("mode: enforce\n", [plainFile])).toBe(5);
  });

  it("a push that revises the model covers the finding; the change then awaits a champion, and the comment is edited, not duplicated", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const revised = replace(SHOP_MODEL, "    name: Web app\n", "    name: Web app\n    description: Now also takes refund requests.\n");
    gh.commit(HEAD2, { "threat-model.yml": revised });
    gh.files = [routeFile, { filename: "threat-model.yml", status: "modified", patch: "@@ -20,1 +20,2 @@\n     name: Web app\n+    description: Now also takes refund requests." }];
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));

    const second = run().find((c) => c.head_sha === HEAD2)!;
    // The finding is covered, but a model change needs a champion's approval first.
    expect(second.conclusion).toBe("action_required");
    expect(second.output!.title).toBe("Threat model change awaits a security champion");
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain("✅ **Pass**");
    expect(gh.comments[0]!.body).toContain("awaits a security champion's approval");
    expect(gh.comments[0]!.body).toContain("changed component `web`");
    expect(gh.reviews).toHaveLength(1); // no new prompt
  });

  it("advisory mode reports revisit as neutral", async () => {
    gh.config = "mode: advisory\n";
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("neutral");
  });

  it("a configured check name is used", async () => {
    gh.config = "check_name: Security model\n";
    gh.files = [plainFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.name).toBe("Security model");
  });
});

function installationOf(): number {
  return pullRequestEvent({ head: HEAD, base: BASE })["installation"].id as number;
}

describe("verdicts on the check run", () => {
  it("pass: success and no comment", async () => {
    gh.files = [plainFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]).toMatchObject({ conclusion: "success" });
    expect(run()[0]!.output!.title).toBe("No threat-model impact");
    expect(gh.comments).toEqual([]);
    expect(gh.reviews).toEqual([]);
  });

  it("no model: neutral, no comment, and the summary says how to start one", async () => {
    gh.contents.clear();
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]).toMatchObject({ conclusion: "neutral" });
    expect(run()[0]!.output!.title).toBe("No threat model in this repository");
    expect(run()[0]!.output!.summary).toContain("threat-model-review validate");
    expect(gh.comments).toEqual([]);
  });

  it("invalid model: failure with annotations on the model's lines, and one comment across pushes", async () => {
    const broken = replace(SHOP_MODEL, "    zone: internet", "    zone: outside");
    gh.commit(HEAD, { "threat-model.yml": broken });
    gh.commit(HEAD2, { "threat-model.yml": broken });
    gh.files = [{ filename: "threat-model.yml", status: "modified", patch: "@@ -18 +18 @@\n-    zone: internet\n+    zone: outside" }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    const check = run().find((c) => c.head_sha === HEAD)!;
    expect(check.conclusion).toBe("failure");
    expect(check.annotations).toEqual([
      expect.objectContaining({ path: "threat-model.yml", start_line: 18, annotation_level: "failure", message: expect.stringContaining('zone "outside" does not exist') }),
    ]);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain("Invalid threat model");
  });

  it("an invalid config is a failure that says where, not a silent default", async () => {
    gh.config = "mode: strict\nmax_inline_comments: lots\n";
    gh.files = [plainFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const check = run()[0]!;
    expect(check.conclusion).toBe("failure");
    expect(check.output!.summary).toContain("`.github/threat-model-review.yml:1:7`");
    expect(check.output!.summary).toContain("`.github/threat-model-review.yml:2:22`");
  });

  it("a model change with nothing else to say still gets a comment listing it", async () => {
    const revised = replace(SHOP_MODEL, "title: Shop", "title: Shop checkout");
    gh.commit(HEAD, { "threat-model.yml": revised });
    gh.files = [{ filename: "threat-model.yml", status: "modified", patch: "@@ -2 +2 @@\n-title: Shop\n+title: Shop checkout" }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("action_required");
    expect(run()[0]!.output!.title).toBe("Threat model change awaits a security champion");
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain("changed model field `title`");
  });
});

describe("policy comes from the base side", () => {
  it("a fork whose head model drops the touched component and adds its author as champion is still asked to revisit", async () => {
    // The head deletes the web component (and what refers to it) and adds its author to champions.
    const entry = (id: string) => new RegExp(`^ {2}- id: ${id}\\n(?: {4}.*\\n)+`, "m");
    const hostile = ["web", "login", "web-payments", "login-stuffing"]
      .reduce((m, id) => m.replace(entry(id), ""), SHOP_MODEL)
      .replace('champions: [alice, "@acme/appsec"]', 'champions: [alice, "@acme/appsec", mallory]');
    gh.commit(HEAD, { "threat-model.yml": hostile });
    gh.files = [routeFile, { filename: "threat-model.yml", status: "modified", patch: "@@ -4 +4 @@\n-champions: [alice]\n+champions: [alice, mallory]" }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE, fork: true, sender: "mallory" }));
    const check = run()[0]!;
    expect(check.conclusion).toBe("action_required");
    // The web component still owns the route file (the base maps it), and the head's removal covers nothing.
    expect(check.output!.summary).toContain("Express\\-style route");
    // The fork's head model was read through the base repository.
    expect(gh.requests.some((r) => r.path === `/repos/acme/shop/contents/threat-model.yml?ref=${HEAD}`)).toBe(true);
    // Champions shown are the base's.
    expect(gh.comments[0]!.body).toContain("ask @acme/appsec or @alice to acknowledge");
    expect(gh.comments[0]!.body).not.toContain("@mallory");
  });

  it("a config file changed in the pull request is not read: the default branch's applies", async () => {
    gh.config = "mode: enforce\n";
    gh.files = [routeFile, { filename: ".github/threat-model-review.yml", status: "modified", patch: "@@ -1 +1 @@\n-mode: enforce\n+mode: advisory" }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("action_required");
    expect(gh.requests.filter((r) => r.path.includes("threat-model-review.yml")).every((r) => !r.path.includes("ref="))).toBe(true);
  });
});

describe("ordering and idempotency", () => {
  it("the same delivery twice posts nothing new", async () => {
    gh.files = [routeFile];
    const id = deliveryId();
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }), id);
    const before = gh.requests.length;
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }), id);
    expect(gh.requests.length).toBe(before);
    expect(gh.comments).toHaveLength(1);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.checkRuns.size).toBe(1);
  });

  it("an older push arriving after a newer one completes its own check but leaves the newer comment alone", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T12:00:00Z" }));
    const comment = gh.comments[0]!.body;
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(run().map((c) => [c.head_sha, c.status])).toEqual([[HEAD2, "completed"], [HEAD, "completed"]]);
    // The late, older push gets a completed check that says it was superseded, not a review.
    expect(run()[1]).toMatchObject({ conclusion: "neutral", output: { title: "Superseded by a newer push" } });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe(comment);
    expect(readState(comment, STATE_KEY, SCOPE)!.head).toBe(HEAD2);
    expect(gh.reviews.map((r) => r.commit_id)).toEqual([HEAD2]);
  });

  it("the older push loses even in another process: the comment's own state orders them", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T12:00:00Z" }));
    current = testProbot(); // a fresh process: no memory of the newer delivery
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(gh.comments).toHaveLength(1);
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.head).toBe(HEAD2);
  });

  it("the App's own comments, and any bot's, start nothing", async () => {
    const { example } = await import("./harness.js");
    const payload = example("issue_comment", "created");
    payload["sender"] = { ...payload["sender"], login: "threat-model-review[bot]", type: "Bot" };
    await deliver(payload, deliveryId(), "issue_comment");
    expect(gh.requests).toEqual([]);
  });

  it("an edit that does not change the base branch does nothing", async () => {
    const payload = pullRequestEvent({ action: "edited", head: HEAD, base: BASE });
    payload["changes"] = { title: { from: "old title" } };
    await deliver(payload);
    expect(gh.requests).toEqual([]);
  });

  it("an edit that moves the pull request to another base is reviewed again", async () => {
    gh.files = [plainFile];
    const payload = pullRequestEvent({ action: "edited", head: HEAD, base: BASE });
    payload["changes"] = { base: { ref: { from: "develop" }, sha: { from: "d".repeat(40) } } };
    await deliver(payload);
    expect(run()).toHaveLength(1);
  });
});

describe("what the App remembers", () => {
  it("an older event for the head already reviewed is not called superseded", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(run().at(-1)).toMatchObject({ head_sha: HEAD, conclusion: "action_required" });
    // A late delivery made before the last one, for the same commit: it describes that commit too.
    await deliver(pullRequestEvent({ action: "reopened", head: HEAD, base: BASE, updatedAt: "2026-11-27T10:00:00Z" }));
    expect(run().filter((c) => c.output?.title === "Superseded by a newer push")).toEqual([]);
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T12:00:00Z" }));
    expect(run().at(-1)).toMatchObject({ head_sha: HEAD, conclusion: "action_required" });
  });

  it("a summary comment someone deleted is written again on the next event", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const deleted = gh.comments.splice(0)[0]!;
    await deliver(commentChanged("deleted", deleted, "dana"), deliveryId(), "issue_comment");
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE }));
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain(SUMMARY_MARKER);
  });

  it("a summary comment someone edited is put back; the App's own edits change nothing", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const ours = gh.comments[0]!;
    const original = ours.body;
    // The App's own edit arrives as an event too: it must not make the App read comments again.
    await deliver(commentChanged("edited", ours, "threat-model-review[bot]"), deliveryId(), "issue_comment");
    const before = gh.requests.length;
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE }));
    expect(gh.requests.slice(before).filter((r) => r.method === "GET" && /\/issues\/\d+\/comments/.test(r.path))).toEqual([]);
    // A person rewrites it: the next event restores what the App wrote.
    ours.body = original.replace("Revisit", "All fine, merge it");
    await deliver(commentChanged("edited", ours, "mallory"), deliveryId(), "issue_comment");
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE }));
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe(original);
  });

  it("a recheck reads the comment from GitHub, so a deletion is repaired even when its event was missed", async () => {
    gh.files = [routeFile];
    gh.pulls.set(7, { number: 7, state: "open", draft: false, updated_at: "2026-11-27T10:00:00Z", changed_files: 1, head: { sha: HEAD }, base: { sha: BASE, ref: "main" } });
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    gh.comments.splice(0);
    const recheck = example("issue_comment", "created");
    recheck["repository"].name = REPO;
    recheck["repository"].owner.login = OWNER;
    recheck["issue"].number = 7;
    recheck["issue"].pull_request = { url: "https://api.github.com/repos/acme/shop/pulls/7" };
    recheck["comment"].body = "/threat-model recheck";
    recheck["comment"].user = { ...recheck["comment"].user, login: "dana", type: "User" };
    recheck["sender"] = { ...recheck["sender"], login: "dana", type: "User" };
    await deliver(recheck, deliveryId(), "issue_comment");
    expect(gh.comments.filter((c) => c.body.includes(SUMMARY_MARKER))).toHaveLength(1);
  });

  it("the base model is read at the base branch named in full, and at the base commit once the branch is gone", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const refs = gh.requests.filter((r) => r.path.startsWith(`/repos/${OWNER}/${REPO}/contents/threat-model.yml`)).map((r) => new URLSearchParams(r.path.split("?")[1]).get("ref"));
    // A tag called "main" could otherwise stand in for the branch.
    expect(refs).toEqual(["refs/heads/main"]);
    gh.goneBranches.add("main");
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(run().at(-1)).toMatchObject({ head_sha: HEAD2, conclusion: "action_required" });
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook payloads are plain JSON.
function commentChanged(action: "edited" | "deleted", comment: { id: number; body: string; user: { login: string; type: string } }, by: string): Record<string, any> {
  const payload = example("issue_comment", "created");
  payload["action"] = action;
  payload["repository"].name = REPO;
  payload["repository"].owner.login = OWNER;
  payload["issue"].number = 7;
  payload["issue"].pull_request = { url: "https://api.github.com/repos/acme/shop/pulls/7" };
  payload["comment"] = { ...payload["comment"], id: comment.id, body: comment.body, user: { ...payload["comment"].user, ...comment.user }, performed_via_github_app: { id: APP_ID } };
  payload["sender"] = { ...payload["sender"], login: by, type: by.endsWith("[bot]") ? "Bot" : "User" };
  return payload;
}

describe("one commit, several pull requests", () => {
  const OLD = "d".repeat(40);
  const into = (number: number, ref: string, sha: string) => {
    const p = pullRequestEvent({ number, head: HEAD, base: sha, updatedAt: "2026-11-27T11:00:00Z" });
    p["pull_request"].base.ref = ref;
    return p;
  };
  const named = (name: string) => run().filter((c) => c.head_sha === HEAD && c.name === name);

  it("a second pull request with the same head, into a branch without a model, cannot overwrite the required check", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(named("Threat model").at(-1)).toMatchObject({ conclusion: "action_required" });
    // The author opens #8 from the same branch into one they pushed, with no threat model.
    gh.commit(OLD, {});
    await deliver(into(8, "old", OLD));
    expect(named("Threat model (into old)").at(-1)).toMatchObject({ conclusion: "neutral" });
    // What branch protection on main reads is untouched.
    expect(named("Threat model")).toHaveLength(1);
    expect(named("Threat model").at(-1)).toMatchObject({ conclusion: "action_required" });
  });

  it("protected_branches gives pull requests into those branches the configured name", async () => {
    gh.config = "mode: enforce\nprotected_branches: [\"release/*\"]\n";
    gh.files = [routeFile];
    gh.commit(OLD, { "threat-model.yml": SHOP_MODEL });
    await deliver(into(9, "release/1.0", OLD));
    expect(named("Threat model").at(-1)).toMatchObject({ conclusion: "action_required" });
  });
});

describe("files", () => {
  it("follows pagination: a 133-file pull request whose route is on the second page", async () => {
    gh.files = Array.from({ length: 132 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: "added", patch: "@@ -0,0 +1 @@\n+hello" }));
    gh.files.push(routeFile);
    await deliver(pullRequestEvent({ head: HEAD, base: BASE, changedFiles: 133 }));
    expect(gh.requests.filter((r) => r.path.includes("/pulls/7/files")).map((r) => r.path.replace(/^.*\?/, ""))).toEqual(["per_page=100", "per_page=100&page=2"]);
    expect(run()[0]!.conclusion).toBe("action_required");
  });

  it("files without a patch are mapped but reported as not scanned, and the pass says it is partial", async () => {
    gh.files = [{ filename: "apps/web/public/logo.png", status: "added" }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]).toMatchObject({ conclusion: "success" });
    expect(run()[0]!.output!.title).toBe("Pass on scanned files; 1 file not scanned");
    const summary = run()[0]!.output!.summary;
    expect(summary).toMatch(/^✅ \*\*Pass on the scanned files\*\*: nothing found, but 1 changed file was not scanned for signals/);
    expect(summary).toContain("Not scanned for signals (1)");
    expect(summary).toContain("`apps/web/public/logo.png`: GitHub shows no diff for it \\(binary or too large\\)");
  });

  it("over 3,000 files: the rest come from the git trees and the report says signals covered only the first 3,000", async () => {
    gh.files = Array.from({ length: 3000 }, (_, i) => ({ filename: `apps/web/gen/f${i}.ts`, status: "added", patch: "@@ -0,0 +1 @@\n+export {};" }));
    const listedTree = gh.files.map((f, i) => ({ path: f.filename, sha: `${i}`.padStart(40, "0") }));
    gh.trees.set(BASE, [{ path: "README.md", sha: "1".repeat(40) }]);
    gh.trees.set(HEAD, [
      { path: "README.md", sha: "1".repeat(40) },
      ...listedTree,
      ...Array.from({ length: 500 }, (_, i) => ({ path: `scripts/extra-${i}.sh`, sha: `${i}`.padStart(40, "9") })),
    ]);
    await deliver(pullRequestEvent({ head: HEAD, base: BASE, changedFiles: 3500 }));
    const summary = run()[0]!.output!.summary.replace(/\\/g, "");
    expect(summary).toContain("This change touches 3,500 files; GitHub lists diffs for the first 3,000 only. The other 500 were mapped");
    expect(summary).toContain("Files outside the model (500)");
  });
});

describe("failures", () => {
  it("a 500 from GitHub is retried and the review completes", async () => {
    current = testProbot({ retries: 2 });
    gh.files = [routeFile];
    gh.fail(/\/pulls\/7\/files$/, 500, 1);
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("action_required");
    expect(gh.requests.filter((r) => r.path.includes("/pulls/7/files"))).toHaveLength(2);
  });

  it("GitHub failing for good ends the check run as a failure with the reason and request id", async () => {
    gh.files = [routeFile];
    gh.fail(/\/pulls\/7\/files$/, 502, Infinity);
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const check = run()[0]!;
    expect(check.conclusion).toBe("failure");
    expect(check.output!.title).toBe("Threat model review could not finish");
    expect(check.output!.summary).toContain("GitHub answered 502");
    expect(check.output!.summary).toContain("request id ABCD:1234:FAKE");
    expect(gh.comments).toEqual([]);
  });

  it("an error message that carries markup (a branch name, say) is shown as text", async () => {
    gh.files = [routeFile];
    gh.fail(/\/pulls\/7\/files$/, 422, Infinity, "GET", "No ref <img src=x onerror=alert(1)> for @admin");
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const summary = run()[0]!.output!.summary;
    expect(summary).toContain("The review stopped before it could finish");
    expect(summary).not.toContain("<img");
    expect(summary).not.toMatch(/(^|[^\u200b])@admin/);
  });

  it("when even the check run cannot be written, the delivery ends without crashing and the next one works", async () => {
    gh.files = [plainFile];
    gh.fail(/check-runs/, 503, 2);
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(gh.checkRuns.size).toBe(0);
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(run()[0]).toMatchObject({ head_sha: HEAD2, conclusion: "success" });
  });

  it("a failed inline review is reported on the check run and the delivery can be redone", async () => {
    gh.files = [routeFile];
    gh.fail(/\/pulls\/7\/reviews$/, 422, 1);
    const id = deliveryId();
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }), id);
    expect(run()[0]!.output!.summary).toContain("Inline prompts could not be posted");
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }), id);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.comments).toHaveLength(1);
  });
});

describe("drafts", () => {
  it("a draft gets the check and the comment but no inline prompts", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE, draft: true }));
    expect(run()[0]!.conclusion).toBe("action_required");
    expect(gh.comments).toHaveLength(1);
    expect(gh.reviews).toEqual([]);
  });
});

describe("writes", () => {
  it("nothing is written when a repeated event would change nothing but the check run", async () => {
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const before = writes().length;
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE }));
    const after = writes().slice(before).map((w) => `${w.method} ${w.path}`);
    expect(after.every((w) => w.includes("check-runs"))).toBe(true);
  });
});

describe("hunks that start inside what looks like a doc comment", () => {
  const patch = ["@@ -10,3 +10,4 @@", "  * Registers the routes.", "+ * router.post('/login', login)", "  */", " export {};"].join("\n");

  it("the App fetches the file whole when the guess would hide a signal, and the truth decides", async () => {
    gh.files = [{ filename: "apps/web/src/server.ts", status: "modified", patch }];
    const asCode = ["const total = base", "", "", "", "", "", "", "", "", " * factor", " * router.post('/login', login)", " */ 1", "export {};"].join("\n");
    gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL, "apps/web/src/server.ts": asCode });
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(gh.requests.some((r) => r.path === `/repos/acme/shop/contents/apps/web/src/server.ts?ref=${HEAD}`)).toBe(true);
    expect(run()[0]!.conclusion).toBe("action_required");
  });

  it("a real doc comment, fetched whole, stays a comment", async () => {
    gh.files = [{ filename: "apps/web/src/server.ts", status: "modified", patch }];
    const asComment = ["a", "b", "c", "c", "c", "c", "c", "c", "/**", " * Registers the routes.", " * router.post('/login', login)", " */", "export {};"].join("\n");
    gh.commit(HEAD, { "threat-model.yml": SHOP_MODEL, "apps/web/src/server.ts": asComment });
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("success");
  });

  it("when the file cannot be fetched, the lines are read as code rather than hidden", async () => {
    gh.files = [{ filename: "apps/web/src/server.ts", status: "modified", patch }];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(run()[0]!.conclusion).toBe("action_required");
  });
});

describe("writes that must not repeat", () => {
  it("a comment create that landed but answered 502 is found again, not posted twice", async () => {
    gh.files = [routeFile];
    gh.failAfterApplying(/\/issues\/7\/comments$/, 502, "POST");
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(gh.comments).toHaveLength(1);
    expect(run()[0]!.conclusion).toBe("action_required");
  });

  it("a review that landed but answered 502 is not posted twice", async () => {
    gh.files = [routeFile];
    gh.failAfterApplying(/\/pulls\/7\/reviews$/, 502, "POST");
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(gh.reviews).toHaveLength(1);
  });

  it("with comment: never, inline prompts are still posted once, read back from the review comments", async () => {
    gh.config = "comment: never\n";
    gh.files = [routeFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T11:00:00Z" }));
    expect(gh.comments).toEqual([]);
    expect(gh.reviews).toHaveLength(1);
  });

  it("two pushes in the same second delivered newest first: the comment keeps describing the newest head", async () => {
    gh.files = [routeFile];
    gh.pulls.set(7, { number: 7, state: "open", draft: false, updated_at: "2026-11-27T12:00:00Z", changed_files: 1, head: { sha: HEAD2 }, base: { sha: BASE, ref: "main" } });
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD2, base: BASE, updatedAt: "2026-11-27T12:00:00Z" }));
    current = testProbot(); // another process, no memory of the first delivery
    await deliver(pullRequestEvent({ action: "synchronize", head: HEAD, base: BASE, updatedAt: "2026-11-27T12:00:00Z" }));
    expect(gh.comments).toHaveLength(1);
    expect(readState(gh.comments[0]!.body, STATE_KEY, SCOPE)!.head).toBe(HEAD2);
  });
});

describe("exact bodies", () => {
  it("the check run and the comment for a flow whose code changed", async () => {
    gh.files = [flowFile];
    await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    const check = run()[0]!;
    expect(check.output!.title).toBe("Revisit the threat model: 1 open finding");
    expect(check.output!.summary).toMatchInlineSnapshot(`
      "⚠️ **Revisit the threat model**: 1 finding of 1 is not covered by a model update; 1 trust boundary touched.

      #### Touched trust boundaries

      | Boundary | Flow | Protocol | Authentication | Encrypted | Data |
      | --- | --- | --- | --- | --- | --- |
      | internal (trust 80) → third\\-party (trust 20) | \`charge\`: payments → processor | https | not stated | not stated | none stated |

      #### Data-flow diagram

      \`\`\`mermaid
      flowchart LR
        subgraph z_internet["internet (trust 0)"]
          c_browser(["browser"])
        end
        subgraph z_dmz["dmz (trust 40)"]
          c_web("Web app")
        end
        subgraph z_internal["internal (trust 80)"]
          c_payments("payments")
          c_db[("db")]
        end
        subgraph z_third_party["third-party (trust 20)"]
          c_processor[["processor"]]
        end
        c_browser ==>|"https · secret"| c_web
        c_web ==>|"grpc"| c_payments
        c_payments -->|"postgres · confidential"| c_db
        c_payments ==>|"https"| c_processor
        classDef touched fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328
        classDef quiet fill:#f6f8fa,stroke:#d0d7de,color:#8c959f
        class c_payments touched
        class c_browser,c_web,c_db,c_processor quiet
        linkStyle 0 stroke:#d0d7de
        linkStyle 1 stroke:#d0d7de
        linkStyle 2 stroke:#d0d7de
        linkStyle 3 stroke:#cf222e,stroke-width:3px
      \`\`\`

      #### Questions for this change

      <details><summary>❓ <code>charge</code> charge: payments → processor (2 questions)</summary>

      - **Information disclosure**: This flow leaves for a less trusted zone: does it send only what the destination needs, and nothing from the change that should stay inside?
      - **Tampering**: Is what comes back over this flow treated as untrusted input \\(validated, size\\-limited, with timeouts\\)?

      </details>


      #### Findings (1 open, 0 covered by the model update)

      - 🟠 **Flow across a trust boundary changed** in \`services/payments/src/processor.ts:2\` · \`charge\`
        services/payments/src/processor\\.ts changes the code of flow "charge" \\(payments \\-&gt; processor\\), which crosses the internal/third\\-party trust boundary\\.
        _Does the flow still match the model: its protocol, authentication, encryption and the data it carries?_

      #### What to do next

      - Revisit \`charge\` in \`threat-model.yml\`: update the entries (or add threats targeting them) so they describe the code after this change.
      - Or, where no model change is needed, ask @acme/appsec or @alice to acknowledge: a security champion comments \`/threat-model ack <reason>\` or presses **Acknowledge** on the check. Only champions listed in the default branch's model can."
    `);
    const comment = gh.comments[0]!.body.split("\n").slice(2).join("\n");
    expect(comment).toBe(`### Threat model review\n${check.output!.summary}`);
  });
});
