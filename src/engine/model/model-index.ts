/**
 * Look-ups over one validated model: elements by id, the path indexes that map files to
 * components, flows and zones, and which flows cross a trust boundary.
 * Built once per model; the App caches it by the model's blob sha.
 */
import { PathIndex } from "../paths/path-index.js";
import type { Component, DataAsset, DataFlow, Threat, ThreatModel, TrustZone } from "./types.js";
import { cmp } from "../compare.js";

export interface Mapping {
  components: string[];
  flows: string[];
  zones: string[];
}

export class ModelIndex {
  readonly components = new Map<string, Component>();
  readonly flows = new Map<string, DataFlow>();
  readonly zones = new Map<string, TrustZone>();
  readonly data = new Map<string, DataAsset>();
  readonly threats = new Map<string, Threat>();
  private readonly componentPaths: PathIndex<string>;
  private readonly flowPaths: PathIndex<string>;
  private readonly zonePaths: PathIndex<string>;
  private readonly flowsByComponent = new Map<string, DataFlow[]>();

  constructor(readonly model: ThreatModel) {
    for (const z of model.trust_zones) this.zones.set(z.id, z);
    for (const c of model.components) this.components.set(c.id, c);
    for (const d of model.data_assets) this.data.set(d.id, d);
    for (const t of model.threats) this.threats.set(t.id, t);
    for (const f of model.data_flows) {
      this.flows.set(f.id, f);
      for (const end of new Set([f.source, f.destination])) {
        const list = this.flowsByComponent.get(end) ?? [];
        list.push(f);
        this.flowsByComponent.set(end, list);
      }
    }
    this.componentPaths = new PathIndex(model.components.filter((c) => c.paths.length > 0).map((c) => ({ owner: c.id, patterns: c.paths })));
    this.flowPaths = new PathIndex(model.data_flows.filter((f) => f.paths.length > 0).map((f) => ({ owner: f.id, patterns: f.paths })));
    this.zonePaths = new PathIndex(model.trust_zones.filter((z) => z.paths.length > 0).map((z) => ({ owner: z.id, patterns: z.paths })));
  }

  /** What the model's paths decide for a file, known by one or more names (a rename). */
  map(names: readonly string[]): Mapping {
    const components = new Set<string>();
    const flows = new Set<string>();
    const zones = new Set<string>();
    for (const name of names) {
      for (const id of this.componentPaths.decide(name)) components.add(id);
      for (const id of this.flowPaths.decide(name)) flows.add(id);
      for (const id of this.zonePaths.decide(name)) zones.add(id);
    }
    return { components: sorted(components), flows: sorted(flows), zones: sorted(zones) };
  }

  flowsOf(componentId: string): DataFlow[] {
    return this.flowsByComponent.get(componentId) ?? [];
  }

  zoneOf(componentId: string): string | undefined {
    return this.components.get(componentId)?.zone;
  }

  /** The two zones a flow connects, when they differ. */
  boundaryOf(flow: DataFlow): [string, string] | null {
    const a = this.zoneOf(flow.source);
    const b = this.zoneOf(flow.destination);
    if (a === undefined || b === undefined || a === b) return null;
    return a < b ? [a, b] : [b, a];
  }

  crossingFlowsOfZone(zoneId: string): DataFlow[] {
    return this.model.data_flows.filter((f) => {
      const b = this.boundaryOf(f);
      return b !== null && (b[0] === zoneId || b[1] === zoneId);
    });
  }
}

export function isEmpty(m: Mapping): boolean {
  return m.components.length === 0 && m.flows.length === 0 && m.zones.length === 0;
}

function sorted(s: Set<string>): string[] {
  return [...s].sort(cmp);
}
