/**
 * `threat-model-review status` on a temporary repository with a history: the real binary,
 * real git, commits dated around the components' reviews.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthReport } from "../../src/engine/health/health.js";
import { BIN } from "../helpers/cli.js";

const ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.test" };

const MODEL = `version: 1
title: Shop
reviewed_at: 2026-06-01
champions: [alice]
trust_zones:
  - { id: internet, trust: 0 }
  - { id: internal, trust: 80 }
components:
  - { id: users, type: actor, zone: internet }
  - { id: web, type: process, zone: internal, paths: ["web/**"], reviewed_at: 2026-10-01 }
  - { id: api, type: process, zone: internal, paths: ["api/**"] }
  - { id: jobs, type: process, zone: internal }
data_flows:
  - { id: requests, source: users, destination: web, protocol: https, reviewed_at: 2026-11-01 }
threats:
  - { id: low-one, targets: [web], likelihood: low, impact: low, status: open }
  - { id: worst, targets: [api], likelihood: very-high, impact: high, status: investigating }
  - { id: done, targets: [api], likelihood: high, impact: high, status: mitigated }
`;

let repo: string;

function commitAt(date: string, files: Record<string, string>, message: string) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  execFileSync("git", ["add", "-A"], { cwd: repo, env: ENV });
  execFileSync("git", ["commit", "-q", "-m", message], { cwd: repo, env: { ...ENV, GIT_AUTHOR_DATE: `${date}T12:00:00Z`, GIT_COMMITTER_DATE: `${date}T12:00:00Z` } });
}

function status(args: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "status", "--today", "2026-11-27", ...args], { cwd: repo, encoding: "utf8", env: ENV });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "tmr-status-"));
  execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: repo, env: ENV });
  commitAt("2026-05-01", { "threat-model.yml": MODEL, ".github/threat-model-review.yml": "max_age_days: 90\n", "web/a.ts": "1\n", "api/a.ts": "1\n" }, "start");
  commitAt("2026-09-15", { "web/a.ts": "2\n" }, "web before its review");
  commitAt("2026-10-01", { "web/b.ts": "1\n" }, "web on its review day");
  commitAt("2026-10-05", { "web/a.ts": "3\n", "api/a.ts": "2\n" }, "both after");
  commitAt("2026-11-20", { "web/c.ts": "1\n", "tools/gen.sh": "echo\n", "docs/x.md": "x\n" }, "web again, and an unmapped folder");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("threat-model-review status", () => {
  it("counts commits touching each component's paths since its review", () => {
    const r = status(["--format", "json"]);
    expect(r.code).toBe(0);
    const h = JSON.parse(r.stdout) as HealthReport;
    expect(h.drift).toEqual([
      // web reviewed 2026-10-01: the commits of 10-05 and 11-20 (not the one on the review day).
      { id: "api", name: "api", since: "2026-06-01", commits: 1 },
      { id: "web", name: "web", since: "2026-10-01", commits: 2 },
    ].sort((a, b) => b.commits - a.commits || a.id.localeCompare(b.id)));
  });

  it("lists stale reviews, open threats riskiest first, components without paths and unmapped folders", () => {
    const h = JSON.parse(status(["--format", "json"]).stdout) as HealthReport;
    expect(h.status).toBe("attention");
    // max_age_days 90: api falls back to the model's 2026-06-01 (179 days); web (57) and the flow (26) are fresh.
    expect(h.stale.map((s) => [s.kind, s.id, s.ageDays])).toEqual([["component", "api", 179], ["component", "jobs", 179]]);
    expect(h.openThreats.map((t) => [t.id, t.risk])).toEqual([["worst", "high"], ["low-one", "low"]]);
    expect(h.componentsWithoutPaths).toEqual([{ id: "jobs", name: "jobs", type: "process" }]);
    expect(h.unmappedFolders).toEqual(["tools"]);
  });

  it("prints a terminal report", () => {
    const r = status();
    expect(r.stdout).toMatch(/^Threat model health: ATTENTION/);
    expect(r.stdout).toContain("      2  web (since 2026-10-01)");
    expect(r.stdout).toContain("  tools/");
  });

  it("an invalid model exits 2 with its errors", () => {
    writeFileSync(join(repo, "threat-model.yml"), MODEL.replace("zone: internal, paths: [\"web/**\"]", "zone: nowhere, paths: [\"web/**\"]"));
    try {
      const r = status();
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('threat-model.yml:10:');
      expect(r.stdout).toContain('zone "nowhere" does not exist');
    } finally {
      writeFileSync(join(repo, "threat-model.yml"), MODEL);
    }
  });

  it("shows the model's and the config's warnings, in text and markdown", () => {
    writeFileSync(join(repo, "threat-model.yml"), `${MODEL}colour: blue\n`);
    writeFileSync(join(repo, ".github/threat-model-review.yml"), "max_age_days: 90\nmodle: x.yml\n");
    try {
      for (const format of ["text", "markdown"]) {
        const r = status(["--format", format]);
        expect(r.code).toBe(0);
        // Markdown escapes punctuation: read it as a person would.
        const shown = r.stdout.replace(/\\/g, "");
        expect(shown).toContain('unknown top-level key "colour"');
        expect(shown).toContain('unknown setting "modle"');
      }
    } finally {
      writeFileSync(join(repo, "threat-model.yml"), MODEL);
      writeFileSync(join(repo, ".github/threat-model-review.yml"), "max_age_days: 90\n");
    }
  });
});
