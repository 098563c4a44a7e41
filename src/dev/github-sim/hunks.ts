/**
 * Reading GitHub's bare hunks (a file's `patch`: no ---/+++ header) for review comments:
 * which lines a comment may anchor on, on which side, and the legacy `position` (the line's
 * index in the patch, the first @@ header being position 0 and later headers counting).
 */

export interface PatchLine {
  kind: "context" | "add" | "del";
  /** Line number on the base side (context and deleted lines). */
  oldLine?: number;
  /** Line number on the head side (context and added lines). */
  newLine?: number;
  position: number;
}

export interface Hunk {
  headerPosition: number;
  lines: PatchLine[];
}

const HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseHunks(patch: string | undefined): Hunk[] {
  if (!patch) return [];
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  const rows = patch.split("\n");
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position]!;
    const header = HEADER.exec(row);
    if (header) {
      current = { headerPosition: position, lines: [] };
      hunks.push(current);
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      continue;
    }
    if (!current || row.startsWith("\\")) continue;
    if (row.startsWith("+")) current.lines.push({ kind: "add", newLine: newLine++, position });
    else if (row.startsWith("-")) current.lines.push({ kind: "del", oldLine: oldLine++, position });
    else current.lines.push({ kind: "context", oldLine: oldLine++, newLine: newLine++, position });
  }
  return hunks;
}

export type Side = "LEFT" | "RIGHT";

export interface Anchor {
  hunk: number;
  line: PatchLine;
}

/** The patch line a comment on `line` of `side` lands on, or null when it is not in the diff. */
export function findAnchor(hunks: readonly Hunk[], side: Side, line: number): Anchor | null {
  for (const [i, hunk] of hunks.entries()) {
    for (const l of hunk.lines) {
      if (side === "RIGHT" && l.kind !== "del" && l.newLine === line) return { hunk: i, line: l };
      if (side === "LEFT" && l.kind !== "add" && l.oldLine === line) return { hunk: i, line: l };
    }
  }
  return null;
}

/** The line at a legacy `position`, or null. */
export function lineAtPosition(hunks: readonly Hunk[], position: number): (Anchor & { side: Side; number: number }) | null {
  for (const [i, hunk] of hunks.entries()) {
    const l = hunk.lines.find((x) => x.position === position);
    if (!l) continue;
    return l.kind === "del" ? { hunk: i, line: l, side: "LEFT", number: l.oldLine! } : { hunk: i, line: l, side: "RIGHT", number: l.newLine! };
  }
  return null;
}

/** The `diff_hunk` GitHub shows with a review comment: the hunk's header down to the commented line. */
export function diffHunk(patch: string, hunks: readonly Hunk[], anchor: Anchor): string {
  const rows = patch.split("\n");
  return rows.slice(hunks[anchor.hunk]!.headerPosition, anchor.line.position + 1).join("\n");
}
