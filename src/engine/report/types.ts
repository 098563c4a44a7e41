/**
 * The report, schemaVersion 1: the engine's one output. The JSON printed by the CLI and
 * the data the App renders are this object. Every list is sorted so output is deterministic.
 * Strings in it are raw repository text: renderers escape them.
 */
import type { ModelChange } from "../model/diff.js";
import type { Classification, ComponentType, Rating, StrideCategory, ThreatStatus } from "../model/types.js";
import type { Severity, SignalId } from "../signals/types.js";

export type Verdict = "pass" | "revisit" | "invalid-model" | "no-model";

export const FINDING_KINDS = ["model-removed", "boundary-definition", "boundary-flow", "signal", "stale", "unmapped"] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  /** Stable across pushes: kind plus what it concerns (never a line number). */
  key: string;
  kind: FindingKind;
  severity: Severity;
  /** Ids of the model elements it concerns. */
  elements: string[];
  /** Ids of the data flows it concerns (a component's flows for a signal in it). */
  flows: string[];
  /** The crossing flows whose STRIDE questions it raises (a new route: the flows into its component). */
  questionFlows: string[];
  file?: string;
  line?: number;
  /** Every file behind the finding (a flow's or zone's changed files, a signal's file). */
  files?: string[];
  /** For a signal: every line it fired on in the file. */
  lines?: number[];
  signal?: SignalId;
  /** The signal's sub-case. */
  label?: string;
  /** The signal fired on removed code (a protection taken away). */
  removed?: boolean;
  stride: StrideCategory[];
  /** The change revised the model where this finding concerns it. */
  covered: boolean;
  /**
   * What exactly was found, so an acknowledgement cannot stretch to later additions: for a
   * signal, each hit's code with whitespace removed. Empty for other kinds (the key says it all).
   */
  evidence: string[];
  /** The security champion whose acknowledgement accepts this finding without a model change. */
  acknowledgedBy?: string;
  /** Why it was raised, in plain text. */
  message: string;
  /** The question to answer. */
  question: string;
  /** What would resolve it. */
  resolution: string;
}

export interface ReportComponent {
  id: string;
  name: string;
  type: ComponentType;
  zone: string;
  files: string[];
}

export interface ReportFlow {
  id: string;
  name: string;
  source: string;
  destination: string;
  sourceZone: string | null;
  destinationZone: string | null;
  crossesBoundary: boolean;
  protocol?: string;
  authentication?: string;
  encrypted?: boolean;
  data: string[];
  /** The highest classification of the data it carries. */
  classification?: Classification;
}

export interface ReportBoundary {
  /** The two zone ids, sorted. */
  zones: [string, string];
  flows: string[];
}

export interface ReportZone {
  id: string;
  name: string;
  trust?: number;
}

export interface ReportThreat {
  id: string;
  title: string;
  category?: StrideCategory;
  targets: string[];
  status: ThreatStatus;
  likelihood?: Rating;
  impact?: Rating;
  /** NIST SP 800-30 level from likelihood x impact; absent when either is unrated. */
  risk?: Rating;
  ticket?: string;
}

export interface ReportSignal {
  id: SignalId;
  file: string;
  line: number;
  component: string | null;
  label: string;
  removed: boolean;
  excerpt: string;
}

export interface ReportDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A champion's acceptance of findings that need no model change. */
export interface Acknowledgement {
  /** The champion's login. */
  by: string;
  /** ISO time it was given. */
  at: string;
  reason: string;
  /** The head sha the findings were open at. */
  sha: string;
  findings: { key: string; evidence: string[] }[];
}

/** Whether the change to the model has a champion's approval (the App decides; the CLI does not ask). */
export interface ModelApproval {
  /** "not-needed": no model change, or nobody asked (the CLI). */
  status: "not-needed" | "missing" | "approved";
  approvedBy: string[];
}

export interface Report {
  schemaVersion: 1;
  verdict: Verdict;
  /** The date ages were counted from (UTC, YYYY-MM-DD). */
  today: string;
  model: {
    path: string;
    /** The change alters the model: a semantic change, or the file added or deleted. */
    changed: boolean;
    title?: string;
    /** Champions from the trusted (base) model. */
    champions: string[];
  };
  components: ReportComponent[];
  flows: ReportFlow[];
  boundaries: ReportBoundary[];
  zones: ReportZone[];
  threats: ReportThreat[];
  findings: Finding[];
  acknowledgements: Acknowledgement[];
  approval: ModelApproval;
  signals: ReportSignal[];
  unmappedFiles: string[];
  notScanned: { file: string; reason: string }[];
  modelChanges: ModelChange[];
  errors: ReportDiagnostic[];
  warnings: ReportDiagnostic[];
  /** Things the door knows and the engine cannot: a truncated file list, say. */
  notices: string[];
  /**
   * A Mermaid flowchart of the part of the model the change touches, highlighted (the
   * whole model when it is small); absent when the change touches no component or flow.
   */
  diagram?: string;
  stats: {
    changedFiles: number;
    /** The model and config files themselves, which are not mapped. */
    policyFiles: number;
    ignoredFiles: number;
    mappedFiles: number;
    unmappedFiles: number;
    findings: number;
    /** Findings neither covered by a model update nor acknowledged. */
    uncovered: number;
  };
}
