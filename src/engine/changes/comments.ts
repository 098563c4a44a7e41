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
  /** `#` only starts a comment at the start of a line or after a blank (YAML, shell). */
  lineNeedsSpace?: boolean;
  /** Ruby's =begin/=end, which only count at the start of a line. */
  rubyBlocks?: boolean;
}

const C_LIKE: Syntax = { line: ["//"], block: [["/*", "*/"]], quotes: `"'\`` };
const HASH: Syntax = { line: ["#"], block: [], quotes: `"'` };

const SYNTAX: Record<Language, Syntax> = {
  js: C_LIKE,
  go: C_LIKE,
  java: C_LIKE,
  csharp: C_LIKE,
  rust: C_LIKE,
  php: { line: ["//", "#"], block: [["/*", "*/"]], quotes: `"'` },
  python: HASH,
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
  /** A block-comment end was seen while no block was open: the lines above were comment. */
  closedUnopened: boolean;
}

export class CommentTracker {
  private readonly syntax: Syntax;
  private closing: string | null = null;

  constructor(language: Language) {
    this.syntax = SYNTAX[language];
  }

  get inBlock(): boolean {
    return this.closing !== null;
  }

  next(line: string): LineCode {
    const s = this.syntax;
    let closedUnopened = false;
    if (s.rubyBlocks) {
      if (this.closing === null && /^=begin(\s|$)/.test(line)) {
        this.closing = "=end";
        return { code: "", commentOnly: true, closedUnopened };
      }
      if (this.closing === "=end") {
        if (/^=end(\s|$)/.test(line)) this.closing = null;
        return { code: "", commentOnly: true, closedUnopened };
      }
    }
    let code = "";
    let quote: string | null = null;
    let i = 0;
    outer: while (i < line.length) {
      if (this.closing !== null) {
        const end = line.indexOf(this.closing, i);
        if (end < 0) break;
        i = end + this.closing.length;
        this.closing = null;
        code += " ";
        continue;
      }
      const ch = line[i]!;
      if (quote !== null) {
        if (ch === "\\") {
          code += line.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (ch === quote) quote = null;
        code += ch;
        i++;
        continue;
      }
      for (const [open, close] of s.block) {
        if (line.startsWith(open, i)) {
          this.closing = close;
          i += open.length;
          continue outer;
        }
        if (line.startsWith(close, i) && close !== "%>") {
          closedUnopened = true;
        }
      }
      for (const marker of s.line) {
        if (line.startsWith(marker, i) && (!s.lineNeedsSpace || i === 0 || /\s/.test(line[i - 1]!))) break outer;
      }
      if (s.quotes.includes(ch)) quote = ch;
      code += ch;
      i++;
    }
    const commentOnly = line.trim() !== "" && code.trim() === "";
    return { code, commentOnly, closedUnopened };
  }
}

// True for C-like languages, where a hunk that starts inside a doc comment shows star-prefixed lines.
export function hasBlockComments(language: Language): boolean {
  return SYNTAX[language].block.some(([open]) => open === "/*");
}

// A line that only makes sense inside a block comment: a leading star, or the closing star-slash.
export function looksLikeCommentContinuation(line: string): boolean {
  return /^\s*\*(\s|\/|$)/.test(line);
}
