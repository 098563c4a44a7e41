/**
 * The report as GitHub markdown, for the check run summary and the pull request comment.
 * Bounded (GitHub refuses bodies over 65,535 characters): when the report does not fit,
 * lists are cut with a note saying how much was left out and where to get all of it.
 * Every string from the repository goes through `md` or `code`.
 */
import type { StrideCategory } from "../model/types.js";
import { code, html, md, mention } from "./escape.js";
import { flowQuestions } from "./questions.js";
import type { Finding, Report, ReportFlow, ReportThreat, ReportZone } from "./types.js";

function isOpen(f: Finding): boolean {
  return !f.covered && f.acknowledgedBy === undefined;
}

export const MARKDOWN_LIMIT = 60_000;
const RESERVE = 600;

export interface MarkdownOptions {
  limit?: number;
  /** Questions for every touched flow, not only crossing ones (`/threat-model explain`). */
  full?: boolean;
  /** A heading line to start with; the App names its check. */
  heading?: string;
}

const STRIDE_NAME: Record<StrideCategory, string> = {
  spoofing: "Spoofing",
  tampering: "Tampering",
  repudiation: "Repudiation",
  "information-disclosure": "Information disclosure",
  "denial-of-service": "Denial of service",
  "elevation-of-privilege": "Elevation of privilege",
};

const SEVERITY_ICON = { high: "🔴", medium: "🟠", low: "🟡" } as const;

class Writer {
  private parts: string[] = [];
  private length = 0;
  truncated = false;
  readonly omitted: string[] = [];

  constructor(private readonly limit: number) {}

  fits(text: string): boolean {
    return this.length + text.length + 1 <= this.limit - RESERVE;
  }

  line(text = ""): boolean {
    if (!this.fits(text)) {
      this.truncated = true;
      return false;
    }
    this.parts.push(text);
    this.length += text.length + 1;
    return true;
  }

  /** Items one by one; when one does not fit, say how many were left out. */
  list(items: readonly string[], what: string): void {
    for (let i = 0; i < items.length; i++) {
      if (!this.line(items[i])) {
        this.force(`- _…and ${items.length - i} more ${what} not shown (the comment would be too long)._`);
        return;
      }
    }
  }

  /** Notes that must appear even when the budget is spent (the reserve keeps room). */
  force(text: string): void {
    this.parts.push(text);
    this.length += text.length + 1;
  }

  section(title: string): boolean {
    if (!this.fits(`${title}\n\n`) ) {
      this.truncated = true;
      this.omitted.push(title.replace(/^#+\s*/, ""));
      return false;
    }
    this.line();
    this.line(title);
    this.line();
    return true;
  }

  toString(): string {
    return this.parts.join("\n");
  }
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const w = new Writer(options.limit ?? MARKDOWN_LIMIT);
  const zones = new Map<string, ReportZone>(report.zones.map((z) => [z.id, z]));
  if (options.heading) w.line(options.heading);
  w.line(verdictLine(report));
  const approval = approvalLine(report);
  if (approval) {
    w.line();
    w.line(approval);
  }

  if (report.verdict === "no-model") {
    renderNoModel(w, report);
    return finish(w, report);
  }
  if (report.verdict === "invalid-model") {
    if (w.section("#### Errors")) {
      w.list(
        report.errors.map((e) => `- ${code(`${e.file}:${e.line}:${e.column}`)} ${md(e.message)}`),
        "errors",
      );
    }
    w.line();
    w.line(`Fix these and push again; ${code(`threat-model-review validate ${report.model.path}`)} shows the same errors locally.`);
    return finish(w, report);
  }

  const crossing = report.flows.filter((f) => f.crossesBoundary);
  if (report.boundaries.length > 0 && w.section("#### Touched trust boundaries")) {
    w.line("| Boundary | Flow | Protocol | Authentication | Encrypted | Data |");
    w.line("| --- | --- | --- | --- | --- | --- |");
    const byId = new Map(report.flows.map((f) => [f.id, f]));
    const rows: string[] = [];
    for (const b of report.boundaries) {
      for (const id of b.flows) {
        const f = byId.get(id)!;
        rows.push(
          `| ${zoneLabel(zones, f.sourceZone)} → ${zoneLabel(zones, f.destinationZone)} | ${code(f.id)}: ${md(f.source)} → ${md(f.destination)} | ${opt(f.protocol)} | ${opt(f.authentication)} | ${f.encrypted === undefined ? "not stated" : f.encrypted ? "yes" : "**no**"} | ${f.classification ?? "none stated"} |`,
        );
      }
    }
    w.list(rows, "flows");
  }

  // Questions for every touched crossing flow, the ones open findings put in question first
  // (every touched flow with `full`, for /threat-model explain). Each sits folded.
  const openFlows = new Set(report.findings.filter(isOpen).flatMap((f) => f.questionFlows));
  if (report.diagram && w.section("#### Data-flow diagram")) {
    // Highlighted: the touched components and the flows in question (red where they cross a zone's edge).
    const block = ["```mermaid", report.diagram, "```"].join("\n");
    if (!w.line(block)) w.force("_The diagram was left out to keep the report within GitHub's size limit._");
  }

  const asked = [...(options.full ? report.flows : crossing)].sort((a, b) => Number(openFlows.has(b.id)) - Number(openFlows.has(a.id)));
  if (asked.length > 0 && w.section("#### Questions for this change")) {
    for (const f of asked) {
      const qs = flowQuestions(f, zones);
      const threats = report.threats.filter((t) => t.targets.some((x) => x === f.id || x === f.source || x === f.destination));
      if (qs.length === 0 && threats.length === 0) continue;
      const summary = `${openFlows.has(f.id) ? "❓ " : ""}<code>${html(f.id)}</code> ${html(f.name)}: ${html(f.source)} → ${html(f.destination)} (${qs.length} question${qs.length === 1 ? "" : "s"}${threats.length > 0 ? `, ${threats.length} modelled threat${threats.length === 1 ? "" : "s"}` : ""})`;
      if (!w.line(`<details><summary>${summary}</summary>`)) break;
      w.line();
      w.list(qs.map((q) => `- **${STRIDE_NAME[q.category]}**: ${md(q.question)}`), "questions");
      if (threats.length > 0) {
        w.line("");
        w.line("| Modelled threat | Category | Status | Risk (likelihood × impact) |");
        w.line("| --- | --- | --- | --- |");
        w.list(threats.map(threatRow), "threats");
      }
      w.line();
      w.force("</details>");
      w.line();
    }
  }

  const open = report.findings.filter(isOpen).sort(bySeverity);
  const covered = report.findings.filter((f) => f.covered).sort(bySeverity);
  const acknowledged = report.findings.filter((f) => !f.covered && f.acknowledgedBy !== undefined).sort(bySeverity);
  const counts = [`${open.length} open`, `${covered.length} covered by the model update`, ...(acknowledged.length > 0 ? [`${acknowledged.length} acknowledged`] : [])];
  if (report.findings.length > 0 && w.section(`#### Findings (${counts.join(", ")})`)) {
    w.list(open.flatMap((f) => findingLines(f, false)), "open findings");
    if (covered.length > 0) {
      w.line();
      w.list(covered.flatMap((f) => findingLines(f, true)), "covered findings");
    }
    if (acknowledged.length > 0) {
      w.line();
      w.list(acknowledged.flatMap((f) => findingLines(f, true)), "acknowledged findings");
    }
  }

  if (report.acknowledgements.length > 0 && w.section("#### Acknowledgements")) {
    w.list(
      report.acknowledgements.map(
        (a) => `- ${mention(a.by)} acknowledged ${a.findings.length} finding${a.findings.length === 1 ? "" : "s"} at ${code(a.sha.slice(0, 12))} on ${md(a.at.slice(0, 16).replace("T", " "))} UTC: ${md(a.reason)}`,
      ),
      "acknowledgements",
    );
  }

  if (report.modelChanges.length > 0 && w.section("#### Model changes in this pull request")) {
    w.list(
      report.modelChanges.map(
        (c) => `- ${c.change} ${c.kind === "model" ? "model field" : c.kind} ${code(c.id)}${c.fields?.length ? ` (${c.fields.map(md).join(", ")})` : ""}`,
      ),
      "model changes",
    );
  }

  if (report.unmappedFiles.length > 0 && w.section(`#### Files outside the model (${report.unmappedFiles.length})`)) {
    w.line("<details><summary>No component, flow or zone maps these files</summary>");
    w.line();
    w.list(report.unmappedFiles.map((f) => `- ${code(f)}`), "files");
    w.line();
    w.line("</details>");
  }

  if (report.notScanned.length > 0 && w.section(`#### Not scanned for signals (${report.notScanned.length})`)) {
    w.list(report.notScanned.map((n) => `- ${code(n.file)}: ${md(n.reason)}`), "files");
  }

  if (open.length > 0 && w.section("#### What to do next")) {
    w.list(nextSteps(report, open), "steps");
  }
  return finish(w, report);
}

function finish(w: Writer, report: Report): string {
  if (report.notices.length > 0) {
    w.force("");
    for (const n of report.notices) w.force(`> [!NOTE]\n> ${md(n)}`);
  }
  if (report.warnings.length > 0 && w.fits("x")) {
    w.line();
    w.line(`<details><summary>${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"} in the model or config</summary>`);
    w.line();
    w.list(report.warnings.map((e) => `- ${code(`${e.file}:${e.line}:${e.column}`)} ${md(e.message)}`), "warnings");
    w.line();
    w.line("</details>");
  }
  if (w.truncated) {
    w.force("");
    w.force(
      `_This report was shortened to stay within GitHub's size limit${w.omitted.length ? ` (left out: ${w.omitted.join(", ")})` : ""}. Run \`threat-model-review check --format json\` for the whole report._`,
    );
  }
  return w.toString();
}

export function verdictLine(report: Report): string {
  const open = report.findings.filter(isOpen).length;
  const acked = report.findings.filter((f) => !f.covered && f.acknowledgedBy !== undefined);
  switch (report.verdict) {
    case "pass":
      if (report.notScanned.length > 0) {
        const n = report.notScanned.length;
        return `✅ **Pass on the scanned files**: ${report.findings.length === 0 ? "nothing found" : "every finding is covered or acknowledged"}, but ${n} changed file${n === 1 ? " was" : "s were"} not scanned for signals (listed below): look at ${n === 1 ? "it" : "them"} yourself.`;
      }
      if (report.findings.length === 0) return "✅ **Pass**: nothing in this change touches a trust boundary or adds a security-relevant signal.";
      if (acked.length > 0) {
        const by = [...new Set(acked.map((f) => f.acknowledgedBy!))].map(mention).join(", ");
        return `✅ **Pass**: ${report.findings.length - acked.length} finding${report.findings.length - acked.length === 1 ? "" : "s"} covered by the model update, ${acked.length} acknowledged by ${by}.`;
      }
      return `✅ **Pass**: the model update covers all ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"}.`;
    case "revisit":
      return `⚠️ **Revisit the threat model**: ${open} finding${open === 1 ? "" : "s"} of ${report.findings.length} ${open === 1 ? "is" : "are"} not covered by a model update; ${report.boundaries.length} trust boundar${report.boundaries.length === 1 ? "y" : "ies"} touched.`;
    case "invalid-model":
      return `❌ **Invalid threat model or config**: ${report.errors.length} error${report.errors.length === 1 ? "" : "s"}; nothing was reviewed.`;
    case "no-model":
      return `ℹ️ **No threat model**: this repository has no ${code(report.model.path)} yet.`;
  }
}

/** The model-change approval, when the App asked for it. */
export function approvalLine(report: Report): string | null {
  if (report.approval.status === "approved") {
    return `🔐 The model change is approved by ${report.approval.approvedBy.map(mention).join(", ")}.`;
  }
  if (report.approval.status === "missing") {
    const who = report.model.champions.length > 0
      ? `Ask ${orList(report.model.champions.map(mention))} to review and approve it.`
      : "No champions are listed in the default branch's model yet: a maintainer adds `champions` there first.";
    return `🔐 **This pull request changes the threat model: it awaits a security champion's approval.** ${who}`;
  }
  return null;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function renderNoModel(w: Writer, report: Report): void {
  w.line();
  w.line(`Start one at ${code(report.model.path)} with the zones and components you know, then check it with \`threat-model-review validate\`:`);
  w.line();
  w.line("```yaml");
  w.line("version: 1");
  w.line("title: My service");
  w.line("champions: [your-login]");
  w.line("trust_zones:");
  w.line("  - { id: internet, trust: 0 }");
  w.line("  - { id: internal, trust: 80 }");
  w.line("components:");
  w.line("  - { id: users, type: actor, zone: internet }");
  w.line("  - { id: api, type: process, zone: internal, paths: [\"src/**\"] }");
  w.line("data_flows:");
  w.line("  - { id: requests, source: users, destination: api, protocol: https, authentication: none }");
  w.line("```");
  w.line();
  w.line("See docs/model-format.md in threat-model-review for every field.");
}

function findingLines(f: Finding, settled: boolean): string[] {
  const where = f.file ? ` in ${code(f.line !== undefined ? `${f.file}:${f.line}` : f.file)}` : "";
  const elements = f.elements.length > 0 ? ` · ${f.elements.slice(0, 8).map(code).join(", ")}${f.elements.length > 8 ? ", …" : ""}` : "";
  const acked = !f.covered && f.acknowledgedBy !== undefined ? ` · acknowledged by ${mention(f.acknowledgedBy)}` : "";
  const head = `- ${settled ? "✅" : SEVERITY_ICON[f.severity]} **${md(title(f))}**${where}${elements}${acked}`;
  const lines = [head, `  ${md(f.message)}`];
  if (!settled) lines.push(`  _${md(f.question)}_`);
  return [lines.join("\n")];
}

function title(f: Finding): string {
  switch (f.kind) {
    case "signal":
      return `${f.removed ? "Removed: " : ""}${f.label ?? f.signal ?? "signal"}`;
    case "boundary-flow":
      return "Flow across a trust boundary changed";
    case "boundary-definition":
      return "Zone edge changed";
    case "unmapped":
      return "File outside the model";
    case "model-removed":
      return "Threat model deleted";
    case "stale":
      return "Review out of date";
  }
}

function nextSteps(report: Report, open: readonly Finding[]): string[] {
  const steps: string[] = [];
  const elements = [...new Set(open.flatMap((f) => (f.kind === "unmapped" ? [] : f.elements)))];
  if (elements.length > 0) {
    steps.push(`- Revisit ${elements.slice(0, 12).map(code).join(", ")}${elements.length > 12 ? `, and ${elements.length - 12} more` : ""} in ${code(report.model.path)}: update the entries (or add threats targeting them) so they describe the code after this change.`);
  }
  const outside = open.filter((f) => f.elements.length === 0 && f.file && f.kind !== "model-removed").map((f) => f.file!);
  if (outside.length > 0) {
    steps.push(`- Map ${[...new Set(outside)].slice(0, 8).map(code).join(", ")} to a component's \`paths\`.`);
  }
  if (open.some((f) => f.kind === "model-removed")) steps.push(`- Restore ${code(report.model.path)}, or point the config's \`model\` at its new place.`);
  if (report.model.champions.length > 0) {
    steps.push(`- Or, where no model change is needed, ask ${orList(report.model.champions.map(mention))} to acknowledge: a security champion comments \`/threat-model ack <reason>\` or presses **Acknowledge** on the check. Only champions listed in the default branch's model can.`);
  }
  return steps;
}

function threatRow(t: ReportThreat): string {
  const risk = t.risk ? `${t.risk} (${t.likelihood} × ${t.impact})` : "unrated";
  return `| ${code(t.id)} ${md(t.title)} | ${t.category ? STRIDE_NAME[t.category] : "—"} | ${t.status} | ${risk} |`;
}

function zoneLabel(zones: ReadonlyMap<string, ReportZone>, id: string | null): string {
  if (id === null) return "?";
  const z = zones.get(id);
  return `${md(z?.name ?? id)}${z?.trust !== undefined ? ` (trust ${z.trust})` : ""}`;
}

function opt(v: string | undefined): string {
  return v === undefined ? "not stated" : md(v);
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;
function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export type { ReportFlow };
