/** The health report for a check run (markdown) and a terminal (text). */
import { code, md, mention } from "../report/escape.js";
import { plain } from "../report/escape.js";
import type { HealthReport } from "./health.js";

const STATUS: Record<HealthReport["status"], string> = {
  healthy: "✅ **Healthy**",
  attention: "🟠 **Needs attention**",
  "invalid-model": "❌ **Invalid threat model or config**",
  "no-model": "ℹ️ **No threat model**",
};

export function healthTitle(h: HealthReport): string {
  switch (h.status) {
    case "healthy":
      return "Threat model is healthy";
    case "attention": {
      const parts = [
        h.stale.length > 0 ? `${h.stale.length} review${h.stale.length === 1 ? "" : "s"} out of date` : "",
        h.componentsWithoutPaths.length > 0 ? `${h.componentsWithoutPaths.length} component${h.componentsWithoutPaths.length === 1 ? "" : "s"} without paths` : "",
        (h.unmappedFolders?.length ?? 0) > 0 ? `${h.unmappedFolders!.length} folder${h.unmappedFolders!.length === 1 ? "" : "s"} outside the model` : "",
      ].filter((p) => p !== "");
      return parts.join(", ");
    }
    case "invalid-model":
      return `Invalid threat model or config (${h.errors.length} error${h.errors.length === 1 ? "" : "s"})`;
    case "no-model":
      return "No threat model in this repository";
  }
}

export function healthMarkdown(h: HealthReport): string {
  const out: string[] = [`${STATUS[h.status]}: ${md(healthTitle(h))}.`, ""];
  const warnings = h.warnings.slice(0, 200).map((w) => `- ${code(`${w.file}:${w.line}:${w.column}`)} ${md(w.message)}`);
  if (h.errors.length > 0) {
    out.push("#### Errors", "");
    for (const e of h.errors.slice(0, 200)) out.push(`- ${code(`${e.file}:${e.line}:${e.column}`)} ${md(e.message)}`);
    if (warnings.length > 0) out.push("", "#### Warnings", "", ...warnings);
    return out.join("\n");
  }
  if (warnings.length > 0) out.push("#### Warnings", "", ...warnings, "");
  if (h.status === "no-model") {
    out.push(`Start one at ${code(h.model.path)}; see docs/model-format.md.`);
    return out.join("\n");
  }
  out.push(`Model ${code(h.model.path)}${h.model.title ? ` (${md(h.model.title)})` : ""}, last reviewed ${h.model.reviewedAt ?? "never"}. Champions: ${h.model.champions.length > 0 ? h.model.champions.map(mention).join(", ") : "none listed"}.`);
  out.push("", `#### Reviews past ${h.maxAgeDays > 0 ? `${h.maxAgeDays} days` : "the limit (max_age_days is off)"}`, "");
  if (h.maxAgeDays === 0) out.push("Freshness is off: set `max_age_days` in `.github/threat-model-review.yml` to make it a merge rule.");
  else if (h.stale.length === 0) out.push("None.");
  else for (const s of h.stale.slice(0, 200)) out.push(`- ${s.kind} ${code(s.id)} ${md(s.name)}: ${s.reviewedAt === null ? "never reviewed" : `reviewed ${s.reviewedAt}, ${s.ageDays} days ago`}`);
  out.push("", `#### Open threats (${h.openThreats.length}), riskiest first`, "");
  if (h.openThreats.length === 0) out.push("None.");
  else {
    out.push("| Threat | Risk (likelihood × impact) | Status | Targets |", "| --- | --- | --- | --- |");
    for (const t of h.openThreats.slice(0, 200)) {
      out.push(`| ${code(t.id)} ${md(t.title)} | ${t.risk ? `${t.risk} (${t.likelihood} × ${t.impact})` : "unrated"} | ${t.status} | ${t.targets.map(code).join(", ")} |`);
    }
  }
  out.push("", "#### Components nothing maps to", "");
  if (h.componentsWithoutPaths.length === 0) out.push("None.");
  else for (const c of h.componentsWithoutPaths) out.push(`- ${code(c.id)} ${md(c.name)} (${c.type}) has no \`paths\`: no change will ever touch it.`);
  if (h.unmappedFolders !== null) {
    out.push("", "#### Top-level folders outside the model", "");
    if (h.unmappedFolders.length === 0) out.push("None.");
    else out.push(h.unmappedFolders.slice(0, 200).map(code).join(", "));
  }
  if (h.drift.length > 0) {
    out.push("", "#### Commits since each component's review", "");
    for (const d of h.drift) out.push(`- ${code(d.id)}: ${d.commits} commit${d.commits === 1 ? "" : "s"} since ${d.since ?? "the start (never reviewed)"}`);
  }
  for (const n of h.notices) out.push("", `> ${md(n)}`);
  return out.join("\n");
}

export function healthText(h: HealthReport): string {
  const out: string[] = [`Threat model health: ${h.status.toUpperCase()} (${plain(healthTitle(h))})`];
  for (const e of h.errors) out.push(`  ${plain(e.file)}:${e.line}:${e.column}: ${plain(e.message)}`);
  for (const w of h.warnings) out.push(`  ${plain(w.file)}:${w.line}:${w.column}: warning: ${plain(w.message)}`);
  if (h.status === "invalid-model" || h.status === "no-model") return `${out.join("\n")}\n`;
  out.push(`Model ${plain(h.model.path)}, last reviewed ${h.model.reviewedAt ?? "never"}; champions: ${h.model.champions.map(plain).join(", ") || "none"}`);
  out.push("", h.maxAgeDays > 0 ? `Reviews past ${h.maxAgeDays} days (${h.stale.length}):` : "Reviews: freshness is off (max_age_days is 0)");
  for (const s of h.stale) out.push(`  ${s.kind} ${plain(s.id)}: ${s.reviewedAt === null ? "never reviewed" : `reviewed ${s.reviewedAt} (${s.ageDays} days ago)`}`);
  out.push("", `Open threats, riskiest first (${h.openThreats.length}):`);
  for (const t of h.openThreats) out.push(`  ${t.risk ?? "unrated"}  ${plain(t.id)}: ${plain(t.title)} [${t.status}]`);
  out.push("", `Components without paths (${h.componentsWithoutPaths.length}):`);
  for (const c of h.componentsWithoutPaths) out.push(`  ${plain(c.id)} (${c.type})`);
  if (h.unmappedFolders !== null) {
    out.push("", `Top-level folders outside the model (${h.unmappedFolders.length}):`);
    for (const f of h.unmappedFolders) out.push(`  ${plain(f)}/`);
  }
  if (h.drift.length > 0) {
    out.push("", "Commits since each component's review (drift):");
    for (const d of h.drift) out.push(`  ${String(d.commits).padStart(5)}  ${plain(d.id)} (since ${d.since ?? "the start"})`);
  }
  for (const n of h.notices) out.push("", `Note: ${plain(n)}`);
  return `${out.join("\n")}\n`;
}
