/**
 * `threat-model-review status`: the model's health from a local checkout (the same report
 * the App puts on pushes to the default branch), plus drift: for each component, how many
 * commits have touched its paths since it was last reviewed, from git history.
 */
import { resolve } from "node:path";
import {
  CONFIG_PATH,
  PathIndex,
  healthMarkdown,
  healthText,
  modelHealth,
  parseModel,
  type ConfigParseResult,
  type HealthReport,
} from "../engine/index.js";
import { configFromDisk } from "./check.js";
import { isMissing, modelInRepo } from "./files.js";
import { git, repoRoot } from "./git.js";
import { parseToday, UsageError, type Io } from "./main.js";
import { readModelFile } from "./validate.js";

export interface StatusOptions {
  repo?: string;
  model?: string;
  config?: string;
  format?: string;
  today?: string;
}

export async function runStatus(options: StatusOptions, io: Io): Promise<number> {
  const format = options.format ?? "text";
  if (!["text", "markdown", "json"].includes(format)) throw new UsageError("--format must be one of text, markdown, json");
  const today = parseToday(options.today);
  const root = await repoRoot(resolve(io.cwd, options.repo ?? "."));

  const config = await configFromDisk(options.config !== undefined ? resolve(io.cwd, options.config) : resolve(root, CONFIG_PATH), options.config ?? CONFIG_PATH, options.config === undefined);
  // --model is found as check finds it: from the current directory when inside the
  // repository, else from its root; a model kept outside the repository is read where it is.
  let modelPath = config.ok ? config.config.model : "threat-model.yml";
  let modelFile = resolve(root, modelPath);
  if (options.model !== undefined) {
    const inside = await modelInRepo(root, io.cwd, options.model);
    modelPath = inside ?? options.model;
    modelFile = inside !== null ? resolve(root, inside) : resolve(io.cwd, options.model);
  }
  const shown = options.model ?? modelPath;
  // Only the default path may be absent ("no model"); a path the user typed must exist.
  const model = options.model === undefined && (await isMissing(modelFile)) ? null : { path: modelPath, content: await readModelFile(modelFile, shown) };

  const files = (await git(root, ["ls-files", "-z"])).stdout.toString("utf8").split("\0").filter((f) => f !== "");
  const hasHistory = (await git(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { allowFail: true })).code === 0;
  const drift = model && hasHistory ? await driftOf(root, model.content, modelPath) : undefined;
  const notices = model && !hasHistory ? ["The repository has no commits yet, so commits since each review are not counted."] : [];
  const health = modelHealth({ config, model, today, files, notices, ...(drift && { drift }) });

  io.stdout(format === "json" ? `${JSON.stringify(health, null, 2)}\n` : format === "markdown" ? `${healthMarkdown(health)}\n` : textOf(health, config));
  return health.status === "invalid-model" ? 2 : 0;
}

/** The terminal report, headed INVALID-CONFIG when the errors are the config's. */
function textOf(health: HealthReport, config: ConfigParseResult): string {
  const text = healthText(health);
  if (health.status !== "invalid-model" || config.ok) return text;
  const n = health.errors.length;
  return text.replace(/^Threat model health: INVALID-MODEL \(.*\)$/m, `Threat model health: INVALID-CONFIG (Invalid config: ${n} error${n === 1 ? "" : "s"})`);
}

/**
 * Commits touching each component's paths after its `reviewed_at` (or the model's; all of
 * history when neither is set). One `git log` reads the history; each path is mapped once.
 */
async function driftOf(root: string, content: Uint8Array, path: string): Promise<Map<string, number> | undefined> {
  const parsed = parseModel({ path, content });
  if (!parsed.ok) return undefined;
  const model = parsed.model;
  const components = model.components.filter((c) => c.paths.length > 0);
  if (components.length === 0) return new Map();
  const sinceOf = new Map(components.map((c) => [c.id, c.reviewed_at ?? model.reviewed_at]));
  const dates = [...sinceOf.values()];
  const oldest = dates.includes(undefined) ? undefined : dates.sort()[0];
  const args = ["log", "--no-renames", "--format=%x01%ct", "--name-only", "-z"];
  if (oldest) args.push(`--since=${oldest}T00:00:00Z`);
  const out = (await git(root, args)).stdout.toString("utf8");
  const index = new PathIndex(components.map((c) => ({ owner: c.id, patterns: c.paths })));
  const mapped = new Map<string, string[]>();
  const counts = new Map(components.map((c) => [c.id, 0]));
  for (const record of out.split("\x01").slice(1)) {
    const [head = "", ...names] = record.split(/\0|\n/).filter((x) => x !== "");
    const when = Number(head) * 1000;
    const touched = new Set<string>();
    for (const name of names) {
      let owners = mapped.get(name);
      if (!owners) {
        owners = index.decide(name);
        mapped.set(name, owners);
      }
      for (const o of owners) touched.add(o);
    }
    for (const id of touched) {
      const since = sinceOf.get(id);
      // Commits after the review day count; the review covers the day it was done.
      if (since === undefined || when >= Date.parse(`${since}T00:00:00Z`) + 86_400_000) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}
