/**
 * Running the catalog over a prepared change. A hit whose identity (the route, the package,
 * the field) also appears on the other side of the change is a rewrite, not something new.
 */
import type { ChangedFile } from "../changes/types.js";
import { prepareChange, type NotScanned } from "./prepare.js";
import type { FileScan, Rule, ScanLine, SignalDefinition, SignalHit } from "./types.js";

export interface SignalScan {
  hits: SignalHit[];
  notScanned: NotScanned[];
}

/**
 * Files where reading a hunk as the inside of a comment (a guess, without the whole file)
 * hides a line some signal would fire on: the ones worth fetching whole.
 */
export function commentGuesses(changes: readonly ChangedFile[], catalog: readonly SignalDefinition[]): string[] {
  const { guessed } = prepareChange(changes);
  if (guessed.length === 0) return [];
  const firing = new Set<string>();
  for (const signal of catalog) for (const h of runSignal(signal, guessed)) firing.add(h.file);
  return [...firing].sort();
}

const EXCERPT = 160;

export function scanSignals(
  changes: readonly ChangedFile[],
  catalog: readonly SignalDefinition[],
  disabled: ReadonlySet<string> = new Set(),
  groupOf?: (path: string) => string,
): SignalScan {
  const prepared = prepareChange(changes, groupOf);
  const active = catalog.filter((s) => !disabled.has(s.id));
  const hits: SignalHit[] = [];
  for (const signal of active) hits.push(...runSignal(signal, prepared.files));
  hits.sort((a, b) => cmpStr(a.file, b.file) || a.line - b.line || cmpStr(a.signal, b.signal) || cmpStr(a.label, b.label));
  return { hits: dedupe(hits), notScanned: prepared.notScanned };
}

function runSignal(signal: SignalDefinition, files: readonly FileScan[]): SignalHit[] {
  const out: SignalHit[] = [];
  // Identities seen on each side of the whole change, per rule.
  const seen = signal.rules.map((rule) => ({
    added: collectIdentities(rule, files, "added"),
    removed: collectIdentities(rule, files, "removed"),
  }));
  for (const file of files) {
    signal.rules.forEach((rule, r) => {
      if (!applies(rule, file)) return;
      const side = rule.on ?? "added";
      const lines = side === "added" ? file.added : file.removed;
      const other = side === "added" ? seen[r]!.removed : seen[r]!.added;
      for (const l of lines) {
        const m = matchLine(rule, l);
        if (!m) continue;
        const id = rule.identity?.(m) ?? null;
        if (id !== null && other.has(`${file.group}\u0000${id}`)) continue;
        out.push(hit(signal, file, l, rule.label, side === "removed"));
      }
    });
    if (signal.scan) {
      for (const h of signal.scan(file, { files })) {
        out.push({ ...h, excerpt: signal.redact ? signal.redact(h.excerpt, file.language) : h.excerpt, signal: signal.id, file: file.path });
      }
    }
  }
  // A line rewritten in place (a setting flipped from on to off) is one change: the added
  // side says what it became, so the removal at the same spot is not said again.
  const addedAt = new Set(out.filter((h) => !h.removed).map((h) => `${h.file}\u0000${h.line}`));
  return out.filter((h) => !h.removed || !addedAt.has(`${h.file}\u0000${h.line}`));
}

function collectIdentities(rule: Rule, files: readonly FileScan[], side: "added" | "removed"): Set<string> {
  const ids = new Set<string>();
  if (!rule.identity) return ids;
  for (const file of files) {
    if (!applies(rule, file)) continue;
    for (const l of side === "added" ? file.added : file.removed) {
      const m = matchLine(rule, l);
      const id = m ? rule.identity(m) : null;
      if (id !== null) ids.add(`${file.group}\u0000${id}`);
    }
  }
  return ids;
}

export function applies(rule: Rule, file: FileScan): boolean {
  if (rule.languages !== "any" && !rule.languages.includes(file.language)) return false;
  if (rule.paths && !rule.paths.test(file.path)) return false;
  if (rule.skipPaths && rule.skipPaths.test(file.path)) return false;
  return true;
}

function matchLine(rule: Rule, l: ScanLine): RegExpExecArray | null {
  rule.pattern.lastIndex = 0;
  const m = rule.pattern.exec(l.code);
  if (!m) return null;
  if (rule.unless) {
    rule.unless.lastIndex = 0;
    if (rule.unless.test(l.code)) return null;
  }
  return m;
}

function hit(signal: SignalDefinition, file: FileScan, l: ScanLine, label: string, removed: boolean): SignalHit {
  return { signal: signal.id, file: file.path, line: l.line, label, removed, excerpt: excerpt(signal.redact ? signal.redact(l.text, file.language) : l.text) };
}

export function excerpt(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length <= EXCERPT ? t : `${t.slice(0, EXCERPT - 1)}…`;
}

/** One hit per signal, file, line and side: several rules agreeing on a line say it once. */
function dedupe(hits: SignalHit[]): SignalHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const k = `${h.signal}\u0000${h.file}\u0000${h.line}\u0000${h.removed}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
