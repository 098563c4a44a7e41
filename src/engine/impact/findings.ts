/**
 * Findings: what the change touches that the model should answer for. Each finding carries
 * why it was raised, the question to answer and what would resolve it, so that renderers
 * never invent text away from the rule that raised it.
 */
import type { ReviewConfig } from "../config/config.js";
import type { DataFlow, StrideCategory } from "../model/types.js";
import { STRIDE } from "../model/types.js";
import type { SignalDefinition, SignalHit, SignalId } from "../signals/types.js";
import type { Finding } from "../report/types.js";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { readPatch } from "../changes/patch.js";
import type { MappedFile } from "./mapping.js";
import type { ModelView } from "./model-view.js";
import { cmp } from "../compare.js";

type Draft = Omit<Finding, "covered" | "acknowledgedBy">;

export interface FindingInput {
  view: ModelView;
  mapped: readonly MappedFile[];
  hits: readonly SignalHit[];
  catalog: ReadonlyMap<SignalId, SignalDefinition>;
  config: ReviewConfig;
  modelPath: string;
  modelRemoved: boolean;
  today: string;
}

const SENSITIVE = new Set(["confidential", "secret"]);

export function findingsFor(input: FindingInput): Draft[] {
  const { view, mapped } = input;
  const out: Draft[] = [];
  // A file in several flows and zones is read for its digest once.
  const fileDigests = new Map<MappedFile, string>();

  if (input.modelRemoved) {
    out.push({
      key: "model-removed",
      kind: "model-removed",
      severity: "high",
      elements: [],
      flows: [],
      questionFlows: [],
      evidence: [],
      file: input.modelPath,
      stride: [...STRIDE],
      message: `The change deletes the threat model (${input.modelPath}).`,
      question: "Is the threat model moving elsewhere, or is this system no longer modelled?",
      resolution: `Keep ${input.modelPath}, or move it and point the config's \`model\` setting at the new path.`,
    });
  }

  // Flows and zones whose code the change touches.
  const flowFiles = new Map<string, MappedFile[]>();
  const zoneFiles = new Map<string, MappedFile[]>();
  for (const m of mapped) {
    for (const f of m.mapping.flows) push(flowFiles, f, m);
    for (const z of m.mapping.zones) push(zoneFiles, z, m);
  }

  for (const [flowId, files] of flowFiles) {
    const flow = view.policyFlow(flowId);
    if (!flow) continue;
    const boundary = view.policyBoundary(flow);
    if (!boundary) continue;
    const first = evidence(files);
    out.push({
      key: `boundary-flow:${flowId}`,
      kind: "boundary-flow",
      severity: flowSeverity(view, flow),
      elements: [flowId],
      flows: [flowId],
      questionFlows: [flowId],
      evidence: [changeDigest(files, fileDigests)],
      ...first,
      stride: ["spoofing", "tampering", "information-disclosure"],
      message: `${describeFiles(files)} the code of flow "${flow.name}" (${flow.source} -> ${flow.destination}), which crosses the ${boundary[0]}/${boundary[1]} trust boundary.`,
      question: "Does the flow still match the model: its protocol, authentication, encryption and the data it carries?",
      resolution: `Revise flow "${flowId}" (or its source or destination component, or a threat targeting them) in the threat model, or ask a security champion to acknowledge.`,
    });
  }

  for (const [zoneId, files] of zoneFiles) {
    const zone = view.zone(zoneId);
    if (!zone) continue;
    const crossing = view.policyCrossingFlowsOfZone(zoneId).map((f) => f.id);
    const first = evidence(files);
    out.push({
      key: `boundary-definition:${zoneId}`,
      kind: "boundary-definition",
      severity: "high",
      elements: [zoneId, ...crossing.sort(cmp)],
      flows: [...crossing].sort(cmp),
      questionFlows: [...crossing].sort(cmp),
      evidence: [changeDigest(files, fileDigests)],
      ...first,
      stride: ["spoofing", "tampering", "information-disclosure", "elevation-of-privilege"],
      message: `${describeFiles(files)} the code that defines the edge of zone "${zone.name}"; ${crossing.length === 0 ? "no modelled flow crosses it yet" : `${crossing.length} flow${crossing.length === 1 ? "" : "s"} cross${crossing.length === 1 ? "es" : ""} it`}.`,
      question: `Does the edge of zone "${zone.name}" still stand where the model says: what can now reach in, and what can now get out?`,
      resolution: `Revise zone "${zoneId}" or the flows that cross it (or add a threat targeting them) in the threat model, or ask a security champion to acknowledge.`,
    });
  }

  // Signals, one finding per signal, file and side.
  const byFile = new Map(mapped.map((m) => [m.file.path, m]));
  const groups = new Map<string, SignalHit[]>();
  for (const h of input.hits) {
    const key = `signal:${h.signal}:${h.file}${h.removed ? ":removed" : ""}`;
    push(groups, key, h);
  }
  for (const [key, hits] of groups) {
    const h = hits[0]!;
    const def = input.catalog.get(h.signal);
    if (!def) continue;
    const m = byFile.get(h.file);
    const components = m?.mapping.components ?? [];
    const elements = components.length > 0 ? components : [...(m?.mapping.flows ?? []), ...(m?.mapping.zones ?? [])].sort(cmp);
    const lines = [...new Set(hits.map((x) => x.line))].sort((a, b) => a - b);
    const where = components.length > 0
      ? ` in component${components.length === 1 ? "" : "s"} ${components.map((c) => `"${c}"`).join(", ")}`
      : elements.length > 0
        ? `, in code of ${elements.map((e) => `"${e}"`).join(", ")} but of no component`
        : ", outside every component of the model";
    const labels = [...new Set(hits.map((x) => x.label))];
    const componentFlows = components.flatMap((c) => view.reportedFlowsOf(c).map((f) => ({ f, c })));
    const flows = [...new Set(componentFlows.map(({ f }) => f.id))].sort(cmp);
    const direction = def.flows ?? "all";
    const questionFlows = [
      ...new Set(
        componentFlows
          .filter(({ f, c }) =>
            view.reportedBoundary(f) !== null &&
            (direction === "all" || (direction === "inbound" && f.destination === c) || (direction === "outbound" && f.source === c)),
          )
          .map(({ f }) => f.id),
      ),
    ].sort(cmp);
    out.push({
      key,
      kind: "signal",
      severity: def.severity,
      elements,
      flows,
      questionFlows,
      evidence: [...new Set(hits.map((x) => x.excerpt.replace(/\s+/g, "").slice(0, 160)))].sort(cmp),
      file: h.file,
      line: h.line,
      files: [h.file],
      lines,
      signal: h.signal,
      label: labels.join("; "),
      removed: h.removed,
      stride: [...def.stride],
      message: `${h.removed ? "Removed: " : ""}${def.title} (${labels.join("; ")}) at ${h.file}:${lines.join(",")}${where}.`,
      question: def.question,
      resolution: components.length > 0
        ? `Revise component ${components.map((c) => `"${c}"`).join(" or ")} or one of its flows (or add a threat targeting them) in the threat model, or ask a security champion to acknowledge.`
        : `Map ${h.file} to a component in the threat model (add it to that component's paths), or ask a security champion to acknowledge.`,
    });
  }

  if (input.config.unmapped === "revisit") {
    for (const m of mapped) {
      if (m.mappedBy !== null) continue;
      out.push({
        key: `unmapped:${m.file.path}`,
        kind: "unmapped",
        severity: "low",
        elements: [],
        flows: [],
        questionFlows: [],
        evidence: [changeDigest([m], fileDigests)],
        file: m.file.path,
        files: [m.file.path],
        stride: [],
        message: `${m.file.path} belongs to no component, flow or zone of the threat model.`,
        question: "Which component does this code belong to, and does it add a flow the model does not show?",
        resolution: `Add ${m.file.path} to a component's paths in the threat model (or to the config's ignore list if it is not part of the system).`,
      });
    }
  }
  return out;
}

/** Flows concerned by the findings so far, through the policy (trusted) view plus head additions. */
export function concernedFlows(findings: readonly Draft[]): Set<string> {
  return new Set(findings.flatMap((f) => f.flows));
}

/** Freshness: touched components and concerned flows not reviewed within `maxAgeDays`. */
export function staleFindings(
  view: ModelView,
  mapped: readonly MappedFile[],
  flows: ReadonlySet<string>,
  maxAgeDays: number,
  today: string,
): Draft[] {
  if (maxAgeDays <= 0) return [];
  const out: Draft[] = [];
  const components = new Set(mapped.flatMap((m) => m.mapping.components));
  const check = (kind: "component" | "flow", id: string, name: string, reviewed: string | undefined) => {
    const age = reviewed === undefined ? null : ageInDays(reviewed, today);
    if (age !== null && age <= maxAgeDays) return;
    out.push({
      key: `stale:${kind}:${id}`,
      kind: "stale",
      severity: "medium",
      elements: [id],
      flows: kind === "flow" ? [id] : [],
      questionFlows: kind === "flow" ? [id] : [],
      evidence: [],
      stride: [],
      message:
        age === null
          ? `${kind === "component" ? "Component" : "Flow"} "${name}" has no reviewed_at date (nor does the model), and this repository asks for a review every ${maxAgeDays} days.`
          : `${kind === "component" ? "Component" : "Flow"} "${name}" was last reviewed on ${reviewed} (${age} days ago; the limit is ${maxAgeDays}).`,
      question: `Does the model still describe ${kind} "${name}" as it is after this change?`,
      resolution: `Review ${kind} "${id}" and set its reviewed_at to ${today} in the threat model, or ask a security champion to acknowledge.`,
    });
  };
  for (const id of components) {
    const c = view.policyComponent(id);
    if (c) check("component", id, c.name, c.reviewed_at ?? view.policyModelReviewedAt());
  }
  for (const id of flows) {
    const f = view.policyFlow(id);
    if (f) check("flow", id, f.name, f.reviewed_at ?? view.policyModelReviewedAt());
  }
  return out;
}

/** Whole days from `date` to `today`, both YYYY-MM-DD, in UTC. */
export function ageInDays(date: string, today: string): number {
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`);
  return Math.floor(ms / 86_400_000);
}

function flowSeverity(view: ModelView, flow: DataFlow): "high" | "medium" {
  const sensitive = flow.data.some((d) => SENSITIVE.has(view.dataAsset(d)?.classification ?? ""));
  const unauthenticated = flow.authentication !== undefined && /^\s*none\s*$/i.test(flow.authentication);
  return sensitive || unauthenticated ? "high" : "medium";
}

function evidence(files: MappedFile[]): { file: string; line?: number; files: string[] } {
  const sorted = [...files].sort((a, b) => cmp(a.file.path, b.file.path));
  const first = sorted[0]!;
  const line = firstChangedLine(first.file.patch);
  return {
    file: first.file.path,
    ...(line !== undefined && { line }),
    files: sorted.map((m) => m.file.path),
  };
}

/**
 * What a finding about whole files stands for: the lines the change adds and removes in them
 * (whitespace ignored), digested. An acknowledgement covers this evidence, so a later push that
 * changes those files differently raises the finding again; a rebase that only moves context
 * does not. A file without a patch (binary, too large) counts by its path and status only.
 */
export function changeDigest(files: readonly MappedFile[], cache = new Map<MappedFile, string>()): string {
  const parts = [...files].sort((a, b) => cmp(a.file.path, b.file.path)).map((m) => {
    let digest = cache.get(m);
    if (digest === undefined) {
      digest = fileDigest(m);
      cache.set(m, digest);
    }
    return `${m.file.path}\u0000${digest}`;
  });
  return `changes:${hex(parts.join("\n")).slice(0, 32)}`;
}

function fileDigest(m: MappedFile): string {
  const parts: string[] = [m.file.status];
  const parsed = m.file.patch === undefined ? null : readPatch(m.file.patch);
  if (!parsed?.ok) parts.push(m.file.patch === undefined ? "no patch" : m.file.patch.replace(/\s+/g, ""));
  else for (const l of parsed.patch.lines) if (l.kind !== "context") parts.push(`${l.kind === "add" ? "+" : "-"}${l.text.replace(/\s+/g, "")}`);
  return hex(parts.join("\n"));
}

function hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The first added line of a patch, else the first line a removal touched. */
export function firstChangedLine(patch: string | undefined): number | undefined {
  if (patch === undefined) return undefined;
  const parsed = readPatch(patch);
  if (!parsed.ok) return undefined;
  const added = parsed.patch.lines.find((l) => l.kind === "add");
  if (added) return added.newLine;
  return parsed.patch.lines.find((l) => l.kind === "remove")?.newLine;
}

function describeFiles(files: readonly MappedFile[]): string {
  if (files.length === 1) return `${files[0]!.file.path} changes`;
  return `${files.length} files change`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export type { Draft as FindingDraft, StrideCategory };
