/** Small pieces every importer uses to assemble a model. */
import type { TrustZone } from "../model/types.js";
import type { NotCarried } from "./source.js";

/** The zone for elements outside every boundary of the source. */
export const OUTSIDE = "outside";

export function outsideZone(id: string): TrustZone {
  return { id, name: "Outside every trust boundary", trust: 0, parent: null, paths: [] };
}

/** `{ key: value }`, or nothing when the value is undefined (the model leaves the key out). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A parent chain that loops is cut where it closes, and reported. */
export function breakParentLoops(zones: TrustZone[], report: NotCarried, label: (id: string) => string): void {
  const byId = new Map(zones.map((z) => [z.id, z]));
  for (const z of zones) {
    const seen = new Set<string>([z.id]);
    let at = z;
    while (at.parent !== null) {
      const next = byId.get(at.parent);
      if (!next) break;
      if (seen.has(next.id)) {
        report.add(label(at.id), `parent ${at.parent} (the parents form a loop; this link is cut)`);
        at.parent = null;
        break;
      }
      seen.add(next.id);
      at = next;
    }
  }
}
