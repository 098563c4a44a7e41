/**
 * Path globs as the model and config write them: minimatch syntax, matched against
 * repository-relative paths with dot files included. A leading "!" excludes.
 */
import { Minimatch, braceExpand } from "minimatch";

export const MAX_GLOB_LENGTH = 1000;
// Control characters in a path are never intended and can disguise what a glob matches.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;
export const MAX_BRACE_ALTERNATIVES = 64;

export const GLOB_OPTIONS = {
  dot: true,
  nocomment: true,
  nonegate: true,
  nobrace: true,
  optimizationLevel: 1,
} as const;

export interface ParsedGlob {
  pattern: string;
  negate: boolean;
  /** One compiled matcher per brace alternative. */
  alternatives: Minimatch[];
}

/** Why `glob` cannot be used, in words a model author can act on; null when it is fine. */
export function globProblem(glob: string): string | null {
  if (glob.length > MAX_GLOB_LENGTH) {
    return `the glob is ${glob.length} characters long; the limit is ${MAX_GLOB_LENGTH}`;
  }
  const body = glob.startsWith("!") ? glob.slice(1) : glob;
  if (body.trim() === "") return glob.startsWith("!") ? `"!" needs a pattern after it` : "the glob is empty";
  if (CONTROL.test(body)) return "the glob contains a control character";
  if (body.startsWith("/")) return `write paths relative to the repository root, without the leading "/"`;
  if (body.startsWith("./")) return `write paths relative to the repository root, without the leading "./"`;
  if (body.split("/").includes("..")) return `".." cannot appear in a path glob`;
  if (body.includes("\\\\") || /\\(?![*?[\]{}()!+@,])/.test(body)) {
    return `use "/" between folders; "\\" only escapes a glob character`;
  }
  const alternatives = estimateBraceAlternatives(body);
  if (alternatives > MAX_BRACE_ALTERNATIVES) {
    return `the braces expand to more than ${MAX_BRACE_ALTERNATIVES} patterns; list the paths instead`;
  }
  try {
    const expanded = braceExpand(body);
    if (expanded.length > MAX_BRACE_ALTERNATIVES) {
      return `the braces expand to more than ${MAX_BRACE_ALTERNATIVES} patterns; list the paths instead`;
    }
    remember(glob, { pattern: glob, negate: glob.startsWith("!"), alternatives: expanded.map((alt) => new Minimatch(alt, GLOB_OPTIONS)) });
  } catch (e) {
    return `not a valid glob: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

/**
 * Globs compiled while a model was checked, so that building its index does not compile them
 * again. Bounded: a process reading many models starts over rather than growing.
 */
const compiled = new Map<string, ParsedGlob>();
const MAX_COMPILED = 50_000;

function remember(glob: string, parsed: ParsedGlob): void {
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(glob, parsed);
}

/** Compile a glob that passed `globProblem`. */
export function parseGlob(glob: string): ParsedGlob {
  const known = compiled.get(glob);
  if (known) return known;
  const negate = glob.startsWith("!");
  const body = negate ? glob.slice(1) : glob;
  const alternatives = braceExpand(body).map((alt) => new Minimatch(alt, GLOB_OPTIONS));
  return { pattern: glob, negate, alternatives };
}

/**
 * An upper bound on how many patterns brace expansion produces, computed without expanding.
 * `{a,b}{c,d}` is 4, `{1..100}` is 100, a group without a comma or range is literal.
 * The bound is capped so that hostile input cannot overflow it.
 */
export function estimateBraceAlternatives(pattern: string): number {
  const CAP = 1e9;
  let pos = 0;

  // sequence := (char | group)*, ends at "," or "}" when inside a group
  const sequence = (inGroup: boolean): number => {
    let product = 1;
    while (pos < pattern.length) {
      const c = pattern[pos]!;
      if (c === "\\") {
        pos += 2;
        continue;
      }
      if (inGroup && (c === "," || c === "}")) break;
      if (c === "{") {
        const start = pos;
        pos++;
        const groupCount = group();
        if (groupCount < 0) {
          pos = start + 1; // unbalanced: the brace is literal
          continue;
        }
        product = Math.min(CAP, product * groupCount);
        continue;
      }
      pos++;
    }
    return product;
  };

  // group := seq ("," seq)* "}"  |  range "}"; returns -1 when unbalanced
  const group = (): number => {
    const start = pos;
    const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?\}/.exec(pattern.slice(pos, pos + 64));
    if (range) {
      pos += range[0].length;
      const a = range[1]!;
      const b = range[2]!;
      const step = Math.max(1, Math.abs(Number(range[3] ?? 1)) || 1);
      const span = /\d/.test(a) && /\d/.test(b)
        ? Math.abs(Number(b) - Number(a))
        : Math.abs(b.charCodeAt(0) - a.charCodeAt(0));
      return Math.min(CAP, Math.floor(span / step) + 1);
    }
    let sum = 0;
    let commas = 0;
    for (;;) {
      sum = Math.min(CAP, sum + sequence(true));
      if (pos >= pattern.length) {
        pos = start;
        return -1;
      }
      if (pattern[pos] === ",") {
        commas++;
        pos++;
        continue;
      }
      pos++; // "}"
      return commas === 0 ? 1 : sum;
    }
  };

  return sequence(false);
}
