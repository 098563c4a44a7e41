/**
 * `--paths`: a small YAML map from an element's id (ours or the source's) or its name in the
 * source, to a glob or a list of globs, for components, flows and zones. A key that names no
 * element, or several, is an error; the globs come after any paths the import already found
 * (OTM code representations).
 */
import type { SourceFile } from "../model/parse.js";
import type { ThreatModel } from "../model/types.js";
import type { Diagnostic } from "../source/diagnostic.js";
import { globProblem } from "../paths/glob.js";
import { DEFAULT_YAML_LIMITS, loadYaml } from "../source/yaml.js";
import type { PathTarget } from "./types.js";
import { asObj, kindOf } from "./source.js";

export type PathMappingResult = { ok: true; model: ThreatModel } | { ok: false; errors: Diagnostic[] };

export function applyPathMapping(model: ThreatModel, targets: readonly PathTarget[], mapping: SourceFile): PathMappingResult {
  const loaded = loadYaml(mapping.path, mapping.content, DEFAULT_YAML_LIMITS);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  const { yaml } = loaded;
  const errors: Diagnostic[] = [];
  const error = (at: { line: number; column: number }, message: string) =>
    errors.push({ file: mapping.path, line: at.line, column: at.column, message, severity: "error" });

  if (yaml.value === null || yaml.value === undefined) return { ok: true, model };
  const root = asObj(yaml.value);
  if (!root) {
    error(yaml.positionOf([]), `a paths mapping is a YAML mapping from an element id or name to a glob or a list of globs, got ${kindOf(yaml.value)}`);
    return { ok: false, errors };
  }

  const byKey = new Map<string, PathTarget[]>();
  for (const t of targets) {
    for (const k of new Set(t.keys)) {
      const list = byKey.get(k) ?? [];
      list.push(t);
      byKey.set(k, list);
    }
  }

  const added = new Map<string, string[]>();
  for (const [key, value] of Object.entries(root)) {
    const keyAt = yaml.keyPositionOf([key]);
    const matches = byKey.get(key) ?? [];
    if (matches.length === 0) {
      error(keyAt, `"${key}" matches no component, flow or zone of the imported model (use an id of the model, or an id or name from the source)`);
      continue;
    }
    if (matches.length > 1) {
      const which = matches.map((t) => `${t.kind} ${t.ids[0]}`).join(", ");
      error(keyAt, `"${key}" matches ${matches.length} elements (${which}); use the id of the one you mean`);
      continue;
    }
    const globs = typeof value === "string" ? [value] : Array.isArray(value) ? value : null;
    if (globs === null || globs.length === 0) {
      error(yaml.positionOf([key]), `"${key}": expected a glob or a list of globs, got ${kindOf(value)}`);
      continue;
    }
    const good: string[] = [];
    globs.forEach((g, i) => {
      const at = yaml.positionOf(typeof value === "string" ? [key] : [key, i]);
      if (typeof g !== "string") {
        error(at, `"${key}": expected a glob (a string), got ${kindOf(g)}`);
        return;
      }
      const problem = globProblem(g);
      if (problem) error(at, `"${key}": ${JSON.stringify(g)}: ${problem}`);
      else good.push(g);
    });
    for (const id of matches[0]!.ids) added.set(id, [...(added.get(id) ?? []), ...good]);
  }
  if (errors.length > 0) return { ok: false, errors };

  const withPaths = <T extends { id: string; paths: string[] }>(e: T): T => {
    const more = added.get(e.id);
    if (!more) return e;
    const paths = [...e.paths];
    for (const g of more) if (!paths.includes(g)) paths.push(g);
    return { ...e, paths };
  };
  return {
    ok: true,
    model: {
      ...model,
      trust_zones: model.trust_zones.map(withPaths),
      components: model.components.map(withPaths),
      data_flows: model.data_flows.map(withPaths),
    },
  };
}
