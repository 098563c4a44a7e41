import type { ThreatModel } from "../model/types.js";
import type { Diagnostic } from "../source/diagnostic.js";
import type { IdChange } from "./ids.js";

export const IMPORT_FORMATS = ["otm", "threagile", "threat-dragon"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * An element that `--paths` can name: by its id in the model, its id in the source or its name
 * in the source. One source element can become several of ours (a bidirectional flow).
 */
export interface PathTarget {
  kind: "zone" | "component" | "flow";
  /** The model ids that receive the globs. */
  ids: string[];
  /** Keys that name it: the model id, the source id, the source name. */
  keys: string[];
}

export interface Imported {
  model: ThreatModel;
  /** One line each: `not carried: <element>: <what>`. */
  notCarried: string[];
  idChanges: IdChange[];
  pathTargets: PathTarget[];
}

export type ImportResult = ({ ok: true } & Imported) | { ok: false; errors: Diagnostic[] };
