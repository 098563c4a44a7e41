import { resolve } from "node:path";
import {
  CONFIG_PATH,
  exitCodeFor,
  loadConfig,
  renderMarkdown,
  renderText,
  review,
  type ChangedFile,
  type ConfigParseResult,
  type Report,
  type SourceFile,
} from "../engine/index.js";
import { formatSize, isMissing, MiB, modelInRepo, readCapped, repoPath } from "./files.js";
import { changedFiles, git, GitError, readAt, readManyAt, repoRoot, resolveCommit } from "./git.js";
import { CliError, parseToday, UsageError, type Io } from "./main.js";
import { readModelFile } from "./validate.js";

export interface CheckOptions {
  repo?: string;
  base?: string;
  head?: string;
  model?: string;
  config?: string;
  format?: string;
  today?: string;
  "changed-files"?: string;
}

const FORMATS = ["text", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];
/** Whole files are read for comment detection only up to this size. */
const CONTENT_LIMIT = 1024 * 1024;
/** A config is a few lines; the engine refuses more than 256 KiB, and this is read to say so. */
export const CONFIG_READ_LIMIT = MiB;
/** A list of changed paths: hundreds of thousands of lines fit. */
const LIST_LIMIT = 16 * MiB;

export async function runCheck(options: CheckOptions, io: Io): Promise<number> {
  const format = (options.format ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  const today = parseToday(options.today);

  const { report, config } = options["changed-files"] !== undefined ? await checkList(options, io, today) : await checkGit(options, io, today);
  io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : format === "markdown" ? `${renderMarkdown(report)}\n` : textOf(report, config));
  return exitCodeFor(report.verdict);
}

/**
 * The terminal report, headed INVALID CONFIG rather than INVALID MODEL when the errors are
 * the config's (the verdict, in JSON, stays "invalid-model" for both).
 */
function textOf(report: Report, config: ConfigParseResult): string {
  const text = renderText(report);
  if (report.verdict !== "invalid-model" || config.ok) return text;
  const configFiles = new Set(config.errors.map((e) => e.file));
  const heading = report.errors.every((e) => configFiles.has(e.file)) ? "INVALID CONFIG" : "INVALID CONFIG AND MODEL";
  return text.replace(/^Threat model review: INVALID MODEL$/m, `Threat model review: ${heading}`);
}

interface Checked {
  report: Report;
  config: ConfigParseResult;
}

/** base...head from git: the config at the base, the model at both ends, files with patches. */
async function checkGit(options: CheckOptions, io: Io, today: string): Promise<Checked> {
  if (!options.base) throw new UsageError("check needs --base REF (or --model with --changed-files)");
  const root = await repoRoot(resolve(io.cwd, options.repo ?? "."));
  const headRef = options.head ?? "HEAD";
  const base = await resolveCommit(root, options.base);
  const head = await resolveCommit(root, headRef);

  const config = options.config !== undefined
    ? await configFromDisk(resolve(io.cwd, options.config), options.config)
    : await configAt(root, base);
  let modelPath = config.ok ? config.config.model : "threat-model.yml";
  if (options.model !== undefined) {
    const inside = await modelInRepo(root, io.cwd, options.model);
    if (inside === null) throw new CliError(`--model ${options.model} is outside the repository ${root}; with --base the model is read from git, so name a path inside it`);
    modelPath = inside;
  }
  await requireMergeBase(root, base, head, options.base, headRef);

  const [baseModel, headModel, changes] = await Promise.all([
    readAt(root, base, modelPath),
    readAt(root, head, modelPath),
    changedFiles(root, base, head),
  ]);
  if (options.model !== undefined && !baseModel && !headModel) {
    // A path the user typed that names nothing is a mistake, not "this repository has no model".
    throw new CliError(`cannot read ${options.model}: no such file at ${options.base} or at ${headRef} (with --base the model is read from those commits, not the working tree)`);
  }
  await attachContent(root, head, changes);
  const report = review({
    config,
    baseModel: baseModel ? { path: modelPath, content: baseModel } : null,
    headModel: headModel ? { path: modelPath, content: headModel } : null,
    changes,
    today,
  });
  return { report, config };
}

/** base...head needs a common ancestor; a shallow clone often lacks it. Say which refs, and what to fetch. */
async function requireMergeBase(root: string, base: string, head: string, baseRef: string, headRef: string): Promise<void> {
  const found = await git(root, ["merge-base", base, head], { allowFail: true });
  // 1 is "none"; another failure is left for git diff to report.
  if (found.code !== 1) return;
  const shallow = await git(root, ["rev-parse", "--is-shallow-repository"], { allowFail: true });
  if (shallow.code === 0 && shallow.stdout.toString("utf8").trim() === "true") {
    throw new GitError(
      `no merge base between ${baseRef} and ${headRef}: this is a shallow clone, so their common history is missing; run git fetch --unshallow (or git fetch --deepen=N for part of it) and try again`,
    );
  }
  throw new GitError(`no merge base between ${baseRef} and ${headRef}: they share no history; pass as --base the branch ${headRef} was started from (fetched with its history)`);
}

/** A list of paths and one model file: no git, no patches, so no signals and nothing covered. */
async function checkList(options: CheckOptions, io: Io, today: string): Promise<Checked> {
  if (options.model === undefined) throw new UsageError("--changed-files needs --model PATH");
  if (options.base !== undefined || options.head !== undefined) throw new UsageError("--changed-files cannot be combined with --base or --head");
  const root = resolve(io.cwd, options.repo ?? ".");
  const listSource = options["changed-files"]!;
  let text: string;
  if (listSource === "-") {
    try {
      text = await io.readStdin(LIST_LIMIT);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      throw new CliError(`the changed-files list on stdin is over ${formatSize(LIST_LIMIT)}, the limit; pass a list of paths, one per line`);
    }
  } else {
    const read = await readCapped(resolve(io.cwd, listSource), listSource, LIST_LIMIT).catch((e: unknown) => {
      // A FIFO (a shell's <(...)) is refused like any non-file: stdin is the way for a stream.
      if (e instanceof CliError && e.message.endsWith(": not a file")) throw new CliError(`${e.message}; pipe the list to --changed-files - instead`);
      throw e;
    });
    if (read.over) throw new CliError(`${listSource}: the changed-files list is ${formatSize(read.size)}; the limit is ${formatSize(LIST_LIMIT)}`);
    text = Buffer.from(read.bytes).toString("utf8");
  }
  const paths = [...new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\.\//, "")).filter((l) => l !== ""))];
  const bad = paths.find((p) => p.startsWith("/") || p.split("/").includes(".."));
  if (bad) throw new CliError(`changed-files: "${bad}" is not a repository-relative path`);

  const configPath = options.config !== undefined ? resolve(io.cwd, options.config) : resolve(root, CONFIG_PATH);
  const config = await configFromDisk(configPath, options.config ?? CONFIG_PATH, options.config === undefined);
  const shownModel = repoPath(root, io.cwd, options.model);
  const content = await readModelFile(resolve(io.cwd, options.model), options.model);
  const model: SourceFile = { path: shownModel, content };
  const changes: ChangedFile[] = paths.map((path) => ({ path, status: "modified" }));
  const report = review({
    config,
    baseModel: model,
    headModel: model,
    changes,
    today,
    signals: false,
    notices: ["Signals were not scanned: a list of changed files carries no diff. Run check with --base for the full review."],
  });
  return { report, config };
}

async function configAt(root: string, commit: string): Promise<ConfigParseResult> {
  const bytes = await readAt(root, commit, CONFIG_PATH);
  return loadConfig(bytes ? { path: CONFIG_PATH, content: bytes } : null);
}

/**
 * A config file on disk: a regular file (a FIFO or /dev/zero would never end), read up to a
 * cap. The default path may be absent (every default then); anything else there that cannot
 * be read is an error, never "no config".
 */
export async function configFromDisk(absolute: string, shown: string, optional = false): Promise<ConfigParseResult> {
  if (optional && (await isMissing(absolute))) return loadConfig(null);
  const read = await readCapped(absolute, shown, CONFIG_READ_LIMIT);
  // Too large: the engine says so, with its limit, as a config error.
  if (read.over) return loadConfig({ path: shown, content: new Uint8Array(0), declaredSize: read.size });
  return loadConfig({ path: shown, content: read.bytes });
}

/** Whole new files let comment detection see block comments opened above a hunk. */
async function attachContent(root: string, head: string, changes: ChangedFile[]): Promise<void> {
  const wanted = changes.filter((c) => c.status !== "removed" && c.patch !== undefined && c.patch !== "").map((c) => c.path);
  const contents = await readManyAt(root, head, wanted, CONTENT_LIMIT);
  for (const c of changes) {
    const text = contents.get(c.path);
    if (text !== undefined) c.content = text;
  }
}
