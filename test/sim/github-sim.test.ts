/**
 * The local GitHub, through real HTTP: @octokit/rest (and plain fetch where headers
 * matter) against the simulator on loopback. No nock in this file: it would block loopback.
 */
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubSim, type SimRepo } from "../../src/dev/github-sim/index.js";

const OWNER = "acme";
const NAME = "shop";
const INSTALLATION = 42;
const APP_ID = 123;

let sim: GitHubSim;
let repo: SimRepo;
let api: string;
let gh: Octokit;
let token: string;
let base1: string;
let base2: string;

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: repo.dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

function octokit(auth?: string): Octokit {
  return new Octokit({ baseUrl: api, ...(auth && { auth }), log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
}

/** A status from an Octokit call that is expected to fail. */
async function statusOf(p: Promise<unknown>): Promise<{ status: number; message: string; headers: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; message: string; response?: { headers: Record<string, unknown> } };
    return { status: err.status, message: err.message, headers: err.response?.headers ?? {} };
  }
  throw new Error("the request succeeded");
}

function fakeJwt(iss: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss, iat: now - 60, exp: now + 540 })}.c2lnbmF0dXJl`;
}

beforeAll(async () => {
  sim = new GitHubSim();
  ({ apiUrl: api } = await sim.start());
  repo = await sim.createRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  base1 = await repo.commit("main", { "README.md": "# Shop\n", "src/app.ts": "export const a = 1;\n", "docs/guide.md": "guide\n" }, "init", { date: "2026-01-01T00:00:00Z" });
  base2 = await repo.commit("main", { "src/app.ts": "export const a = 2;\n" }, "second", { date: "2026-01-02T00:00:00Z" });
  token = sim.installationToken(INSTALLATION, APP_ID);
  gh = octokit(token);
});

afterAll(async () => {
  await sim.stop();
});

afterEach(() => {
  sim.faults.clear();
});

describe("installation tokens", () => {
  it("mints a token for an App's JWT and writes as the App's bot with it", async () => {
    const res = await fetch(`${api}/app/installations/${INSTALLATION}/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${fakeJwt(APP_ID)}` } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expires_at: string };
    expect(body.token).toMatch(/^ghs_/);
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
    const me = await octokit(body.token).rest.repos.get({ owner: OWNER, repo: NAME });
    expect(me.data.full_name).toBe(`${OWNER}/${NAME}`);
    expect(sim.requests.at(-1)).toMatchObject({ installationId: INSTALLATION, route: "GET /repos/{owner}/{repo}", counted: true });
  });

  it("answers 404 for an unknown installation, 401 for a bad token, 401 for a write without one", async () => {
    const res = await fetch(`${api}/app/installations/999/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${fakeJwt(APP_ID)}` } });
    expect(res.status).toBe(404);
    expect((await statusOf(octokit("ghs_nope").rest.repos.get({ owner: OWNER, repo: NAME }))).status).toBe(401);
    expect((await statusOf(octokit().rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 1, body: "x" }))).status).toBe(401);
  });

  it("hides repositories outside the token's installation (404)", async () => {
    await sim.createRepo({ owner: "other", name: "secret", installationId: 7 });
    expect((await statusOf(gh.rest.repos.get({ owner: "other", repo: "secret" }))).status).toBe(404);
    expect((await octokit(sim.installationToken(7)).rest.repos.get({ owner: "other", repo: "secret" })).status).toBe(200);
  });
});

describe("contents", () => {
  it("answers a file at a ref as base64 JSON, and the default branch without a ref", async () => {
    const old = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src/app.ts", ref: base1 });
    const file = old.data as { type: string; encoding: string; content: string; sha: string; size: number; path: string };
    expect(file).toMatchObject({ type: "file", encoding: "base64", path: "src/app.ts", size: 20 });
    expect(Buffer.from(file.content, "base64").toString()).toBe("export const a = 1;\n");
    expect(file.sha).toBe(git(["rev-parse", `${base1}:src/app.ts`]).trim());

    const now = (await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src/app.ts" })).data as { content: string };
    expect(Buffer.from(now.content, "base64").toString()).toBe("export const a = 2;\n");
    const byBranch = (await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src/app.ts", ref: "main" })).data as { content: string };
    expect(byBranch.content).toBe(now.content);
  });

  it("answers the raw bytes with a text content type for the raw media type", async () => {
    const res = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "README.md", ref: base1, mediaType: { format: "raw" } });
    expect(res.data).toBe("# Shop\n");
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const fetched = await fetch(`${api}/repos/${OWNER}/${NAME}/contents/README.md`, { headers: { accept: "application/vnd.github.raw", authorization: `token ${token}` } });
    expect(await fetched.text()).toBe("# Shop\n");
  });

  it("lists a folder as an array (JSON even with the raw media type, as Probot's config loader expects)", async () => {
    const res = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src", ref: base1 });
    expect(Array.isArray(res.data)).toBe(true);
    expect((res.data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([["app.ts", "file"]]);
    const raw = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src", mediaType: { format: "raw" } });
    expect(raw.headers["content-type"]).toBe("application/json; charset=utf-8");
    const root = (await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "" })).data as { name: string }[];
    expect(root.map((e) => e.name).sort()).toEqual(["README.md", "docs", "src"]);
  });

  it("answers a file over 1 MB with content \"\" and encoding none, and raw in full", async () => {
    const big = "x".repeat(1024 * 1024 + 10);
    const sha = await repo.commit("big", { "big.txt": big }, "big file");
    const res = (await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "big.txt", ref: sha })).data as { encoding: string; content: string; size: number };
    expect(res).toMatchObject({ encoding: "none", content: "", size: big.length });
    const raw = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "big.txt", ref: sha, mediaType: { format: "raw" } });
    expect((raw.data as unknown as string).length).toBe(big.length);
  });

  it("answers 404 for an absent path, an unknown ref and an unknown repository", async () => {
    expect((await statusOf(gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "nope.txt" }))).status).toBe(404);
    expect((await statusOf(gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "README.md", ref: "no-such-branch" }))).status).toBe(404);
    expect((await statusOf(gh.rest.repos.getContent({ owner: OWNER, repo: ".github", path: ".github/threat-model-review.yml" }))).status).toBe(404);
  });

  it("answers 404 naming the route for anything it does not serve", async () => {
    const res = await fetch(`${api}/repos/${OWNER}/${NAME}/deployments`, { headers: { authorization: `token ${token}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain("no route for GET /repos/acme/shop/deployments");
  });

  it("serves paths without the /api/v3 prefix too", async () => {
    const res = await fetch(`${api.replace(/\/api\/v3$/, "")}/repos/${OWNER}/${NAME}/contents/README.md?ref=${base1}`, { headers: { authorization: `token ${token}` } });
    expect(res.status).toBe(200);
  });
});

describe("git data", () => {
  it("lists a whole tree recursively, and the top level without recursive", async () => {
    const full = await gh.rest.git.getTree({ owner: OWNER, repo: NAME, tree_sha: base2, recursive: "1" });
    expect(full.data.truncated).toBe(false);
    expect(full.data.sha).toBe(git(["rev-parse", `${base2}^{tree}`]).trim());
    const blobs = full.data.tree.filter((e) => e.type === "blob").map((e) => [e.path, e.mode, e.sha]);
    expect(blobs).toContainEqual(["src/app.ts", "100644", git(["rev-parse", `${base2}:src/app.ts`]).trim()]);
    expect(blobs).toHaveLength(3);
    const top = await gh.rest.git.getTree({ owner: OWNER, repo: NAME, tree_sha: base2 });
    expect(top.data.tree.map((e) => e.path).sort()).toEqual(["README.md", "docs", "src"]);
  });

  it("answers a commit with its parents, and 422 for an unknown ref", async () => {
    const c = await gh.rest.repos.getCommit({ owner: OWNER, repo: NAME, ref: base2 });
    expect(c.data.sha).toBe(base2);
    expect(c.data.parents.map((p) => p.sha)).toEqual([base1]);
    expect(c.data.commit.message).toBe("second");
    expect(c.data.files?.map((f) => f.filename)).toEqual(["src/app.ts"]);
    expect((await statusOf(gh.rest.repos.getCommit({ owner: OWNER, repo: NAME, ref: "f".repeat(40) }))).status).toBe(422);
  });

  it("compares three-dot with the merge base, ahead/behind and GitHub-shaped files", async () => {
    const feature = await repo.commit("cmp-feature", { "src/new.ts": "export const n = 1;\n" }, "feature", { from: base1 });
    const res = await gh.rest.repos.compareCommitsWithBasehead({ owner: OWNER, repo: NAME, basehead: `main...${feature}` });
    expect(res.data.merge_base_commit.sha).toBe(base1);
    expect(res.data).toMatchObject({ status: "diverged", ahead_by: 1, behind_by: 1, total_commits: 1 });
    expect(res.data.files).toEqual([
      expect.objectContaining({ filename: "src/new.ts", status: "added", additions: 1, deletions: 0, changes: 1, patch: "@@ -0,0 +1 @@\n+export const n = 1;" }),
    ]);
  });
});

describe("pull requests", () => {
  let pr: number;
  let headSha: string;

  beforeAll(async () => {
    await repo.commit(
      "feature",
      {
        "src/app.ts": Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") + "\n",
        "docs/guide.md": null,
        "src/binary.bin": new Uint8Array([0, 1, 2, 3, 0, 255]),
        "src/route.ts": "import x from 'y';\nrouter.post('/refunds', refund);\n",
      },
      "one",
    );
    // A rename with an edit, and an edit deep in a long file (two hunks).
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    long[2] = "line three changed";
    long[30] = "line thirty-one changed";
    headSha = await repo.commit("feature", { "README.md": null, "README.markdown": "# Shop\n\nMore.\n", "src/app.ts": long.join("\n") + "\n" }, "two");
    pr = (await repo.openPullRequest({ head: "feature", base: "main", author: { login: "dev" }, title: "Refunds" })).number;
  });

  it("answers the pull request with head, base, user, counts and timestamps", async () => {
    const { data } = await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: pr });
    expect(data).toMatchObject({ number: pr, state: "open", draft: false, title: "Refunds", comments: 0, changed_files: 5, commits: 2 });
    expect(data.head).toMatchObject({ ref: "feature", sha: headSha });
    expect(data.base).toMatchObject({ ref: "main", sha: base2 });
    expect(data.user).toMatchObject({ login: "dev", type: "User" });
    expect(data.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const open = await gh.paginate(gh.rest.pulls.list, { owner: OWNER, repo: NAME, state: "open", per_page: 100 });
    expect(open.map((p) => p.number)).toContain(pr);
    expect((await gh.paginate(gh.rest.pulls.list, { owner: OWNER, repo: NAME, state: "closed" })).map((p) => p.number)).not.toContain(pr);
  });

  it("lists files with the statuses, counts and bare hunks git diff gives", async () => {
    const files = await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: NAME, pull_number: pr, per_page: 100 });
    const byName = new Map(files.map((f) => [f.filename, f]));
    expect([...byName.keys()].sort()).toEqual(["README.markdown", "docs/guide.md", "src/app.ts", "src/binary.bin", "src/route.ts"]);
    expect(byName.get("docs/guide.md")).toMatchObject({ status: "removed", additions: 0, deletions: 1 });
    expect(byName.get("src/route.ts")).toMatchObject({ status: "added", additions: 2 });
    expect(byName.get("README.markdown")).toMatchObject({ status: "renamed", previous_filename: "README.md" });
    expect(byName.get("src/binary.bin")!.patch).toBeUndefined();
    expect(byName.get("src/app.ts")!.sha).toBe(git(["rev-parse", `${headSha}:src/app.ts`]).trim());

    const numstat = new Map(
      git(["diff", "--numstat", "-M", `main...${headSha}`])
        .trim()
        .split("\n")
        .map((l) => l.split("\t"))
        .map(([a, d, p]) => [p!.replace(/^README\.md => /, "").replace(/^\{?README\.(md => README\.)?markdown\}?$/, "README.markdown"), [a, d]]),
    );
    for (const f of files) {
      const paths = f.previous_filename ? [f.previous_filename, f.filename] : [f.filename];
      const diff = git(["diff", "-M", "--unified=3", `main...${headSha}`, "--", ...paths]);
      const at = diff.indexOf("\n@@");
      const expected = at < 0 ? undefined : diff.slice(at + 1).replace(/\n$/, "");
      expect(f.patch, f.filename).toBe(expected);
      const [a, d] = numstat.get(f.filename) ?? [];
      if (a !== "-" && a !== undefined) expect([f.additions, f.deletions], f.filename).toEqual([Number(a), Number(d)]);
      expect(f.changes).toBe(f.additions + f.deletions);
    }
  });

  it("pages with Link rel=next/last over 250 files and caps the list at 3,000 like GitHub", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 3_005; i++) many[`gen/f${String(i).padStart(4, "0")}.ts`] = `export const v${i} = ${i};\n`;
    await repo.commit("many", many, "many files", { from: base2 });
    const big = await repo.openPullRequest({ head: "many", base: "main", author: { login: "dev" } });
    expect(big.changedFiles).toBe(3_005);

    const res = await fetch(`${api}/repos/${OWNER}/${NAME}/pulls/${big.number}/files?per_page=100&page=2`, { headers: { authorization: `token ${token}` } });
    const link = res.headers.get("link")!;
    expect(link).toContain(`${api}/repos/${OWNER}/${NAME}/pulls/${big.number}/files?per_page=100&page=3>; rel="next"`);
    expect(link).toContain(`page=30>; rel="last"`);
    expect(link).toContain(`page=1>; rel="prev"`);
    expect(((await res.json()) as unknown[]).length).toBe(100);

    const all = await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: NAME, pull_number: big.number, per_page: 100 });
    expect(all).toHaveLength(3_000);
    const { data } = await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: big.number });
    expect(data.changed_files).toBe(3_005);
    // Compare stops at 300 files.
    const cmp = await gh.rest.repos.compareCommitsWithBasehead({ owner: OWNER, repo: NAME, basehead: `${base2}...${big.head.sha}`, per_page: 1 });
    expect(cmp.data.files).toHaveLength(300);
    // 250 files, default page size 30: 9 pages.
    const some: Record<string, string> = {};
    for (let i = 0; i < 250; i++) some[`p/f${i}.txt`] = `${i}\n`;
    await repo.commit("some", some, "250 files", { from: base2 });
    const mid = await repo.openPullRequest({ head: "some", base: "main", author: { login: "dev" } });
    const first = await fetch(`${api}/repos/${OWNER}/${NAME}/pulls/${mid.number}/files`, { headers: { authorization: `token ${token}` } });
    expect(first.headers.get("link")).toContain(`per_page=30&page=9>; rel="last"`);
    expect(await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: NAME, pull_number: mid.number })).toHaveLength(250);
  });

  it("moves head sha and updated_at on every push, strictly later even within one second", async () => {
    await repo.commit("stamps", { "s.txt": "0\n" }, "start", { from: base2 });
    const opened = await repo.openPullRequest({ head: "stamps", base: "main", author: { login: "dev" } });
    const stamps = [opened.updatedAt];
    const shas: string[] = [];
    for (let i = 1; i <= 3; i++) {
      shas.push(await repo.pushToPullRequest(opened.number, { "s.txt": `${i}\n` }, `push ${i}`));
      stamps.push(sim.pullRequest(repo, opened.number).updatedAt);
    }
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    const { data } = await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: opened.number });
    expect(data.head.sha).toBe(shas[2]);
    expect(data.updated_at).toBe(stamps[3]);
    const sync = sim.pullRequestEvent(repo, opened.number, "synchronize") as unknown as { before: string; after: string };
    expect([sync.before, sync.after]).toEqual([shas[1], shas[2]]);
  });
});

describe("pull request lifecycle", () => {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  it("opens drafts and forks, marks ready, moves the base and closes, with payloads to match", async () => {
    await repo.commit("lc-fork", { "f.txt": "from a fork\n" }, "fork work", { from: base2 });
    const fork = await repo.openPullRequest({ head: "lc-fork", base: "main", author: { login: "mallory" }, fromFork: true, draft: true });
    const opened = sim.pullRequestEvent(repo, fork.number, "opened") as Record<string, any>;
    expect(opened["pull_request"]).toMatchObject({ draft: true, head: { label: "mallory:lc-fork", repo: { fork: true, owner: { login: "mallory" }, full_name: "mallory/shop" } }, base: { repo: { full_name: "acme/shop" } } });
    // A check run on a fork's head lists no pull requests, as on GitHub.
    const { data: run } = await gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "Threat model", head_sha: fork.head.sha, status: "in_progress" });
    expect(run.pull_requests).toEqual([]);
    // The head is readable through the base repository.
    const file = (await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "f.txt", ref: fork.head.sha })).data as { content: string };
    expect(Buffer.from(file.content, "base64").toString()).toBe("from a fork\n");

    const before = sim.pullRequest(repo, fork.number).updatedAt;
    repo.setDraft(fork.number, false);
    const ready = sim.pullRequestEvent(repo, fork.number, "ready_for_review") as Record<string, any>;
    expect(ready["pull_request"].draft).toBe(false);
    expect(ready["pull_request"].updated_at > before).toBe(true);

    await repo.createBranch("release", base1);
    await repo.changeBase(fork.number, "release");
    const edited = sim.pullRequestEvent(repo, fork.number, "edited") as Record<string, any>;
    expect(edited["changes"]).toEqual({ base: { ref: { from: "main" }, sha: { from: base2 } } });
    expect(edited["pull_request"].base).toMatchObject({ ref: "release", sha: base1 });

    repo.closePullRequest(fork.number);
    expect((await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: fork.number })).data).toMatchObject({ state: "closed", merged: false });
    const open = await gh.paginate(gh.rest.pulls.list, { owner: OWNER, repo: NAME, state: "open" });
    expect(open.map((p) => p.number)).not.toContain(fork.number);
    await repo.reopenPullRequest(fork.number);
    expect(sim.pullRequest(repo, fork.number).state).toBe("open");
  });
  /* eslint-enable @typescript-eslint/no-explicit-any */

  it("keeps awkward file names intact: spaces, unicode, quotes, #, ?, % and tabs", async () => {
    const names = ["src/with space.ts", "src/ünïcödé.ts", 'src/"quoted".ts', "src/hash#q?.ts", "src/100%.ts", "src/tab\there.ts", "-dash.ts"];
    await repo.commit("lc-names", Object.fromEntries(names.map((n) => [n, `// ${n}\n`])), "awkward names", { from: base2 });
    const pr = await repo.openPullRequest({ head: "lc-names", base: "main", author: { login: "dev" } });
    const files = await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: NAME, pull_number: pr.number });
    expect(files.map((f) => f.filename).sort()).toEqual([...names].sort());
    for (const name of names) {
      const res = await gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: name, ref: pr.head.sha, mediaType: { format: "raw" } });
      expect(res.data, name).toBe(`// ${name}\n`);
      expect(files.find((f) => f.filename === name)!.patch).toBe(`@@ -0,0 +1 @@\n+// ${name}`);
    }
    await expect(repo.commit("lc-names", { "../escape.ts": "x" }, "bad path")).rejects.toThrow(/not a path/);
  });

  it("leaves the patch out of a file past the size limit, and keeps its counts", async () => {
    const huge = Array.from({ length: 20_001 }, (_, i) => `row ${i}`).join("\n") + "\n";
    await repo.commit("lc-huge", { "huge.txt": huge, "small.txt": "s\n" }, "huge", { from: base2 });
    const pr = await repo.openPullRequest({ head: "lc-huge", base: "main", author: { login: "dev" } });
    const files = await gh.paginate(gh.rest.pulls.listFiles, { owner: OWNER, repo: NAME, pull_number: pr.number });
    const byName = new Map(files.map((f) => [f.filename, f]));
    expect(byName.get("huge.txt")).toMatchObject({ status: "added", additions: 20_001 });
    expect(byName.get("huge.txt")!.patch).toBeUndefined();
    expect(byName.get("small.txt")!.patch).toBe("@@ -0,0 +1 @@\n+s");
    const refused = await statusOf(gh.rest.pulls.createReview({ owner: OWNER, repo: NAME, pull_number: pr.number, event: "COMMENT", body: "b", comments: [{ path: "huge.txt", line: 1, body: "x" }] }));
    expect(refused.status).toBe(422);
  });
});

describe("reviews", () => {
  let pr: number;
  let head: string;

  beforeAll(async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    await repo.commit("rv-base", { "r.txt": lines.join("\n") + "\n" }, "base", { from: base2 });
    const changed = [...lines];
    changed[9] = "l10 changed"; // line 10 modified: hunk covers 7..13
    head = await repo.commit("rv-head", { "r.txt": changed.join("\n") + "\n" }, "edit", { from: "rv-base" });
    pr = (await repo.openPullRequest({ head: "rv-head", base: "rv-base", author: { login: "dev" } })).number;
  });

  const post = (comments: { path: string; line: number; side?: "LEFT" | "RIGHT"; body: string }[], event: "COMMENT" | "APPROVE" = "COMMENT", body = "Prompts") =>
    gh.rest.pulls.createReview({ owner: OWNER, repo: NAME, pull_number: pr, commit_id: head, event, body, comments });

  it("refuses a review whose one anchor is outside the diff, whole: nothing is created", async () => {
    const before = sim.count({ method: "POST" });
    const refused = await statusOf(
      post([
        { path: "r.txt", line: 10, body: "fine" },
        { path: "r.txt", line: 2, body: "line 2 is not in any hunk" },
      ]),
    );
    expect(refused.status).toBe(422);
    expect(refused.message).toContain("Pull request review thread line must be part of the diff");
    expect(sim.reviews(repo, pr)).toEqual([]);
    expect(sim.reviewComments(repo, pr)).toEqual([]);
    expect(sim.count({ method: "POST" })).toBe(before + 1);
    expect((await statusOf(post([{ path: "other.txt", line: 1, body: "x" }]))).status).toBe(422);
  });

  it("accepts anchors on added and context lines (RIGHT) and removed lines (LEFT)", async () => {
    const { data } = await post([
      { path: "r.txt", line: 10, body: "added line" },
      { path: "r.txt", line: 8, body: "context line" },
      { path: "r.txt", line: 10, side: "LEFT", body: "removed line" },
    ]);
    expect(data).toMatchObject({ state: "COMMENTED", commit_id: head, user: { login: "threat-model-review[bot]", type: "Bot" } });
    const comments = await gh.paginate(gh.rest.pulls.listReviewComments, { owner: OWNER, repo: NAME, pull_number: pr });
    expect(comments.map((c) => [c.line, c.side])).toEqual([
      [10, "RIGHT"],
      [8, "RIGHT"],
      [10, "LEFT"],
    ]);
    expect(comments[0]).not.toHaveProperty("performed_via_github_app");
    expect(comments[0]!.diff_hunk).toMatch(/^@@ -7,7 \+7,7 @@/);
    const listed = await gh.paginate(gh.rest.pulls.listReviews, { owner: OWNER, repo: NAME, pull_number: pr });
    expect(listed.map((r) => r.id)).toEqual([data.id]);
  });

  it("requires a body for COMMENT, and refuses an author's approval of their own pull request", async () => {
    expect((await statusOf(post([], "COMMENT", ""))).status).toBe(422);
    const self = octokit(sim.userToken("dev"));
    expect((await statusOf(self.rest.pulls.createReview({ owner: OWNER, repo: NAME, pull_number: pr, event: "APPROVE" }))).status).toBe(422);
  });

  it("records people's reviews and builds pull_request_review payloads from them", async () => {
    const review = sim.submitReview(repo, pr, { user: "alice", state: "APPROVED" });
    const listed = await gh.paginate(gh.rest.pulls.listReviews, { owner: OWNER, repo: NAME, pull_number: pr });
    expect(listed.at(-1)).toMatchObject({ id: review.id, state: "APPROVED", commit_id: head, user: { login: "alice" } });
    const payload = sim.reviewEvent(repo, pr, review.id, "submitted") as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload).toMatchObject({ action: "submitted", installation: { id: INSTALLATION }, review: { id: review.id, state: "APPROVED" }, pull_request: { number: pr }, sender: { login: "alice" } });
    sim.dismissReview(repo, pr, review.id);
    expect(sim.reviews(repo, pr).at(-1)!.state).toBe("DISMISSED");
  });

  it("records review requests and refuses one for the author", async () => {
    await gh.rest.pulls.requestReviewers({ owner: OWNER, repo: NAME, pull_number: pr, reviewers: ["alice"], team_reviewers: ["appsec"] });
    expect(sim.requestedReviewers(repo, pr)).toEqual({ users: ["alice"], teams: ["appsec"] });
    expect((await statusOf(gh.rest.pulls.requestReviewers({ owner: OWNER, repo: NAME, pull_number: pr, reviewers: ["dev"] }))).status).toBe(422);
  });
});

describe("check runs", () => {
  const annotations = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({ path: "src/app.ts", start_line: 1, end_line: 1, annotation_level: "warning" as const, message: `finding ${from + i}` }));
  const output = (extra: object = {}) => ({ title: "T", summary: "S", ...extra });

  it("creates in progress, completes, and appends annotations across updates", async () => {
    const { data: run } = await gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "Threat model", head_sha: base2, status: "in_progress", output: output() });
    expect(run).toMatchObject({ status: "in_progress", conclusion: null, head_sha: base2, app: { id: APP_ID } });
    await gh.rest.checks.update({ owner: OWNER, repo: NAME, check_run_id: run.id, status: "completed", conclusion: "action_required", output: output({ annotations: annotations(50) }), actions: [{ label: "Acknowledge", description: "Champions: accept the open findings", identifier: "ack" }] });
    await gh.rest.checks.update({ owner: OWNER, repo: NAME, check_run_id: run.id, output: output({ annotations: annotations(20, 50) }) });
    const stored = sim.checkRun(repo, run.id)!;
    expect(stored).toMatchObject({ status: "completed", conclusion: "action_required", writes: 3 });
    expect(stored.annotations).toHaveLength(70);
    expect(stored.annotations[69]!.message).toBe("finding 69");
    const listed = await gh.rest.checks.listForRef({ owner: OWNER, repo: NAME, ref: base2 });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]).toMatchObject({ id: run.id, output: { annotations_count: 70 } });
  });

  it("refuses 51 annotations, missing title or summary, long summaries and bad actions, changing nothing", async () => {
    const { data: run } = await gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "Limits", head_sha: base2, status: "in_progress" });
    const update = (body: object) => gh.rest.checks.update({ owner: OWNER, repo: NAME, check_run_id: run.id, ...body });
    const refusals = [
      { output: output({ annotations: annotations(51) }) },
      { output: { title: "only a title" } },
      { output: { summary: "only a summary" } },
      { output: output({ summary: "s".repeat(65_536) }) },
      { actions: [1, 2, 3, 4].map((i) => ({ label: `L${i}`, description: "d", identifier: `i${i}` })) },
      { actions: [{ label: "L".repeat(21), description: "d", identifier: "i" }] },
      { actions: [{ label: "L", description: "d".repeat(41), identifier: "i" }] },
      { actions: [{ label: "L", description: "d", identifier: "i".repeat(21) }] },
      { status: "completed" },
      { output: output({ annotations: [{ path: "a", start_line: 1, end_line: 2, start_column: 1, end_column: 2, annotation_level: "notice", message: "m" }] }) },
    ];
    for (const body of refusals) expect((await statusOf(update(body))).status, JSON.stringify(body).slice(0, 80)).toBe(422);
    expect(sim.checkRun(repo, run.id)).toMatchObject({ status: "in_progress", conclusion: null, annotations: [], writes: 1 });
    expect((await statusOf(gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "x", head_sha: base2, output: { title: "t" } as never }))).status).toBe(422);
    expect((await statusOf(gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "x", head_sha: "f".repeat(40) }))).status).toBe(422);
  });

  it("lets only Apps write check runs", async () => {
    const person = octokit(sim.userToken("mallory"));
    expect((await statusOf(person.rest.checks.create({ owner: OWNER, repo: NAME, name: "x", head_sha: base2 }))).status).toBe(403);
  });
});

describe("issue comments and reactions", () => {
  let pr: number;
  beforeAll(async () => {
    await repo.commit("cm", { "c.txt": "c\n" }, "c", { from: base2 });
    pr = (await repo.openPullRequest({ head: "cm", base: "main", author: { login: "dev" } })).number;
  });

  it("writes comments as the App's bot with performed_via_github_app, edits them, and counts them on the pull request", async () => {
    const { data } = await gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: pr, body: "<!-- marker -->\nhello" });
    expect(data).toMatchObject({ body: "<!-- marker -->\nhello", user: { login: "threat-model-review[bot]", type: "Bot" }, performed_via_github_app: { id: APP_ID } });
    await gh.rest.issues.updateComment({ owner: OWNER, repo: NAME, comment_id: data.id, body: "edited" });
    const person = sim.comment(repo, pr, { user: "alice", body: "/threat-model recheck" });
    const listed = await gh.paginate(gh.rest.issues.listComments, { owner: OWNER, repo: NAME, issue_number: pr, per_page: 100 });
    expect(listed.map((c) => [c.body, c.performed_via_github_app?.id ?? null])).toEqual([
      ["edited", APP_ID],
      ["/threat-model recheck", null],
    ]);
    expect((await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: pr })).data.comments).toBe(2);
    await gh.rest.reactions.createForIssueComment({ owner: OWNER, repo: NAME, comment_id: person.id, content: "+1" });
    expect(sim.reactions(repo, person.id)).toEqual([expect.objectContaining({ content: "+1", user: expect.objectContaining({ login: "threat-model-review[bot]" }) })]);
    expect((await statusOf(gh.rest.reactions.createForIssueComment({ owner: OWNER, repo: NAME, comment_id: person.id, content: "nope" as never }))).status).toBe(422);
  });

  it("refuses a body over 65,536 characters: 422 Body is too long, nothing written", async () => {
    const before = sim.comments(repo, pr).length;
    const refused = await statusOf(gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: pr, body: "x".repeat(65_537) }));
    expect(refused.status).toBe(422);
    expect(refused.message).toContain("Body is too long");
    expect(sim.comments(repo, pr)).toHaveLength(before);
    expect((await gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: pr, body: "x".repeat(65_536) })).status).toBe(201);
  });

  it("builds issue_comment payloads that record the comment", async () => {
    const payload = sim.issueCommentEvent(repo, pr, { user: "alice", body: "/threat-model ack fine" }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload).toMatchObject({ action: "created", issue: { number: pr, pull_request: expect.any(Object) }, comment: { body: "/threat-model ack fine", user: { login: "alice", type: "User" } }, sender: { login: "alice" } });
    expect(sim.comments(repo, pr).at(-1)!.id).toBe(payload["comment"].id);
  });
});

describe("teams", () => {
  it("answers active and pending memberships, 404 for anyone else", async () => {
    sim.setTeamMember("acme", "appsec", "carol", "active");
    sim.setTeamMember("acme", "appsec", "dan", "pending");
    const get = (username: string) => gh.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "appsec", username });
    expect((await get("carol")).data.state).toBe("active");
    expect((await get("dan")).data.state).toBe("pending");
    expect((await statusOf(get("erin"))).status).toBe(404);
  });
});

describe("headers, conditional requests and rate limits", () => {
  it("sends GitHub's headers, and answers a matching If-None-Match with 304, not charged", async () => {
    const url = `${api}/repos/${OWNER}/${NAME}/contents/README.md?ref=${base1}`;
    const headers = { authorization: `token ${token}` };
    const first = await fetch(url, { headers });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    expect(first.headers.get("x-github-request-id")).toMatch(/^[0-9A-F:]+$/);
    expect(first.headers.get("x-ratelimit-resource")).toBe("core");
    expect(first.headers.get("x-ratelimit-limit")).toBe("5000");
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));
    expect(Number(first.headers.get("x-ratelimit-used")) + remaining).toBe(5000);
    expect(Number(first.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);

    const again = await fetch(url, { headers: { ...headers, "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(Number(again.headers.get("x-ratelimit-remaining"))).toBe(remaining);
    expect(sim.requests.at(-1)).toMatchObject({ status: 304, counted: false });
    expect(sim.rateLimit(INSTALLATION).remaining).toBe(remaining);
    const stale = await fetch(url, { headers: { ...headers, "if-none-match": 'W/"0000"' } });
    expect(stale.status).toBe(200);
    expect(sim.rateLimit(INSTALLATION).remaining).toBe(remaining - 1);
  });

  it("counts requests per route", async () => {
    sim.clearRequests();
    await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: 1 });
    await gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: 1 });
    await gh.rest.repos.get({ owner: OWNER, repo: NAME });
    expect(sim.count()).toBe(3);
    expect(sim.count({ route: "GET /repos/{owner}/{repo}/pulls/{pull_number}" })).toBe(2);
    expect(sim.count({ path: /\/pulls\/1$/ })).toBe(2);
    expect(sim.countByRoute()).toEqual({ "GET /repos/{owner}/{repo}/pulls/{pull_number}": 2, "GET /repos/{owner}/{repo}": 1 });
  });

  it("answers 403 with remaining 0 past the primary rate limit", async () => {
    const small = new GitHubSim({ rateLimit: 2 });
    const { apiUrl } = await small.start();
    try {
      await small.createRepo({ owner: OWNER, name: NAME, installationId: 1 });
      const client = new Octokit({ baseUrl: apiUrl, auth: small.installationToken(1), log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
      await client.rest.repos.get({ owner: OWNER, repo: NAME });
      await client.rest.repos.get({ owner: OWNER, repo: NAME });
      const over = await statusOf(client.rest.repos.get({ owner: OWNER, repo: NAME }));
      expect(over.status).toBe(403);
      expect(over.message).toContain("API rate limit exceeded for installation ID 1");
      expect(over.headers["x-ratelimit-remaining"]).toBe("0");
      expect(small.requests.at(-1)).toMatchObject({ status: 403, counted: false });
    } finally {
      await small.stop();
    }
  });
});

describe("faults", () => {
  const get = () => gh.rest.repos.get({ owner: OWNER, repo: NAME });

  it("status: answers the given 5xx the given number of times, then serves again", async () => {
    sim.faults.add({ path: /^\/repos\/acme\/shop$/, kind: "status", status: 502, times: 2 });
    const first = await statusOf(get());
    expect(first.status).toBe(502);
    expect(first.headers["x-github-request-id"]).toBeTruthy();
    expect((await statusOf(get())).status).toBe(502);
    expect((await get()).status).toBe(200);
    expect(sim.requests.slice(-3).map((r) => [r.status, r.counted, r.fault])).toEqual([
      [502, false, "status"],
      [502, false, "status"],
      [200, true, null],
    ]);
  });

  it("matches the method too, and Infinity lasts until cleared", async () => {
    sim.faults.add({ method: "POST", path: /\/issues\/\d+\/comments$/, kind: "status", status: 503, times: Infinity });
    for (let i = 0; i < 3; i++) expect((await statusOf(gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 1, body: "x" }))).status).toBe(503);
    expect((await gh.rest.issues.listComments({ owner: OWNER, repo: NAME, issue_number: 1 })).status).toBe(200);
    sim.faults.clear();
    expect((await gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 1, body: "x" })).status).toBe(201);
  });

  it("secondary-rate-limit: 403 with GitHub's message and retry-after, or 429", async () => {
    sim.faults.add({ path: /^\/repos\/acme\/shop$/, kind: "secondary-rate-limit", retryAfter: 7 });
    const limited = await statusOf(get());
    expect(limited.status).toBe(403);
    expect(limited.message).toContain("You have exceeded a secondary rate limit");
    expect(limited.headers["retry-after"]).toBe("7");
    sim.faults.add({ path: /^\/repos\/acme\/shop$/, kind: "secondary-rate-limit", status: 429 });
    const too = await statusOf(get());
    expect(too.status).toBe(429);
    expect(too.headers["retry-after"]).toBe("60");
  });

  it("slow: answers after the delay", async () => {
    sim.faults.add({ path: /^\/repos\/acme\/shop$/, kind: "slow", ms: 300 });
    const started = Date.now();
    expect((await get()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drop: closes the connection without an answer", async () => {
    sim.faults.add({ path: /^\/repos\/acme\/shop$/, kind: "drop" });
    await expect(fetch(`${api}/repos/${OWNER}/${NAME}`, { headers: { authorization: `token ${token}` } })).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ status: 0, counted: false, fault: "drop" });
  });

  it("apply-then-fail: the write lands, then a 5xx is answered", async () => {
    const before = sim.comments(repo, 1).length;
    sim.faults.add({ method: "POST", path: /\/issues\/1\/comments$/, kind: "apply-then-fail" });
    expect((await statusOf(gh.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 1, body: "landed" }))).status).toBe(502);
    expect(sim.comments(repo, 1)).toHaveLength(before + 1);
    expect(sim.comments(repo, 1).at(-1)!.body).toBe("landed");
    expect(sim.requests.at(-1)).toMatchObject({ status: 502, counted: true, fault: "apply-then-fail" });
  });

  it("can be added, listed and cleared over HTTP", async () => {
    const root = api.replace(/\/api\/v3$/, "");
    const added = await fetch(`${root}/_sim/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "^/repos/acme/shop$", kind: "status", status: 500, times: "Infinity" }) });
    expect(added.status).toBe(201);
    expect((await statusOf(get())).status).toBe(500);
    expect((await statusOf(get())).status).toBe(500);
    const listed = (await (await fetch(`${root}/_sim/faults`)).json()) as { hits: number; remaining: string }[];
    expect(listed).toEqual([expect.objectContaining({ hits: 2, remaining: "Infinity" })]);
    await fetch(`${root}/_sim/faults`, { method: "DELETE" });
    expect((await get()).status).toBe(200);
    const count = (await (await fetch(`${root}/_sim/count?route=${encodeURIComponent("GET /repos/{owner}/{repo}")}`)).json()) as { count: number };
    expect(count.count).toBeGreaterThanOrEqual(3);
  });
});

describe("webhook deliveries", () => {
  let receiver: Server;
  let url: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(202).end("ok");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/github/webhooks`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it("signs the raw body with HMAC SHA-256 and sets GitHub's headers", async () => {
    const payload = sim.pullRequestEvent(repo, 1, "opened");
    const result = await sim.deliver(url, "s3cret", "pull_request", payload, { deliveryId: "d-1" });
    expect(result).toMatchObject({ status: 202, deliveryId: "d-1", event: "pull_request", action: "opened" });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    const got = received.at(-1)!;
    const expected = `sha256=${createHmac("sha256", "s3cret").update(got.body).digest("hex")}`;
    expect(got.headers["x-hub-signature-256"]).toBe(expected);
    expect(got.headers).toMatchObject({ "x-github-event": "pull_request", "x-github-delivery": "d-1", "content-type": "application/json" });
    expect(JSON.parse(got.body)).toEqual(payload);
    await sim.deliver(url, "s3cret", "pull_request", payload, { signature: "sha256=forged" });
    expect(received.at(-1)!.headers["x-hub-signature-256"]).toBe("sha256=forged");
    await sim.deliver(url, "s3cret", "pull_request", payload, { signature: null });
    expect(received.at(-1)!.headers["x-hub-signature-256"]).toBeUndefined();
    expect(sim.deliveries.length).toBeGreaterThanOrEqual(3);
  });

  it("reports status 0 when nothing answers", async () => {
    const result = await sim.deliver("http://127.0.0.1:9/hooks", "s", "push", {}, { timeoutMs: 2_000 });
    expect(result.status).toBe(0);
    expect(result.error).toBeTruthy();
  });

  it("builds payloads with installation, repository and sender from the sim's state", async () => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const pr = sim.pullRequestEvent(repo, 1, "opened") as Record<string, any>;
    expect(pr).toMatchObject({
      action: "opened",
      number: 1,
      installation: { id: INSTALLATION },
      repository: { name: NAME, full_name: `${OWNER}/${NAME}`, owner: { login: OWNER }, default_branch: "main" },
      sender: { login: "dev" },
      pull_request: { number: 1, state: "open", draft: false, head: { sha: sim.pullRequest(repo, 1).head.sha }, base: { sha: sim.pullRequest(repo, 1).base.sha }, changed_files: 5, user: { login: "dev", type: "User" } },
    });
    expect(pr["pull_request"].comments).toBe(sim.comments(repo, 1).length);

    const { data: run } = await gh.rest.checks.create({ owner: OWNER, repo: NAME, name: "Threat model", head_sha: sim.pullRequest(repo, 1).head.sha, status: "in_progress" });
    const rerun = sim.checkRunEvent(repo, run.id, "rerequested", "alice") as Record<string, any>;
    expect(rerun).toMatchObject({ action: "rerequested", check_run: { id: run.id, app: { id: APP_ID }, head_sha: run.head_sha, pull_requests: [{ number: 1 }] }, sender: { login: "alice" } });
    const click = sim.checkRunEvent(repo, run.id, "requested_action", "alice", "ack") as Record<string, any>;
    expect(click["requested_action"]).toEqual({ identifier: "ack" });

    const tip = await repo.commit("main", { "CHANGELOG.md": "1\n" }, "release notes");
    const push = sim.pushEvent(repo, "main") as Record<string, any>;
    expect(push).toMatchObject({ ref: "refs/heads/main", after: tip, deleted: false, repository: { default_branch: "main" }, installation: { id: INSTALLATION } });
    expect(push["commits"].at(-1)).toMatchObject({ id: tip, added: ["CHANGELOG.md"] });
    expect((sim.pushEvent(repo, "main") as Record<string, any>)["before"]).toBe(tip);

    const group = await repo.createMergeGroup(1);
    const queued = sim.mergeGroupEvent(repo, group) as Record<string, any>;
    expect(queued).toMatchObject({ action: "checks_requested", merge_group: { head_sha: group.headSha, base_sha: tip, head_ref: expect.stringMatching(/^refs\/heads\/gh-readonly-queue\/main\/pr-1-/) } });
    const parents = (await gh.rest.repos.getCommit({ owner: OWNER, repo: NAME, ref: group.headSha })).data.parents.map((p) => p.sha);
    expect(parents).toEqual([tip, sim.pullRequest(repo, 1).head.sha]);
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });
});

describe("load", () => {
  it("serves hundreds of concurrent requests", async () => {
    const calls = Array.from({ length: 400 }, (_, i) =>
      i % 4 === 0
        ? gh.rest.pulls.listFiles({ owner: OWNER, repo: NAME, pull_number: 1, per_page: 100 })
        : i % 4 === 1
          ? gh.rest.repos.getContent({ owner: OWNER, repo: NAME, path: "src/app.ts", ref: base1 })
          : i % 4 === 2
            ? gh.rest.pulls.get({ owner: OWNER, repo: NAME, pull_number: 1 })
            : gh.rest.issues.listComments({ owner: OWNER, repo: NAME, issue_number: 1 }),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});
