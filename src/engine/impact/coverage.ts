/**
 * Whether the change revised the model where a finding needs it. A finding is covered when
 * the head model adds or changes an element the finding concerns; removing an element
 * never covers anything (a pull request cannot delete its way out of a question).
 */
import type { Finding } from "../report/types.js";
import { ageInDays, type FindingDraft } from "./findings.js";
import type { MappedFile } from "./mapping.js";
import type { ModelView } from "./model-view.js";

export function withCoverage(
  drafts: readonly FindingDraft[],
  view: ModelView,
  mapped: readonly MappedFile[],
  maxAgeDays: number,
  today: string,
): Finding[] {
  const head = view.head;
  const byPath = new Map(mapped.map((m) => [m.file.path, m]));

  const threatRevisedFor = (ids: readonly string[]): boolean => {
    if (!head) return false;
    const wanted = new Set(ids);
    for (const t of head.model.threats) {
      if (view.isRevised("threat", t.id) && t.targets.some((x) => wanted.has(x))) return true;
    }
    return false;
  };

  const flowCovered = (flowId: string): boolean => {
    const flow = view.policyFlow(flowId);
    const ends = flow ? [flow.source, flow.destination] : [];
    return (
      view.isRevised("flow", flowId) ||
      ends.some((c) => view.isRevised("component", c)) ||
      threatRevisedFor([flowId, ...ends])
    );
  };

  const componentCovered = (componentId: string): boolean => {
    if (!head) return false;
    if (view.isRevised("component", componentId)) return true;
    const headFlows = head.flowsOf(componentId).filter((f) => view.isRevised("flow", f.id)).map((f) => f.id);
    if (headFlows.length > 0) return true;
    return threatRevisedFor([componentId, ...head.flowsOf(componentId).map((f) => f.id)]);
  };

  /** Outside every component: covered when an element the head adds or changes now maps the file. */
  const fileNowMapped = (path: string | undefined): boolean => {
    if (!head || path === undefined) return false;
    const names = byPath.get(path)?.names ?? [path];
    const m = head.map(names);
    return (
      m.components.some((id) => view.isRevised("component", id)) ||
      m.flows.some((id) => view.isRevised("flow", id)) ||
      m.zones.some((id) => view.isRevised("zone", id))
    );
  };

  return drafts.map((d) => {
    let covered = false;
    switch (d.kind) {
      case "model-removed":
        covered = false;
        break;
      case "boundary-flow":
        covered = flowCovered(d.elements[0]!);
        break;
      case "boundary-definition": {
        const [zoneId, ...flows] = d.elements;
        covered = view.isRevised("zone", zoneId!) || threatRevisedFor([zoneId!]) || flows.some(flowCovered);
        break;
      }
      case "signal": {
        const components = byPath.get(d.file ?? "")?.mapping.components ?? [];
        covered = components.length > 0 ? components.some(componentCovered) : fileNowMapped(d.file);
        break;
      }
      case "unmapped":
        covered = fileNowMapped(d.file);
        break;
      case "stale": {
        const id = d.elements[0]!;
        const kind = d.key.startsWith("stale:flow:") ? "flow" : "component";
        const el = kind === "flow" ? head?.flows.get(id) : head?.components.get(id);
        const reviewed = el ? (el.reviewed_at ?? head?.model.reviewed_at) : undefined;
        covered = reviewed !== undefined && ageInDays(reviewed, today) <= maxAgeDays;
        break;
      }
    }
    return { ...d, covered };
  });
}
