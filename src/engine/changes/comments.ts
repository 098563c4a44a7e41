/**
 * Telling comments from code, line by line, for the languages the signals read. It is a
 * lexer only in the small: strings (so "http://" is not a comment) and line and block
 * comments, with the block state carried from line to line.
 */
import type { Language } from "./languages.js";

interface Syntax {
  line: readonly string[];
  block: readonly (readonly [string, string])[];
  quotes: string;
  /** Quotes whose strings may run over several lines (template literals, Go raw strings). */
  multiline?: string;
  /** Python's triple-quoted strings, which run over lines and hold anything. */
  tripleQuotes?: boolean;
  /** `/.../` regular-expression literals (JavaScript), inside which nothing is a comment. */
  regexLiterals?: boolean;
  /** `#` only starts a comment at the start of a line or after a blank (YAML, shell). */
  lineNeedsSpace?: boolean;
  /** Ruby's =begin/=end, which only count at the start of a line. */
  rubyBlocks?: boolean;
}

const C_LIKE: Syntax = { line: ["//"], block: [["/*", "*/"]], quotes: `"'\`` };
const HASH: Syntax = { line: ["#"], block: [], quotes: `"'` };

const SYNTAX: Record<Language, Syntax> = {
  js: { ...C_LIKE, multiline: "`", regexLiterals: true },
  go: { ...C_LIKE, multiline: "`" },
  java: { ...C_LIKE, quotes: `"'` },
  csharp: { ...C_LIKE, quotes: `"'` },
  rust: { ...C_LIKE, quotes: `"'` },
  php: { line: ["//", "#"], block: [["/*", "*/"]], quotes: `"'` },
  python: { ...HASH, tripleQuotes: true },
  ruby: { ...HASH, quotes: "\"'`", rubyBlocks: true },
  terraform: { line: ["#", "//"], block: [["/*", "*/"]], quotes: `"` },
  yaml: { ...HASH, lineNeedsSpace: true },
  workflow: { ...HASH, lineNeedsSpace: true },
  dockerfile: { ...HASH, lineNeedsSpace: true },
  shell: { ...HASH, lineNeedsSpace: true },
  toml: HASH,
  text: { ...HASH, lineNeedsSpace: true },
  sql: { line: ["--"], block: [["/*", "*/"]], quotes: `'"` },
  html: { line: [], block: [["<!--", "-->"], ["{#", "#}"], ["<%#", "%>"], ["{{!--", "--}}"]], quotes: "" },
  xml: { line: [], block: [["<!--", "-->"]], quotes: "" },
  json: { line: [], block: [], quotes: `"` },
  other: { line: [], block: [], quotes: "" },
};

export interface LineCode {
  /** The line with its comments blanked out; strings kept. */
  code: string;
  /** The line holds text, all of it comment. */
  commentOnly: boolean;
  /** The line starts by closing a block comment no line above opened: the lines above were comment. */
  closedUnopened: boolean;
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(["", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^"]);

/** Per language, the characters at which something other than plain code may start. */
const SPECIAL = new Map<Language, RegExp>();

function specialCharacters(language: Language): RegExp {
  let re = SPECIAL.get(language);
  if (re) return re;
  const s = SYNTAX[language];
  const starts = new Set<string>([...s.quotes, ...s.line.map((m) => m[0]!), ...s.block.map(([open]) => open[0]!)]);
  if (s.regexLiterals) starts.add("/");
  if (s.tripleQuotes) {
    starts.add('"');
    starts.add("'");
  }
  re = starts.size === 0 ? /$^/g : new RegExp(`[${[...starts].map((c) => c.replace(/[\\\]^-]/g, "\\$&")).join("")}]`, "g");
  SPECIAL.set(language, re);
  return re;
}

export class CommentTracker {
  private readonly syntax: Syntax;
  private closing: string | null = null;
  /** An open multi-line string (its closing quote), carried from line to line. */
  private openString: string | null = null;
  /** Characters at which something other than plain code may start. */
  private readonly special: RegExp;

  constructor(language: Language) {
    this.syntax = SYNTAX[language];
    this.special = specialCharacters(language);
  }

  get inBlock(): boolean {
    return this.closing !== null;
  }

  next(line: string): LineCode {
    const s = this.syntax;
    if (s.rubyBlocks) {
      if (this.closing === null && /^=begin(\s|$)/.test(line)) {
        this.closing = "=end";
        return { code: "", commentOnly: true, closedUnopened: false };
      }
      if (this.closing === "=end") {
        if (/^=end(\s|$)/.test(line)) this.closing = null;
        return { code: "", commentOnly: true, closedUnopened: false };
      }
    }
    const closedUnopened = this.closing === null && this.openString === null && /^\s*\*+\//.test(line);
    let code = "";
    let quote: string | null = this.openString;
    let i = 0;
    // The last non-blank character of code so far: decides whether "/" starts a regex.
    let last = "";
    const keep = (from: number, to: number) => {
      if (to <= from) return;
      const piece = line.slice(from, to);
      code += piece;
      const trimmed = piece.trimEnd();
      if (trimmed !== "") last = trimmed[trimmed.length - 1]!;
    };
    outer: while (i < line.length) {
      if (this.closing !== null) {
        const end = line.indexOf(this.closing, i);
        if (end < 0) break;
        i = end + this.closing.length;
        this.closing = null;
        code += " ";
        continue;
      }
      if (quote !== null) {
        let j = i;
        while (j < line.length) {
          if (line[j] === "\\" && quote.length === 1) {
            j += 2;
            continue;
          }
          if (line.startsWith(quote, j)) break;
          j++;
        }
        if (j >= line.length) {
          code += line.slice(i);
          break;
        }
        code += line.slice(i, j + quote.length);
        i = j + quote.length;
        quote = null;
        last = "a";
        continue;
      }
      this.special.lastIndex = i;
      const m = this.special.exec(line);
      if (!m) {
        keep(i, line.length);
        break;
      }
      keep(i, m.index);
      i = m.index;
      const ch = line[i]!;
      if (s.tripleQuotes && (line.startsWith('"""', i) || line.startsWith("'''", i))) {
        quote = line.slice(i, i + 3);
        code += quote;
        i += 3;
        continue;
      }
      for (const [open, close] of s.block) {
        if (line.startsWith(open, i)) {
          this.closing = close;
          i += open.length;
          continue outer;
        }
      }
      for (const marker of s.line) {
        if (line.startsWith(marker, i) && (!s.lineNeedsSpace || i === 0 || /\s/.test(line[i - 1]!))) break outer;
      }
      if (s.regexLiterals && ch === "/" && BEFORE_REGEX.has(last)) {
        const end = regexEnd(line, i);
        if (end > i) {
          code += line.slice(i, end);
          i = end;
          last = "a";
          continue;
        }
      }
      if (s.quotes.includes(ch)) quote = ch;
      code += ch;
      last = ch;
      i++;
    }
    // Only multi-line strings stay open past the end of a line.
    this.openString = quote !== null && (quote.length === 3 || s.multiline?.includes(quote)) ? quote : null;
    const commentOnly = line.trim() !== "" && code.trim() === "";
    return { code, commentOnly, closedUnopened };
  }
}

/** The end (exclusive) of a regular-expression literal starting at `start`, or `start` when it is not one. */
function regexEnd(line: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") inClass = true;
    else if (ch === "/") return i === start + 1 ? start : i + 1;
  }
  return start;
}

// True for C-like languages, where a hunk that starts inside a doc comment shows star-prefixed lines.
export function hasBlockComments(language: Language): boolean {
  return SYNTAX[language].block.some(([open]) => open === "/*");
}

// A line that only makes sense inside a block comment: a leading star, or the closing star-slash.
export function looksLikeCommentContinuation(line: string): boolean {
  return /^\s*\*(\s|\/|$)/.test(line);
}
