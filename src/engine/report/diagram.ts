/**
 * The model as a Mermaid flowchart, which GitHub renders in comments and check runs: trust
 * zones as subgraphs nested by `parent`, components shaped by type, data flows as labelled
 * edges. For a pull request, what the change touches is highlighted and the rest faded; a
 * large model is cut down to the touched neighbourhood so the picture stays readable.
 */
import { CLASSIFICATIONS, type Classification, type ThreatModel } from "../model/types.js";
import { cmp } from "../compare.js";

export interface DiagramFocus {
  /** Touched components. */
  components: readonly string[];
  /** Flows the findings concern. */
  flows: readonly string[];
}

export interface DiagramOptions {
  focus?: DiagramFocus;
  /** Past this many components, a focused diagram shows only the touched neighbourhood. */
  nodeBudget?: number;
  direction?: "LR" | "TB";
}

export const DEFAULT_NODE_BUDGET = 60;

const SHAPE: Record<string, (id: string, label: string) => string> = {
  actor: (id, l) => `${id}(["${l}"])`,
  external: (id, l) => `${id}[["${l}"]]`,
  process: (id, l) => `${id}("${l}")`,
  datastore: (id, l) => `${id}[("${l}")]`,
};

/** Text Mermaid shows as-is inside a quoted label, and that cannot end the code fence. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;")
    .replace(/\|/g, "#124;")
    .replace(/[[\]{}]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Mermaid ids: letters, digits and `_`, prefixed so a model id can never be a keyword (`end`). */
function idMaker(prefix: string): (id: string) => string {
  const taken = new Map<string, string>();
  const used = new Set<string>();
  return (id) => {
    const known = taken.get(id);
    if (known) return known;
    const base = `${prefix}${id.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let out = base;
    for (let n = 2; used.has(out); n++) out = `${base}_${n}`;
    used.add(out);
    taken.set(id, out);
    return out;
  };
}

export function mermaidDiagram(model: ThreatModel, options: DiagramOptions = {}): string {
  const budget = options.nodeBudget ?? DEFAULT_NODE_BUDGET;
  const focus = options.focus;
  const nodeId = idMaker("c_");
  const zoneId = idMaker("z_");
  const classOf = new Map(model.data_assets.map((d) => [d.id, d.classification]));
  const zoneById = new Map(model.trust_zones.map((z) => [z.id, z]));
  const componentById = new Map(model.components.map((c) => [c.id, c]));

  // Which components to draw: all, or for a large model the touched neighbourhood.
  let shown = new Set(model.components.map((c) => c.id));
  let cut = 0;
  if (focus && model.components.length > budget) {
    // The touched components, the ends of the flows in question, and their direct neighbours.
    const touched = new Set(focus.components);
    const near = new Set(focus.components);
    for (const f of model.data_flows) {
      if (focus.flows.includes(f.id) || touched.has(f.source) || touched.has(f.destination)) {
        near.add(f.source);
        near.add(f.destination);
      }
    }
    const ordered = [...near]
      .filter((id) => componentById.has(id))
      .sort((a, b) => Number(touched.has(b)) - Number(touched.has(a)) || cmp(a, b));
    shown = new Set(ordered.slice(0, budget));
    cut = model.components.length - shown.size;
  }

  const out: string[] = [`flowchart ${options.direction ?? "LR"}`];
  // Zones as nested subgraphs; only zones that hold something shown (or contain such zones).
  const children = new Map<string | null, string[]>();
  for (const z of model.trust_zones) {
    const parent = z.parent !== null && zoneById.has(z.parent) ? z.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), z.id]);
  }
  const membersOf = new Map<string, string[]>();
  for (const c of model.components) if (shown.has(c.id)) membersOf.set(c.zone, [...(membersOf.get(c.zone) ?? []), c.id]);
  const holds = (zone: string): boolean => (membersOf.get(zone)?.length ?? 0) > 0 || (children.get(zone) ?? []).some(holds);
  const emitZone = (zone: string, depth: number) => {
    if (!holds(zone)) return;
    const z = zoneById.get(zone)!;
    const pad = "  ".repeat(depth);
    out.push(`${pad}subgraph ${zoneId(zone)}["${mermaidText(z.name)}${z.trust !== undefined ? ` (trust ${z.trust})` : ""}"]`);
    for (const id of membersOf.get(zone) ?? []) {
      const c = componentById.get(id)!;
      out.push(`${pad}  ${(SHAPE[c.type] ?? SHAPE["process"]!)(nodeId(c.id), mermaidText(c.name))}`);
    }
    for (const child of children.get(zone) ?? []) emitZone(child, depth + 1);
    out.push(`${pad}end`);
  };
  for (const root of children.get(null) ?? []) emitZone(root, 1);

  const edges: { flow: string; crossing: boolean }[] = [];
  for (const f of model.data_flows) {
    if (!shown.has(f.source) || !shown.has(f.destination)) continue;
    const highest = f.data
      .map((d) => classOf.get(d))
      .filter((c): c is Classification => c !== undefined)
      .sort((a, b) => CLASSIFICATIONS.indexOf(b) - CLASSIFICATIONS.indexOf(a))[0];
    const label = [f.protocol, highest].filter((x) => x !== undefined).map((x) => mermaidText(x!)).join(" · ");
    const crossing = componentById.get(f.source)?.zone !== componentById.get(f.destination)?.zone;
    out.push(`  ${nodeId(f.source)} ${crossing ? "==>" : "-->"}${label ? `|"${label}"|` : ""} ${nodeId(f.destination)}`);
    edges.push({ flow: f.id, crossing });
  }
  if (cut > 0) out.push(`  more_nodes["… ${cut} more components not shown"]`);

  if (focus) {
    out.push("  classDef touched fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328");
    out.push("  classDef quiet fill:#f6f8fa,stroke:#d0d7de,color:#8c959f");
    const touched = [...shown].filter((id) => focus.components.includes(id));
    const quiet = [...shown].filter((id) => !focus.components.includes(id));
    if (touched.length > 0) out.push(`  class ${touched.map(nodeId).join(",")} touched`);
    if (quiet.length > 0) out.push(`  class ${quiet.map(nodeId).join(",")} quiet`);
    edges.forEach((e, i) => {
      if (focus.flows.includes(e.flow)) out.push(`  linkStyle ${i} stroke:${e.crossing ? "#cf222e" : "#9a6700"},stroke-width:3px`);
      else out.push(`  linkStyle ${i} stroke:#d0d7de`);
    });
  }
  return out.join("\n");
}
