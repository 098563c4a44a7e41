import { cmp } from "../compare.js";

/** A problem found in a file the user wrote, pointing at the offending spot (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export function formatDiagnostic(d: Diagnostic): string {
  const tag = d.severity === "warning" ? "warning: " : "";
  return `${d.file}:${d.line}:${d.column}: ${tag}${d.message}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.message, b.message),
  );
}


