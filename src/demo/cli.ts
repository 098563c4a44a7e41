/**
 * npm run demo:cli: the review on the bundled example with the CLI, offline. It builds a throwaway git
 * repository from fixtures/demo (the shop as it is, then a pull request that adds a refunds
 * route and a refund call to the card processor), runs the same `check` command a user
 * runs, then revises the model as the author would and runs it again.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../cli/main.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/demo/", import.meta.url));

function git(repo: string, ...args: string[]): void {
  execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    stdio: "ignore",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Demo Author",
      GIT_AUTHOR_EMAIL: "author@acme.example",
      GIT_COMMITTER_NAME: "Demo Author",
      GIT_COMMITTER_EMAIL: "author@acme.example",
      GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z",
      GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z",
    },
  });
}

async function check(repo: string, write: (s: string) => void): Promise<number> {
  return main(["check", "--repo", repo, "--base", "main", "--head", "add-refunds"], {
    stdout: write,
    stderr: (s) => process.stderr.write(s),
    readStdin: async () => "",
    cwd: repo,
  });
}

export async function runDemo(write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<number[]> {
  const repo = mkdtempSync(join(tmpdir(), "tmr-demo-"));
  try {
    cpSync(join(FIXTURE, "base"), repo, { recursive: true });
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Acme Shop checkout");
    git(repo, "checkout", "-q", "-b", "add-refunds");
    cpSync(join(FIXTURE, "pr"), repo, { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Let customers ask for refunds");

    write("== Step 1: the pull request as opened (a refunds route and a refund call to the card processor)\n");
    write("$ threat-model-review check --base main --head add-refunds\n\n");
    const first = await check(repo, write);
    write(`\n(exit code ${first})\n\n`);

    cpSync(join(FIXTURE, "revision"), repo, { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Model the refund flow and its threat");
    write("== Step 2: the author revises threat-model.yml (a refund-request flow and a refund-fraud threat)\n");
    write("$ threat-model-review check --base main --head add-refunds\n\n");
    const second = await check(repo, write);
    write(`\n(exit code ${second})\n`);
    return [first, second];
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  runDemo().then(
    (codes) => {
      // The demo succeeded when both reviews ran; their verdicts are the point, not failures.
      process.exitCode = codes.every((c) => c === 0 || c === 1) ? 0 : 1;
    },
    (e: unknown) => {
      process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
