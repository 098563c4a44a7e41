/**
 * `threat-model-review init [--repo DIR] [--out FILE] [--force]`: propose a first
 * threat-model.yml from the repository itself. Lists the files (git ls-files in a git
 * repository, else a bounded walk), reads only the few the engine asks for (bounded in
 * count and size), writes the proposal once it validates, and never overwrites a model:
 * an existing file is refused (exit 2) unless --force.
 */
import { lstat, readFile, readdir, stat } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { CONFIG_PATH, DEFAULT_MODEL_PATH, formatDiagnostic, loadConfig, parseModel } from "../engine/index.js";
import { INIT_LIMITS, REVIEW_MARK, filesToRead, proposeModel, type InitLimits, type InitProposal } from "../engine/init/index.js";
import { isMissing, outTarget, readCapped, sameFile, writeAtomically } from "./files.js";
import { git, GitError } from "./git.js";
import { CliError, type Io } from "./main.js";

export interface InitOptions {
  repo?: string;
  out?: string;
  force?: boolean;
}

/** Folders a walk never enters (git repositories list tracked files instead). */
const WALK_SKIP = new Set(["node_modules", "vendor", ".git", "dist", "build", ".venv", "venv", "__pycache__", ".tox", ".next", ".nuxt", "target", "coverage", ".terraform", ".gradle"]);
const WALK_MAX_DEPTH = 24;
const READ_BATCH = 32;
const CONFIG_READ_LIMIT = 1024 * 1024;

export async function runInit(options: InitOptions, io: Io, limits: InitLimits = INIT_LIMITS): Promise<number> {
  const root = options.repo !== undefined ? resolve(io.cwd, options.repo) : await defaultRoot(io.cwd);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`${options.repo ?? root} is not a directory`);

  // The config is read before any work: one that cannot be read stops init before it writes.
  const own = await modelPathOf(root);
  const target = options.out !== undefined ? resolve(io.cwd, options.out) : resolve(root, own);
  const shown = options.out ?? (relative(io.cwd, target) || target);
  const out = await outTarget(target, shown);
  if (out.existing?.isDirectory()) throw new CliError(`${shown} is a directory; name a file with --out`);
  if (await sameFile(out, join(root, CONFIG_PATH))) throw new CliError(`${shown} is the repository's config (${CONFIG_PATH}); name another file with --out`);
  const exists = `${shown} already exists; init never overwrites a model (pass --force to replace it)`;
  if (out.existing && options.force !== true) {
    io.stderr(`threat-model-review: ${exists}\n`);
    return 2;
  }

  const listing = await listFiles(root, limits.maxPaths);
  const wanted = filesToRead(listing.paths, limits);
  const files = await readBounded(root, wanted, limits);
  const proposal = proposeModel({ name: basename(root), paths: listing.paths, files }, limits);

  const parsed = parseModel({ path: shown, content: proposal.yaml });
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stderr(`${formatDiagnostic(e)}\n`);
    throw new CliError(`the proposed model does not validate (a bug in init); nothing written`);
  }
  // Through a temporary file: a full disk leaves nothing half-written; without --force, a file
  // that appeared since the check is not replaced.
  await writeAtomically(out, shown, proposal.yaml, { replace: options.force === true, exists });
  io.stdout(summary(proposal, shown, listing, files.size, out.existing !== null));
  if (options.out !== undefined) {
    if (!(await sameFile(out, resolve(root, own))) && !(await isMissing(resolve(root, own)))) {
      io.stdout(`Note: the repository already has ${own}; compare the two before replacing anything.\n`);
    }
  }
  return 0;
}

/** Without --repo: the top of the git repository around the current directory, else the directory. */
async function defaultRoot(cwd: string): Promise<string> {
  try {
    const { stdout, code } = await git(cwd, ["rev-parse", "--show-toplevel"], { allowFail: true });
    if (code === 0) return stdout.toString("utf8").trim();
  } catch {
    // no git: the directory itself
  }
  return cwd;
}

/** The model path the repository's config names, when it has a valid one. */
async function modelPathOf(root: string): Promise<string> {
  const path = join(root, CONFIG_PATH);
  if (await isMissing(path)) return DEFAULT_MODEL_PATH;
  // A config that is not a regular file (a FIFO, a symlink to /dev/zero) is refused, not read.
  const read = await readCapped(path, CONFIG_PATH, CONFIG_READ_LIMIT);
  const config = read.over ? null : loadConfig({ path: CONFIG_PATH, content: read.bytes });
  return config?.ok ? config.config.model : DEFAULT_MODEL_PATH;
}

interface Listing {
  paths: string[];
  how: "git" | "walk";
  /** The listing stopped at the limit. */
  cut: boolean;
}

/** git ls-files (tracked and untracked-but-not-ignored) under `root`, or a bounded walk. */
async function listFiles(root: string, maxPaths: number): Promise<Listing> {
  try {
    const inside = await git(root, ["rev-parse", "--is-inside-work-tree"], { allowFail: true });
    if (inside.code === 0 && inside.stdout.toString("utf8").trim() === "true") {
      // Run in `root`, git lists the files under it, relative to it.
      const { stdout } = await git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
      const paths = [...new Set(stdout.toString("utf8").split("\0").filter((p) => p !== ""))];
      if (paths.length > 0) return { paths: paths.slice(0, maxPaths), how: "git", cut: paths.length > maxPaths };
    }
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
  }
  return walk(root, maxPaths);
}

async function walk(root: string, maxPaths: number): Promise<Listing> {
  const paths: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: "", depth: 0 }];
  let cut = false;
  while (queue.length > 0) {
    const { dir, depth } = queue.shift()!;
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = dir === "" ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!WALK_SKIP.has(e.name) && depth < WALK_MAX_DEPTH) queue.push({ dir: path, depth: depth + 1 });
      } else if (e.isFile()) {
        if (paths.length >= maxPaths) {
          cut = true;
          break;
        }
        paths.push(path);
      }
    }
    if (cut) break;
  }
  return { paths, how: "walk", cut };
}

/** The wanted files that are regular files (no symlinks), within the size limits, as text. */
async function readBounded(root: string, wanted: readonly string[], limits: InitLimits): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let total = 0;
  for (let i = 0; i < wanted.length && out.size < limits.maxFiles && total < limits.maxTotalBytes; i += READ_BATCH) {
    const batch = wanted.slice(i, i + READ_BATCH);
    const sizes = await Promise.all(
      batch.map(async (p) => {
        const s = await lstat(join(root, p)).catch(() => null);
        return s?.isFile() && s.size <= limits.maxFileBytes ? s.size : -1;
      }),
    );
    const accepted: string[] = [];
    batch.forEach((p, k) => {
      const size = sizes[k]!;
      if (size < 0 || total + size > limits.maxTotalBytes || out.size + accepted.length >= limits.maxFiles) return;
      total += size;
      accepted.push(p);
    });
    const texts = await Promise.all(accepted.map((p) => readFile(join(root, p)).catch(() => null)));
    accepted.forEach((p, k) => {
      const bytes = texts[k];
      if (!bytes || bytes.length > limits.maxFileBytes || bytes.subarray(0, 8_000).includes(0)) return;
      out.set(p, bytes.toString("utf8"));
    });
  }
  return out;
}

function summary(p: InitProposal, shown: string, listing: Listing, read: number, replaced: boolean): string {
  const m = p.model;
  const count = (type: string) => m.components.filter((c) => c.type === type).length;
  const lines = [
    `${replaced ? "replaced" : "wrote"} ${shown}: ${m.trust_zones.length} zones, ${m.components.length} components (${count("actor")} actor, ${count("process")} process, ${count("datastore")} datastore, ${count("external")} external), ${m.data_flows.length} flows`,
    `  from ${listing.paths.length} files (${listing.how === "git" ? "git ls-files" : "a directory walk"}${listing.cut ? ", cut at the limit" : ""}); ${read} read, ${p.codeFiles.read} of ${p.codeFiles.listed} code files`,
  ];
  const shownComponents = m.components.slice(0, 12).map((c) => `${c.id} (${c.type}, ${c.zone})`);
  lines.push(`  components: ${shownComponents.join(", ")}${m.components.length > 12 ? `, +${m.components.length - 12} more` : ""}`);
  for (const s of p.skipped.slice(0, 5)) lines.push(`  not proposed: ${s.host}, ${s.reason} (${s.file}:${s.line})`);
  if (p.skipped.length > 5) lines.push(`  not proposed: ${p.skipped.length - 5} more hosts`);
  lines.push(
    "",
    "What to do next:",
    `  1. Review every "# ${REVIEW_MARK}" comment in ${shown} (${p.guesses.length} guesses): correct or delete the guess, then delete the comment.`,
    "  2. Fill in champions: the GitHub logins or @org/teams who approve changes to the model.",
    "  3. Add the data each flow carries and the threats you know of (docs/model-format.md).",
    `  4. threat-model-review validate ${shown}`,
    "",
  );
  return lines.join("\n");
}
