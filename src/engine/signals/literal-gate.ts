/**
 * A cheap first pass for the rule table. Most rules can only match a line that holds one of a
 * few words ("createCipheriv", "hasRole"): the words are read off each rule's regex once, and
 * one scan per file finds which of all the catalog's words the file holds. A rule whose words
 * are all absent cannot match any of the file's lines, so its regex never runs there.
 *
 * The words are lower-cased and so is the text: a looser test than the regex, never a stricter
 * one. A rule whose regex gives no word of three letters or more has no gate and always runs.
 */
import { RegExpParser, type AST } from "@eslint-community/regexpp";

/** Below this a word holds in nearly every file and would only slow the scan. */
const SHORTEST = 3;
/** Spelled-out alternatives kept together before falling back to a single part. */
const MOST_SPELLINGS = 64;

const parser = new RegExpParser({ ecmaVersion: 2025 });
const cache = new WeakMap<RegExp, readonly string[] | null>();

/**
 * Words, lower-cased, of which every string the pattern matches holds at least one; null when
 * the pattern offers no such set of useful words.
 */
export function requiredLiterals(pattern: RegExp): readonly string[] | null {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  let words: readonly string[] | null;
  try {
    const ast = parser.parsePattern(pattern.source, undefined, undefined, {
      unicode: pattern.flags.includes("u"),
      unicodeSets: pattern.flags.includes("v"),
    });
    words = usable(ofAlternatives(ast.alternatives));
  } catch {
    words = null;
  }
  cache.set(pattern, words);
  return words;
}

function usable(words: string[] | null): string[] | null {
  // The gate reads ASCII only; a word with other letters leaves the rule ungated.
  if (!words || words.length === 0 || words.some((w) => w.length < SHORTEST || [...w].some((c) => c.charCodeAt(0) >= ASCII))) return null;
  // A word that holds another is implied by it.
  const sorted = [...new Set(words)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const w of sorted) if (!kept.some((k) => w.includes(k))) kept.push(w);
  return kept;
}

/** Every match of one of the alternatives holds one of the returned words. */
function ofAlternatives(alternatives: readonly AST.Alternative[]): string[] | null {
  const out: string[] = [];
  for (const alt of alternatives) {
    const words = ofSequence(alt.elements);
    if (!words) return null;
    out.push(...words);
  }
  return out;
}

/**
 * A sequence: the best of the words its parts require, where runs of parts spelled out in full
 * (letters, small classes, small groups of literal alternatives) read as whole words.
 */
function ofSequence(elements: readonly AST.Element[]): string[] | null {
  const candidates: string[][] = [];
  let run: string[] = [""];
  const flush = () => {
    if (run.some((w) => w !== "")) candidates.push(run);
    run = [""];
  };
  const extend = (spellings: readonly string[]): boolean => {
    if (run.length * spellings.length > MOST_SPELLINGS) return false;
    run = run.flatMap((head) => spellings.map((tail) => head + tail));
    return true;
  };
  for (const el of elements) {
    if (el.type === "Assertion") {
      // Zero width: what comes before and after it are next to each other in the line.
      if ((el.kind === "lookahead" || el.kind === "lookbehind") && !el.negate) {
        const inner = ofAlternatives(el.alternatives);
        if (inner) candidates.push(inner);
      }
      continue;
    }
    const spelled = spellings(el);
    if (spelled) {
      if (!extend(spelled)) {
        flush();
        run = [...spelled];
      }
      continue;
    }
    if (el.type === "Quantifier" && el.min >= 1) {
      // The first repetition follows what came before; later ones break the run.
      const once = spellings(el.element);
      if (once) {
        if (!extend(once)) {
          flush();
          candidates.push(once);
        }
        flush();
        continue;
      }
      flush();
      const inner = ofElement(el.element);
      if (inner) candidates.push(inner);
      continue;
    }
    flush();
    const inner = ofElement(el);
    if (inner) candidates.push(inner);
  }
  flush();
  return best(candidates);
}

function ofElement(el: AST.Element): string[] | null {
  if (el.type === "Group" || el.type === "CapturingGroup") return ofAlternatives(el.alternatives);
  if (el.type === "Quantifier") return el.min >= 1 ? ofElement(el.element) : null;
  return null;
}

/** The candidate whose shortest word is longest; among equals, the one with fewest words. */
function best(candidates: string[][]): string[] | null {
  let chosen: string[] | null = null;
  let score = -1;
  for (const c of candidates) {
    const words = [...new Set(c)];
    const shortest = Math.min(...words.map((w) => w.length));
    if (shortest > score || (shortest === score && chosen && words.length < chosen.length)) {
      chosen = words;
      score = shortest;
    }
  }
  return chosen;
}

/** The strings an element matches when it is a small finite set of them; null otherwise. */
function spellings(el: AST.Element | AST.CharacterClassElement): string[] | null {
  switch (el.type) {
    case "Character":
      return [String.fromCodePoint(el.value).toLowerCase()];
    case "CharacterClass": {
      if (el.negate || el.unicodeSets) return null;
      const chars = new Set<string>();
      for (const member of el.elements) {
        if (member.type !== "Character") return null;
        chars.add(String.fromCodePoint(member.value).toLowerCase());
      }
      return chars.size > 0 && chars.size <= 4 ? [...chars] : null;
    }
    case "Group":
    case "CapturingGroup": {
      const out: string[] = [];
      for (const alt of el.alternatives) {
        let words = [""];
        for (const part of alt.elements) {
          if (part.type === "Assertion") {
            if (part.kind === "lookahead" || part.kind === "lookbehind") return null;
            continue;
          }
          const tail = spellings(part);
          if (!tail || words.length * tail.length > MOST_SPELLINGS) return null;
          words = words.flatMap((head) => tail.map((t) => head + t));
        }
        out.push(...words);
      }
      return out.length <= MOST_SPELLINGS ? out : null;
    }
    case "Quantifier": {
      if (el.max !== el.min && !(el.min === 0 && el.max === 1)) return null;
      const once = spellings(el.element);
      if (!once) return null;
      if (el.min === 0) return ["", ...once];
      let words = [""];
      for (let i = 0; i < el.min; i++) {
        if (words.length * once.length > MOST_SPELLINGS) return null;
        words = words.flatMap((head) => once.map((t) => head + t));
      }
      return words;
    }
    default:
      return null;
  }
}

/**
 * One scan of a text for every word a set of rules requires: an Aho-Corasick automaton over
 * lower-cased ASCII, stepped once per character, so the cost does not grow with the number
 * of words.
 */
export class LiteralGate {
  private readonly words: string[] = [];
  /** Lower-cased ASCII code to symbol; 0 for characters no word holds. */
  private readonly symbol = new Uint8Array(ASCII);
  private readonly symbols: number;
  /** Next state for each state and symbol, failure links already folded in. */
  private readonly next: Uint32Array;
  /** Per state, the indexes of the words that end there (directly or through failure links). */
  private readonly ends: (number[] | undefined)[];

  constructor(patterns: Iterable<RegExp>) {
    const words = new Set<string>();
    for (const p of patterns) for (const w of requiredLiterals(p) ?? []) words.add(w);
    this.words = [...words].sort();
    let symbols = 1;
    for (const word of this.words) {
      for (let i = 0; i < word.length; i++) {
        const code = word.charCodeAt(i);
        if (this.symbol[code] === 0) this.symbol[code] = symbols++;
      }
    }
    this.symbols = symbols;
    // The trie, over symbols.
    const children: Map<number, number>[] = [new Map()];
    const ends: (number[] | undefined)[] = [undefined];
    this.words.forEach((word, w) => {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const code = this.symbol[word.charCodeAt(i)]!;
        let child = children[state]!.get(code);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          ends.push(undefined);
          children[state]!.set(code, child);
        }
        state = child;
      }
      (ends[state] ??= []).push(w);
    });
    // Breadth first: each state's transitions, completed from its failure state's.
    const next = new Uint32Array(children.length * symbols);
    const fail = new Uint32Array(children.length);
    const queue: number[] = [];
    for (const [code, child] of children[0]!) {
      next[code] = child;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      const f = fail[state]!;
      const inherited = ends[f];
      if (inherited) ends[state] = [...(ends[state] ?? []), ...inherited];
      for (let code = 1; code < symbols; code++) {
        const child = children[state]!.get(code);
        if (child === undefined) {
          next[state * symbols + code] = next[f * symbols + code]!;
        } else {
          next[state * symbols + code] = child;
          fail[child] = next[f * symbols + code]!;
          queue.push(child);
        }
      }
    }
    this.next = next;
    this.ends = ends;
  }

  /** The words found in the text, in any letter case. */
  present(text: string): Set<string> {
    const found = new Set<string>();
    if (this.words.length === 0) return found;
    const { next, ends, symbol, symbols } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= ASCII) {
        // Case-insensitive regexes with the u flag fold these two onto ASCII letters.
        if (code === 0x017f) code = 0x73;
        else if (code === 0x212a) code = 0x6b;
        else {
          state = 0;
          continue;
        }
      } else if (code >= 0x41 && code <= 0x5a) {
        code += 0x20;
      }
      const sym = symbol[code]!;
      if (sym === 0) {
        state = 0;
        continue;
      }
      state = next[state * symbols + sym]!;
      const done = ends[state];
      if (done) for (const w of done) found.add(this.words[w]!);
    }
    return found;
  }
}

const ASCII = 128;
