/**
 * From changed files to what signals read: numbered added and removed code lines, with
 * comments, ignored lines and merely moved or re-indented code taken out.
 */
import { CommentTracker, hasBlockComments, looksLikeCommentContinuation } from "../changes/comments.js";
import { languageOf } from "../changes/languages.js";
import { readPatch, type PatchLine } from "../changes/patch.js";
import type { ChangedFile } from "../changes/types.js";
import type { FileScan, ScanLine } from "./types.js";

export const IGNORE_MARKER = "threat-model: ignore";
/** Longer lines are minified or generated; only their start is read. */
export const MAX_LINE_LENGTH = 2_000;

/** Files that change with every install or build and never carry a decision. */
const GENERATED =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|Gemfile\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|Cargo\.lock|composer\.lock|gradle\.lockfile|packages\.lock\.json)$|\.min\.(js|css)$|\.map$|\.snap$|(^|\/)(node_modules|vendor)\//;

export interface NotScanned {
  path: string;
  reason: string;
}

export interface PreparedChange {
  files: FileScan[];
  notScanned: NotScanned[];
}

interface Draft {
  scan: FileScan;
  addedAll: ScanLine[];
  removedAll: ScanLine[];
}

export function prepareChange(changes: readonly ChangedFile[]): PreparedChange {
  const drafts: Draft[] = [];
  const notScanned: NotScanned[] = [];
  for (const file of changes) {
    if (GENERATED.test(file.path)) continue;
    if (file.patch === undefined) {
      if (file.status !== "renamed" && file.status !== "copied" && file.status !== "unchanged") {
        notScanned.push({ path: file.path, reason: file.unscannedReason ?? "no diff (binary or too large)" });
      }
      continue;
    }
    const parsed = readPatch(file.patch);
    if (!parsed.ok) {
      notScanned.push({ path: file.path, reason: parsed.reason });
      continue;
    }
    drafts.push(draftFile(file, parsed.patch.lines));
  }

  // Code that was only moved or reformatted appears as added and removed: drop both sides.
  const removedKeys = new Set<string>();
  const addedKeys = new Set<string>();
  for (const d of drafts) {
    for (const l of d.removedAll) removedKeys.add(normalise(l.code));
    for (const l of d.addedAll) addedKeys.add(normalise(l.code));
  }
  for (const d of drafts) {
    d.scan.added = d.addedAll.filter((l) => !removedKeys.has(normalise(l.code)));
    d.scan.removed = d.removedAll.filter((l) => !addedKeys.has(normalise(l.code)));
  }
  return { files: drafts.map((d) => d.scan), notScanned };
}

function draftFile(file: ChangedFile, lines: PatchLine[]): Draft {
  const language = languageOf(file.path);
  const newSide = codeOf(language, lines.filter((l) => l.kind !== "remove"), (l) => l.newLine, file.content);
  const oldSide = codeOf(language, lines.filter((l) => l.kind !== "add"), (l) => l.oldLine, undefined);

  const addedAll: ScanLine[] = [];
  const removedAll: ScanLine[] = [];
  const visible: ScanLine[] = [];
  for (const l of lines) {
    const side = l.kind === "remove" ? oldSide : newSide;
    const code = side.get(l)!;
    if (code === null || l.text.includes(IGNORE_MARKER)) continue;
    const entry: ScanLine = { line: l.newLine, text: l.text, code };
    if (l.kind === "add") addedAll.push(entry);
    if (l.kind === "remove") removedAll.push(entry);
    if (l.kind !== "remove") visible.push(entry);
  }
  const scan: FileScan = {
    path: file.path,
    language,
    added: [],
    removed: [],
    visible,
    ...(file.content !== undefined && { content: file.content }),
  };
  return { scan, addedAll, removedAll };
}

/**
 * The code of each line (null when blank or comment-only). With the whole file, comment
 * state is exact; with hunks alone, each hunk starts outside comments, and a block-comment
 * end with no start marks the hunk's earlier lines as comment.
 */
function codeOf(
  language: ReturnType<typeof languageOf>,
  lines: PatchLine[],
  lineNo: (l: PatchLine) => number,
  content: string | undefined,
): Map<PatchLine, string | null> {
  const out = new Map<PatchLine, string | null>();
  const clip = (s: string) => (s.length > MAX_LINE_LENGTH ? s.slice(0, MAX_LINE_LENGTH) : s);
  if (content !== undefined) {
    const tracker = new CommentTracker(language);
    const byLine = new Map<number, string | null>();
    content.split(/\r?\n/).forEach((text, i) => {
      const r = tracker.next(clip(text));
      byLine.set(i + 1, r.commentOnly || r.code.trim() === "" ? null : r.code);
    });
    for (const l of lines) {
      const known = byLine.get(lineNo(l));
      out.set(l, known === undefined ? null : known);
    }
    return out;
  }
  let tracker = new CommentTracker(language);
  let hunk = -1;
  let hunkLines: PatchLine[] = [];
  const cStyle = hasBlockComments(language);
  for (const l of lines) {
    if (l.hunk !== hunk) {
      hunk = l.hunk;
      hunkLines = [];
      tracker = new CommentTracker(language);
    }
    const text = clip(l.text);
    if (cStyle && !tracker.inBlock && looksLikeCommentContinuation(text) && !text.includes("/*")) {
      out.set(l, null);
      hunkLines.push(l);
      continue;
    }
    const r = tracker.next(text);
    if (r.closedUnopened && cStyle) {
      // The hunk began inside a block comment: everything so far in it was comment.
      for (const earlier of hunkLines) out.set(earlier, null);
      const after = text.slice(text.indexOf("*/") + 2);
      out.set(l, after.trim() === "" ? null : after);
    } else {
      out.set(l, r.commentOnly || r.code.trim() === "" ? null : r.code);
    }
    hunkLines.push(l);
  }
  return out;
}

/** Whitespace, quote style and trailing separators do not make code new. */
export function normalise(code: string): string {
  return code.replace(/\s+/g, "").replace(/['`]/g, '"').replace(/[,;]+$/, "");
}
