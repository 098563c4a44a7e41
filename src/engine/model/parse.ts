/**
 * Reading threat-model.yml: YAML with hostile-input limits, the schema, the cross-references,
 * then a model with every default filled in. A model with any error is never returned, so
 * nothing downstream can half-use it.
 */
import type { Diagnostic } from "../source/diagnostic.js";
import { sortDiagnostics } from "../source/diagnostic.js";
import { issueToDiagnostic } from "../source/schema-errors.js";
import { DEFAULT_YAML_LIMITS, loadYaml, type LoadedYaml, type PathSegment, type YamlLimits } from "../source/yaml.js";
import { checkReferences } from "./references.js";
import { KNOWN_KEYS, SECTION_KIND, SECTIONS, modelSchema, type RawModel, type Section } from "./schema.js";
import type { ElementLines, ThreatModel } from "./types.js";

export interface SourceFile {
  path: string;
  content: Uint8Array | string;
  /**
   * The file's size when the door knows it is too large to fetch (GitHub does not send the
   * content of files over 1 MB in JSON); `content` is then empty.
   */
  declaredSize?: number;
}

export type ModelParseResult =
  | { ok: true; model: ThreatModel; lines: ElementLines; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

export function parseModel(file: SourceFile, limits: YamlLimits = DEFAULT_YAML_LIMITS): ModelParseResult {
  const loaded = loadYaml(file.path, file.content, limits, file.declaredSize);
  if (!loaded.ok) return { ok: false, errors: loaded.errors, warnings: [] };
  const { yaml } = loaded;

  if (yaml.value === null || typeof yaml.value !== "object" || Array.isArray(yaml.value)) {
    const at = yaml.positionOf([]);
    return {
      ok: false,
      warnings: [],
      errors: [
        {
          file: file.path,
          line: at.line,
          column: at.column,
          severity: "error",
          message: "a threat model is a mapping with version, trust_zones, components, data_flows...; see docs/model-format.md",
        },
      ],
    };
  }

  const warnings = [...loaded.warnings, ...unknownKeyWarnings(yaml)];
  const describePath = (path: readonly PathSegment[]) => describeModelPath(yaml, path);
  const parsed = modelSchema.safeParse(yaml.value);
  const errors: Diagnostic[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => issueToDiagnostic(issue, { yaml, describePath }));
  errors.push(...checkReferences(yaml));

  if (errors.length > 0 || !parsed.success) {
    return { ok: false, errors: sortDiagnostics(dedupe(errors)), warnings: sortDiagnostics(warnings) };
  }
  return {
    ok: true,
    model: normalise(parsed.data),
    lines: elementLines(yaml),
    warnings: sortDiagnostics(warnings),
  };
}

function normalise(raw: RawModel): ThreatModel {
  return {
    version: 1,
    title: raw.title ?? "Threat model",
    ...(raw.description !== undefined && { description: raw.description }),
    ...(raw.reviewed_at !== undefined && { reviewed_at: raw.reviewed_at }),
    champions: raw.champions ?? [],
    trust_zones: raw.trust_zones.map((z) => ({
      id: z.id,
      name: z.name ?? z.id,
      ...(z.description !== undefined && { description: z.description }),
      ...(z.trust !== undefined && { trust: z.trust }),
      parent: z.parent ?? null,
      paths: z.paths ?? [],
    })),
    components: (raw.components ?? []).map((c) => ({
      id: c.id,
      name: c.name ?? c.id,
      ...(c.description !== undefined && { description: c.description }),
      type: c.type,
      zone: c.zone,
      paths: c.paths ?? [],
      data: c.data ?? [],
      owners: c.owners ?? [],
      ...(c.reviewed_at !== undefined && { reviewed_at: c.reviewed_at }),
    })),
    data_assets: (raw.data_assets ?? []).map((d) => ({
      id: d.id,
      name: d.name ?? d.id,
      ...(d.description !== undefined && { description: d.description }),
      classification: d.classification,
    })),
    data_flows: (raw.data_flows ?? []).map((f) => ({
      id: f.id,
      name: f.name ?? f.id,
      ...(f.description !== undefined && { description: f.description }),
      source: f.source,
      destination: f.destination,
      ...(f.protocol !== undefined && { protocol: f.protocol }),
      data: f.data ?? [],
      ...(f.authentication !== undefined && { authentication: f.authentication }),
      ...(f.encrypted !== undefined && { encrypted: f.encrypted }),
      paths: f.paths ?? [],
      ...(f.reviewed_at !== undefined && { reviewed_at: f.reviewed_at }),
    })),
    threats: (raw.threats ?? []).map((t) => ({
      id: t.id,
      title: t.title ?? t.id,
      ...(t.description !== undefined && { description: t.description }),
      ...(t.category !== undefined && { category: t.category }),
      targets: t.targets,
      ...(t.likelihood !== undefined && { likelihood: t.likelihood }),
      ...(t.impact !== undefined && { impact: t.impact }),
      status: t.status ?? "open",
      mitigations: t.mitigations ?? [],
      ...(t.ticket !== undefined && { ticket: t.ticket }),
    })),
  };
}

/** `component "web": ` for a path inside an element, `title: ` for a top-level key. */
function describeModelPath(yaml: LoadedYaml, path: readonly PathSegment[]): string {
  if (path.length === 0) return "";
  const [section, index, ...rest] = path;
  if (typeof section === "string" && section in SECTION_KIND && typeof index === "number") {
    const entry = (yaml.value as Record<string, unknown[]>)[section]?.[index];
    const id = entry && typeof entry === "object" ? (entry as Record<string, unknown>)["id"] : undefined;
    const who = typeof id === "string" && rest[0] !== "id"
      ? `${SECTION_KIND[section as Section]} "${id}"`
      : `${section}[${index}]`;
    const tail = rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
    return tail ? `${who}: ${tail}: ` : `${who}: `;
  }
  return `${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "")}: `;
}

function unknownKeyWarnings(yaml: LoadedYaml): Diagnostic[] {
  const out: Diagnostic[] = [];
  const root = yaml.value as Record<string, unknown>;
  const warn = (path: PathSegment[], message: string) => {
    const at = yaml.keyPositionOf(path);
    out.push({ file: yaml.file, line: at.line, column: at.column, message, severity: "warning" });
  };
  for (const key of Object.keys(root)) {
    if (!KNOWN_KEYS.model.includes(key)) {
      warn([key], `unknown top-level key "${key}" is ignored (known: ${KNOWN_KEYS.model.join(", ")})`);
    }
  }
  for (const section of SECTIONS) {
    const list = root[section];
    if (!Array.isArray(list)) continue;
    const known: readonly string[] = KNOWN_KEYS[section];
    list.forEach((entry, i) => {
      if (!entry || typeof entry !== "object" || Array.isArray(entry)) return;
      for (const key of Object.keys(entry)) {
        if (!known.includes(key)) {
          const id = (entry as Record<string, unknown>)["id"];
          const who = typeof id === "string" ? `${SECTION_KIND[section]} "${id}"` : `${section}[${i}]`;
          warn([section, i, key], `${who}: unknown key "${key}" is ignored (known: ${known.join(", ")})`);
        }
      }
    });
  }
  return out;
}

function elementLines(yaml: LoadedYaml): ElementLines {
  const lines: ElementLines = new Map();
  const root = yaml.value as Record<string, unknown>;
  for (const section of SECTIONS) {
    const list = root[section];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const id = (entry as Record<string, unknown>)["id"];
      if (typeof id === "string") lines.set(id, yaml.positionOf([section, i]).line);
    });
  }
  return lines;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
