import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/engine/model/parse.js";
import type { ThreatModel } from "../../src/engine/model/types.js";
import { mermaidDiagram, mermaidText } from "../../src/engine/report/diagram.js";
import { SHOP_MODEL, added, run } from "../helpers/models.js";

function model(text: string): ThreatModel {
  const r = parseModel({ path: "m.yml", content: text });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
  return r.model;
}

describe("the Mermaid diagram", () => {
  const shop = model(SHOP_MODEL);

  it("draws zones as subgraphs, components by type and flows as labelled edges", () => {
    const d = mermaidDiagram(shop);
    expect(d.split("\n")[0]).toBe("flowchart LR");
    expect(d).toContain('subgraph z_internet["internet (trust 0)"]');
    expect(d).toContain('c_browser(["browser"])'); // actor: stadium
    expect(d).toContain('c_web("Web app")'); // process: rounded
    expect(d).toContain('c_db[("db")]'); // datastore: cylinder
    expect(d).toContain('c_processor[["processor"]]'); // external: subroutine box
    expect(d).toContain('c_browser ==>|"https · secret"| c_web'); // crossing: thick, highest classification
    expect(d).toContain('c_payments -->|"postgres · confidential"| c_db'); // same zone: plain
  });

  it("nests zones by parent", () => {
    const nested = SHOP_MODEL.replace("  - id: internal\n    trust: 80\n", "  - id: internal\n    trust: 80\n  - id: vault\n    parent: internal\n    trust: 95\n").replace("    zone: internal\n    paths: [\"db/**\"]", "    zone: vault\n    paths: [\"db/**\"]");
    const lines = mermaidDiagram(model(nested)).split("\n");
    const open = lines.findIndex((l) => l.includes("subgraph z_internal"));
    const inner = lines.findIndex((l) => l.includes("subgraph z_vault"));
    expect(inner).toBeGreaterThan(open);
    expect(lines[inner]!.startsWith("    ")).toBe(true);
    expect(lines.slice(open, lines.length).findIndex((l) => l.trim() === "end")).toBeGreaterThan(inner - open);
  });

  it("makes ids safe (keywords, dashes, collisions) and labels inert", () => {
    const text = SHOP_MODEL.replace("  - id: db\n", '  - id: end\n    name: "DB \\"main\\" <b>x</b> `code` [a]|b # @ops"\n').replace(/destination: db/g, "destination: end");
    const d = mermaidDiagram(model(text));
    expect(d).toContain('c_end[("DB #quot;main#quot; #lt;b#gt;x#lt;/b#gt; #96;code#96; #91;a#93;#124;b #35; @ops")]');
    expect(d).not.toContain("```");
    expect(mermaidText("a`b")).toBe("a#96;b");
  });

  it("highlights what a change touches and quiets the rest", () => {
    const r = run({ changes: [added("services/payments/src/processor.ts")] });
    expect(r.diagram).toContain("class c_payments touched");
    expect(r.diagram).toContain("class c_browser,c_web,c_db,c_processor quiet");
    expect(r.diagram).toMatch(/linkStyle 3 stroke:#cf222e,stroke-width:3px/);
  });

  it("has no diagram when the change touches nothing", () => {
    expect(run({ changes: [added("scripts/x.sh")] }).diagram).toBeUndefined();
  });

  it("stays readable at 2,000 components: the touched neighbourhood within the node budget", () => {
    const lines = ["version: 1", "trust_zones:", "  - { id: edge, trust: 10 }", "  - { id: core, trust: 90 }", "components:"];
    for (let i = 0; i < 2000; i++) lines.push(`  - { id: svc-${i}, type: process, zone: ${i % 2 ? "core" : "edge"}, paths: ["svc/${i}/**"] }`);
    lines.push("data_flows:");
    for (let i = 0; i < 1999; i++) lines.push(`  - { id: f-${i}, source: svc-${i}, destination: svc-${i + 1}, protocol: https }`);
    const big = model(lines.join("\n"));
    const d = mermaidDiagram(big, { focus: { components: ["svc-10"], flows: ["f-10"] } });
    const nodes = d.split("\n").filter((l) => /^\s+c_svc_\d+\(/.test(l));
    // The touched service and its two neighbours along the flows.
    expect(nodes.map((l) => l.trim().split("(")[0]).sort()).toEqual(["c_svc_10", "c_svc_11", "c_svc_9"]);
    expect(d).toContain("… 1997 more components not shown");
    expect(d.length).toBeLessThan(3_000);
  });
});
