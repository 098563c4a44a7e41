/**
 * Reading a file another tool wrote: JSON or YAML with the same hostile-input limits as a
 * model (a larger size cap), every problem located at file:line:column, and small helpers the
 * importers share to read loosely typed values and to list what they could not carry over.
 */
import type { SourceFile } from "../model/parse.js";
import type { Diagnostic } from "../source/diagnostic.js";
import { byteLength, decodeUtf8 } from "../source/text.js";
import { findExcessiveNesting, formatBytes, loadYaml, offsetToLineCol, type PathSegment, type YamlLimits } from "../source/yaml.js";
import { findJsonSyntaxError } from "./json-syntax.js";

/** Exports of large models run to a few MiB; the model written from them is still capped at 1 MiB. */
export const IMPORT_LIMITS: YamlLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 64, maxAliasCount: 100 };

export interface SourceDoc {
  file: string;
  value: unknown;
  /** Line and column (1-based) of the value at `path`, or of its nearest enclosing node. */
  positionOf(path: readonly PathSegment[]): { line: number; column: number };
}

export type ReadSourceResult = { ok: true; doc: SourceDoc } | { ok: false; errors: Diagnostic[] };

export type Syntax = "json" | "yaml" | "auto";

export function readSource(file: SourceFile, syntax: Syntax, limits: YamlLimits = IMPORT_LIMITS): ReadSourceResult {
  const fail = (line: number, column: number, message: string): ReadSourceResult => ({
    ok: false,
    errors: [{ file: file.path, line, column, message, severity: "error" }],
  });
  const size = byteLength(file.content);
  if (size > limits.maxBytes) {
    return fail(1, 1, `the file is ${formatBytes(size)}; the limit for an import is ${formatBytes(limits.maxBytes)}`);
  }
  const decoded = decodeUtf8(file.content);
  if (!decoded.ok) return fail(decoded.line, decoded.column, decoded.message);
  const text = decoded.text;
  const json = syntax === "json" || (syntax === "auto" && /^\s*[[{]/.test(text));
  if (!json) {
    const loaded = loadYaml(file.path, text, limits);
    // A syntax error tends to cascade; the first one is where to look.
    if (!loaded.ok) return { ok: false, errors: loaded.errors.slice(0, 1) };
    return { ok: true, doc: { file: file.path, value: loaded.yaml.value, positionOf: (p) => loaded.yaml.positionOf(p) } };
  }

  const deep = findExcessiveNesting(text, limits.maxDepth);
  if (deep !== null) {
    const at = offsetToLineCol(text, deep);
    return fail(at.line, at.column, `nesting is deeper than ${limits.maxDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    if (found) {
      const at = offsetToLineCol(text, found.offset);
      return fail(at.line, at.column, `not valid JSON: ${found.message}`);
    }
    const message = e instanceof Error ? e.message : String(e);
    const offset = /at position (\d+)/.exec(message);
    const at = offset ? offsetToLineCol(text, Number(offset[1])) : { line: 1, column: 1 };
    return fail(at.line, at.column, `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, "")}`);
  }
  // Positions are needed only for messages about the content; JSON is YAML, so read it again then.
  let positions: SourceDoc["positionOf"] | undefined;
  return {
    ok: true,
    doc: {
      file: file.path,
      value,
      positionOf(path) {
        if (!positions) {
          const loaded = loadYaml(file.path, text, limits);
          positions = loaded.ok ? (p) => loaded.yaml.positionOf(p) : () => ({ line: 1, column: 1 });
        }
        return positions(path);
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Loosely typed values

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null;
}

/** True for values that say nothing: absent, null, "", [], {}, false. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return true;
  if (typeof v === "string") return v.trim() === "";
  if (Array.isArray(v)) return v.every(isEmpty);
  const o = asObj(v);
  return o !== null && Object.values(o).every(isEmpty);
}

/** Keys of `o` that hold something and that the importer does not handle. */
export function leftovers(o: Obj, handled: readonly string[]): string[] {
  return Object.keys(o).filter((k) => !handled.includes(k) && !isEmpty(o[k]));
}

/** A short rendering of a value for a report line. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return "(missing)";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 59)}…` : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) {
    const items = v.filter((x) => !isEmpty(x));
    if (items.length <= 5 && items.every((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean")) {
      return `[${items.map(show).join(", ")}]`;
    }
    return `(${items.length} ${items.length === 1 ? "entry" : "entries"})`;
  }
  return "(a mapping)";
}

/** `key value` for each leftover of `o`, for one report line per element. */
export function fields(o: Obj, handled: readonly string[], prefix = ""): string[] {
  return leftovers(o, handled).map((k) => `${prefix}${k} ${show(o[k])}`);
}

/** Collects located errors about the source's structure. */
export class Problems {
  readonly errors: Diagnostic[] = [];
  constructor(private readonly doc: SourceDoc) {}

  error(path: readonly PathSegment[], message: string): void {
    const at = this.doc.positionOf(path);
    this.errors.push({ file: this.doc.file, line: at.line, column: at.column, message, severity: "error" });
  }

  /** A list at `key`: absent or null is empty; anything else but a list is an error. */
  list(o: Obj, key: string, path: readonly PathSegment[]): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.error([...path, key], `${describe(path, key)}: expected a list, got ${kindOf(v)}`);
      return [];
    }
    return v;
  }

  /** A mapping at `key`: absent or null is empty; anything else but a mapping is an error. */
  map(o: Obj, key: string, path: readonly PathSegment[]): Obj {
    const v = o[key];
    if (v === undefined || v === null) return {};
    const m = asObj(v);
    if (!m) {
      this.error([...path, key], `${describe(path, key)}: expected a mapping, got ${kindOf(v)}`);
      return {};
    }
    return m;
  }

  /** An entry that must be a mapping with a non-empty string id. */
  entry(v: unknown, path: readonly PathSegment[], idKey = "id"): { o: Obj; id: string } | null {
    const o = asObj(v);
    if (!o) {
      this.error(path, `${describe(path)}: expected a mapping, got ${kindOf(v)}`);
      return null;
    }
    const id = o[idKey];
    if (typeof id === "number") return { o, id: String(id) };
    if (typeof id !== "string" || id.trim() === "") {
      this.error(path, `${describe(path)}: missing "${idKey}" (a string)`);
      return null;
    }
    return { o, id };
  }
}

export function describe(path: readonly PathSegment[], key?: string): string {
  const all = key === undefined ? path : [...path, key];
  return all.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : /^[A-Za-z_][\w-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}

export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v)}`;
  return `${typeof v === "number" ? "the number " : ""}${String(v)}`;
}

// ---------------------------------------------------------------------------------------
// What was not carried over

/** The first element with each id (a duplicate id is reported elsewhere, not carried twice). */
export function firstById<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of list) if (!m.has(r.id)) m.set(r.id, r);
  return m;
}

export class NotCarried {
  readonly lines: string[] = [];
  add(element: string, what: string): void {
    this.lines.push(`not carried: ${element}: ${what}`);
  }
}

const TEXT_MAX = 10_000;

/**
 * A string for a text field of ours (name, title, description...): undefined when absent or
 * blank; cut to the model's 10,000-character limit, which is reported.
 */
export function text(v: unknown, report: NotCarried, element: string, field: string, trim = true): string | undefined {
  if (typeof v === "number" || typeof v === "boolean") v = String(v);
  if (typeof v !== "string" || v.trim() === "") return undefined;
  const s = trim ? v.trim() : v;
  if (s.length <= TEXT_MAX) return s;
  report.add(element, `${field} after its first ${TEXT_MAX.toLocaleString("en-US")} characters`);
  return s.slice(0, TEXT_MAX);
}

/** Strings of a list, in order, without blanks. */
export function strings(v: unknown): string[] {
  if (typeof v === "string") return v.trim() === "" ? [] : [v];
  if (!Array.isArray(v)) return [];
  return v.filter((s): s is string => typeof s === "string" && s.trim() !== "");
}

export function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
