import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
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
import { changedFiles, readAt, readManyAt, repoRoot, resolveCommit } from "./git.js";
import { CliError, UsageError, type Io } from "./main.js";
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

export async function runCheck(options: CheckOptions, io: Io): Promise<number> {
  const format = (options.format ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new UsageError("--today must be a date such as 2026-11-27");
  }

  const report = options["changed-files"] !== undefined ? await checkList(options, io, today) : await checkGit(options, io, today);
  io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : format === "markdown" ? `${renderMarkdown(report)}\n` : renderText(report));
  return exitCodeFor(report.verdict);
}

/** base...head from git: the config at the base, the model at both ends, files with patches. */
async function checkGit(options: CheckOptions, io: Io, today: string): Promise<Report> {
  if (!options.base) throw new UsageError("check needs --base REF (or --model with --changed-files)");
  const root = await repoRoot(resolve(io.cwd, options.repo ?? "."));
  const base = await resolveCommit(root, options.base);
  const head = await resolveCommit(root, options.head ?? "HEAD");

  const config = options.config !== undefined
    ? await configFromDisk(resolve(io.cwd, options.config), options.config)
    : await configAt(root, base);
  const modelPath = options.model !== undefined ? repoPath(root, io.cwd, options.model) : config.ok ? config.config.model : "threat-model.yml";

  const [baseModel, headModel, changes] = await Promise.all([
    readAt(root, base, modelPath),
    readAt(root, head, modelPath),
    changedFiles(root, base, head),
  ]);
  await attachContent(root, head, changes);
  return review({
    config,
    baseModel: baseModel ? { path: modelPath, content: baseModel } : null,
    headModel: headModel ? { path: modelPath, content: headModel } : null,
    changes,
    today,
  });
}

/** A list of paths and one model file: no git, no patches, so no signals and nothing covered. */
async function checkList(options: CheckOptions, io: Io, today: string): Promise<Report> {
  if (options.model === undefined) throw new UsageError("--changed-files needs --model PATH");
  if (options.base !== undefined || options.head !== undefined) throw new UsageError("--changed-files cannot be combined with --base or --head");
  const root = resolve(io.cwd, options.repo ?? ".");
  const listSource = options["changed-files"]!;
  let text: string;
  if (listSource === "-") text = await io.readStdin();
  else {
    try {
      text = await readFile(resolve(io.cwd, listSource), "utf8");
    } catch {
      throw new CliError(`cannot read the changed-files list ${listSource}`);
    }
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
  return review({
    config,
    baseModel: model,
    headModel: model,
    changes,
    today,
    signals: false,
    notices: ["Signals were not scanned: a list of changed files carries no diff. Run check with --base for the full review."],
  });
}

async function configAt(root: string, commit: string): Promise<ConfigParseResult> {
  const bytes = await readAt(root, commit, CONFIG_PATH);
  return loadConfig(bytes ? { path: CONFIG_PATH, content: bytes } : null);
}

async function configFromDisk(absolute: string, shown: string, optional = false): Promise<ConfigParseResult> {
  let content: Buffer;
  try {
    content = await readFile(absolute);
  } catch {
    if (optional) return loadConfig(null);
    throw new CliError(`cannot read the config ${shown}`);
  }
  return loadConfig({ path: shown, content: new Uint8Array(content) });
}

/** A user-given path as the repository-relative path the model and mapping use. */
function repoPath(root: string, cwd: string, given: string): string {
  const absolute = isAbsolute(given) ? given : resolve(cwd, given);
  const rel = relative(root, absolute).split("\\").join("/");
  return rel.startsWith("..") ? given : rel;
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
