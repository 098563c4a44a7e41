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
  /**
   * Files whose hunks were read as starting inside a block comment (a guess: the hunk does
   * not show where the comment opened), with the added lines the guess hid. A door that can
   * fetch such a file whole should, and pass `content`; otherwise it can set
   * `guessComments: false` to read those lines as code.
   */
  guessed: FileScan[];
}

interface Draft {
  scan: FileScan;
  addedAll: ScanLine[];
  removedAll: ScanLine[];
  /** Added lines a comment guess hid, with the code they would have. */
  hiddenByGuess: ScanLine[];
}

export function prepareChange(changes: readonly ChangedFile[], groupOf: (path: string) => string = () => ""): PreparedChange {
  const drafts: Draft[] = [];
  const notScanned: NotScanned[] = [];
  const guessed: FileScan[] = [];
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
    const draft = draftFile(file, parsed.patch.lines, groupOf(file.path));
    if (draft.hiddenByGuess.length > 0) guessed.push({ ...draft.scan, added: draft.hiddenByGuess, removed: [] });
    drafts.push(draft);
  }

  // Code that was only moved or reformatted appears as added and removed: drop both sides,
  // when it stays within the same group (the same components).
  const removedKeys = new Set<string>();
  const addedKeys = new Set<string>();
  const keys = new Map<ScanLine, string>();
  const keyOf = (d: Draft, l: ScanLine) => {
    let k = keys.get(l);
    if (k === undefined) {
      k = `${d.scan.group}\u0000${normalise(l.code)}`;
      keys.set(l, k);
    }
    return k;
  };
  for (const d of drafts) {
    if (d.removedAll.length === 0) continue;
    for (const l of d.removedAll) removedKeys.add(keyOf(d, l));
  }
  if (removedKeys.size > 0) for (const d of drafts) for (const l of d.addedAll) addedKeys.add(keyOf(d, l));
  for (const d of drafts) {
    d.scan.added = removedKeys.size === 0 ? d.addedAll : d.addedAll.filter((l) => !removedKeys.has(keyOf(d, l)));
    d.scan.removed = d.removedAll.filter((l) => !addedKeys.has(keyOf(d, l)));
  }
  return { files: drafts.map((d) => d.scan), notScanned, guessed };
}

function draftFile(file: ChangedFile, lines: PatchLine[], group: string): Draft {
  const language = languageOf(file.path);
  const guess = file.guessComments !== false;
  const newLines = lines.filter((l) => l.kind !== "remove");
  const oldLines = lines.filter((l) => l.kind !== "add");
  const newSide = codeOf(language, newLines, (l) => l.newLine, file.content, guess);
  const oldSide = codeOf(language, oldLines, (l) => l.oldLine, undefined, guess);

  const addedAll: ScanLine[] = [];
  const removedAll: ScanLine[] = [];
  const visible: ScanLine[] = [];
  const hiddenByGuess: ScanLine[] = [];
  // Positions in newLines and oldLines: context lines are on both sides.
  let n = 0;
  let o = 0;
  for (const l of lines) {
    let code: string | null;
    if (l.kind === "remove") {
      code = oldSide.code[o++]!;
    } else {
      const hidden = l.kind === "add" ? newSide.hidden[n] : undefined;
      if (hidden !== undefined && !l.text.includes(IGNORE_MARKER)) hiddenByGuess.push({ line: l.newLine, text: l.text, code: hidden });
      code = newSide.code[n++]!;
      if (l.kind !== "add") o++;
    }
    if (code === null || l.text.includes(IGNORE_MARKER)) continue;
    const entry: ScanLine = { line: l.newLine, text: l.text, code };
    if (l.kind === "add") addedAll.push(entry);
    if (l.kind === "remove") removedAll.push(entry);
    if (l.kind !== "remove") visible.push(entry);
  }
  const scan: FileScan = {
    path: file.path,
    language,
    group,
    added: [],
    removed: [],
    visible,
    ...(file.content !== undefined && { content: file.content }),
  };
  return { scan, addedAll, removedAll, hiddenByGuess };
}

/**
 * The code of each line (null when blank or comment-only), by position in `lines`. With the
 * whole file, comment state is exact. With hunks alone, each hunk starts outside comments,
 * and (when guessing is allowed) a hunk that opens inside a doc comment is recognised by its
 * star-prefixed lines or by a line that starts by closing a comment; `hidden` keeps the code
 * a guess hid.
 */
function codeOf(
  language: ReturnType<typeof languageOf>,
  lines: PatchLine[],
  lineNo: (l: PatchLine) => number,
  content: string | undefined,
  guess: boolean,
): { code: (string | null)[]; hidden: (string | undefined)[] } {
  const out: (string | null)[] = new Array<string | null>(lines.length).fill(null);
  const hidden: (string | undefined)[] = [];
  const clip = (s: string) => (s.length > MAX_LINE_LENGTH ? s.slice(0, MAX_LINE_LENGTH) : s);
  if (content !== undefined) {
    const tracker = new CommentTracker(language);
    const byLine: (string | null)[] = [];
    content.split(/\r?\n/).forEach((text, i) => {
      const r = tracker.next(clip(text));
      byLine[i + 1] = r.commentOnly || r.code.trim() === "" ? null : r.code;
    });
    lines.forEach((l, i) => {
      out[i] = byLine[lineNo(l)] ?? null;
    });
    return { code: out, hidden };
  }
  let tracker = new CommentTracker(language);
  let hunk = -1;
  let hunkStart = 0;
  const cStyle = guess && hasBlockComments(language);
  const hide = (i: number) => {
    const was = out[i];
    if (was !== null && was !== undefined && lines[i]!.kind === "add") hidden[i] = was;
    out[i] = null;
  };
  lines.forEach((l, i) => {
    if (l.hunk !== hunk) {
      hunk = l.hunk;
      hunkStart = i;
      tracker = new CommentTracker(language);
    }
    const text = clip(l.text);
    if (cStyle && !tracker.inBlock && looksLikeCommentContinuation(text) && !text.includes("/*")) {
      const r = new CommentTracker(language).next(text);
      out[i] = r.code.trim() === "" ? null : r.code;
      hide(i);
      return;
    }
    const r = tracker.next(text);
    if (r.closedUnopened && cStyle) {
      // The hunk began inside a block comment: everything so far in it was comment.
      for (let e = hunkStart; e < i; e++) hide(e);
      const after = text.slice(text.indexOf("*/") + 2);
      out[i] = after.trim() === "" ? null : after;
    } else {
      out[i] = r.commentOnly || r.code.trim() === "" ? null : r.code;
    }
  });
  return { code: out, hidden };
}

/** Whitespace, quote style and trailing separators do not make code new. */
export function normalise(code: string): string {
  return code.replace(/\s+/g, "").replace(/['`]/g, '"').replace(/[,;]+$/, "");
}
