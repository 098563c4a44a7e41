/**
 * Reading YAML that a repository supplies, with the limits hostile input needs:
 * a size cap, strict UTF-8, a nesting cap checked before the recursive parser runs,
 * and a cap on alias expansion. Everything that goes wrong becomes a located Diagnostic.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import type { Diagnostic } from "./diagnostic.js";
import { byteLength, decodeUtf8 } from "./text.js";

export interface YamlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliasCount: 100,
};

export type PathSegment = string | number;

export interface LoadedYaml {
  file: string;
  value: unknown;
  /** Line and column (1-based) of the value at `path`, or of its nearest enclosing node. */
  positionOf(path: readonly PathSegment[]): { line: number; column: number };
  /** Position of the key of `path`'s last segment in its map, when there is one. */
  keyPositionOf(path: readonly PathSegment[]): { line: number; column: number };
}

export type LoadYamlResult =
  | { ok: true; yaml: LoadedYaml; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[] };

export function loadYaml(
  file: string,
  content: Uint8Array | string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  declaredSize?: number,
): LoadYamlResult {
  const fail = (line: number, column: number, message: string): LoadYamlResult => ({
    ok: false,
    errors: [{ file, line, column, message, severity: "error" }],
  });

  const size = Math.max(declaredSize ?? 0, byteLength(content));
  if (size > limits.maxBytes) {
    return fail(1, 1, `the file is ${formatBytes(size)} (${size.toLocaleString("en-US")} bytes); the limit is ${formatBytes(limits.maxBytes)} (${limits.maxBytes.toLocaleString("en-US")} bytes). Trim descriptions or split the model`);
  }
  const decoded = decodeUtf8(content);
  if (!decoded.ok) return fail(decoded.line, decoded.column, decoded.message);
  const text = decoded.text;

  const lineCounter = new LineCounter();
  const tooDeep = findExcessiveNesting(text, limits.maxDepth);
  if (tooDeep !== null) {
    // Count lines up to the offending offset without running the parser.
    const { line, column } = offsetToLineCol(text, tooDeep);
    return fail(line, column, `nesting is deeper than ${limits.maxDepth} levels; a threat model never needs that`);
  }

  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const errors: Diagnostic[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, column: pos.col, message: cleanYamlMessage(e.message), severity: "error" };
  });
  if (errors.length > 0) return { ok: false, errors };

  // Aliases: one that points nowhere is an error where it stands; expansion is capped.
  let firstAlias: number | undefined;
  let unresolved: { offset: number | undefined; name: string } | undefined;
  let complexKey: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      firstAlias ??= node.range?.[0];
      if (!unresolved && node.resolve(doc) === undefined) unresolved = { offset: node.range?.[0], name: node.source };
    },
    Pair(_key, pair) {
      // "? [a, b]": a list or mapping used as a key has no place in a model or config.
      if (complexKey === undefined && pair.key !== null && typeof pair.key === "object" && !isScalar(pair.key) && !isAlias(pair.key)) {
        complexKey = (pair.key as { range?: [number, number, number] | null }).range?.[0] ?? 0;
      }
    },
  });
  if (unresolved) {
    const at = lineCounter.linePos(unresolved.offset ?? 0);
    return fail(at.line, at.col, `alias *${unresolved.name} refers to no anchor (&${unresolved.name} must come before it)`);
  }
  if (complexKey !== undefined) {
    const at = lineCounter.linePos(complexKey);
    return fail(at.line, at.col, "a key must be a plain name, not a list or a mapping");
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    const at = lineCounter.linePos(firstAlias ?? 0);
    const message = e instanceof Error && /excessive alias count/i.test(e.message)
      ? `too many alias expansions (limit ${limits.maxAliasCount}); write the entries out instead of nesting aliases`
      : `cannot read the YAML: ${e instanceof Error ? e.message : String(e)}`;
    return fail(at.line, at.col, message);
  }

  const warnings: Diagnostic[] = doc.warnings.map((w) => {
    const pos = w.linePos?.[0] ?? lineCounter.linePos(w.pos[0]);
    return { file, line: pos.line, column: pos.col, message: cleanYamlMessage(w.message), severity: "warning" };
  });

  const locate = (offset: number | undefined) => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  return {
    ok: true,
    warnings,
    yaml: {
      file,
      value,
      positionOf(path) {
        const found = walk(doc, path);
        return locate(found.node?.range?.[0]);
      },
      keyPositionOf(path) {
        const found = walk(doc, path);
        return locate((found.key ?? found.node)?.range?.[0]);
      },
    },
  };
}

interface Walked {
  node: YamlNode | undefined;
  key: YamlNode | undefined;
}

/** Follow `path` through maps and sequences; stop at the deepest node that exists. */
function walk(doc: Document, path: readonly PathSegment[]): Walked {
  let node = doc.contents as YamlNode | null;
  let key: YamlNode | undefined;
  for (const seg of path) {
    if (node && isAlias(node)) node = (node.resolve(doc) as YamlNode | undefined) ?? null;
    if (!node) break;
    let next: YamlNode | undefined;
    let nextKey: YamlNode | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        const kv = k && isScalar(k) ? k.value : k;
        if (kv === seg || (kv !== null && String(kv) === String(seg))) {
          next = (pair.value as YamlNode | null) ?? undefined;
          nextKey = k ?? undefined;
          if (!next) return { node: k ?? node, key: k ?? undefined };
          break;
        }
      }
    } else if (isSeq(node) && typeof seg === "number") {
      next = (node.items[seg] as YamlNode | undefined) ?? undefined;
    }
    if (!next) break;
    node = next;
    key = nextKey;
  }
  return { node: node ?? undefined, key };
}

/**
 * The yaml parser recurses per nesting level; a few hundred thousand `[` exhaust the stack
 * and take seconds to do it. This scan measures flow depth first, in one linear pass that
 * skips quoted scalars and comments the way YAML reads them. Where it cannot tell, it counts
 * a bracket (an over-estimate can only refuse an absurd file, never let a deep one through).
 * Returns the offset where the depth is exceeded, or null.
 */
export function findExcessiveNesting(text: string, maxDepth: number): number | null {
  let depth = 0;
  let prev = ""; // the last two non-space characters on this line, a quote opens a scalar only after these
  let prev2 = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") {
      prev = "";
      prev2 = "";
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      if (prev !== "" && prev !== " ") {
        prev2 = `${prev} `;
        prev = " ";
      }
      continue;
    }
    if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf("\n", i);
      if (eol < 0) break;
      i = eol - 1;
      continue;
    }
    if ((ch === "'" || ch === '"') && opensScalar(prev, prev2)) {
      i = quotedEnd(text, i, ch);
      prev = "a";
      prev2 = "";
      continue;
    }
    if (ch === "[" || ch === "{") {
      depth++;
      if (depth > maxDepth) return i;
    } else if (ch === "]" || ch === "}") {
      depth = Math.max(0, depth - 1);
    }
    prev2 = prev === " " ? prev2 : prev;
    prev = ch;
  }
  return blockNesting(text, maxDepth);
}

/** A quote starts a quoted scalar at the start of a line, after a flow indicator, or after "- ", ": ", "? ". */
function opensScalar(prev: string, prev2: string): boolean {
  if (prev === "") return true;
  if (prev === "[" || prev === "{" || prev === ",") return true;
  return prev === " " && (prev2 === "- " || prev2 === ": " || prev2 === "? " || prev2 === "[ " || prev2 === "{ " || prev2 === ", ");
}

/** The index of a quoted scalar's closing quote (or the end of the text). */
function quotedEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === '"' && ch === "\\") {
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return text.length;
}

/**
 * Block nesting, by indentation: each line opens as many levels as it is indented past the
 * enclosing ones, plus one per leading "- " or "? " indicator. Blank lines and comments
 * do not count. An over-estimate inside block scalars only ever adds one level.
 */
function blockNesting(text: string, maxDepth: number): number | null {
  const stack: number[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (i < end && text[i] !== "#" && text[i] !== "\r") {
      const columns = [i - lineStart];
      // "- - - x" and "? - x" nest once per indicator on the same line.
      while (i + 1 < end && (text[i] === "-" || text[i] === "?") && text[i + 1] === " ") {
        i += 2;
        while (i < end && text.charCodeAt(i) === 32) i++;
        columns.push(i - lineStart);
      }
      while (stack.length > 0 && stack[stack.length - 1]! >= columns[0]!) stack.pop();
      for (const c of columns) {
        stack.push(c);
        if (stack.length > maxDepth) return lineStart + c;
      }
    }
    lineStart = end + 1;
  }
  return null;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function offsetToLineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function cleanYamlMessage(message: string): string {
  // The yaml package appends " at line L, column C" and sometimes a code excerpt; we give the position ourselves.
  const text = message.replace(/ at line \d+, column \d+.*$/s, "").trim();
  if (/multiple documents/i.test(text)) return `a threat model is one YAML document: remove the "---" that starts a second one here, or move it to its own file`;
  return text.replace(/;?\s*please use YAML\.\w+\(\)/i, "");
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
