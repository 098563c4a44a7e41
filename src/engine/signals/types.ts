/**
 * The signal catalog's contract. A signal is one kind of security-relevant change found on
 * the lines a change adds (or, for protections, removes). Each signal file declares what it
 * detects, why it matters (STRIDE), the question it asks the author, what it is known to
 * get wrong, and a small table of rules.
 */
import type { Language } from "../changes/languages.js";
import type { StrideCategory } from "../model/types.js";

export const SIGNAL_IDS = [
  "http-route",
  "outbound-call",
  "data-store",
  "auth",
  "crypto",
  "deserialization",
  "command-exec",
  "secret",
  "dependency",
  "infra-exposure",
  "ci-privilege",
  "sensitive-data",
] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

export type Severity = "low" | "medium" | "high";

/** One line of a change, as signals see it: comments blanked, moved lines already dropped. */
export interface ScanLine {
  /** Line in the new file (for a removed line: where the removal happened). */
  line: number;
  /** The line as written. */
  text: string;
  /** The line with comments blanked out. */
  code: string;
}

export interface FileScan {
  path: string;
  language: Language;
  /**
   * What the file belongs to (its components). Code moved between files of different
   * groups is new where it lands: a route moved into an internet-facing component is new there.
   */
  group: string;
  /** Added code lines, not comment-only, not marked `threat-model: ignore`, not merely moved. */
  added: ScanLine[];
  /** Removed code lines that were not re-added elsewhere in the change. */
  removed: ScanLine[];
  /** Every code line of the new file that the change shows (hunk context and additions), in order. */
  visible: ScanLine[];
  /** The whole new file when the door supplied it. */
  content?: string;
}

export interface Rule {
  /** The sub-case named in the finding: "Express route", "JWT verification off"... */
  label: string;
  languages: readonly Language[] | "any";
  /** Matched against one line's code. Keep it linear: no nested quantifiers. */
  pattern: RegExp;
  /** A line the pattern matches that is known not to be a hit. */
  unless?: RegExp;
  /** Only files whose repository path matches. */
  paths?: RegExp;
  /** Files whose repository path matches are skipped. */
  skipPaths?: RegExp;
  /** `removed`: the hit is a protection the change takes away. */
  on?: "added" | "removed";
  /**
   * What the hit introduces (a route path, a package, a field). A hit whose identity also
   * appears on a line the change removes is a rewrite of something that existed, not new.
   */
  identity?: (match: RegExpExecArray) => string | null;
}

export interface SignalHit {
  signal: SignalId;
  file: string;
  line: number;
  /** The rule's label. */
  label: string;
  /** The hit is a removal (a protection taken away). */
  removed: boolean;
  /** The line's text, trimmed and shortened. */
  excerpt: string;
}

export interface SignalDefinition {
  id: SignalId;
  title: string;
  stride: readonly StrideCategory[];
  severity: Severity;
  /** The question put to the author when it fires. */
  question: string;
  /** What it detects, for the catalog docs. */
  detects: string;
  /** What it is known to get wrong. */
  falsePositives: string;
  rules: readonly Rule[];
  /**
   * Which data flows of the component the hit sits in it puts in question: a new route
   * concerns what flows in, an outbound call what flows out. Default "all".
   */
  flows?: "inbound" | "outbound" | "all" | "none";
  /** Masks what must not be repeated in a report (a secret's value) before the excerpt is kept. */
  redact?: (text: string, language: Language) => string;
  /** Logic a table cannot hold (manifests, workflow structure). Runs after the rules. */
  scan?: (file: FileScan, change: ChangeView) => Omit<SignalHit, "signal" | "file">[];
}

/** What a custom scan may know about the rest of the change. */
export interface ChangeView {
  files: readonly FileScan[];
}
