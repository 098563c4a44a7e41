/**
 * The engine's one entry point: from the trusted config, the model on both sides of a
 * change and the changed files, to a report. Pure: the doors (CLI, App, demo) read files
 * and talk to GitHub; nothing here does.
 */
import type { ChangedFile } from "./changes/types.js";
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type ConfigParseResult, type ReviewConfig } from "./config/config.js";
import { diffModels, type ModelChange } from "./model/diff.js";
import { ModelIndex } from "./model/model-index.js";
import { parseModel, type ModelParseResult, type SourceFile } from "./model/parse.js";
import type { Classification } from "./model/types.js";
import { CLASSIFICATIONS } from "./model/types.js";
import { concernedFlows, findingsFor, staleFindings } from "./impact/findings.js";
import { withCoverage } from "./impact/coverage.js";
import { mapFiles, selectFiles, type MappedFile } from "./impact/mapping.js";
import { ModelView, drawnModel } from "./impact/model-view.js";
import { mermaidDiagram } from "./report/diagram.js";
import { reportThreat } from "./report/risk.js";
import type { Acknowledgement, Finding, Report, ReportBoundary, ReportDiagnostic, ReportFlow, ReportThreat } from "./report/types.js";
import { CATALOG } from "./signals/catalog.js";
import { scanSignals } from "./signals/run.js";
import type { SignalDefinition, SignalHit, SignalId } from "./signals/types.js";
import type { Diagnostic } from "./source/diagnostic.js";
import { decideVerdict } from "./verdict/verdict.js";
import { cmp } from "./compare.js";

export interface ReviewInput {
  /** The config as read from the trusted side; see `loadConfig`. */
  config: ConfigParseResult;
  /** The model file at the base; null when there is none. */
  baseModel: SourceFile | null;
  /** The model file at the head; null when there is none (or the change deletes it). */
  headModel: SourceFile | null;
  changes: readonly ChangedFile[];
  /** Today's date (UTC, YYYY-MM-DD): ages are counted from it. */
  today: string;
  catalog?: readonly SignalDefinition[];
  /** Facts the door knows and the engine cannot (a truncated file list, say). */
  notices?: readonly string[];
  /**
   * Champions' acknowledgements recorded on this pull request (the App verifies who gave
   * them). A finding is acknowledged when an acknowledgement names its key and all of its
   * current evidence: something found later in the same place needs a new one.
   */
  acknowledgements?: readonly Acknowledgement[];
  /**
   * Logins of champions whose approval holds for the model as the head has it. Undefined
   * when the door does not ask (the CLI); then no approval is required.
   */
  approvedBy?: readonly string[];
  /** False when the door has no diffs (a plain list of paths): signals are not scanned. */
  signals?: boolean;
  /** Lets a door reuse parsed models (the App caches them by blob sha). */
  parse?: (file: SourceFile) => ModelParseResult;
}

/** The config from its file, or every default when the repository has none. */
export function loadConfig(file: SourceFile | null, catalog: readonly SignalDefinition[] = CATALOG): ConfigParseResult {
  if (!file) return { ok: true, config: DEFAULT_CONFIG, warnings: [] };
  return parseConfig(file, catalog.map((s) => s.id));
}

export function review(input: ReviewInput): Report {
  const catalog = input.catalog ?? CATALOG;
  const parse = input.parse ?? ((f: SourceFile) => parseModel(f));
  const config: ReviewConfig = input.config.ok ? input.config.config : DEFAULT_CONFIG;
  const modelPath = input.baseModel?.path ?? input.headModel?.path ?? config.model;
  const warnings: Diagnostic[] = [...input.config.warnings];
  const errors: Diagnostic[] = input.config.ok ? [] : [...input.config.errors];

  const report = emptyReport(input.today, modelPath, input.notices ?? []);
  const base = input.baseModel ? parse(input.baseModel) : null;
  const headSame = input.baseModel && input.headModel && sameContent(input.baseModel.content, input.headModel.content);
  const head = input.headModel ? (headSame ? base : parse(input.headModel)) : null;
  const headTouched = !headSame && (input.baseModel !== null || input.headModel !== null);

  // Which model is policy. A change may repair or introduce a model; it is then trusted as
  // if the base had none, so every element counts as added.
  let trustedModel = base?.ok ? base : null;
  const headModel = head?.ok ? head : null;
  let baseForDiff = trustedModel;
  if (headTouched && head && !head.ok) {
    errors.push(...head.errors);
  } else if (base && !base.ok) {
    if (headTouched && head?.ok) {
      trustedModel = head;
      baseForDiff = null;
    } else {
      errors.push(...base.errors);
    }
  } else if (!base && head?.ok) {
    trustedModel = head;
    baseForDiff = null;
  }
  for (const r of [base, head]) if (r) warnings.push(...r.warnings);

  report.errors = toReportDiagnostics(errors);
  report.warnings = toReportDiagnostics(dedupeDiagnostics(warnings));
  const hasModel = input.baseModel !== null || input.headModel !== null;
  if (errors.length > 0 || !hasModel || !trustedModel) {
    report.verdict = decideVerdict({ hasModel, hasErrors: errors.length > 0, findings: [] });
    report.model.champions = championsOf(base);
    return report;
  }

  const modelRemoved = input.baseModel !== null && input.headModel === null;
  const trusted = new ModelIndex(trustedModel.model);
  const headIndex = headModel ? (headModel === trustedModel ? trusted : new ModelIndex(headModel.model)) : null;
  const modelChanges: ModelChange[] = diffModels(baseForDiff?.model ?? null, headModel?.model ?? null);
  const view = new ModelView(trusted, headIndex, modelChanges);

  const selection = selectFiles(input.changes, config.ignore, [modelPath, CONFIG_PATH]);
  const mapped = mapFiles(selection.reviewed, trusted, headIndex && headIndex !== trusted ? headIndex : null);
  const scan = input.signals === false
    ? { hits: [], notScanned: [] }
    : scanSignals(selection.reviewed, catalog, new Set(config.signals.disable), groupOf(mapped));
  const catalogById = new Map<SignalId, SignalDefinition>(catalog.map((s) => [s.id, s]));

  const drafts = findingsFor({
    view,
    mapped,
    hits: scan.hits,
    catalog: catalogById,
    config,
    modelPath,
    modelRemoved,
    today: input.today,
  });
  const flowIds = concernedFlows(drafts);
  drafts.push(...staleFindings(view, mapped, flowIds, config.maxAgeDays, input.today));
  const acknowledgements = [...(input.acknowledgements ?? [])];
  const findings = withCoverage(drafts, view, mapped, config.maxAgeDays, input.today)
    .map((f) => acknowledge(f, acknowledgements))
    .sort(byFinding);

  report.model = {
    path: modelPath,
    changed: modelRemoved || baseForDiff === null || modelChanges.length > 0,
    title: trustedModel.model.title,
    champions: championsOf(base),
  };
  report.components = touchedComponents(view, mapped);
  report.flows = [...flowIds].sort(cmp).map((id) => reportFlow(view, id)).filter((f): f is ReportFlow => f !== null);
  report.boundaries = boundariesOf(report.flows);
  report.zones = zonesOf(view, report.flows, report.components);
  report.threats = threatsOf(view, report);
  report.findings = findings;
  report.acknowledgements = acknowledgements;
  report.approval = !report.model.changed || input.approvedBy === undefined
    ? { status: "not-needed", approvedBy: [] }
    : { status: input.approvedBy.length > 0 ? "approved" : "missing", approvedBy: [...input.approvedBy].sort(cmp) };
  report.signals = signalsOf(scan.hits, mapped);
  report.unmappedFiles = mapped.filter((m) => m.mappedBy === null).map((m) => m.file.path).sort(cmp);
  report.notScanned = scan.notScanned.map((n) => ({ file: n.path, reason: n.reason })).sort((a, b) => cmp(a.file, b.file));
  report.modelChanges = modelChanges;
  report.stats = {
    changedFiles: input.changes.length,
    policyFiles: input.changes.length - selection.reviewed.length - selection.ignored.length,
    ignoredFiles: selection.ignored.length,
    mappedFiles: mapped.filter((m) => m.mappedBy !== null).length,
    unmappedFiles: report.unmappedFiles.length,
    findings: findings.length,
    uncovered: findings.filter(isOpen).length,
  };
  report.verdict = decideVerdict({ hasModel: true, hasErrors: false, findings });
  if (report.components.length > 0 || report.flows.length > 0) {
    report.diagram = mermaidDiagram(drawnModel(view), {
      focus: { components: report.components.map((c) => c.id), flows: report.flows.map((f) => f.id) },
    });
  }
  return report;
}

/**
 * Champions come from the base model only: a model that the change adds or repairs is the
 * change's own proposal, and nothing a pull request writes makes anyone a champion for it.
 */
function championsOf(base: ModelParseResult | null): string[] {
  return base?.ok ? [...base.model.champions].sort(cmp) : [];
}

function emptyReport(today: string, modelPath: string, notices: readonly string[]): Report {
  return {
    schemaVersion: 1,
    verdict: "no-model",
    today,
    model: { path: modelPath, changed: false, champions: [] },
    components: [],
    flows: [],
    boundaries: [],
    zones: [],
    threats: [],
    findings: [],
    acknowledgements: [],
    approval: { status: "not-needed", approvedBy: [] },
    signals: [],
    unmappedFiles: [],
    notScanned: [],
    modelChanges: [],
    errors: [],
    warnings: [],
    notices: [...notices],
    stats: { changedFiles: 0, policyFiles: 0, ignoredFiles: 0, mappedFiles: 0, unmappedFiles: 0, findings: 0, uncovered: 0 },
  };
}

function touchedComponents(view: ModelView, mapped: readonly MappedFile[]): Report["components"] {
  const files = new Map<string, Set<string>>();
  for (const m of mapped) {
    for (const c of m.mapping.components) {
      const set = files.get(c) ?? new Set<string>();
      set.add(m.file.path);
      files.set(c, set);
    }
  }
  return [...files.keys()].sort(cmp).flatMap((id) => {
    const c = view.reportedComponent(id);
    if (!c) return [];
    return [{ id, name: c.name, type: c.type, zone: c.zone, files: [...files.get(id)!].sort(cmp) }];
  });
}

function reportFlow(view: ModelView, id: string): ReportFlow | null {
  const f = view.reportedFlow(id);
  if (!f) return null;
  const boundary = view.reportedBoundary(f);
  const classes = f.data
    .map((d) => view.dataAsset(d)?.classification)
    .filter((c): c is Classification => c !== undefined);
  const highest = classes.sort((a, b) => CLASSIFICATIONS.indexOf(b) - CLASSIFICATIONS.indexOf(a))[0];
  return {
    id: f.id,
    name: f.name,
    source: f.source,
    destination: f.destination,
    sourceZone: view.reportedZoneOf(f.source) ?? null,
    destinationZone: view.reportedZoneOf(f.destination) ?? null,
    crossesBoundary: boundary !== null,
    ...(f.protocol !== undefined && { protocol: f.protocol }),
    ...(f.authentication !== undefined && { authentication: f.authentication }),
    ...(f.encrypted !== undefined && { encrypted: f.encrypted }),
    data: [...f.data].sort(cmp),
    ...(highest !== undefined && { classification: highest }),
  };
}

function boundariesOf(flows: readonly ReportFlow[]): ReportBoundary[] {
  const byPair = new Map<string, ReportBoundary>();
  for (const f of flows) {
    if (!f.crossesBoundary || f.sourceZone === null || f.destinationZone === null) continue;
    const zones = [f.sourceZone, f.destinationZone].sort(cmp) as [string, string];
    const key = zones.join("\u0000");
    const b = byPair.get(key) ?? { zones, flows: [] };
    b.flows.push(f.id);
    byPair.set(key, b);
  }
  return [...byPair.values()]
    .map((b) => ({ ...b, flows: b.flows.sort(cmp) }))
    .sort((a, b) => cmp(a.zones[0], b.zones[0]) || cmp(a.zones[1], b.zones[1]));
}

function zonesOf(view: ModelView, flows: readonly ReportFlow[], components: Report["components"]): Report["zones"] {
  const ids = new Set<string>();
  for (const f of flows) {
    if (f.sourceZone) ids.add(f.sourceZone);
    if (f.destinationZone) ids.add(f.destinationZone);
  }
  for (const c of components) ids.add(c.zone);
  return [...ids].sort(cmp).flatMap((id) => {
    const z = view.zone(id);
    return z ? [{ id, name: z.name, ...(z.trust !== undefined && { trust: z.trust }) }] : [];
  });
}

/** Threats (from the head when it revises them) targeting any element the report concerns. */
function threatsOf(view: ModelView, report: Report): ReportThreat[] {
  const concerned = new Set<string>([
    ...report.components.map((c) => c.id),
    ...report.flows.map((f) => f.id),
    ...report.flows.flatMap((f) => [f.source, f.destination]),
    ...report.findings.flatMap((f) => f.elements),
  ]);
  const threats = new Map<string, ReportThreat>();
  const models = [view.trusted.model, ...(view.head ? [view.head.model] : [])];
  for (const model of models) {
    for (const t of model.threats) {
      if (model !== view.trusted.model && !view.isRevised("threat", t.id)) continue;
      if (!t.targets.some((x) => concerned.has(x))) continue;
      threats.set(t.id, reportThreat(t));
    }
  }
  return [...threats.values()].sort((a, b) => cmp(a.id, b.id));
}

function signalsOf(hits: readonly SignalHit[], mapped: readonly MappedFile[]): Report["signals"] {
  const componentOf = new Map(mapped.map((m) => [m.file.path, m.mapping.components[0] ?? null]));
  return hits
    .map((h) => ({
      id: h.signal,
      file: h.file,
      line: h.line,
      component: componentOf.get(h.file) ?? null,
      label: h.label,
      removed: h.removed,
      excerpt: h.excerpt,
    }))
    .sort((a, b) => cmp(a.id, b.id) || cmp(a.file, b.file) || a.line - b.line);
}

/** A file's group for moved-code detection: the components it belongs to. */
function groupOf(mapped: readonly MappedFile[]): (path: string) => string {
  const groups = new Map(mapped.map((m) => [m.file.path, m.mapping.components.join(",")]));
  return (path) => groups.get(path) ?? "";
}

/** Neither covered by a model update nor acknowledged by a champion. */
export function isOpen(f: Finding): boolean {
  return !f.covered && f.acknowledgedBy === undefined;
}

function acknowledge(f: Finding, acks: readonly Acknowledgement[]): Finding {
  if (f.covered) return f;
  for (const ack of acks) {
    const entry = ack.findings.find((x) => x.key === f.key);
    if (entry && f.evidence.every((e) => entry.evidence.includes(e))) return { ...f, acknowledgedBy: ack.by };
  }
  return f;
}

/** What a champion accepts when acknowledging now: every open finding, with its evidence. */
export function acknowledgementFor(report: Report, by: string, at: string, reason: string, sha: string): Acknowledgement {
  return { by, at, reason, sha, findings: report.findings.filter(isOpen).map((f) => ({ key: f.key, evidence: [...f.evidence] })) };
}

function byFinding(a: Finding, b: Finding): number {
  return cmp(a.key, b.key) || cmp(a.file ?? "", b.file ?? "") || (a.line ?? 0) - (b.line ?? 0);
}

function toReportDiagnostics(list: readonly Diagnostic[]): ReportDiagnostic[] {
  return list.map(({ file, line, column, message }) => ({ file, line, column, message }));
}

function dedupeDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.file}:${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sameContent(a: Uint8Array | string, b: Uint8Array | string): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  const ea = typeof a === "string" ? new TextEncoder().encode(a) : a;
  const eb = typeof b === "string" ? new TextEncoder().encode(b) : b;
  if (ea.length !== eb.length) return false;
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return false;
  return true;
}

