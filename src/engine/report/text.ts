/** The report for a terminal: the same sections as the markdown, plain and compact. */
import { plain } from "./escape.js";
import { flowQuestions } from "./questions.js";
import type { Finding, Report, ReportZone } from "./types.js";

const VERDICT: Record<Report["verdict"], string> = {
  pass: "PASS",
  revisit: "REVISIT",
  "invalid-model": "INVALID MODEL",
  "no-model": "NO MODEL",
};

export function renderText(report: Report): string {
  const out: string[] = [];
  const zones = new Map<string, ReportZone>(report.zones.map((z) => [z.id, z]));
  const open = report.findings.filter((f) => !f.covered && f.acknowledgedBy === undefined);
  out.push(`Threat model review: ${VERDICT[report.verdict]}`);
  out.push(summaryLine(report));

  if (report.errors.length > 0) {
    out.push("", "Errors:");
    for (const e of report.errors) out.push(`  ${plain(e.file)}:${e.line}:${e.column}: ${plain(e.message)}`);
  }
  if (report.verdict === "no-model") {
    out.push("", `Start a model at ${plain(report.model.path)} (see docs/model-format.md), then run: threat-model-review validate`);
  }

  if (report.components.length > 0) {
    out.push("", "Touched components:");
    for (const c of report.components) {
      out.push(`  ${plain(c.id)} (${c.type}, zone ${plain(c.zone)}): ${c.files.length} file${c.files.length === 1 ? "" : "s"}`);
    }
  }
  const openFlows = new Set(open.flatMap((f) => f.questionFlows));
  if (report.boundaries.length > 0) {
    out.push("", "Touched trust boundaries:");
    const byId = new Map(report.flows.map((f) => [f.id, f]));
    for (const b of report.boundaries) {
      out.push(`  ${plain(b.zones[0])} <-> ${plain(b.zones[1])}`);
      for (const id of b.flows) {
        const f = byId.get(id)!;
        const attrs = [
          f.protocol ? plain(f.protocol) : "protocol not stated",
          f.authentication ? `auth ${plain(f.authentication)}` : "auth not stated",
          f.encrypted === undefined ? "encryption not stated" : f.encrypted ? "encrypted" : "NOT encrypted",
          f.classification ? `${f.classification} data` : "no data stated",
        ];
        out.push(`    ${plain(f.id)}: ${plain(f.source)} -> ${plain(f.destination)} [${attrs.join(", ")}]`);
      }
    }
  }
  // One line per question, with the flows it applies to, rather than the same text per flow.
  const asked = new Map<string, { category: string; flows: string[] }>();
  for (const f of report.flows) {
    if (!f.crossesBoundary || !openFlows.has(f.id)) continue;
    for (const q of flowQuestions(f, zones)) {
      const entry = asked.get(q.question) ?? { category: q.category, flows: [] };
      entry.flows.push(f.id);
      asked.set(q.question, entry);
    }
  }
  if (asked.size > 0) {
    out.push("", "Questions for the flows this change puts in question:");
    for (const [question, { category, flows }] of asked) {
      out.push(`  ? ${category} (${flows.map(plain).join(", ")}): ${plain(question)}`);
    }
  }
  if (report.findings.length > 0) {
    const settled = report.findings.filter((x) => x.covered || x.acknowledgedBy !== undefined);
    out.push("", `Findings (${open.length} open, ${settled.length} covered by the model update or acknowledged):`);
    for (const f of [...open, ...settled]) out.push(...findingText(f));
  }
  if (report.modelChanges.length > 0) {
    out.push("", "Model changes:");
    for (const c of report.modelChanges) out.push(`  ${c.change} ${c.kind} ${plain(c.id)}${c.fields?.length ? ` (${c.fields.join(", ")})` : ""}`);
  }
  if (report.unmappedFiles.length > 0) {
    out.push("", `Files outside the model (${report.unmappedFiles.length}):`);
    for (const f of report.unmappedFiles.slice(0, 50)) out.push(`  ${plain(f)}`);
    if (report.unmappedFiles.length > 50) out.push(`  ...and ${report.unmappedFiles.length - 50} more (--format json lists all)`);
  }
  if (report.notScanned.length > 0) {
    out.push("", "Not scanned for signals:");
    for (const n of report.notScanned) out.push(`  ${plain(n.file)}: ${plain(n.reason)}`);
  }
  if (report.warnings.length > 0) {
    out.push("", "Warnings:");
    for (const e of report.warnings) out.push(`  ${plain(e.file)}:${e.line}:${e.column}: warning: ${plain(e.message)}`);
  }
  for (const n of report.notices) out.push("", `Note: ${plain(n)}`);
  if (open.length > 0) {
    const elements = [...new Set(open.flatMap((f) => f.elements))];
    out.push("", "Next:");
    if (elements.length > 0) out.push(`  Revisit ${elements.map(plain).join(", ")} in ${plain(report.model.path)}.`);
    if (report.model.champions.length > 0) out.push(`  Or ask a security champion (${report.model.champions.map(plain).join(", ")}) to acknowledge.`);
  }
  return `${out.join("\n")}\n`;
}

function summaryLine(report: Report): string {
  const s = report.stats;
  if (report.verdict === "invalid-model") return `${report.errors.length} error(s); nothing was reviewed.`;
  if (report.verdict === "no-model") return `No threat model at ${plain(report.model.path)}.`;
  return `${s.changedFiles} changed file(s): ${s.mappedFiles} mapped, ${s.unmappedFiles} outside the model, ${s.ignoredFiles} ignored${s.policyFiles > 0 ? `, ${s.policyFiles} model/config` : ""}; ${report.boundaries.length} boundary(ies) touched; ${s.findings} finding(s), ${s.uncovered} open.`;
}

function findingText(f: Finding): string[] {
  const mark = f.covered ? "covered" : f.acknowledgedBy !== undefined ? `acknowledged by ${plain(f.acknowledgedBy)}` : f.severity.toUpperCase();
  const where = f.file ? ` ${plain(f.file)}${f.line !== undefined ? `:${f.line}` : ""}` : "";
  const lines = [`  [${mark}] ${f.kind}${f.signal ? `/${f.signal}` : ""}${where}`, `      ${plain(f.message)}`];
  if (!f.covered && f.acknowledgedBy === undefined) lines.push(`      ? ${plain(f.question)}`);
  return lines;
}
