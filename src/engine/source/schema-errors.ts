/**
 * Turning schema issues into messages a model author can act on, at the line and column of
 * the offending value (or, for a missing key, of the entry that lacks it).
 */
import type { z } from "zod";
import type { Diagnostic } from "./diagnostic.js";
import type { LoadedYaml, PathSegment } from "./yaml.js";

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(truncate(v, 60))}`;
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "boolean") return `${v}`;
  return typeof v;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "null",
};

export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export interface IssueContext {
  yaml: LoadedYaml;
  /** Names the place in words, e.g. `component "web": zone`. */
  describePath(path: readonly PathSegment[]): string;
}

export function issueToDiagnostic(issue: z.core.$ZodIssue, ctx: IssueContext): Diagnostic {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const value = valueAt(ctx.yaml.value, path);
  let message: string;
  let at = ctx.yaml.positionOf(path);
  switch (issue.code) {
    case "invalid_value":
    case "invalid_type": {
      if (value === undefined) {
        const parent = path.slice(0, -1);
        const key = path[path.length - 1];
        at = ctx.yaml.positionOf(parent);
        message = `${ctx.describePath(parent)}missing required key "${String(key)}"`;
      } else if (issue.code === "invalid_type") {
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        message = `${ctx.describePath(path)}expected ${expected}, got ${describeValue(value)}`;
      } else {
        const values = issue.values.map((v) => String(v));
        message =
          values.length === 1
            ? `${ctx.describePath(path)}must be ${values[0]}, got ${describeValue(value)}`
            : `${ctx.describePath(path)}${JSON.stringify(value)} is not one of: ${values.join(", ")}`;
      }
      break;
    }
    case "too_small":
    case "too_big": {
      message = `${ctx.describePath(path)}${issue.message}`;
      break;
    }
    case "unrecognized_keys": {
      message = `${ctx.describePath(path)}unknown keys ${issue.keys.join(", ")}`;
      break;
    }
    default:
      message = `${ctx.describePath(path)}${issue.message}`;
  }
  return { file: ctx.yaml.file, line: at.line, column: at.column, message, severity: "error" };
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
