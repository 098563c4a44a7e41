/**
 * What a change did to the model, element by element. Reformatting, reordering elements or
 * keys, and reordering id lists are not changes; reordering `paths` is (it decides negation).
 */
import type { ElementKind, ThreatModel } from "./types.js";
import { cmp } from "../compare.js";

export type ModelChangeKind = ElementKind | "model";

export interface ModelChange {
  change: "added" | "removed" | "changed";
  kind: ModelChangeKind;
  /** The element id, or the top-level field name when `kind` is "model". */
  id: string;
  /** For "changed": the fields that differ. */
  fields?: string[];
}

/** Lists whose order carries no meaning. */
const SET_FIELDS = new Set(["data", "targets", "champions", "mitigations", "owners"]);

const MODEL_FIELDS = ["version", "title", "description", "reviewed_at", "champions"] as const;

type AnyElement = { id: string } & Record<string, unknown>;

const SECTIONS: { kind: ElementKind; pick: (m: ThreatModel) => AnyElement[] }[] = [
  { kind: "zone", pick: (m) => m.trust_zones as unknown as AnyElement[] },
  { kind: "component", pick: (m) => m.components as unknown as AnyElement[] },
  { kind: "data", pick: (m) => m.data_assets as unknown as AnyElement[] },
  { kind: "flow", pick: (m) => m.data_flows as unknown as AnyElement[] },
  { kind: "threat", pick: (m) => m.threats as unknown as AnyElement[] },
];

export function diffModels(base: ThreatModel | null, head: ThreatModel | null): ModelChange[] {
  const out: ModelChange[] = [];
  // The same parsed model on both sides (the review parses identical text once).
  if (base === head) return out;

  for (const field of MODEL_FIELDS) {
    const before = base ? canonical(field, base[field]) : undefined;
    const after = head ? canonical(field, head[field]) : undefined;
    if (before === after) continue;
    const emptyBefore = before === undefined || before === "[]";
    const emptyAfter = after === undefined || after === "[]";
    if (emptyBefore && emptyAfter) continue;
    out.push({ change: emptyBefore ? "added" : emptyAfter ? "removed" : "changed", kind: "model", id: field });
  }

  for (const { kind, pick } of SECTIONS) {
    const before = new Map((base ? pick(base) : []).map((e) => [e.id, e]));
    const after = new Map((head ? pick(head) : []).map((e) => [e.id, e]));
    for (const [id, b] of before) {
      const a = after.get(id);
      if (!a) {
        out.push({ change: "removed", kind, id });
        continue;
      }
      const fields = changedFields(b, a);
      if (fields.length > 0) out.push({ change: "changed", kind, id, fields });
    }
    for (const id of after.keys()) {
      if (!before.has(id)) out.push({ change: "added", kind, id });
    }
  }
  return out.sort(
    (x, y) => cmp(x.kind, y.kind) || cmp(x.id, y.id) || cmp(x.change, y.change),
  );
}

function changedFields(before: AnyElement, after: AnyElement): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const fields: string[] = [];
  for (const key of keys) {
    if (canonical(key, before[key]) !== canonical(key, after[key])) fields.push(key);
  }
  return fields.sort(cmp);
}

/** A stable text form of one field's value; undefined when the field is absent. */
export function canonical(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && SET_FIELDS.has(field)) {
    return JSON.stringify([...new Set(value.map((v) => JSON.stringify(v)))].sort(cmp));
  }
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)))
      : v,
  );
}

