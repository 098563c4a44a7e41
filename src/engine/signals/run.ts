/**
 * Running the catalog over a prepared change. A hit whose identity (the route, the package,
 * the field) also appears on the other side of the change is a rewrite, not something new.
 */
import { cmp } from "../compare.js";
import type { Language } from "../changes/languages.js";
import type { ChangedFile } from "../changes/types.js";
import { prepareChange, type NotScanned } from "./prepare.js";
import { LiteralGate, requiredLiterals } from "./literal-gate.js";
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
  const pass = passFor(catalog, guessed);
  for (const signal of catalog) for (const h of runSignal(signal, guessed, pass)) firing.add(h.file);
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
  const pass = passFor(catalog, prepared.files);
  // A loop, not push(...hits): a spread passes each hit as an argument, and a large change
  // (a generated file with a hundred thousand matching lines) overflows the call stack.
  for (const signal of active) for (const h of runSignal(signal, prepared.files, pass)) hits.push(h);
  hits.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.signal, b.signal) || cmp(a.label, b.label));
  return { hits: dedupe(hits), notScanned: prepared.notScanned };
}

/**
 * One scan's shared state. Each side of each file is read once for the words the rules need;
 * a rule then looks only at the files that hold one of its words.
 */
interface Pass {
  /** Gated rules: the files whose added (removed) lines hold one of the rule's words. */
  added: Map<Rule, number[]>;
  removed: Map<Rule, number[]>;
  /** File indexes by language, for rules without words. */
  byLanguage: Map<Language, number[]>;
}

/** The words the rules for one language need, and which rules need each word. */
interface LanguageIndex {
  gate: LiteralGate;
  rulesByWord: Map<string, Rule[]>;
}

const indexes = new WeakMap<readonly SignalDefinition[], Map<Language, LanguageIndex>>();

function indexFor(catalog: readonly SignalDefinition[], language: Language): LanguageIndex {
  let byLanguage = indexes.get(catalog);
  if (!byLanguage) {
    byLanguage = new Map();
    indexes.set(catalog, byLanguage);
  }
  let index = byLanguage.get(language);
  if (!index) {
    const rules = catalog.flatMap((s) => s.rules.filter((r) => r.languages === "any" || r.languages.includes(language)));
    const rulesByWord = new Map<string, Rule[]>();
    for (const rule of rules) {
      for (const w of requiredLiterals(rule.pattern) ?? []) {
        const list = rulesByWord.get(w);
        if (list) list.push(rule);
        else rulesByWord.set(w, [rule]);
      }
    }
    index = { gate: new LiteralGate(rules.map((r) => r.pattern)), rulesByWord };
    byLanguage.set(language, index);
  }
  return index;
}

function passFor(catalog: readonly SignalDefinition[], files: readonly FileScan[]): Pass {
  const pass: Pass = { added: new Map(), removed: new Map(), byLanguage: new Map() };
  files.forEach((file, f) => {
    const sameLanguage = pass.byLanguage.get(file.language);
    if (sameLanguage) sameLanguage.push(f);
    else pass.byLanguage.set(file.language, [f]);
    const index = indexFor(catalog, file.language);
    for (const [lines, found] of [
      [file.added, pass.added],
      [file.removed, pass.removed],
    ] as const) {
      if (lines.length === 0) continue;
      for (const word of index.gate.present(joined(lines))) {
        for (const rule of index.rulesByWord.get(word) ?? []) {
          const list = found.get(rule);
          if (!list) found.set(rule, [f]);
          else if (list[list.length - 1] !== f) list.push(f);
        }
      }
    }
  });
  return pass;
}

function runSignal(signal: SignalDefinition, files: readonly FileScan[], pass: Pass): SignalHit[] {
  const out: SignalHit[] = [];
  for (const rule of signal.rules) {
    const side = rule.on ?? "added";
    const found = matchRule(rule, files, pass);
    // A hit whose identity also shows on the other side of the change (anywhere in the same
    // group of files) is a rewrite.
    const other = rule.identity ? identitiesOf(rule, files, side === "added" ? found.removed : found.added) : null;
    for (const [f, matches] of side === "added" ? found.added : found.removed) {
      const file = files[f]!;
      for (const { line, match } of matches) {
        const id = other ? rule.identity!(match) : null;
        if (id !== null && other!.has(`${file.group}\u0000${id}`)) continue;
        out.push(hit(signal, file, line, rule.label, side === "removed"));
      }
    }
  }
  if (signal.scan) {
    for (const file of files) {
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

interface LineMatch {
  line: ScanLine;
  match: RegExpExecArray;
}

/** The lines a rule matches, by file index; only files with a match. */
type SideMatches = Map<number, LineMatch[]>;

/**
 * Each rule reads each side of each file once: the side it reports on, and the other side
 * too when its identities decide what is a rewrite.
 */
function matchRule(rule: Rule, files: readonly FileScan[], pass: Pass): { added: SideMatches; removed: SideMatches } {
  const side = rule.on ?? "added";
  const gated = requiredLiterals(rule.pattern) !== null;
  const everywhere = () => (rule.languages === "any" ? files.map((_, f) => f) : rule.languages.flatMap((l) => pass.byLanguage.get(l) ?? []));
  const read = (want: boolean, candidates: Map<Rule, number[]>, sideOf: (file: FileScan) => readonly ScanLine[]): SideMatches => {
    const out: SideMatches = new Map();
    if (!want) return out;
    for (const f of gated ? (candidates.get(rule) ?? []) : everywhere()) {
      const file = files[f]!;
      const lines = sideOf(file);
      if (lines.length === 0 || !applies(rule, file)) continue;
      const m = matchLines(rule, lines, gated);
      if (m.length > 0) out.set(f, m);
    }
    return out;
  };
  return {
    added: read(side === "added" || rule.identity !== undefined, pass.added, (file) => file.added),
    removed: read(side === "removed" || rule.identity !== undefined, pass.removed, (file) => file.removed),
  };
}

function identitiesOf(rule: Rule, files: readonly FileScan[], matches: SideMatches): Set<string> {
  const ids = new Set<string>();
  for (const [f, lines] of matches) {
    for (const { match } of lines) {
      const id = rule.identity!(match);
      if (id !== null) ids.add(`${files[f]!.group}\u0000${id}`);
    }
  }
  return ids;
}

function matchLines(rule: Rule, lines: readonly ScanLine[], gated: boolean): LineMatch[] {
  const out: LineMatch[] = [];
  if (!gated && lines.length > 1) {
    // Without words to look for, one pass of a looser pattern over the whole side: a regex
    // call per line costs more than the scan itself.
    const loose = looseOf(rule);
    if (loose) {
      loose.lastIndex = 0;
      if (!loose.test(joined(lines))) return out;
    }
  }
  for (const l of lines) {
    const m = matchLine(rule, l);
    if (m) out.push({ line: l, match: m });
  }
  return out;
}

const joinedText = new WeakMap<readonly ScanLine[], string>();

function joined(lines: readonly ScanLine[]): string {
  let text = joinedText.get(lines);
  if (text === undefined) {
    text = lines.map((l) => l.code).join("\n");
    joinedText.set(lines, text);
  }
  return text;
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

const looseCache = new WeakMap<RegExp, RegExp | null>();

/**
 * A pattern that matches the lines of a side joined by newlines wherever the rule's pattern
 * matches one of them: the same source with every negative lookaround removed (a lookaround
 * could see past the line's end once lines are joined), and multiline anchors.
 * Null when no such pattern can be built.
 */
export function looseOf(rule: Rule): RegExp | null {
  const cached = looseCache.get(rule.pattern);
  if (cached !== undefined) return cached;
  let loose: RegExp | null;
  try {
    const flags = rule.pattern.flags.replace(/[gy]/g, "");
    loose = new RegExp(withoutNegativeLookarounds(rule.pattern.source), flags.includes("m") ? flags : `${flags}m`);
  } catch {
    loose = null;
  }
  looseCache.set(rule.pattern, loose);
  return loose;
}

/** The regex source with each `(?!...)` and `(?<!...)` group cut out. */
export function withoutNegativeLookarounds(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const negative = source.startsWith("(?!", i) ? 3 : source.startsWith("(?<!", i) ? 4 : 0;
    if (negative > 0) {
      i = groupEnd(source, i);
      continue;
    }
    const step = tokenLength(source, i);
    out += source.slice(i, i + step);
    i += step;
  }
  return out;
}

/** Index just past the group opening at `start`. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return i + 1;
    }
    i += tokenLength(source, i);
  }
  throw new Error("unbalanced group");
}

/** An escape, a whole character class, or one character. */
function tokenLength(source: string, i: number): number {
  if (source[i] === "\\") return 2;
  if (source[i] !== "[") return 1;
  let j = i + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
  return j + 1 - i;
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

