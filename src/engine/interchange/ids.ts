/**
 * Ids for imported elements. A source id is kept when it is already a valid, unused id of
 * ours; otherwise it is lower-cased, every run of characters outside [a-z0-9._-] becomes "-",
 * leading characters that cannot start an id are dropped, and a "-2", "-3"... suffix makes it
 * unique. Every id that differs from what the source says is reported.
 */
import { ID_PATTERN } from "../model/schema.js";

export const ID_MAX = 200;

export interface IdChange {
  /** What the element is called in the source format ("component", "technical asset"...). */
  kind: string;
  /** The id (or, for derived ids, the text the id was made from) in the source. */
  from: string;
  to: string;
}

export function isValidId(id: string): boolean {
  return id.length <= ID_MAX && ID_PATTERN.test(id);
}

/**
 * The id a source id becomes, before uniqueness. Accents are dropped first (é becomes e), so
 * that names in other languages keep their letters. Returns "" when nothing usable is left.
 */
export function toId(source: string): string {
  if (isValidId(source)) return source;
  let id = source
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  id = id.slice(0, ID_MAX).replace(/-+$/, "");
  return id;
}

export interface IdRequest {
  kind: string;
  /** The source id, or for a derived id the text it is made from. */
  source: string;
  /** Used when nothing of `source` survives (an id of only punctuation). */
  fallback: string;
}

/**
 * One id space for a whole model: zones, components, data assets, flows and threats share it.
 * `claim` takes a batch of source ids in two passes, so that a valid id later in the batch is
 * never taken away by an earlier id that had to change; `derive` makes an id from other ids
 * (a flow's reverse, a Threagile link) and reports it only when it needed a suffix.
 */
export class IdSpace {
  private readonly used = new Set<string>();
  readonly changes: IdChange[] = [];

  has(id: string): boolean {
    return this.used.has(id);
  }

  claim(requests: readonly IdRequest[]): string[] {
    const out: (string | undefined)[] = requests.map((r) => {
      if (isValidId(r.source) && !this.used.has(r.source)) {
        this.used.add(r.source);
        return r.source;
      }
      return undefined;
    });
    return requests.map((r, i) => {
      const kept = out[i];
      if (kept !== undefined) return kept;
      const id = this.unique(toId(r.source) || r.fallback);
      this.changes.push({ kind: r.kind, from: r.source, to: id });
      return id;
    });
  }

  /** An id made from `base` (already an id, or text that `toId` turns into one). */
  derive(kind: string, base: string, fallback: string, reportWhenChanged = false): string {
    const wanted = toId(base) || fallback;
    const id = this.unique(wanted);
    if (id !== wanted || (reportWhenChanged && id !== base)) this.changes.push({ kind, from: base, to: id });
    return id;
  }

  private unique(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.used.has(id); n++) {
      const suffix = `-${n}`;
      id = `${wanted.slice(0, ID_MAX - suffix.length)}${suffix}`;
    }
    this.used.add(id);
    return id;
  }
}
