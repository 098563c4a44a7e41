/**
 * What the tests of the real binary share: where it is, how to run it, throwaway directories,
 * and git without the user's or the system's config, with a fixed identity and fixed dates, so
 * fixtures are the same everywhere.
 */
import { execFileSync, spawnSync, type StdioOptions } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = join(ROOT, "bin", "threat-model-review.js");

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.test",
  GIT_COMMITTER_NAME: "Test Author",
  GIT_COMMITTER_EMAIL: "author@example.test",
  GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z",
  GIT_TERMINAL_PROMPT: "0",
};
delete GIT_ENV["TMR_DEBUG"];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The binary, killed after `timeout` ms (a hang fails the test instead of stalling the run).
 * Without `stdio`, `input` (default: nothing) is its stdin.
 */
export function tmr(args: readonly string[], options: { cwd: string; input?: string; stdio?: StdioOptions; env?: NodeJS.ProcessEnv; timeout?: number }): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    env: options.env ?? GIT_ENV,
    timeout: options.timeout ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.stdio ? { stdio: options.stdio } : { input: options.input ?? "" }),
  });
  if (r.error) throw new Error(`threat-model-review ${args.join(" ")}: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const temps: string[] = [];

/** A fresh directory, removed by `removeTempDirs` (call it from the file's afterAll). */
export function tempDir(prefix = "tmr-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function git(repo: string, ...args: string[]): string {
  const config = ["init.defaultBranch=main", "commit.gpgsign=false", "core.quotePath=false", "protocol.file.allow=always"].flatMap((c) => ["-c", c]);
  return execFileSync("git", [...config, ...args], { cwd: repo, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function commit(repo: string, message: string, files: Record<string, string> = {}): void {
  write(repo, files);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "--allow-empty", "-m", message);
}

/** A repository whose main branch holds `files`, checked out on a new branch `feature`. */
export function repoWith(files: Record<string, string>, prefix?: string): string {
  const repo = tempDir(prefix);
  git(repo, "init", "-q");
  commit(repo, "base", files);
  git(repo, "checkout", "-q", "-b", "feature");
  return repo;
}
