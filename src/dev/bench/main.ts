/**
 * npm run bench: the engine on a synthetic monorepo (2,000 components, 12 zones, 600 flows,
 * 3,000 changed files, 100,000 added lines), stage by stage, against the obvious mapping
 * (minimatch over every pattern of every component), plus the CLI as a process and peak
 * memory (of one engine run in a process of its own), and what pull-request events cost in
 * REST requests against the local GitHub. Prints a table and JSON; exits 1 when the two
 * mappings differ or a target is missed.
 *   --scaling   also time the engine at three sizes of files, components and patch lines
 *   --no-api    skip the request counts (they start the local GitHub and the App: ~20 s)
 *   --json-only print only the JSON
 *   --one-run   (internal) build the inputs, run the engine once, print the peak RSS
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { minimatch } from "minimatch";
import { CATALOG, ModelIndex, loadConfig, parseModel, review, type ChangedFile, type ThreatModel } from "../../engine/index.js";
import { scanSignals } from "../../engine/signals/run.js";
import { measureApiEconomy, type ApiEconomy } from "./api-economy.js";
import { TARGET_SHAPE, syntheticChange, syntheticModel, type Shape } from "./synthetic.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T, runs = RUNS): { ms: number; value: T } {
  const samples: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), value };
}

/** The obvious way: for each component, each file, minimatch over each of its patterns. */
function obviousMapping(model: ThreatModel, paths: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(paths.map((p) => [p, []]));
  for (const c of model.components) {
    if (c.paths.length === 0) continue;
    for (const path of paths) {
      let decided = false;
      for (const pattern of c.paths) {
        const negate = pattern.startsWith("!");
        if (minimatch(path, negate ? pattern.slice(1) : pattern, { dot: true })) decided = !negate;
      }
      if (decided) out.get(path)!.push(c.id);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

export interface BenchResult {
  shape: Shape;
  modelBytes: number;
  ms: { parse: number; index: number; mapping: number; signals: number; review: number; obviousMapping: number; cliProcess: number };
  speedup: number;
  mappingsAgree: boolean;
  mappedFiles: number;
  signalHits: number;
  /** Peak RSS of a process that builds the inputs and runs the engine once. */
  peakMemoryMiB: number;
  /** Peak RSS of the CLI process (check --model --changed-files). */
  cliPeakMemoryMiB: number;
  /** Peak RSS of this process, which holds every run's inputs and the obvious mapping. */
  benchProcessPeakMiB: number;
  api?: ApiEconomy;
  targets: { name: string; value: number; limit: string; ok: boolean }[];
}

async function engineRun(shape: Shape, withCli: boolean): Promise<BenchResult> {
  const modelText = syntheticModel(shape);
  const files: ChangedFile[] = syntheticChange(shape);
  const paths = files.map((f) => f.path);
  const parse = time(() => parseModel({ path: "threat-model.yml", content: modelText }));
  if (!parse.value.ok) throw new Error(`the synthetic model does not validate: ${parse.value.errors[0]?.message}`);
  const model = parse.value.model;
  const index = time(() => new ModelIndex(model));
  const mapping = time(() => paths.map((p) => index.value.map([p]).components));
  const signals = time(() => scanSignals(files, CATALOG));
  const config = loadConfig(null);
  const full = time(() => review({ config, baseModel: { path: "threat-model.yml", content: modelText }, headModel: { path: "threat-model.yml", content: modelText }, changes: files, today: "2026-11-27" }));

  let obvious = { ms: Number.NaN, value: new Map<string, string[]>() };
  let agree = true;
  if (withCli) {
    obvious = time(() => obviousMapping(model, paths), 1);
    agree = paths.every((p, i) => JSON.stringify(obvious.value.get(p)) === JSON.stringify(mapping.value[i]));
  }

  let cli = Number.NaN;
  let cliPeak = 0;
  if (withCli) {
    const dir = mkdtempSync(join(tmpdir(), "tmr-bench-"));
    try {
      writeFileSync(join(dir, "threat-model.yml"), modelText);
      writeFileSync(join(dir, "changed.txt"), `${paths.join("\n")}\n`);
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = await runMeasured([join(ROOT, "bin", "threat-model-review.js"), "check", "--model", "threat-model.yml", "--changed-files", "changed.txt", "--format", "json"], dir);
        samples.push(performance.now() - t);
        cliPeak = Math.max(cliPeak, r.peakBytes / 1024 / 1024);
        if (r.status !== 0 && r.status !== 1) throw new Error(`the CLI failed: ${r.stderr}`);
      }
      cli = median(samples);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const benchPeak = process.resourceUsage().maxRSS / 1024;
  const peak = withCli ? await oneRunPeak() : Number.NaN;
  const speedup = obvious.ms / mapping.ms;
  const targets = withCli
    ? [
        { name: "mapping speed-up over the obvious way", value: speedup, limit: ">= 20x", ok: speedup >= 20 },
        { name: "whole engine run (ms)", value: full.ms, limit: "< 1000", ok: full.ms < 1000 },
        { name: "CLI process, check --model --changed-files (ms)", value: cli, limit: "< 1500", ok: cli < 1500 },
        { name: "signals over the added lines (ms)", value: signals.ms, limit: "< 1000", ok: signals.ms < 1000 },
        { name: "peak memory of one engine run (MiB)", value: peak, limit: "< 300", ok: peak < 300 },
        { name: "the two mappings agree", value: agree ? 1 : 0, limit: "= 1", ok: agree },
      ]
    : [];
  return {
    shape,
    modelBytes: Buffer.byteLength(modelText),
    ms: { parse: parse.ms, index: index.ms, mapping: mapping.ms, signals: signals.ms, review: full.ms, obviousMapping: obvious.ms, cliProcess: cli },
    speedup,
    mappingsAgree: agree,
    mappedFiles: full.value.stats.mappedFiles,
    signalHits: full.value.signals.length,
    peakMemoryMiB: peak,
    cliPeakMemoryMiB: cliPeak,
    benchProcessPeakMiB: benchPeak,
    targets,
  };
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

export function benchTable(r: BenchResult): string {
  const rows = [
    ["model parse and validation", `${fmt(r.ms.parse)} ms`, `${(r.modelBytes / 1024).toFixed(0)} KiB model`],
    ["index build", `${fmt(r.ms.index)} ms`, `${r.shape.components} components`],
    ["file mapping", `${fmt(r.ms.mapping)} ms`, `${r.shape.files} files`],
    ["signals", `${fmt(r.ms.signals)} ms`, `${r.shape.addedLines.toLocaleString("en-US")} added lines, ${r.signalHits} hits`],
    ["full report (review)", `${fmt(r.ms.review)} ms`, `${r.mappedFiles} files mapped`],
    ["obvious mapping (minimatch, component by component)", `${fmt(r.ms.obviousMapping, 0)} ms`, `${fmt(r.speedup, 0)}x slower than the index`],
    ["CLI process: check --model --changed-files", `${fmt(r.ms.cliProcess, 0)} ms`, "node start-up included"],
    ["peak memory, one engine run", `${fmt(r.peakMemoryMiB, 0)} MiB`, "max RSS of a process that builds the inputs and reviews once"],
    ["peak memory, CLI process", `${fmt(r.cliPeakMemoryMiB, 0)} MiB`, "max RSS of check --model --changed-files"],
  ];
  if (r.api) {
    const a = r.api;
    const row = (label: string, c: ApiEconomy["first"]) => [label, `${c.counted} counted`, `${c.revalidated} revalidated (304, free), ${c.writes} writes, ${c.tokens} token${c.tokens === 1 ? "" : "s"}, answered in ${(c.ms / 1000).toFixed(1)} s`];
    rows.push(
      row("requests: first event on a repository", a.first),
      row("requests: repeat event (a push; model, config unchanged)", a.repeat),
      row("requests: the same head again", a.sameHead),
      row("requests: a second pull request, same repository", a.secondPullRequest),
      row(`requests: a ${a.largePullRequest.files.toLocaleString("en-US")}-file pull request`, a.largePullRequest),
    );
  }
  const width = Math.max(...rows.map((x) => x[0]!.length));
  const lines = rows.map(([a, b, c]) => `${a!.padEnd(width)}  ${b!.padStart(10)}  ${c}`);
  const targets = r.targets.map((t) => `${t.ok ? "ok  " : "MISS"}  ${t.name}: ${fmt(t.value)} (target ${t.limit})`);
  return [`median of ${RUNS} runs`, ...lines, "", ...targets].join("\n");
}

/** Spawn a Node script, and follow its peak RSS (VmHWM) while it runs. */
function runMeasured(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string; peakBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        /* gone */
      }
    };
    const timer = setInterval(sample, 10);
    child.on("error", reject);
    child.on("exit", (status) => {
      clearInterval(timer);
      resolve({ status, stdout, stderr, peakBytes: peak });
    });
  });
}

/** The peak RSS, in MiB, of a fresh process that builds the target inputs and runs the engine once. */
async function oneRunPeak(): Promise<number> {
  const r = await runMeasured([fileURLToPath(import.meta.url), "--one-run"], ROOT);
  if (r.status !== 0) throw new Error(`the one-run process failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { peakMiB: number }).peakMiB;
}

function oneRun(): void {
  const modelText = syntheticModel(TARGET_SHAPE);
  const files = syntheticChange(TARGET_SHAPE);
  const model = { path: "threat-model.yml", content: modelText };
  const report = review({ config: loadConfig(null), baseModel: model, headModel: model, changes: files, today: "2026-11-27" });
  process.stdout.write(`${JSON.stringify({ peakMiB: process.resourceUsage().maxRSS / 1024, findings: report.findings.length })}\n`);
}

async function scaling(): Promise<{ dimension: string; size: number; reviewMs: number; signalsMs: number }[]> {
  const out: { dimension: string; size: number; reviewMs: number; signalsMs: number }[] = [];
  for (const files of [300, 1000, 3000]) {
    const r = await engineRun({ ...TARGET_SHAPE, files, addedLines: files * 33 }, false);
    out.push({ dimension: "changed files (33 added lines each)", size: files, reviewMs: r.ms.review, signalsMs: r.ms.signals });
  }
  for (const components of [200, 1000, 2000]) {
    const r = await engineRun({ ...TARGET_SHAPE, components, flows: Math.round(components * 0.3) }, false);
    out.push({ dimension: "components (flows 30%)", size: components, reviewMs: r.ms.review, signalsMs: r.ms.signals });
  }
  for (const addedLines of [10_000, 50_000, 100_000]) {
    const r = await engineRun({ ...TARGET_SHAPE, addedLines }, false);
    out.push({ dimension: "added patch lines (3,000 files)", size: addedLines, reviewMs: r.ms.review, signalsMs: r.ms.signals });
  }
  return out;
}

async function main(): Promise<void> {
  if (process.argv.includes("--one-run")) {
    oneRun();
    return;
  }
  const jsonOnly = process.argv.includes("--json-only");
  const result = await engineRun(TARGET_SHAPE, true);
  if (!process.argv.includes("--no-api")) {
    result.api = await measureApiEconomy();
    const repeat = result.api.repeat.counted;
    result.targets.push({ name: "counted requests, repeat event", value: repeat, limit: "<= 5", ok: repeat <= 5 });
  }
  const extra = process.argv.includes("--scaling") ? { scaling: await scaling() } : {};
  if (!jsonOnly) {
    process.stdout.write(`${benchTable(result)}\n`);
    if ("scaling" in extra) {
      process.stdout.write("\nscaling (median full review / signals, ms)\n");
      for (const s of extra.scaling!) process.stdout.write(`  ${s.dimension.padEnd(38)} ${String(s.size).padStart(7)}  ${fmt(s.reviewMs).padStart(8)}  ${fmt(s.signalsMs).padStart(8)}\n`);
    }
    process.stdout.write("\n");
  }
  process.stdout.write(`${JSON.stringify({ ...result, ...extra }, null, 2)}\n`);
  process.exitCode = result.targets.every((t) => t.ok) ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
