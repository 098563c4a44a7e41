/**
 * The check run: one per head sha, completed with a conclusion branch protection can
 * enforce (created in_progress first only when the review takes a while). A revisit blocks the merge with
 * action_required (success, neutral and skipped all satisfy a required check).
 */
import type { Report, Verdict } from "../engine/index.js";
import type { Octokit, Repo } from "./octokit.js";

export type Conclusion = "success" | "failure" | "neutral" | "action_required" | "cancelled" | "timed_out" | "skipped";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

/** GitHub takes 50 annotations per request; more are appended by further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Beyond this, annotations cost more requests than they are worth: the summary lists the rest. */
export const MAX_ANNOTATIONS = 1000;
const SUMMARY_LIMIT = 65_535;

export function conclusionFor(verdict: Verdict, mode: "enforce" | "advisory"): Conclusion {
  switch (verdict) {
    case "pass":
      return "success";
    case "revisit":
      return mode === "enforce" ? "action_required" : "neutral";
    case "invalid-model":
      return "failure";
    case "no-model":
      return "neutral";
  }
}

/**
 * The conclusion and title: an invalid model fails; a model change without a champion's
 * approval, or a finding neither covered nor acknowledged, blocks (in enforce mode).
 */
export function checkVerdict(report: Report, mode: "enforce" | "advisory"): { conclusion: Conclusion; title: string } {
  if (report.verdict === "invalid-model" || report.verdict === "no-model") {
    return { conclusion: conclusionFor(report.verdict, mode), title: titleFor(report) };
  }
  if (report.approval.status === "missing") {
    return { conclusion: mode === "enforce" ? "action_required" : "neutral", title: "Threat model change awaits a security champion" };
  }
  if (report.verdict === "pass") {
    const by = [...new Set(report.findings.filter((f) => !f.covered && f.acknowledgedBy).map((f) => f.acknowledgedBy!))];
    if (by.length > 0) return { conclusion: "success", title: `Acknowledged by ${by.map((b) => `@${b}`).join(", ")}` };
  }
  return { conclusion: conclusionFor(report.verdict, mode), title: titleFor(report) };
}

export function titleFor(report: Report): string {
  const open = report.stats.uncovered;
  switch (report.verdict) {
    case "pass":
      if (report.notScanned.length > 0) return `Pass on scanned files; ${report.notScanned.length} file${report.notScanned.length === 1 ? "" : "s"} not scanned`;
      return report.findings.length === 0 ? "No threat-model impact" : "Threat model covers this change";
    case "revisit":
      return `Revisit the threat model: ${open} open finding${open === 1 ? "" : "s"}`;
    case "invalid-model":
      return `Invalid threat model or config (${report.errors.length} error${report.errors.length === 1 ? "" : "s"})`;
    case "no-model":
      return "No threat model in this repository";
  }
}

/** Findings and model errors at their lines. Text goes in as plain text: GitHub does not render it. */
export function annotationsFor(report: Report): Annotation[] {
  const out: Annotation[] = [];
  for (const e of report.errors) {
    out.push({ path: e.file, start_line: e.line, end_line: e.line, annotation_level: "failure", title: "Threat model error", message: clip(e.message, 4000) });
  }
  for (const f of report.findings) {
    if (!f.file || f.line === undefined) continue;
    out.push({
      path: f.file,
      start_line: f.line,
      end_line: f.line,
      annotation_level: open(f) ? "warning" : "notice",
      title: clip(`${f.covered ? "Covered: " : f.acknowledgedBy ? `Acknowledged by @${f.acknowledgedBy}: ` : ""}${f.label ?? f.kind}`, 255),
      message: clip(`${f.message}\n\n${f.question}${open(f) ? `\n\n${f.resolution}` : ""}`, 4000),
    });
  }
  return out;
}

export async function startCheckRun(octokit: Octokit, at: Repo & { headSha: string; name: string }): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: at.owner,
    repo: at.repo,
    name: at.name,
    head_sha: at.headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    output: { title: "Reviewing the change against the threat model", summary: "The review has started." },
  });
  return data.id;
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckResult {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations?: Annotation[];
  /** Buttons (at most 3): label 20, description 40, identifier 20 characters. */
  actions?: CheckAction[];
}

/** Complete the run; annotations beyond the first 50 go in further updates. */
export async function completeCheckRun(octokit: Octokit, at: Repo & { checkRunId: number }, result: CheckResult): Promise<void> {
  const { first, rest } = outputOf(result);
  await octokit.rest.checks.update({
    owner: at.owner,
    repo: at.repo,
    check_run_id: at.checkRunId,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: first,
    ...(result.actions && { actions: result.actions }),
  });
  await appendAnnotations(octokit, at, rest);
}

/**
 * A finished review as one request where possible: the run is created already completed
 * (a review that takes longer shows an in_progress run first; see the review job).
 * Returns the run's id.
 */
export async function createCompletedCheckRun(octokit: Octokit, at: Repo & { headSha: string; name: string }, result: CheckResult): Promise<number> {
  const { first, rest } = outputOf(result);
  const { data } = await octokit.rest.checks.create({
    owner: at.owner,
    repo: at.repo,
    name: at.name,
    head_sha: at.headSha,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: first,
    ...(result.actions && { actions: result.actions }),
  });
  await appendAnnotations(octokit, { ...at, checkRunId: data.id }, rest);
  return data.id;
}

/** A new summary for a run, its annotations and conclusion left as they are. */
export async function updateCheckSummary(octokit: Octokit, at: Repo & { checkRunId: number }, result: CheckResult): Promise<void> {
  const { first } = outputOf(result);
  await octokit.rest.checks.update({ owner: at.owner, repo: at.repo, check_run_id: at.checkRunId, output: { title: first.title, summary: first.summary } });
}

interface Output {
  title: string;
  summary: string;
  annotations: Annotation[];
}

/** The first request's output, and the further batches of annotations (GitHub appends them). */
function outputOf(result: CheckResult): { first: Output; rest: Output[] } {
  const all = result.annotations ?? [];
  const kept = all.slice(0, MAX_ANNOTATIONS);
  let summary = result.summary;
  if (all.length > kept.length) summary += `\n\n_${all.length - kept.length} more findings are not annotated on their lines; the summary above lists them._`;
  summary = summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT - 80)}\n\n_…cut to fit GitHub's limit._` : summary;
  const output = (annotations: Annotation[]): Output => ({ title: result.title, summary, annotations });
  const rest: Output[] = [];
  for (let i = ANNOTATIONS_PER_REQUEST; i < kept.length; i += ANNOTATIONS_PER_REQUEST) rest.push(output(kept.slice(i, i + ANNOTATIONS_PER_REQUEST)));
  return { first: output(kept.slice(0, ANNOTATIONS_PER_REQUEST)), rest };
}

async function appendAnnotations(octokit: Octokit, at: Repo & { checkRunId: number }, batches: Output[]): Promise<void> {
  for (const output of batches) {
    await octokit.rest.checks.update({ owner: at.owner, repo: at.repo, check_run_id: at.checkRunId, output });
  }
}

function open(f: Report["findings"][number]): boolean {
  return !f.covered && f.acknowledgedBy === undefined;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
