/**
 * Import from and export to other threat-modelling tools. Pure: the doors read and write the
 * files. docs/interchange.md is the user's guide to the mapping.
 */
import { parseModel, type SourceFile } from "../model/parse.js";
import type { ThreatModel } from "../model/types.js";
import { writeModel } from "../model/write.js";
import type { Diagnostic } from "../source/diagnostic.js";
import type { IdChange } from "./ids.js";
import { importOtm } from "./otm.js";
import { applyPathMapping } from "./paths.js";
import { importThreagile } from "./threagile.js";
import { importThreatDragon } from "./threat-dragon.js";
import { IMPORT_FORMATS, type ImportFormat, type ImportResult } from "./types.js";

export { IMPORT_FORMATS, type ImportFormat, type ImportResult, type Imported, type PathTarget } from "./types.js";
export { exportOtm, importOtm, toOtm, OTM_VERSION } from "./otm.js";
export { importThreagile } from "./threagile.js";
export { importThreatDragon } from "./threat-dragon.js";
export { applyPathMapping } from "./paths.js";
export { toId, type IdChange } from "./ids.js";

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  otm: "Open Threat Model",
  threagile: "Threagile",
  "threat-dragon": "OWASP Threat Dragon",
};

const IMPORTERS: Record<ImportFormat, (file: SourceFile) => ImportResult> = {
  otm: importOtm,
  threagile: importThreagile,
  "threat-dragon": importThreatDragon,
};

export function isImportFormat(v: string): v is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(v);
}

export type ImportModelResult =
  | { ok: true; model: ThreatModel; yaml: string; notCarried: string[]; idChanges: IdChange[] }
  | { ok: false; errors: Diagnostic[] };

/**
 * The whole import: read the source, apply the `--paths` mapping, write version-1 YAML and
 * check that it validates. A model that would not validate is never returned.
 */
export function importModel(format: ImportFormat, source: SourceFile, mapping?: SourceFile): ImportModelResult {
  const imported = IMPORTERS[format](source);
  if (!imported.ok) return imported;
  let model = imported.model;
  if (mapping) {
    const mapped = applyPathMapping(model, imported.pathTargets, mapping);
    if (!mapped.ok) return mapped;
    model = mapped.model;
  }
  const yaml = writeModel(model, {
    header: [`Imported from ${source.path} (${FORMAT_NAMES[format]}) by threat-model-review import.`, "Review it before use; docs/interchange.md says what was mapped and how."],
  });
  const check = parseModel({ path: "imported model", content: yaml });
  if (!check.ok) {
    return {
      ok: false,
      errors: check.errors.map((e) => ({
        ...e,
        file: source.path,
        line: 1,
        column: 1,
        message: `the imported model would not validate (${e.message}, at line ${e.line} of the written model)`,
      })),
    };
  }
  return { ok: true, model: check.model, yaml, notCarried: imported.notCarried, idChanges: imported.idChanges };
}

/** One line for an id that changed: `id changed: component "Web App" is now web-app`. */
export function formatIdChange(c: IdChange): string {
  return `id changed: ${c.kind} ${JSON.stringify(c.from)} is now ${c.to}`;
}
