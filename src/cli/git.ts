/**
 * Reading a local git repository for the CLI: refs, files at a ref, and the changed files
 * with patches between two refs. git runs without a shell, with user settings that would
 * change its output (colour, prefixes, external diff tools) switched off.
 */
import { execFile, spawn } from "node:child_process";
import { statSync } from "node:fs";
import type { ChangedFile, ChangeStatus } from "../engine/index.js";

const MAX_BUFFER = 1024 * 1024 * 1024;
/**
 * The user's settings that change what git prints, pinned: quoting, prefixes, colour, how a
 * submodule change is shown (log or diff would print a patch with no header, or extra ones),
 * diffs relative to a subdirectory, rename detection, signatures in logs. External diff drivers
 * and text conversion are off through --no-ext-diff and --no-textconv.
 */
const SAFE = [
  "-c", "core.quotePath=false",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "diff.relative=false",
  "-c", "diff.submodule=short",
  "-c", "diff.ignoreSubmodules=none",
  "-c", "diff.renames=true",
  "-c", "diff.suppressBlankEmpty=false",
  "-c", "color.ui=never",
  "-c", "color.diff=never",
  "-c", "core.pager=cat",
  "-c", "log.showSignature=false",
];
/** Environment variables that would do the same. */
const UNSAFE_ENV = ["GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_DIFF_PATH_COUNTER", "GIT_DIFF_PATH_TOTAL"];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  for (const name of UNSAFE_ENV) delete env[name];
  return env;
}

export class GitError extends Error {}

export function git(repo: string, args: readonly string[], options: { allowFail?: boolean } = {}): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...SAFE, ...args],
      { cwd: repo, maxBuffer: MAX_BUFFER, encoding: "buffer", env: gitEnv() },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : -1;
          if (options.allowFail && code > 0) return resolve({ stdout, code });
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return reject(new GitError("git is not installed or not on PATH"));
          const message = stderr.toString("utf8").trim().split("\n")[0] || error.message;
          return reject(new GitError(`git ${args[0]} failed: ${message}`));
        }
        resolve({ stdout, code: 0 });
      },
    );
  });
}

export async function repoRoot(dir: string): Promise<string> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new GitError(`${dir} is not a directory`);
  const { stdout, code } = await git(dir, ["rev-parse", "--show-toplevel"], { allowFail: true });
  if (code !== 0) throw new GitError(`${dir} is not inside a git repository`);
  return stdout.toString("utf8").trim();
}

export async function resolveCommit(repo: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new GitError(`"${ref}" is not a ref`);
  const { stdout, code } = await git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { allowFail: true });
  if (code !== 0) throw new GitError(`unknown ref "${ref}" in ${repo}`);
  return stdout.toString("utf8").trim();
}

/** A file's bytes at a commit, or null when the commit has no such file. */
export async function readAt(repo: string, commit: string, path: string): Promise<Uint8Array | null> {
  const { stdout, code } = await git(repo, ["cat-file", "blob", `${commit}:${path}`], { allowFail: true });
  return code === 0 ? new Uint8Array(stdout) : null;
}

const STATUS: Record<string, ChangeStatus> = {
  A: "added",
  M: "modified",
  D: "removed",
  R: "renamed",
  C: "copied",
  T: "changed",
};

/** Changed files between the merge base of `base` and `head`, and `head` (git diff base...head). */
export async function changedFiles(repo: string, base: string, head: string): Promise<ChangedFile[]> {
  const range = `${base}...${head}`;
  const common = ["--no-color", "--no-ext-diff", "--no-textconv", "-M", "--src-prefix=a/", "--dst-prefix=b/"];
  const names = await git(repo, ["diff", ...common, "--name-status", "-z", range]);
  const fields = names.stdout.toString("utf8").split("\0");
  const entries: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++];
    if (!code) continue;
    const status = STATUS[code[0]!];
    if (code[0] === "R" || code[0] === "C") {
      const previousPath = fields[i++]!;
      const path = fields[i++]!;
      entries.push({ path, previousPath, status: status! });
    } else {
      const path = fields[i++]!;
      entries.push({ path, status: status ?? "changed" });
    }
  }
  if (entries.length === 0) return entries;

  // The patch lists files in the same order as --name-status with the same options; a type
  // change (a file turned into a symlink, say) prints as a deletion then an addition.
  const patch = await git(repo, ["diff", ...common, "--unified=3", range]);
  const chunks = splitPatch(patch.stdout.toString("utf8"));
  const expected = entries.reduce((n, e) => n + (e.status === "changed" ? 2 : 1), 0);
  if (chunks.length !== expected) {
    throw new GitError(
      `git diff listed ${entries.length} file${entries.length === 1 ? "" : "s"} (${expected} patch${expected === 1 ? "" : "es"} expected) but printed ${chunks.length} patch${chunks.length === 1 ? "" : "es"}; cannot pair them (a git setting this tool does not pin may change the diff output: try again with GIT_CONFIG_GLOBAL=/dev/null)`,
    );
  }
  let next = 0;
  for (const entry of entries) {
    let chunk = chunks[next++]!;
    if (entry.status === "changed") chunk = chunks[next++]!; // the new side
    if (chunk.binary) continue;
    entry.patch = chunk.hunks;
  }
  return entries;
}

interface Chunk {
  binary: boolean;
  hunks: string;
}

function splitPatch(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let current: string[] | null = null;
  const close = () => {
    if (!current) return;
    const first = current.findIndex((l) => l.startsWith("@@"));
    const binary = first < 0 && current.some((l) => /^Binary files .* differ$/.test(l) || l === "GIT binary patch");
    const hunks = first < 0 ? "" : current.slice(first).join("\n").replace(/\n$/, "");
    chunks.push({ binary, hunks });
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) {
      close();
      current = [];
      continue;
    }
    current?.push(line);
  }
  close();
  return chunks;
}

/** Many files at one commit in a single git process; files over `maxBytes` are skipped. */
export function readManyAt(repo: string, commit: string, paths: readonly string[], maxBytes: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const wanted = paths.filter((p) => !p.includes("\n"));
    const out = new Map<string, string>();
    if (wanted.length === 0) return resolve(out);
    const child = spawn("git", [...SAFE, "cat-file", "--batch"], { cwd: repo, stdio: ["pipe", "pipe", "pipe"], env: gitEnv() });
    const buffers: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => buffers.push(b));
    child.on("error", (e) => reject(new GitError(`git cat-file failed: ${e.message}`)));
    child.on("close", () => {
      const all = Buffer.concat(buffers);
      let pos = 0;
      for (const path of wanted) {
        const nl = all.indexOf(0x0a, pos);
        if (nl < 0) break;
        const header = all.subarray(pos, nl).toString("utf8");
        pos = nl + 1;
        const m = /^\S+ (\w+) (\d+)$/.exec(header);
        if (!m) continue; // "<object> missing"
        const size = Number(m[2]);
        if (m[1] === "blob" && size <= maxBytes) out.set(path, all.subarray(pos, pos + size).toString("utf8"));
        pos += size + 1;
      }
      resolve(out);
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(wanted.map((p) => `${commit}:${p}\n`).join(""));
  });
}
