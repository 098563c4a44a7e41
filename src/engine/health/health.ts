/**
 * The model's health, for maintainers before a release (and on every push to the default
 * branch): does the model validate, which reviews are past the freshness limit, which
 * threats are still open and how risky, which components nothing maps to, which top-level
 * folders no component covers, and (from git history, in the CLI) how much each
 * component's code changed since it was last reviewed.
 */
import { CONFIG_PATH, DEFAULT_CONFIG, type ConfigParseResult } from "../config/config.js";
import { ModelIndex } from "../model/model-index.js";
import { parseModel, type SourceFile } from "../model/parse.js";
import { ageInDays } from "../impact/findings.js";
import { PathIndex } from "../paths/path-index.js";
import { reportThreat, riskScore } from "../report/risk.js";
import type { ReportDiagnostic, ReportThreat } from "../report/types.js";
import { cmp } from "../compare.js";

export interface HealthInput {
  config: ConfigParseResult;
  /** The model file, or null when the repository has none. */
  model: SourceFile | null;
  today: string;
  /** Every file in the tree, for folder coverage; omitted when unknown. */
  files?: readonly string[];
  /** Commits touching each component's paths since its review (the CLI reads git history). */
  drift?: ReadonlyMap<string, number>;
  notices?: readonly string[];
}

export interface StaleElement {
  kind: "component" | "flow";
  id: string;
  name: string;
  reviewedAt: string | null;
  ageDays: number | null;
}

export interface HealthReport {
  schemaVersion: 1;
  status: "healthy" | "attention" | "invalid-model" | "no-model";
  today: string;
  model: { path: string; title?: string; reviewedAt?: string; champions: string[] };
  maxAgeDays: number;
  errors: ReportDiagnostic[];
  warnings: ReportDiagnostic[];
  stale: StaleElement[];
  /** Threats still open or under investigation, the riskiest first. */
  openThreats: ReportThreat[];
  /** Processes and datastores with no `paths`: no change can ever map to them. */
  componentsWithoutPaths: { id: string; name: string; type: string }[];
  /** Top-level folders with files that no component, flow or zone maps; null when the file list is unknown. */
  unmappedFolders: string[] | null;
  drift: { id: string; name: string; since: string | null; commits: number }[];
  notices: string[];
}


export function modelHealth(input: HealthInput): HealthReport {
  const config = input.config.ok ? input.config.config : DEFAULT_CONFIG;
  const report: HealthReport = {
    schemaVersion: 1,
    status: "no-model",
    today: input.today,
    model: { path: input.model?.path ?? config.model, champions: [] },
    maxAgeDays: config.maxAgeDays,
    errors: [],
    warnings: [...input.config.warnings].map(strip),
    stale: [],
    openThreats: [],
    componentsWithoutPaths: [],
    unmappedFolders: null,
    drift: [],
    notices: [...(input.notices ?? [])],
  };
  if (!input.config.ok) {
    report.errors = input.config.errors.map(strip);
    report.status = "invalid-model";
    return report;
  }
  if (!input.model) return report;
  const parsed = parseModel(input.model);
  report.warnings.push(...parsed.warnings.map(strip));
  if (!parsed.ok) {
    report.errors = parsed.errors.map(strip);
    report.status = "invalid-model";
    return report;
  }
  const model = parsed.model;
  report.model = {
    path: input.model.path,
    title: model.title,
    ...(model.reviewed_at !== undefined && { reviewedAt: model.reviewed_at }),
    champions: [...model.champions].sort(cmp),
  };

  if (config.maxAgeDays > 0) {
    const check = (kind: StaleElement["kind"], id: string, name: string, own: string | undefined) => {
      const reviewedAt = own ?? model.reviewed_at ?? null;
      const ageDays = reviewedAt === null ? null : ageInDays(reviewedAt, input.today);
      if (ageDays === null || ageDays > config.maxAgeDays) report.stale.push({ kind, id, name, reviewedAt, ageDays });
    };
    for (const c of model.components) if (c.type === "process" || c.type === "datastore") check("component", c.id, c.name, c.reviewed_at);
    for (const f of model.data_flows) check("flow", f.id, f.name, f.reviewed_at);
  }

  report.openThreats = model.threats
    .filter((t) => t.status === "open" || t.status === "investigating")
    .sort((a, b) => riskScore(b.likelihood, b.impact) - riskScore(a.likelihood, a.impact) || cmp(a.id, b.id))
    .map(reportThreat);

  report.componentsWithoutPaths = model.components
    .filter((c) => (c.type === "process" || c.type === "datastore") && c.paths.length === 0)
    .map((c) => ({ id: c.id, name: c.name, type: c.type }));

  if (input.files) {
    const index = new ModelIndex(model);
    const ignore = new PathIndex([{ owner: "ignore", patterns: config.ignore }]);
    const policy = new Set([input.model.path, CONFIG_PATH]);
    const folders = new Map<string, boolean>();
    for (const path of input.files) {
      const slash = path.indexOf("/");
      if (slash < 0 || policy.has(path) || ignore.matches(path)) continue;
      const folder = path.slice(0, slash);
      if (folders.get(folder)) continue;
      const m = index.map([path]);
      folders.set(folder, m.components.length + m.flows.length + m.zones.length > 0);
    }
    report.unmappedFolders = [...folders].filter(([, mapped]) => !mapped).map(([f]) => f).sort(cmp);
  }

  if (input.drift) {
    report.drift = model.components
      .filter((c) => input.drift!.has(c.id))
      .map((c) => ({ id: c.id, name: c.name, since: c.reviewed_at ?? model.reviewed_at ?? null, commits: input.drift!.get(c.id)! }))
      .sort((a, b) => b.commits - a.commits || cmp(a.id, b.id));
  }

  const attention = report.stale.length > 0 || report.componentsWithoutPaths.length > 0 || (report.unmappedFolders?.length ?? 0) > 0;
  report.status = attention ? "attention" : "healthy";
  return report;
}

function strip(d: { file: string; line: number; column: number; message: string }): ReportDiagnostic {
  return { file: d.file, line: d.line, column: d.column, message: d.message };
}
