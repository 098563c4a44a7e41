/**
 * `threat-model-review init` through runInit with a fake Io on temporary directories: what is
 * written and where, what the user reads, and that a model is never overwritten without
 * --force. The bundled demo repository and this project are read in place, with --out into a
 * temporary directory, so nothing is ever written into them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInit, type InitOptions } from "../../src/cli/init.js";
import { CliError, type Io } from "../../src/cli/main.js";
import { INIT_LIMITS, proposeModel, type InitLimits } from "../../src/engine/init/index.js";
import { parseModel } from "../../src/engine/model/parse.js";
import type { ThreatModel } from "../../src/engine/model/types.js";
import { formatDiagnostic } from "../../src/engine/source/diagnostic.js";
import { MONOREPO, describeRepo, type RepoFiles } from "../helpers/init-repos.js";
import { ROOT } from "../helpers/cli.js";

const DEMO = join(ROOT, "fixtures", "demo", "base");
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix = "tmr-init-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function writeTree(dir: string, files: RepoFiles): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A git repository with `files` staged (git ls-files lists the index; no commit needed). */
function gitRepo(files: RepoFiles): string {
  const dir = temp("tmr-init-git-");
  writeTree(dir, files);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "-A"], { cwd: dir });
  return dir;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function init(cwd: string, options: InitOptions, limits?: InitLimits): Promise<Ran> {
  const out = { stdout: "", stderr: "" };
  const io: Io = { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), readStdin: async () => "", cwd };
  const code = await runInit(options, io, limits);
  return { code, ...out };
}

function validModel(path: string): ThreatModel {
  const parsed = parseModel({ path, content: readFileSync(path) });
  if (!parsed.ok) throw new Error(parsed.errors.map(formatDiagnostic).join("\n"));
  expect(parsed.warnings).toEqual([]);
  return parsed.model;
}

describe("init on a git repository", () => {
  it("writes threat-model.yml at the root: the engine's proposal, valid, and says what to do next", async () => {
    const repo = gitRepo(MONOREPO);
    const r = await init(repo, {});
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const written = readFileSync(join(repo, "threat-model.yml"), "utf8");
    expect(written).toBe(proposeModel(describeRepo(MONOREPO)).yaml);
    const model = validModel(join(repo, "threat-model.yml"));
    expect(model.components.map((c) => c.id)).toContain("api.stripe.com");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("wrote threat-model.yml: 4 zones, 10 components (1 actor, 5 process, 2 datastore, 2 external), 9 flows");
    expect(lines[1]).toMatch(/^ {2}from \d+ files \(git ls-files\); \d+ read, 9 of 9 code files$/);
    expect(r.stdout).toContain("  not proposed: localhost, a local address (apps/web/src/api.ts:7)\n");
    expect(r.stdout).toContain('What to do next:\n  1. Review every "# review:" comment in threat-model.yml (23 guesses)');
    expect(r.stdout).toContain("  2. Fill in champions");
    expect(r.stdout).toContain("  4. threat-model-review validate threat-model.yml\n");
  });

  it("never overwrites an existing model: exit 2 with a one-line reason, the file untouched", async () => {
    const repo = gitRepo({ ...MONOREPO, "threat-model.yml": "version: 1\ntrust_zones: [{ id: mine }]\n" });
    const r = await init(repo, {});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("threat-model-review: threat-model.yml already exists; init never overwrites a model (pass --force to replace it)\n");
    expect(readFileSync(join(repo, "threat-model.yml"), "utf8")).toBe("version: 1\ntrust_zones: [{ id: mine }]\n");
  });

  it("replaces it with --force", async () => {
    const repo = gitRepo({ ...MONOREPO, "threat-model.yml": "version: 1\ntrust_zones: [{ id: mine }]\n" });
    const r = await init(repo, { force: true });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("replaced threat-model.yml: ")).toBe(true);
    expect(validModel(join(repo, "threat-model.yml")).title).toBe("acme-platform");
  });

  it("writes to --out (relative to the current directory) and leaves the repository alone", async () => {
    const repo = gitRepo({ ...MONOREPO, "threat-model.yml": "version: 1\ntrust_zones: [{ id: mine }]\n" });
    const cwd = temp();
    const before = readdirSync(repo).sort();
    const r = await init(cwd, { repo, out: "proposal.yml" });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("wrote proposal.yml: ")).toBe(true);
    expect(r.stdout).toContain("Note: the repository already has threat-model.yml; compare the two before replacing anything.\n");
    validModel(join(cwd, "proposal.yml"));
    expect(readdirSync(repo).sort()).toEqual(before);
    // --out is refused like the default when it exists.
    const again = await init(cwd, { repo, out: "proposal.yml" });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^threat-model-review: proposal\.yml already exists; [^\n]*\n$/);
  });

  it("without --repo, writes at the top of the git repository around the current directory", async () => {
    const repo = gitRepo(MONOREPO);
    const r = await init(join(repo, "services", "billing"), {});
    expect(r.code).toBe(0);
    expect(existsSync(join(repo, "threat-model.yml"))).toBe(true);
    expect(existsSync(join(repo, "services", "billing", "threat-model.yml"))).toBe(false);
  });

  it("writes where the repository's config says the model lives", async () => {
    const repo = gitRepo({ ...MONOREPO, ".github/threat-model-review.yml": "model: security/threat-model.yml\n", "security/README.md": "# Security\n" });
    const r = await init(repo, {});
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`wrote ${join("security", "threat-model.yml")}: `)).toBe(true);
    validModel(join(repo, "security", "threat-model.yml"));
    expect(existsSync(join(repo, "threat-model.yml"))).toBe(false);
  });

  it("reads only what its limits allow, and still proposes a valid model", async () => {
    const repo = gitRepo(MONOREPO);
    const r = await init(repo, {}, { ...INIT_LIMITS, maxFiles: 9 });
    expect(r.code).toBe(0);
    // CODEOWNERS, four manifests, the compose file and the Prisma schema come first.
    expect(r.stdout).toMatch(/; 9 read, 2 of 9 code files\n/);
    const model = validModel(join(repo, "threat-model.yml"));
    expect(model.components.map((c) => c.id)).toEqual(expect.arrayContaining(["web", "billing", "notifications", "ui", "ledger"]));
    const small = gitRepo(MONOREPO);
    const tiny = await init(small, {}, { ...INIT_LIMITS, maxFileBytes: 100 });
    expect(tiny.code).toBe(0);
    validModel(join(small, "threat-model.yml"));
  });
});

describe("init on a directory that is not a git repository", () => {
  it("walks it, skipping node_modules, vendor, dist and build, and never follows a symlink", async () => {
    const dir = temp("tmr-init-plain-");
    writeTree(dir, {
      "package.json": '{"name":"plain"}',
      "src/server.js": 'app.get("/", h);\nfetch("https://api.mailgun.net/v3/send");\n',
      "node_modules/dep/index.js": 'fetch("https://api.in-node-modules.com/x");\n',
      "vendor/lib/x.js": 'fetch("https://api.in-vendor.com/x");\n',
      "dist/bundle.js": 'fetch("https://api.in-dist.com/x");\n',
      "build/out.js": 'fetch("https://api.in-build.com/x");\n',
    });
    const outside = temp("tmr-init-outside-");
    writeFileSync(join(outside, "secret.js"), 'fetch("https://api.outside-the-repo.com/x");\n');
    symlinkSync(join(outside, "secret.js"), join(dir, "src", "linked.js"));
    const r = await init(dir, { repo: "." });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(a directory walk\)/);
    const model = validModel(join(dir, "threat-model.yml"));
    expect(model.components.filter((c) => c.type === "external").map((c) => c.id)).toEqual(["api.mailgun.net"]);
    expect(model.components.find((c) => c.id === "app")).toMatchObject({ name: "plain", zone: "dmz", paths: ["src/**", "package.json"] });
  });

  it("refuses a --repo that is not a directory", async () => {
    const dir = temp();
    await expect(init(dir, { repo: "missing" })).rejects.toThrow(CliError);
    await expect(init(dir, { repo: "missing" })).rejects.toThrow("missing is not a directory");
  });
});

describe("init on real repositories, written elsewhere", () => {
  it("proposes a valid model for the bundled demo repository", async () => {
    const out = temp();
    const before = readFileSync(join(DEMO, "threat-model.yml"), "utf8");
    const r = await init(out, { repo: DEMO, out: "demo.yml" });
    expect(r.code).toBe(0);
    const model = validModel(join(out, "demo.yml"));
    expect(model.components.map((c) => [c.id, c.type, c.zone])).toEqual([
      ["browser", "actor", "internet"],
      ["app", "process", "dmz"],
      ["database", "datastore", "internal"],
    ]);
    expect(model.data_flows.map((f) => f.id)).toEqual(["browser-to-app", "app-to-database"]);
    expect(model.trust_zones.find((z) => z.id === "dmz")?.paths).toEqual(["infra/edge/**"]);
    expect(r.stdout).toContain("  not proposed: processor.example, an example domain (src/payments/processor.ts:4)\n");
    expect(readFileSync(join(DEMO, "threat-model.yml"), "utf8")).toBe(before);
    expect(existsSync(join(DEMO, "demo.yml"))).toBe(false);
  });

  it("proposes a valid model for this project itself", async () => {
    const out = temp();
    const before = readFileSync(join(ROOT, "threat-model.yml"), "utf8");
    const r = await init(out, { repo: ROOT, out: "self.yml" });
    expect(r.code).toBe(0);
    const model = validModel(join(out, "self.yml"));
    expect(model.title).toBe("threat-model-review");
    const app = model.components.find((c) => c.id === "app");
    expect(app?.paths).toEqual(expect.arrayContaining(["bin/**", "src/**", "package.json"]));
    // Tests, fixtures (the demo's own migrations) and docs are not part of the proposal.
    expect(model.components.some((c) => c.paths.some((p) => /^(?:test|fixtures|docs)\//.test(p)))).toBe(false);
    expect(readFileSync(join(ROOT, "threat-model.yml"), "utf8")).toBe(before);
    expect(existsSync(join(ROOT, "self.yml"))).toBe(false);
  });
});
