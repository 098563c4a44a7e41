/**
 * npm run reliability: every scenario against the real App server and the local GitHub,
 * then a table (scenario, deliveries, faults injected, outcome, lost or duplicated outputs).
 *   --only NAME[,NAME]   run some scenarios (names from scenarios.ts)
 *   --write              also write the table into docs/reliability.md
 * Exits 1 when a scenario fails (a skipped one says why).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SCENARIOS, type ScenarioResult } from "./scenarios.js";

export function table(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.group,
    r.scenario,
    String(r.deliveries),
    String(r.faults),
    r.outcome,
    String(r.lost),
    String(r.duplicated),
    [r.latencyMs ? `latency p50 ${(r.latencyMs.p50 / 1000).toFixed(2)} s, p95 ${(r.latencyMs.p95 / 1000).toFixed(2)} s, max ${(r.latencyMs.max / 1000).toFixed(2)} s` : "", r.peakMemoryMiB !== undefined ? `peak memory ${r.peakMemoryMiB.toFixed(0)} MiB` : "", r.detail].filter((x) => x !== "").join("; "),
  ]);
  const head = ["group", "scenario", "deliveries", "faults", "outcome", "lost", "duplicated", "figures"];
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
  ].join("\n");
}

async function main(): Promise<number> {
  const only = process.argv.find((a, i) => process.argv[i - 1] === "--only")?.split(",");
  const chosen = only ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  const results: ScenarioResult[] = [];
  for (const s of chosen) {
    const started = Date.now();
    process.stderr.write(`running ${s.name}... `);
    let r: ScenarioResult;
    try {
      r = await s.run();
    } catch (e) {
      r = { scenario: s.name, group: s.group, deliveries: 0, faults: 0, outcome: "FAILED", lost: 0, duplicated: 0, detail: `the scenario itself failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` };
    }
    process.stderr.write(`${r.outcome} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    results.push(r);
  }
  const out = table(results);
  process.stdout.write(`${out}\n`);
  if (process.argv.includes("--write")) {
    const path = fileURLToPath(new URL("../../../docs/reliability.md", import.meta.url));
    const doc = readFileSync(path, "utf8");
    const marker = /<!-- table -->[\s\S]*<!-- \/table -->/;
    const stamped = `<!-- table -->\nLast run: ${new Date().toISOString().slice(0, 10)}, on this project's CI machine kind (2 cores), \`npm run reliability -- --write\`.\n\n${out}\n<!-- /table -->`;
    writeFileSync(path, marker.test(doc) ? doc.replace(marker, stamped) : `${doc}\n${stamped}\n`);
  }
  return results.some((r) => r.outcome === "FAILED") ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => {
    process.exitCode = code;
  });
}
