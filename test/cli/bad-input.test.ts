/**
 * Bad input through the real binary: inputs that never end, --out that names an input, a full
 * disk, a closed or full stdout, a change too large for argument spreading, the user's own git
 * settings, and mistakes on the command line. What a user sees each time: exit 2 and one line
 * on stderr that says where and what to do; never a hang, a stack trace or a half-written file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, GIT_ENV, ROOT, commit, git, removeTempDirs, repoWith, tempDir, tmr, write, type Run } from "../helpers/cli.js";
import type { Report } from "../../src/engine/report/types.js";

afterAll(() => {
  removeTempDirs();
});

/** Through a shell, for ulimit. */
function tmrLimited(fileBlocks: number, args: readonly string[], cwd: string): Run {
  const r = spawnSync("bash", ["-c", `ulimit -f ${fileBlocks}; exec "$0" "$@"`, process.execPath, BIN, ...args], { cwd, encoding: "utf8", env: GIT_ENV, timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2, one line on stderr starting with the tool's name, no stack, nothing on stdout. */
function expectOneLineError(r: Run, reason: RegExp): void {
  expect(r.stderr).toMatch(reason);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^threat-model-review: /);
  expect(r.stdout).toBe("");
}

/** Every file in a directory, dot files too: a leftover temporary file shows here. */
function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

const MODEL = `version: 1
title: Test shop
trust_zones:
  - id: internet
    trust: 0
  - id: dmz
    trust: 40
components:
  - id: browser
    type: actor
    zone: internet
  - id: web
    type: process
    zone: dmz
    paths: ["src/web/**"]
data_flows:
  - id: login
    source: browser
    destination: web
    protocol: https
    paths: ["src/web/login.ts"]
`;

const CONFIG = ".github/threat-model-review.yml";
const BASE_FILES = { "threat-model.yml": MODEL, "src/web/login.ts": "export const login = () => true;\n", "README.md": "# shop\n" };

describe("inputs that never end are refused, not read", () => {
  let repo: string;
  beforeAll(() => {
    repo = repoWith(BASE_FILES);
    write(repo, { "empty.txt": "" });
    execFileSync("mkfifo", [join(repo, "pipe")]);
  });

  it("--config /dev/zero", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--config", "/dev/zero"], { cwd: repo }), /cannot read \/dev\/zero: not a file/);
  });

  it("--config and --changed-files naming a FIFO with no writer", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--config", "pipe"], { cwd: repo }), /cannot read pipe: not a file/);
    expectOneLineError(tmr(["status", "--config", "pipe"], { cwd: repo }), /cannot read pipe: not a file/);
    const list = tmr(["check", "--model", "threat-model.yml", "--changed-files", "pipe"], { cwd: repo });
    expectOneLineError(list, /cannot read pipe: not a file; pipe the list to --changed-files - instead/);
  });

  it("the repository's config a symlink to /dev/zero: status, init and check --changed-files stop with its name", () => {
    const dir = repoWith(BASE_FILES);
    mkdirSync(join(dir, ".github"));
    symlinkSync("/dev/zero", join(dir, CONFIG));
    write(dir, { "changed.txt": "src/web/login.ts\n" });
    const reason = /cannot read \.github\/threat-model-review\.yml: not a file/;
    expectOneLineError(tmr(["status"], { cwd: dir }), reason);
    expectOneLineError(tmr(["check", "--model", "threat-model.yml", "--changed-files", "changed.txt"], { cwd: dir }), reason);
    const out = tempDir();
    expectOneLineError(tmr(["init", "--repo", dir, "--out", join(out, "proposal.yml")], { cwd: dir }), reason);
    expect(listing(out)).toEqual([]);
  });

  it("an endless stdin for --changed-files - stops at the limit", () => {
    const zero = openSync("/dev/zero", "r");
    try {
      const r = tmr(["check", "--model", "threat-model.yml", "--changed-files", "-"], { cwd: repo, stdio: [zero, "pipe", "pipe"] });
      expectOneLineError(r, /the changed-files list on stdin is over 16\.0 MiB/);
    } finally {
      closeSync(zero);
    }
  });
});

describe("--out never replaces what the command reads", () => {
  function workspace(): string {
    const dir = tempDir();
    write(dir, { "threat-model.yml": MODEL });
    writeFileSync(join(dir, "src.yaml"), readFileSync(join(ROOT, "fixtures", "interchange", "fleet-telematics.threagile.yaml")));
    return dir;
  }

  it("diagram --out threat-model.yml", () => {
    const dir = workspace();
    expectOneLineError(tmr(["diagram", "--out", "threat-model.yml"], { cwd: dir }), /--out threat-model\.yml is the model itself/);
    expect(readFileSync(join(dir, "threat-model.yml"), "utf8")).toBe(MODEL);
  });

  it("export --out through a symlink to the model", () => {
    const dir = workspace();
    symlinkSync("threat-model.yml", join(dir, "alias.yml"));
    expectOneLineError(tmr(["export", "--to", "otm", "--out", "alias.yml"], { cwd: dir }), /--out alias\.yml is the model itself/);
    expect(readFileSync(join(dir, "threat-model.yml"), "utf8")).toBe(MODEL);
    expect(lstatSync(join(dir, "alias.yml")).isSymbolicLink()).toBe(true);
  });

  it("import --force --out through a symlink to the source", () => {
    const dir = workspace();
    const source = readFileSync(join(dir, "src.yaml"), "utf8");
    symlinkSync("src.yaml", join(dir, "alias.yaml"));
    const r = tmr(["import", "--from", "threagile", "src.yaml", "--out", "alias.yaml", "--force"], { cwd: dir });
    expectOneLineError(r, /--out alias\.yaml is the file being imported/);
    expect(readFileSync(join(dir, "src.yaml"), "utf8")).toBe(source);
  });

  it("init --force --out naming the repository's config", () => {
    const dir = repoWith({ ...BASE_FILES, [CONFIG]: "unmapped: revisit\n" });
    expectOneLineError(tmr(["init", "--force", "--out", CONFIG], { cwd: dir }), /is the repository's config/);
    expect(readFileSync(join(dir, CONFIG), "utf8")).toBe("unmapped: revisit\n");
  });

  it("a directory that does not exist is named", () => {
    const dir = workspace();
    git(dir, "init", "-q");
    const reason = /cannot write nodir\/x\.yml: the directory nodir does not exist/;
    expectOneLineError(tmr(["init", "--out", "nodir/x.yml"], { cwd: dir }), reason);
    expectOneLineError(tmr(["import", "--from", "threagile", "src.yaml", "--out", "nodir/x.yml"], { cwd: dir }), reason);
    expectOneLineError(tmr(["diagram", "--out", "nodir/x.yml"], { cwd: dir }), reason);
    expect(existsSync(join(dir, "nodir"))).toBe(false);
  });
});

describe("a write that fails half-way (a file size limit) leaves nothing behind", () => {
  const commands: [string, string[]][] = [
    ["diagram", ["diagram", "--format", "svg", "--out", "out.txt"]],
    ["export", ["export", "--to", "otm", "--out", "out.txt"]],
    ["import", ["import", "--from", "threagile", "src.yaml", "--force", "--out", "out.txt"]],
    ["init", ["init", "--force", "--out", "out.txt"]],
  ];

  for (const [name, args] of commands) {
    it(`${name}: an existing --out file is untouched, a new one is not created`, () => {
      const dir = repoWith({ "threat-model.yml": readFileSync(join(ROOT, "threat-model.yml"), "utf8") });
      writeFileSync(join(dir, "src.yaml"), readFileSync(join(ROOT, "fixtures", "interchange", "fleet-telematics.threagile.yaml")));
      write(dir, { "src/server.ts": 'fetch("https://api.example-payments.com/v1");\n'.repeat(20) });
      writeFileSync(join(dir, "out.txt"), "the old file\n");
      const before = listing(dir);
      // ulimit -f counts blocks of 1024 bytes in bash: every output here is larger.
      const r = tmrLimited(1, args, dir);
      expect(r.stderr).toMatch(/cannot write out\.txt: file too large .*\(EFBIG\); nothing was written/);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("the old file\n");
      expect(listing(dir)).toEqual(before);

      rmSync(join(dir, "out.txt"));
      const fresh = tmrLimited(1, args, dir);
      expect(fresh.code).toBe(2);
      expect(existsSync(join(dir, "out.txt"))).toBe(false);
      expect(listing(dir)).toEqual(before.filter((f) => f !== "out.txt"));
    });
  }
});

describe("stdout that cannot be written", () => {
  let repo: string;
  beforeAll(() => {
    repo = repoWith(BASE_FILES);
    commit(repo, "a route", { "src/web/routes.ts": 'app.post("/refunds", handler);\n' });
  });

  for (const args of [["signals"], ["validate"], ["check", "--base", "main"]]) {
    it(`${args.join(" ")} > /dev/full: one line on stderr, exit 2`, () => {
      const full = openSync("/dev/full", "w");
      try {
        const r = tmr(args, { cwd: repo, stdio: ["ignore", full, "pipe"] });
        expect(r.stderr).toBe("threat-model-review: cannot write the output: no space left on device (ENOSPC)\n");
        expect(r.code).toBe(2);
      } finally {
        closeSync(full);
      }
    });
  }
});

describe("a large change", () => {
  it("a file of 130,000 calls to as many hosts is reviewed, not a stack overflow", () => {
    const repo = repoWith(BASE_FILES);
    const lines = Array.from({ length: 130_000 }, (_, i) => `fetch("https://x${i + 1}.com");\n`);
    commit(repo, "generated", { "src/web/generated.ts": lines.join("") });
    const r = tmr(["check", "--base", "main", "--format", "json"], { cwd: repo, timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict).toBe("revisit");
    expect(report.signals.length).toBeGreaterThan(100_000);
  }, 90_000);
});

describe("the user's git settings", () => {
  it("diff.submodule=log or diff, prefixes and colour do not break the pairing of files and patches", () => {
    const sub = tempDir();
    git(sub, "init", "-q");
    commit(sub, "one", { "a.txt": "a\n" });
    const repo = tempDir();
    git(repo, "init", "-q");
    write(repo, BASE_FILES);
    git(repo, "submodule", "add", "-q", sub, "vendor/sub");
    commit(repo, "base");
    git(repo, "checkout", "-q", "-b", "feature");
    commit(sub, "two", { "b.txt": "b\n" });
    git(join(repo, "vendor", "sub"), "pull", "-q", "origin", "main");
    commit(repo, "bump and edit", { "src/web/login.ts": "export const login = () => false;\n", "tools/a.sh": "echo a\n", "tools/b.sh": "echo b\n", "tools/c.sh": "echo c\n" });

    for (const mode of ["log", "diff"]) {
      const config = join(tempDir(), "gitconfig");
      writeFileSync(config, `[diff]\n\tsubmodule = ${mode}\n\tnoprefix = true\n\tmnemonicPrefix = true\n\trelative = true\n[color]\n\tui = always\n\tdiff = always\n`);
      const r = tmr(["check", "--base", "main", "--format", "json"], { cwd: repo, env: { ...GIT_ENV, GIT_CONFIG_GLOBAL: config } });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.stats.changedFiles).toBe(5);
      expect(report.unmappedFiles).toEqual(["tools/a.sh", "tools/b.sh", "tools/c.sh", "vendor/sub"]);
    }
  });
});

describe("mistakes on the command line", () => {
  let repo: string;
  beforeAll(() => {
    repo = repoWith(BASE_FILES);
  });

  it("a flag given twice", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--base", "feature"], { cwd: repo }), /--base is given more than once/);
    expectOneLineError(tmr(["diagram", "--format", "svg", "--format=mermaid"], { cwd: repo }), /--format is given more than once/);
  });

  it("--today that is not a calendar date, for check and status", () => {
    for (const day of ["2026-02-30", "2026-99-99", "0000-00-00", "2025-02-29"]) {
      expectOneLineError(tmr(["check", "--base", "main", "--today", day], { cwd: repo }), /--today must be a real date/);
      expectOneLineError(tmr(["status", "--today", day], { cwd: repo }), /--today must be a real date/);
    }
    expect(tmr(["check", "--base", "main", "--today", "2028-02-29"], { cwd: repo }).code).toBe(0);
  });

  it("an explicit --model that does not exist is an error; the default path missing stays NO MODEL", () => {
    expectOneLineError(tmr(["check", "--base", "main", "--model", "nope.yml"], { cwd: repo }), /cannot read nope\.yml: no such file/);
    expectOneLineError(tmr(["status", "--model", "nope.yml"], { cwd: repo }), /cannot read nope\.yml: no such file/);
    const bare = repoWith({ "README.md": "# no model\n" });
    const check = tmr(["check", "--base", "main"], { cwd: bare });
    expect(check.code).toBe(0);
    expect(check.stdout.split("\n")[0]).toBe("Threat model review: NO MODEL");
    const status = tmr(["status"], { cwd: bare });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Threat model health: NO-MODEL/);
  });

  it("status --model is a path from the current directory, as for check", () => {
    const dir = repoWith({ ...BASE_FILES, "security/model.yml": MODEL });
    const r = tmr(["status", "--model", "model.yml", "--format", "json"], { cwd: join(dir, "security") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { model: { path: string } }).model.path).toBe("security/model.yml");
  });

  it("a config path that is a directory is an error, not 'no config'", () => {
    const dir = repoWith(BASE_FILES);
    mkdirSync(join(dir, CONFIG), { recursive: true });
    expectOneLineError(tmr(["check", "--base", "main", "--config", ".github"], { cwd: dir }), /cannot read \.github: not a file/);
    expectOneLineError(tmr(["status"], { cwd: dir }), /cannot read \.github\/threat-model-review\.yml: not a file/);
    write(dir, { "changed.txt": "README.md\n" });
    expectOneLineError(tmr(["check", "--model", "threat-model.yml", "--changed-files", "changed.txt"], { cwd: dir }), /cannot read \.github\/threat-model-review\.yml: not a file/);
  });

  it("-h and --help on a command print that command's usage", () => {
    for (const [command, flag] of [["check", "-h"], ["status", "--help"], ["validate", "--help"], ["import", "-h"]] as const) {
      const r = tmr([command, flag], { cwd: repo });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage:\\n  threat-model-review ${command} `));
      // Only this command's lines: no other command's usage.
      const others = r.stdout.match(/^ {2}threat-model-review (\w+)/gm)!.map((l) => l.trim().split(" ")[1]);
      expect(new Set(others)).toEqual(new Set([command]));
    }
  });
});

describe("what the report is headed and what the error says", () => {
  it("an invalid config is INVALID CONFIG, for check and status", () => {
    const repo = repoWith(BASE_FILES);
    write(repo, { "bad.yml": "unmapped: maybe\n" });
    const check = tmr(["check", "--base", "main", "--config", "bad.yml"], { cwd: repo });
    expect(check.code).toBe(2);
    expect(check.stdout.split("\n")[0]).toBe("Threat model review: INVALID CONFIG");
    expect(check.stdout).toContain("bad.yml:1:");
    const status = tmr(["status", "--config", "bad.yml"], { cwd: repo });
    expect(status.code).toBe(2);
    expect(status.stdout.split("\n")[0]).toMatch(/^Threat model health: INVALID-CONFIG /);
    // A model error keeps its heading.
    commit(repo, "break the model", { "threat-model.yml": MODEL.replace("zone: dmz", "zone: nowhere") });
    expect(tmr(["check", "--base", "main"], { cwd: repo }).stdout.split("\n")[0]).toBe("Threat model review: INVALID MODEL");
  });

  it("a shallow clone without the merge base names the refs and says to fetch", () => {
    const origin = repoWith(BASE_FILES);
    for (const n of [1, 2, 3]) commit(origin, `feature ${n}`, { [`tools/f${n}.sh`]: `echo ${n}\n` });
    git(origin, "checkout", "-q", "main");
    for (const n of [1, 2, 3]) commit(origin, `main ${n}`, { [`docs/m${n}.md`]: `${n}\n` });
    const clone = tempDir();
    git(clone, "clone", "-q", "--depth", "1", "--no-single-branch", `file://${origin}`, ".");
    git(clone, "checkout", "-q", "feature");
    const r = tmr(["check", "--base", "origin/main"], { cwd: clone });
    expectOneLineError(r, /no merge base between origin\/main and HEAD: .*shallow clone.*git fetch --unshallow/);
  });

  it("status in a repository with no commits yet shows the health, without history", () => {
    const dir = tempDir();
    git(dir, "init", "-q");
    write(dir, BASE_FILES);
    const r = tmr(["status"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Threat model health: /);
    expect(r.stdout).toContain("no commits yet");
  });
});
