/**
 * Unified diff hunks, read into numbered lines. Added and context lines carry their line in
 * the new file; a removed line carries the new-file line where the removal happened, so a
 * finding about removed code can still point somewhere on the pull request.
 */
import { parsePatch } from "diff";

export interface PatchLine {
  kind: "add" | "remove" | "context";
  text: string;
  /** Line in the new file (for a removal: the new-file line that now stands where it was). */
  newLine: number;
  /** Line in the old file (for an addition: the old-file line it was inserted before). */
  oldLine: number;
  hunk: number;
}

export interface HunkRange {
  newStart: number;
  newLines: number;
  oldStart: number;
  oldLines: number;
}

export interface ParsedPatch {
  lines: PatchLine[];
  hunks: HunkRange[];
}

export type PatchResult = { ok: true; patch: ParsedPatch } | { ok: false; reason: string };

export function readPatch(patch: string): PatchResult {
  let parsed;
  try {
    parsed = parsePatch(patch);
  } catch (e) {
    return { ok: false, reason: `the diff could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const lines: PatchLine[] = [];
  const hunks: HunkRange[] = [];
  for (const file of parsed) {
    for (const h of file.hunks) {
      const index = hunks.length;
      hunks.push({ newStart: h.newStart, newLines: h.newLines, oldStart: h.oldStart, oldLines: h.oldLines });
      // A hunk that adds to an empty file says +0,0 before its first line; lines start at 1.
      let newLine = h.newLines === 0 ? h.newStart + 1 : h.newStart;
      let oldLine = h.oldLines === 0 ? h.oldStart + 1 : h.oldStart;
      if (h.newStart === 0) newLine = 1;
      if (h.oldStart === 0) oldLine = 1;
      for (const raw of h.lines) {
        const mark = raw[0];
        const text = raw.slice(1);
        if (mark === "+") {
          lines.push({ kind: "add", text, newLine, oldLine, hunk: index });
          newLine++;
        } else if (mark === "-") {
          lines.push({ kind: "remove", text, newLine, oldLine, hunk: index });
          oldLine++;
        } else if (mark === " " || raw === "") {
          lines.push({ kind: "context", text, newLine, oldLine, hunk: index });
          newLine++;
          oldLine++;
        }
        // "\ No newline at end of file" carries no line.
      }
    }
  }
  return { ok: true, patch: { lines, hunks } };
}

/** True when `line` of the new file is an added line of the patch (a valid inline-comment anchor). */
export function isAddedLine(patch: ParsedPatch, line: number): boolean {
  return patch.lines.some((l) => l.kind === "add" && l.newLine === line);
}
