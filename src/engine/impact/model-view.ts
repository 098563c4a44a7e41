/**
 * The two models a review sees, side by side. The trusted model (the base) is policy: it
 * decides mapping and what crosses a boundary. The head model is the proposal: what it adds
 * or changes shows in the report and can cover findings, but never relaxes them.
 */
import type { ModelChange } from "../model/diff.js";
import type { ModelIndex } from "../model/model-index.js";
import type { Component, DataAsset, DataFlow, ElementKind, ThreatModel, TrustZone } from "../model/types.js";

export class ModelView {
  private readonly revised = new Set<string>();

  constructor(
    readonly trusted: ModelIndex,
    /** The head model; null when the change deletes the model. */
    readonly head: ModelIndex | null,
    readonly changes: readonly ModelChange[],
  ) {
    for (const c of changes) {
      if (c.change !== "removed" && c.kind !== "model") this.revised.add(`${c.kind}:${c.id}`);
    }
  }

  /** The head adds or changes this element. */
  isRevised(kind: ElementKind, id: string): boolean {
    if (this.revised.size === 0) return false;
    return this.revised.has(`${kind}:${id}`);
  }

  policyFlow(id: string): DataFlow | undefined {
    return this.trusted.flows.get(id) ?? this.head?.flows.get(id);
  }

  policyComponent(id: string): Component | undefined {
    return this.trusted.components.get(id) ?? this.head?.components.get(id);
  }

  policyModelReviewedAt(): string | undefined {
    return this.trusted.model.reviewed_at;
  }

  /** Zones and data as the trusted model defines them: a pull request cannot lower a zone's trust or a classification to soften its own questions. */
  zone(id: string): TrustZone | undefined {
    return this.trusted.zones.get(id) ?? this.head?.zones.get(id);
  }

  dataAsset(id: string): DataAsset | undefined {
    return this.trusted.data.get(id) ?? this.head?.data.get(id);
  }

  /** A flow's boundary as the trusted model draws it. */
  policyBoundary(flow: DataFlow): [string, string] | null {
    const zoneOf = (c: string) => this.trusted.components.get(c)?.zone ?? this.head?.components.get(c)?.zone;
    return pair(zoneOf(flow.source), zoneOf(flow.destination));
  }

  /** The version of a flow to show: the head's when the head revises it. */
  reportedFlow(id: string): DataFlow | undefined {
    if (this.head && this.isRevised("flow", id)) return this.head.flows.get(id);
    return this.trusted.flows.get(id) ?? this.head?.flows.get(id);
  }

  reportedComponent(id: string): Component | undefined {
    if (this.head && this.isRevised("component", id)) return this.head.components.get(id);
    return this.trusted.components.get(id) ?? this.head?.components.get(id);
  }

  reportedZoneOf(componentId: string): string | undefined {
    return this.reportedComponent(componentId)?.zone;
  }

  reportedBoundary(flow: DataFlow): [string, string] | null {
    return pair(this.reportedZoneOf(flow.source), this.reportedZoneOf(flow.destination));
  }

  /** The trusted model's flows of a component, plus the head's added or changed ones. */
  reportedFlowsOf(componentId: string): DataFlow[] {
    const ids = new Set(this.trusted.flowsOf(componentId).map((f) => f.id));
    for (const f of this.head?.flowsOf(componentId) ?? []) if (this.isRevised("flow", f.id)) ids.add(f.id);
    return [...ids].map((id) => this.reportedFlow(id)).filter((f): f is DataFlow => f !== undefined);
  }

  /** Flows crossing a zone's edge: the trusted model's, plus the head's added or changed ones. */
  policyCrossingFlowsOfZone(zoneId: string): DataFlow[] {
    const out = new Map<string, DataFlow>();
    for (const f of this.trusted.crossingFlowsOfZone(zoneId)) out.set(f.id, f);
    for (const f of this.head?.crossingFlowsOfZone(zoneId) ?? []) {
      if (this.isRevised("flow", f.id) && !out.has(f.id)) out.set(f.id, f);
    }
    return [...out.values()];
  }
}

/**
 * The model to draw for a change: the trusted model, with what the head adds or changes
 * (so the flow a pull request declares shows up), and without what it removes.
 */
export function drawnModel(view: ModelView): ThreatModel {
  const base = view.trusted.model;
  const head = view.head?.model;
  const merge = <T extends { id: string }>(kind: ElementKind, a: readonly T[], b: readonly T[] | undefined): T[] => {
    const out = new Map(a.map((e) => [e.id, e]));
    for (const e of b ?? []) if (view.isRevised(kind, e.id)) out.set(e.id, e);
    return [...out.values()];
  };
  return {
    ...base,
    trust_zones: merge("zone", base.trust_zones, head?.trust_zones),
    components: merge("component", base.components, head?.components),
    data_assets: merge("data", base.data_assets, head?.data_assets),
    data_flows: merge("flow", base.data_flows, head?.data_flows),
    threats: base.threats,
  };
}

function pair(a: string | undefined, b: string | undefined): [string, string] | null {
  if (a === undefined || b === undefined || a === b) return null;
  return a < b ? [a, b] : [b, a];
}
