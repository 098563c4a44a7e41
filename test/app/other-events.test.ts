/* eslint-disable @typescript-eslint/no-explicit-any -- webhook payloads are edited as plain JSON. */
import { readFileSync } from "node:fs";
import nock from "nock";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHOP_MODEL } from "../helpers/models.js";
import { APP_ID, OWNER, REPO, deliveryId, example, testProbot } from "./harness.js";
import { FakeGitHub, type PullFile } from "./fake-github.js";

const BASE = "b".repeat(40);
const HEAD = "a".repeat(40);
const OLD = "c".repeat(40);
const routeFile: PullFile = { filename: "apps/web/src/routes/refunds.ts", status: "added", patch: "@@ -0,0 +1,2 @@\n+import { router } from \"./router\";\n+router.post(\"/refunds\", refund);" };

let gh: FakeGitHub;
let app: ReturnType<typeof testProbot>;

beforeEach(() => {
  nock.disableNetConnect();
  gh = new FakeGitHub(OWNER, REPO, APP_ID);
  gh.config = "mode: enforce\n";
  for (const sha of [BASE, HEAD, OLD]) gh.commit(sha, { "threat-model.yml": SHOP_MODEL });
  gh.files = [routeFile];
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

function adaptRepo(payload: Record<string, any>) {
  payload["repository"].name = REPO;
  payload["repository"].full_name = `${OWNER}/${REPO}`;
  payload["repository"].owner.login = OWNER;
  return payload;
}

describe("merge queue", () => {
  it("checks_requested gets a completed check run on the merge group's head, so the queue never waits", async () => {
    const payload = adaptRepo(example("merge_group", "checks_requested"));
    payload["merge_group"].head_sha = HEAD;
    payload["merge_group"].base_sha = BASE;
    await deliver("merge_group", payload);
    const runs = [...gh.checkRuns.values()];
    // Its pull requests were gated on their own (with their acknowledgements): the queue is informed, not stopped again.
    expect(runs).toEqual([expect.objectContaining({ head_sha: HEAD, status: "completed", conclusion: "neutral" })]);
    expect(runs[0]!.output!.summary).toContain("Each pull request in it was checked on its own");
    expect(gh.requests.some((r) => r.path.startsWith(`/repos/acme/shop/compare/${BASE}...${HEAD}`))).toBe(true);
    expect(gh.comments).toEqual([]);
  });
});

describe("merge queue redelivery", () => {
  it("the same merge-group delivery twice makes one check run", async () => {
    const payload = adaptRepo(example("merge_group", "checks_requested"));
    payload["merge_group"].head_sha = HEAD;
    payload["merge_group"].base_sha = BASE;
    await app.ready;
    await app.probot.receive({ id: "mg-1", name: "merge_group", payload: payload as never });
    await app.probot.receive({ id: "mg-1", name: "merge_group", payload: payload as never });
    expect(gh.checkRuns.size).toBe(1);
  });
});

describe("re-running the check", () => {
  function rerequest(headSha: string, prs: number[]) {
    const payload = adaptRepo(example("check_run", "rerequested"));
    payload["check_run"].head_sha = headSha;
    payload["check_run"].app = { ...payload["check_run"].app, id: APP_ID };
    payload["check_run"].pull_requests = prs.map((number) => ({ number, head: { sha: headSha, ref: "x", repo: {} }, base: { sha: BASE, ref: "main", repo: {} }, id: number, url: "" }));
    return payload;
  }

  beforeEach(() => {
    gh.pulls.set(7, { number: 7, state: "open", draft: false, updated_at: "2026-11-27T10:00:00Z", changed_files: 1, head: { sha: HEAD }, base: { sha: BASE, ref: "main" } });
  });

  it("recomputes the check for the pull request's head, comment included", async () => {
    await deliver("check_run", rerequest(HEAD, [7]));
    expect([...gh.checkRuns.values()]).toEqual([expect.objectContaining({ head_sha: HEAD, conclusion: "action_required" })]);
    expect(gh.comments).toHaveLength(1);
  });

  it("a run named for another base re-runs the pull request into that base, under the same name", async () => {
    const OTHER = "d".repeat(40);
    gh.commit(OTHER, {});
    const main = { sha: BASE, ref: "main", repo: { default_branch: "main" } };
    gh.pulls.set(7, { number: 7, state: "open", draft: false, updated_at: "2026-11-27T10:00:00Z", changed_files: 1, head: { sha: HEAD }, base: main } as never);
    gh.pulls.set(8, { number: 8, state: "open", draft: false, updated_at: "2026-11-27T10:00:00Z", changed_files: 1, head: { sha: HEAD }, base: { sha: OTHER, ref: "old", repo: { default_branch: "main" } } } as never);
    const payload = rerequest(HEAD, [7, 8]);
    payload["check_run"].name = "Threat model (into old)";
    payload["check_run"].pull_requests[1].base = { sha: OTHER, ref: "old", repo: {} };
    await deliver("check_run", payload);
    expect([...gh.checkRuns.values()].map((c) => c.name)).toEqual(["Threat model (into old)"]);
  });

  it("a fork's check run lists no pull request: the open ones are searched by head sha", async () => {
    await deliver("check_run", rerequest(HEAD, []));
    expect([...gh.checkRuns.values()]).toEqual([expect.objectContaining({ head_sha: HEAD, conclusion: "action_required" })]);
    expect(gh.requests.some((r) => r.path.startsWith("/repos/acme/shop/pulls?"))).toBe(true);
  });

  it("re-running an older push's check recomputes that push and leaves the conversation alone", async () => {
    await deliver("check_run", rerequest(OLD, [7]));
    expect([...gh.checkRuns.values()]).toEqual([expect.objectContaining({ head_sha: OLD, status: "completed" })]);
    expect(gh.comments).toEqual([]);
    expect(gh.reviews).toEqual([]);
  });

  it("a commit with no open pull request is reviewed against its parent", async () => {
    gh.pulls.clear();
    gh.parents.set(HEAD, BASE);
    await deliver("check_run", rerequest(HEAD, []));
    expect([...gh.checkRuns.values()]).toEqual([expect.objectContaining({ head_sha: HEAD, status: "completed" })]);
  });

  it("when finding what to re-run fails, a failed check run says why", async () => {
    gh.fail(/\/pulls\/7$/, 500, Infinity);
    await deliver("check_run", rerequest(HEAD, [7]));
    expect([...gh.checkRuns.values()]).toEqual([expect.objectContaining({ head_sha: HEAD, conclusion: "failure" })]);
  });

  it("another App's check run is not ours to re-run", async () => {
    const payload = rerequest(HEAD, [7]);
    payload["check_run"].app.id = 999;
    await deliver("check_run", payload);
    expect(gh.requests).toEqual([]);
  });
});

describe("the App manifest", () => {
  const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
    default_events: string[];
    default_permissions: Record<string, string>;
  };

  it("asks for least privilege", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "read",
      metadata: "read",
      members: "read",
    });
  });

  it("subscribes to the events the App handles", () => {
    expect([...manifest.default_events].sort()).toEqual(["check_run", "issue_comment", "merge_group", "pull_request", "pull_request_review", "push"]);
  });
});
