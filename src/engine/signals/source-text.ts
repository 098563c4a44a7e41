/**
 * Reading code the way several signals need to: which paths are tests or docs, the code
 * lines of a whole file (or of the hunks when that is all there is), indentation, the
 * arguments of a call, and the words of an identifier.
 */
import { CommentTracker } from "../changes/comments.js";
import { MAX_LINE_LENGTH } from "./prepare.js";
import type { FileScan, ScanLine } from "./types.js";

/** Test code, fixtures and mocks: where a hard-coded secret or an eval is expected. */
export const TEST_PATH =
  /(^|\/)(tests?|specs?|__tests__|__mocks__|testdata|test-data|fixtures?|__fixtures__|e2e|cypress)\/|[._-](test|spec)s?\.[a-z0-9]+$|(^|\/)test_[^/]*\.py$|_test\.(go|py|exs?)$|_spec\.rb$|(^|\/)conftest\.py$|(^|\/)src\/test\//i;

/** Prose: code in it is an example, not a change. */
export const DOCS_PATH = /\.(md|mdx|markdown|rst|adoc|txt)$|(^|\/)docs?\//i;

export interface CodeLines {
  /** Code lines (comments blanked, blank and comment-only lines left out), in order. */
  lines: ScanLine[];
  /** True when `lines` is the whole new file, so state at its first line is known. */
  whole: boolean;
}

/** The whole new file's code lines when the door supplied it, else the lines the hunks show. */
export function codeLines(file: FileScan): CodeLines {
  if (file.content === undefined) return { lines: file.visible, whole: false };
  const tracker = new CommentTracker(file.language);
  const lines: ScanLine[] = [];
  file.content.split(/\r?\n/).forEach((text, i) => {
    const r = tracker.next(text.length > MAX_LINE_LENGTH ? text.slice(0, MAX_LINE_LENGTH) : text);
    if (!r.commentOnly && r.code.trim() !== "") lines.push({ line: i + 1, text, code: r.code });
  });
  return { lines, whole: true };
}

/** Leading whitespace, a tab counting two spaces. */
export function indentOf(code: string): number {
  return /^[ \t]*/.exec(code)![0].replace(/\t/g, "  ").length;
}

/**
 * The first `count` arguments of a call whose opening parenthesis ends at `from`, as
 * written, up to 300 characters; quoted text is skipped over so commas inside it do not count.
 */
export function callArguments(code: string, from: number, count = 1): string {
  const end = Math.min(code.length, from + 300);
  let depth = 0;
  let commas = 0;
  let quote: string | null = null;
  for (let i = from; i < end; i++) {
    const ch = code[i]!;
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      if (depth === 0) return code.slice(from, i).trim();
      depth--;
    } else if (ch === "," && depth === 0 && ++commas === count) return code.slice(from, i).trim();
  }
  return code.slice(from, end).trim();
}

/** Arguments with spaces and quote style folded, for identities. */
export function foldedArguments(m: RegExpExecArray, count = 1): string {
  return callArguments(m.input, m.index + m[0].length, count).replace(/\s+/g, "").replace(/['`]/g, '"');
}

/** `sendHTTPRequest` -> ["send", "http", "request"]; snake and kebab case split too. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** Where each added line sits in `visible` (looked up by line number), without a map when both run in order. */
export function visibleIndexes(file: FileScan): (number | undefined)[] {
  const { visible, added } = file;
  if (!increasing(visible) || !increasing(added)) {
    const indexOf = new Map(visible.map((l, i) => [l.line, i]));
    return added.map((l) => indexOf.get(l.line));
  }
  const out: (number | undefined)[] = [];
  let k = 0;
  for (const l of added) {
    while (k < visible.length && visible[k]!.line < l.line) k++;
    out.push(k < visible.length && visible[k]!.line === l.line ? k : undefined);
  }
  return out;
}

/** True when the lines' numbers strictly increase. */
export function increasing(lines: readonly ScanLine[]): boolean {
  for (let k = 1; k < lines.length; k++) if (lines[k]!.line <= lines[k - 1]!.line) return false;
  return true;
}

/** True when one of the visible lines above `i`, within `reach` file lines, satisfies `test`. */
export function lookBack(visible: readonly ScanLine[], i: number, reach: number, test: (k: number) => boolean): boolean {
  const floor = visible[i]!.line - reach;
  for (let k = i - 1; k >= 0 && visible[k]!.line >= floor; k--) {
    if (test(k)) return true;
  }
  return false;
}
