/**
 * Checks that need the whole model: ids unique across every kind, references that point
 * at elements of the right kind, and no loops in zone nesting. They run on the raw value,
 * skipping entries the schema already rejects, so that one run reports every problem.
 */
import type { Diagnostic } from "../source/diagnostic.js";
import type { LoadedYaml, PathSegment } from "../source/yaml.js";
import { SECTION_KIND, SECTIONS, type Section } from "./schema.js";

type Kind = (typeof SECTION_KIND)[Section];

interface Declared {
  kind: Kind;
  path: PathSegment[];
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asRecord = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export function checkReferences(yaml: LoadedYaml): Diagnostic[] {
  const root = asRecord(yaml.value);
  if (!root) return [];
  const out: Diagnostic[] = [];
  const error = (path: PathSegment[], message: string) => {
    const at = yaml.positionOf(path);
    out.push({ file: yaml.file, line: at.line, column: at.column, message, severity: "error" });
  };

  const declared = new Map<string, Declared>();
  for (const section of SECTIONS) {
    asArray(root[section]).forEach((entry, i) => {
      const id = asRecord(entry)?.["id"];
      if (typeof id !== "string") return;
      const path = [section, i, "id"];
      const first = declared.get(id);
      if (first) {
        const line = yaml.positionOf(first.path).line;
        error(path, `duplicate id "${id}": already used by the ${first.kind} at line ${line}; ids are unique across the whole model`);
      } else {
        declared.set(id, { kind: SECTION_KIND[section], path });
      }
    });
  }

  const byKind = new Map<Kind, string[]>();
  for (const [id, d] of declared) {
    const list = byKind.get(d.kind) ?? [];
    list.push(id);
    byKind.set(d.kind, list);
  }
  const idsOf = (kind: Kind) => byKind.get(kind) ?? [];
  const refer = (path: PathSegment[], value: unknown, allowed: Kind[], owner: string) => {
    if (typeof value !== "string") return;
    const target = declared.get(value);
    if (target && allowed.includes(target.kind)) return;
    const wanted = allowed.length === 1 ? allowed[0]! : `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
    if (target) {
      error(path, `${owner}: "${value}" is a ${target.kind}, not a ${wanted}`);
      return;
    }
    const known: string[] = [];
    for (const k of allowed) for (const id of idsOf(k)) if (known.length <= 12) known.push(id);
    const hint = known.length === 0 ? `the model declares no ${wanted}` : `known: ${known.slice(0, 12).join(", ")}${known.length > 12 ? ", …" : ""}`;
    error(path, `${owner}: ${wanted} "${value}" does not exist (${hint})`);
  };
  const label = (section: Section, entry: Record<string, unknown> | null, i: number) => {
    const id = entry?.["id"];
    return typeof id === "string" ? `${SECTION_KIND[section]} "${id}"` : `${section}[${i}]`;
  };

  asArray(root["trust_zones"]).forEach((e, i) => {
    const z = asRecord(e);
    if (z && z["parent"] !== null && z["parent"] !== undefined) {
      refer(["trust_zones", i, "parent"], z["parent"], ["zone"], `${label("trust_zones", z, i)}: parent`);
    }
  });
  asArray(root["components"]).forEach((e, i) => {
    const c = asRecord(e);
    if (!c) return;
    const who = label("components", c, i);
    refer(["components", i, "zone"], c["zone"], ["zone"], `${who}: zone`);
    asArray(c["data"]).forEach((d, j) => refer(["components", i, "data", j], d, ["data asset"], `${who}: data`));
  });
  asArray(root["data_flows"]).forEach((e, i) => {
    const f = asRecord(e);
    if (!f) return;
    const who = label("data_flows", f, i);
    refer(["data_flows", i, "source"], f["source"], ["component"], `${who}: source`);
    refer(["data_flows", i, "destination"], f["destination"], ["component"], `${who}: destination`);
    asArray(f["data"]).forEach((d, j) => refer(["data_flows", i, "data", j], d, ["data asset"], `${who}: data`));
  });
  asArray(root["threats"]).forEach((e, i) => {
    const t = asRecord(e);
    if (!t) return;
    const who = label("threats", t, i);
    asArray(t["targets"]).forEach((d, j) =>
      refer(["threats", i, "targets", j], d, ["component", "flow", "zone"], `${who}: targets`),
    );
  });

  // Zone nesting must be a forest: follow each parent chain and report each loop once.
  const parentOf = new Map<string, { parent: string; index: number }>();
  asArray(root["trust_zones"]).forEach((e, i) => {
    const z = asRecord(e);
    if (z && typeof z["id"] === "string" && typeof z["parent"] === "string") {
      parentOf.set(z["id"], { parent: z["parent"], index: i });
    }
  });
  const reported = new Set<string>();
  for (const start of parentOf.keys()) {
    const chain: string[] = [];
    const seen = new Set<string>();
    let at: string | undefined = start;
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      chain.push(at);
      at = parentOf.get(at)?.parent;
    }
    if (at === undefined) continue;
    const loop = chain.slice(chain.indexOf(at));
    const key = [...loop].sort().join(" ");
    if (reported.has(key)) continue;
    reported.add(key);
    const first = loop.reduce((a, b) => (parentOf.get(a)!.index <= parentOf.get(b)!.index ? a : b));
    const from = loop.indexOf(first);
    const ordered = [...loop.slice(from), ...loop.slice(0, from), first];
    error(["trust_zones", parentOf.get(first)!.index, "parent"], `zone "${first}": parent chain loops (${ordered.join(" -> ")})`);
  }
  return out;
}
