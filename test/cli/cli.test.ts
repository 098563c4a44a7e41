/**
 * The real binary, end to end: `node bin/threat-model-review.js` on throwaway git
 * repositories, asserting only what a user sees (exit code, stdout, stderr).
 *
 * The binary runs the compiled CLI in dist/, which test/global-setup.ts compiles from src/
 * once before any test file runs (comparing modification times would trust a stale dist/).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_ENV, ROOT, commit, git, removeTempDirs, repoWith, tempDir, tmr, write, type Run } from "../helpers/cli.js";
import type { Report } from "../../src/engine/report/types.js";

beforeAll(() => {
  // test/global-setup.ts compiled src/ to dist/ once for the whole run.
  if (!existsSync(join(ROOT, "dist", "cli", "run.js"))) throw new Error("dist/ is missing: the global setup did not build");
});

afterAll(() => {
  removeTempDirs();
});

function json(r: Run): Report {
  return JSON.parse(r.stdout) as Report;
}

const NOT_A_STACK = /^\s+at /m;

/** A usage or runtime error: exit 2, one line on stderr, no stack, nothing on stdout. */
function expectOneLineError(r: Run, reason: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(NOT_A_STACK);
  expect(r.stderr).not.toContain("    at ");
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^threat-model-review: /);
  expect(r.stderr).toMatch(reason);
  expect(r.stdout).toBe("");
}

// ---------------------------------------------------------------------------------------
// A small shop: a browser on the internet calls the web app in the DMZ (crossing a trust
// boundary); the web app calls an internal API. Line numbers below are counted in this text.

const MODEL = `version: 1
title: Test shop
trust_zones:
  - id: internet
    trust: 0
  - id: dmz
    trust: 40
  - id: internal
    trust: 80
components:
  - id: browser
    type: actor
    zone: internet
  - id: web
    type: process
    zone: dmz
    paths: ["src/web/**"]
  - id: api
    type: process
    zone: internal
    paths: ["src/api/**"]
data_assets:
  - id: session
    classification: confidential
data_flows:
  - id: login
    source: browser
    destination: web
    protocol: https
    data: [session]
    authentication: password
    encrypted: true
    paths: ["src/web/login.ts"]
  - id: web-api
    source: web
    destination: api
    protocol: grpc
`;

/** The model revised as the author would: a flow for the new refunds route. */
const MODEL_REVISED = `${MODEL}  - id: refund-request
    source: browser
    destination: web
    protocol: https
    data: [session]
    authentication: session cookie
    encrypted: true
    paths: ["src/web/routes/refunds.ts"]
`;

const SERVER_BASE = `import express from "express";
// The shop's web server.
// It serves the checkout
// and the login pages.
//
export const app = express();
app.use(express.json());

export default app;
`;

/** Four lines removed above, one route added: line 4 in the new file, line 8 in the old one. */
const SERVER_HEAD = `import express from "express";
export const app = express();
app.use(express.json());
app.get("/health", (req, res) => res.send("ok"));

export default app;
`;
const SERVER_ROUTE_LINE = 4;

const BASE_FILES: Record<string, string> = {
  "threat-model.yml": MODEL,
  "src/web/server.ts": SERVER_BASE,
  "src/web/login.ts": "export const login = () => true;\n",
  "src/api/index.ts": "export const api = 1;\n",
  "README.md": "# shop\n",
};

/** The route is on line 6 of the new file. */
const REFUNDS = `import { Router } from "express";

export const refundsRouter = Router();

// Customers can ask for a refund.
refundsRouter.post("/refunds/:orderId", async (req, res) => {
  res.status(202).json({ ok: true });
});
`;
const ROUTE_LINE = 6;

function featureRepo(): string {
  const repo = repoWith(BASE_FILES);
  commit(repo, "refunds route", {
    "src/web/routes/refunds.ts": REFUNDS,
    "src/web/server.ts": SERVER_HEAD,
    // Unmapped files, written in reverse order, to see that the report sorts them.
    "tools/zeta.sh": "echo zeta\n",
    "tools/alpha.sh": "echo alpha\n",
  });
  return repo;
}

function expectSorted(list: readonly string[]): void {
  expect([...list]).toEqual([...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe("check --base main --head feature", () => {
  let repo: string;
  beforeAll(() => {
    repo = featureRepo();
  });

  it("a new Express route in a component with a crossing flow: exit 1, REVISIT with file:line", () => {
    const r = tmr(["check", "--base", "main", "--head", "feature"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("Threat model review: REVISIT");
    expect(r.stdout).toContain(`src/web/routes/refunds.ts:${ROUTE_LINE}`);
    expect(r.stdout).toContain(`src/web/server.ts:${SERVER_ROUTE_LINE}`);
    expect(r.stdout).toContain("http-route");
    expect(r.stdout).toContain("Findings (2 open, 0 covered");
  });

  it("--format json: verdict revisit, a signal finding with file and line in the new file, sorted lists", () => {
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json", "--today", "2026-11-27"], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = json(r);
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict).toBe("revisit");
    expect(report.today).toBe("2026-11-27");
    expect(report.findings.map((f) => [f.kind, f.signal, f.file, f.line])).toEqual([
      ["signal", "http-route", "src/web/routes/refunds.ts", ROUTE_LINE],
      ["signal", "http-route", "src/web/server.ts", SERVER_ROUTE_LINE],
    ]);
    const signal = report.findings.find((f) => f.kind === "signal" && f.file === "src/web/routes/refunds.ts");
    expect(signal).toBeDefined();
    expect(signal).toMatchObject({
      kind: "signal",
      signal: "http-route",
      file: "src/web/routes/refunds.ts",
      line: ROUTE_LINE,
      lines: [ROUTE_LINE],
      elements: ["web"],
      covered: false,
      removed: false,
    });
    // The question is asked of the crossing flow into the component.
    expect(signal!.questionFlows).toEqual(["login"]);
    // A modified file: the line is counted in the new file (line 8 in the old one).
    expect(report.findings[1]).toMatchObject({ file: "src/web/server.ts", line: SERVER_ROUTE_LINE, lines: [SERVER_ROUTE_LINE] });
    expect(report.signals).toEqual([
      expect.objectContaining({ id: "http-route", file: "src/web/routes/refunds.ts", line: ROUTE_LINE, component: "web" }),
      expect.objectContaining({ id: "http-route", file: "src/web/server.ts", line: SERVER_ROUTE_LINE, component: "web" }),
    ]);
    expect(report.components.map((c) => [c.id, c.files])).toEqual([["web", ["src/web/routes/refunds.ts", "src/web/server.ts"]]]);
    expect(report.unmappedFiles).toEqual(["tools/alpha.sh", "tools/zeta.sh"]);
    // Both flows of the component are concerned; each crosses a boundary.
    expect(signal!.flows).toEqual(["login", "web-api"]);
    expect(report.boundaries).toEqual([
      { zones: ["dmz", "internal"], flows: ["web-api"] },
      { zones: ["dmz", "internet"], flows: ["login"] },
    ]);
    expect(report.stats).toMatchObject({ changedFiles: 4, mappedFiles: 2, unmappedFiles: 2, findings: 2, uncovered: report.findings.filter((f) => !f.covered).length });
    // Every list is sorted.
    expectSorted(report.findings.map((f) => f.key));
    expectSorted(report.components.map((c) => c.id));
    expectSorted(report.flows.map((f) => f.id));
    expectSorted(report.zones.map((z) => z.id));
    expectSorted(report.unmappedFiles);
    expectSorted(report.signals.map((s) => `${s.id}\u0000${s.file}`));
    for (const c of report.components) expectSorted(c.files);
  });

  it("--format markdown starts with the verdict line", () => {
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "markdown"], { cwd: repo });
    expect(r.code).toBe(1);
    const first = r.stdout.split("\n")[0]!;
    expect(first).toBe("⚠️ **Revisit the threat model**: 2 findings of 2 are not covered by a model update; 2 trust boundaries touched.");
    expect(r.stdout).toContain("refunds.ts");
  });

  it("--head defaults to HEAD (the checked-out feature branch)", () => {
    const r = tmr(["check", "--base", "main", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(1);
    expect(json(r).verdict).toBe("revisit");
  });

  it("--repo points at the repository from elsewhere", () => {
    const r = tmr(["check", "--repo", repo, "--base", "main", "--head", "feature", "--format", "json"], { cwd: tmpdir() });
    expect(r.code).toBe(1);
    expect(json(r).verdict).toBe("revisit");
  });
});

describe("the change revises the model", () => {
  it("adding a flow of the component covers the route: exit 0, pass, every finding covered", () => {
    const repo = featureRepo();
    commit(repo, "model the refund flow", { "threat-model.yml": MODEL_REVISED });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.verdict).toBe("pass");
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.covered)).toBe(true);
    expect(report.findings.filter((f) => f.kind === "signal").map((f) => [f.file, f.covered])).toEqual([
      ["src/web/routes/refunds.ts", true],
      ["src/web/server.ts", true],
    ]);
    expect(report.model.changed).toBe(true);
    expect(report.modelChanges).toEqual([expect.objectContaining({ change: "added", kind: "flow", id: "refund-request" })]);
    expect(report.stats.uncovered).toBe(0);

    const text = tmr(["check", "--base", "main", "--head", "feature"], { cwd: repo });
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe("Threat model review: PASS");
  });
});

describe("changes the review does not look at", () => {
  it("only docs, markdown and tests: exit 0, pass", () => {
    const repo = repoWith(BASE_FILES);
    commit(repo, "docs and tests", {
      "docs/guide.txt": "How to run the shop\n",
      "CHANGELOG.md": "- refunds\n",
      "src/web/notes.md": "notes\n",
      "src/web/tests/refunds.ts": REFUNDS,
      "src/web/routes/refunds.test.ts": REFUNDS,
    });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.verdict).toBe("pass");
    expect(report.findings).toEqual([]);
    expect(report.signals).toEqual([]);
    expect(report.stats).toMatchObject({ changedFiles: 5, ignoredFiles: 5, mappedFiles: 0, unmappedFiles: 0 });
  });

  it("no model at the base or the head: exit 0, no-model", () => {
    const files = { ...BASE_FILES };
    delete files["threat-model.yml"];
    const repo = repoWith(files);
    commit(repo, "route", { "src/web/routes/refunds.ts": REFUNDS });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(json(r).verdict).toBe("no-model");

    const text = tmr(["check", "--base", "main", "--head", "feature"], { cwd: repo });
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe("Threat model review: NO MODEL");
  });
});

describe("the model at the head", () => {
  it("a flow whose source does not exist: exit 2, JSON on stdout with invalid-model and the exact position", () => {
    const repo = featureRepo();
    // Line 27 of MODEL is `    source: browser` of flow "login"; the value starts at column 13.
    const lines = MODEL.split("\n");
    expect(lines[26]).toBe("    source: browser");
    lines[26] = "    source: browzer";
    commit(repo, "typo", { "threat-model.yml": lines.join("\n") });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(2);
    const report = json(r);
    expect(report.verdict).toBe("invalid-model");
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: "threat-model.yml", line: 27, column: 13 });
    expect(report.errors[0]!.message).toContain("browzer");
    expect(report.findings).toEqual([]);

    const text = tmr(["check", "--base", "main", "--head", "feature"], { cwd: repo });
    expect(text.code).toBe(2);
    expect(text.stdout.split("\n")[0]).toBe("Threat model review: INVALID MODEL");
    expect(text.stdout).toContain("threat-model.yml:27:13:");
  });

  it("the model file deleted by the change: exit 1, a model-removed finding", () => {
    const repo = featureRepo();
    git(repo, "rm", "-q", "threat-model.yml");
    commit(repo, "drop the model");
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.verdict).toBe("revisit");
    expect(report.findings.find((f) => f.kind === "model-removed")).toMatchObject({ kind: "model-removed", file: "threat-model.yml", covered: false });
    expect(report.model.changed).toBe(true);
  });
});

describe("renames", () => {
  it("a file moved out of a component's paths is still reported under the component", () => {
    const repo = repoWith({ ...BASE_FILES, "src/web/cart.ts": "export const cart = [];\n".repeat(20) });
    mkdirSync(join(repo, "lib"));
    git(repo, "mv", "src/web/cart.ts", "lib/cart.ts");
    commit(repo, "move cart");
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.components.map((c) => [c.id, c.files])).toEqual([["web", ["lib/cart.ts"]]]);
    expect(report.unmappedFiles).toEqual([]);
    expect(report.stats).toMatchObject({ changedFiles: 1, mappedFiles: 1 });
  });
});

describe("the config comes from the base", () => {
  const CONFIG = ".github/threat-model-review.yml";

  it("the base config applies (unmapped: revisit), a config change on the branch does not", () => {
    const repo = repoWith({ ...BASE_FILES, [CONFIG]: "unmapped: revisit\n" });
    commit(repo, "a tool, and a relaxed config", {
      "tools/deploy.sh": "echo deploy\n",
      [CONFIG]: 'unmapped: report\nignore: ["**"]\n',
    });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.verdict).toBe("revisit");
    expect(report.findings).toEqual([expect.objectContaining({ kind: "unmapped", file: "tools/deploy.sh", covered: false })]);
    expect(report.stats).toMatchObject({ ignoredFiles: 0, policyFiles: 1 });
  });

  it("without the base config the same change passes (the default only lists unmapped files)", () => {
    const repo = repoWith(BASE_FILES);
    commit(repo, "a tool", { "tools/deploy.sh": "echo deploy\n", [CONFIG]: "unmapped: revisit\n" });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.verdict).toBe("pass");
    expect(report.unmappedFiles).toEqual(["tools/deploy.sh"]);
  });
});

describe("check --changed-files with --model (no git)", () => {
  const NOTICE = /signals were not scanned/i;

  function plainDir(): string {
    const dir = tempDir();
    write(dir, { "threat-model.yml": MODEL });
    return dir;
  }

  it("a list file: the login flow crosses a boundary, exit 1, with the notice", () => {
    const dir = plainDir();
    write(dir, { "changed.txt": "src/web/login.ts\n./tools/x.sh\n\n" });
    const r = tmr(["check", "--model", "threat-model.yml", "--changed-files", "changed.txt", "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.verdict).toBe("revisit");
    expect(report.notices.some((n) => NOTICE.test(n))).toBe(true);
    expect(report.signals).toEqual([]);
    expect(report.findings.map((f) => f.kind)).toEqual(["boundary-flow"]);
    expect(report.findings[0]).toMatchObject({ elements: ["login"], file: "src/web/login.ts" });
    expect(report.unmappedFiles).toEqual(["tools/x.sh"]);

    const text = tmr(["check", "--model", "threat-model.yml", "--changed-files", "changed.txt"], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/REVISIT/);
    expect(text.stdout).toMatch(NOTICE);
  });

  it("a list on stdin (-): a route file, but no diff, so no signal: exit 0, pass, with the notice", () => {
    const dir = plainDir();
    const r = tmr(["check", "--model", "threat-model.yml", "--changed-files", "-"], { cwd: dir, input: "src/web/routes/refunds.ts\r\nsrc/api/index.ts\n" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Threat model review: PASS");
    expect(r.stdout).toMatch(NOTICE);

    const j = tmr(["check", "--model", "threat-model.yml", "--changed-files", "-", "--format", "json"], { cwd: dir, input: "src/web/routes/refunds.ts\n" });
    expect(j.code).toBe(0);
    const report = json(j);
    expect(report.verdict).toBe("pass");
    expect(report.components.map((c) => c.id)).toEqual(["web"]);
  });

  it("--changed-files without --model is a usage error", () => {
    const r = tmr(["check", "--changed-files", "-"], { cwd: plainDir(), input: "a.ts\n" });
    expectOneLineError(r, /--model/);
  });

  it("a path that leaves the repository is refused", () => {
    const r = tmr(["check", "--model", "threat-model.yml", "--changed-files", "-"], { cwd: plainDir(), input: "../etc/passwd\n" });
    expectOneLineError(r, /not a repository-relative path/);
  });
});

describe("validate", () => {
  it("a valid model: exit 0 and a summary line on stdout", () => {
    const dir = tempDir();
    write(dir, { "threat-model.yml": MODEL });
    const r = tmr(["validate"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("threat-model.yml: valid (3 zones, 3 components, 2 flows, 1 data assets, 0 threats)\n");
    expect(r.stderr).toBe("");
  });

  it("a valid model named by path", () => {
    const dir = tempDir();
    write(dir, { "security/model.yml": MODEL });
    const r = tmr(["validate", "security/model.yml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^security\/model\.yml: valid \(/);
  });

  it("an invalid model: exit 2, stderr lines threat-model.yml:LINE:COL: message", () => {
    const dir = tempDir();
    const lines = MODEL.split("\n");
    expect(lines[12]).toBe("    zone: internet"); // component browser, line 13
    lines[12] = "    zone: nowhere";
    expect(lines[27]).toBe("    destination: web"); // flow login, line 28
    lines[27] = "    destination: ghost";
    write(dir, { "threat-model.yml": lines.join("\n") });
    const r = tmr(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("    at ");
    const out = r.stderr.trimEnd().split("\n");
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^threat-model\.yml:13:11: .*"nowhere"/);
    expect(out[1]).toMatch(/^threat-model\.yml:28:18: .*"ghost"/);
    expect(out[2]).toBe("threat-model.yml: 2 errors");
    for (const line of out.slice(0, 2)) {
      expect(line).toMatch(/^threat-model\.yml:\d+:\d+: \S/);
      expect(line).not.toContain("undefined");
    }
  });

  it("a YAML syntax error is located too", () => {
    const dir = tempDir();
    write(dir, { "threat-model.yml": "version: 1\ntrust_zones:\n  - id: a\n    name: [unclosed\n" });
    const r = tmr(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    const out = r.stderr.trimEnd().split("\n");
    expect(out[0]).toMatch(/^threat-model\.yml:\d+:\d+: \S/);
    expect(out.at(-1)).toMatch(/^threat-model\.yml: \d+ errors?$/);
    expect(r.stderr).not.toContain("    at ");
  });

  it("a missing model file: exit 2, one line", () => {
    expectOneLineError(tmr(["validate", "nope.yml"], { cwd: tempDir() }), /nope\.yml/);
  });
});

describe("usage errors: exit 2, a one-line reason, no stack trace", () => {
  let repo: string;
  beforeAll(() => {
    repo = featureRepo();
  });

  it("an unknown command", () => {
    expectOneLineError(tmr(["frobnicate"], { cwd: repo }), /unknown command "frobnicate"/);
  });

  it("an unknown flag", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--bogus"], { cwd: repo }), /--bogus/);
  });

  it("check without --base", () => {
    expectOneLineError(tmr(["check"], { cwd: repo }), /--base/);
  });

  it("an unknown ref", () => {
    expectOneLineError(tmr(["check", "--base", "no-such-branch", "--head", "feature"], { cwd: repo }), /no-such-branch/);
    expectOneLineError(tmr(["check", "--base", "main", "--head", "no-such-head"], { cwd: repo }), /no-such-head/);
  });

  it("a ref that looks like an option", () => {
    expectOneLineError(tmr(["check", "--base=--output=/tmp/x", "--head", "feature"], { cwd: repo }), /not a ref/);
  });

  it("--format xml", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--format", "xml"], { cwd: repo }), /--format/);
  });

  it("a bad --today", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--today", "2026-02-30x"], { cwd: repo }), /--today/);
  });

  it("a --repo that does not exist", () => {
    expectOneLineError(tmr(["check", "--repo", "/no/such/dir", "--base", "main"], { cwd: repo }), /\/no\/such\/dir is not a directory/);
  });

  it("outside a git repository", () => {
    expectOneLineError(tmr(["check", "--base", "main"], { cwd: tempDir() }), /not inside a git repository/);
  });

  it("no arguments prints the usage and exits 2; --help exits 0", () => {
    const none = tmr([], { cwd: repo });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^threat-model-review: /);
    const help = tmr(["--help"], { cwd: repo });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
  });
});

describe("type changes", () => {
  it("a file turned into a symlink is one change, not a pairing error", () => {
    const repo = repoWith(BASE_FILES);
    const target = join(repo, "src", "web", "login.ts");
    rmSync(target);
    symlinkSync("../../README.md", target);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "symlink");
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.code);
    expect(json(r).stats.changedFiles).toBe(1);
  });
});

describe("file names", () => {
  it("spaces and unicode in a changed file name are reported as written", () => {
    const repo = repoWith(BASE_FILES);
    const name = "src/web/routes/rückerstattung über alles.ts";
    const other = "tools/déploiement 🚀.sh";
    commit(repo, "unicode", { [name]: REFUNDS, [other]: "echo go\n" });
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.components.map((c) => [c.id, c.files])).toEqual([["web", [name]]]);
    expect(report.unmappedFiles).toEqual([other]);
    expect(report.findings.find((f) => f.kind === "signal")).toMatchObject({ file: name, line: ROUTE_LINE });

    const text = tmr(["check", "--base", "main", "--head", "feature"], { cwd: repo });
    expect(text.stdout).toContain(`${name}:${ROUTE_LINE}`);
  });
});

describe("long output", () => {
  it("a JSON report of thousands of files reaches a pipe whole", () => {
    const repo = repoWith(BASE_FILES);
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`tools/generated/file-${String(i).padStart(4, "0")}-${"x".repeat(40)}.sh`] = `echo ${i}\n`;
    commit(repo, "many files", files);
    const r = tmr(["check", "--base", "main", "--head", "feature", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(200_000);
    const report = json(r);
    expect(report.unmappedFiles).toHaveLength(3000);
    expectSorted(report.unmappedFiles);
  });
});

describe("the demos", () => {
  it("npm run demo:cli (dist/demo/cli.js) exits 0 and shows a REVISIT step then a PASS step", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "dist", "demo", "cli.js")], { cwd: ROOT, encoding: "utf8", env: GIT_ENV, timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    const step1 = r.stdout.indexOf("== Step 1");
    const step2 = r.stdout.indexOf("== Step 2");
    expect(step1).toBeGreaterThanOrEqual(0);
    expect(step2).toBeGreaterThan(step1);
    expect(r.stdout.slice(step1, step2)).toContain("Threat model review: REVISIT");
    expect(r.stdout.slice(step1, step2)).toContain("(exit code 1)");
    expect(r.stdout.slice(step2)).toContain("Threat model review: PASS");
    expect(r.stdout.slice(step2)).toContain("(exit code 0)");
  });

  it("npm run demo (dist/demo/main.js) runs the real App against the local GitHub: blocked, revised, approved", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "dist", "demo", "main.js")], { cwd: ROOT, encoding: "utf8", env: GIT_ENV, timeout: 120_000 });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const steps = ["== 1.", "== 2.", "== 3."].map((s) => r.stdout.indexOf(s));
    expect(steps[0]).toBeGreaterThanOrEqual(0);
    expect(steps[1]).toBeGreaterThan(steps[0]!);
    expect(steps[2]).toBeGreaterThan(steps[1]!);
    const [one, two, three] = [r.stdout.slice(steps[0], steps[1]), r.stdout.slice(steps[1], steps[2]), r.stdout.slice(steps[2])];
    expect(one).toMatch(/check run "Threat model" on \w+: action_required/);
    expect(one).toContain("summary comment (posted)");
    expect(one).toMatch(/\d+ inline prompts?/);
    expect(two).toContain("awaits a security champion");
    expect(two).toContain("summary comment (edited in place)");
    expect(three).toMatch(/check run "Threat model" on \w+: success/);
    const page = readFileSync(join(ROOT, "demo-output", "index.html"), "utf8");
    expect(page).toContain("<svg");
    expect(page).toContain("Threat model review");
  });
});
