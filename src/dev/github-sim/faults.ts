/**
 * Faults injected per route, by the test process (`sim.faults.add`) or over HTTP
 * (POST /_sim/faults). The first active fault whose method and path match a request takes
 * it (the path is matched without the /api/v3 prefix and without the query string):
 *
 * - `status`: answer `status` (500 unless given) with a GitHub-shaped error; nothing happens.
 * - `secondary-rate-limit`: 403 (or `status: 429`) whose message says "You have exceeded a
 *   secondary rate limit", with `retry-after` in seconds (60 unless given; null leaves it out).
 * - `slow`: wait `ms` (1,000 unless given), then serve the request normally.
 * - `drop`: destroy the socket without answering; with `afterApply` the request is served
 *   first (a write lands) and its answer is lost.
 * - `apply-then-fail`: serve the request (a write takes effect), then answer `status`
 *   (502 unless given) instead of the real answer.
 *
 * `times` is how many requests it takes (1 unless given; Infinity for good).
 */
export type FaultKind = "status" | "secondary-rate-limit" | "slow" | "drop" | "apply-then-fail";

export interface FaultSpec {
  method?: string;
  path: RegExp;
  kind: FaultKind;
  times?: number;
  status?: number;
  ms?: number;
  retryAfter?: number | null;
  message?: string;
  afterApply?: boolean;
}

export interface Fault extends Readonly<Omit<FaultSpec, "times">> {
  readonly id: number;
  /** Requests it will still take. */
  remaining: number;
  /** Requests it took. */
  hits: number;
}

export const FAULT_KINDS: readonly FaultKind[] = ["status", "secondary-rate-limit", "slow", "drop", "apply-then-fail"];

export class Faults {
  private readonly active: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${String(spec.kind)}; one of ${FAULT_KINDS.join(", ")}`);
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error("a fault needs times > 0");
    const { times: _times, ...rest } = spec;
    const fault: Fault = { ...rest, path: new RegExp(spec.path.source, spec.path.flags.replace(/[gy]/g, "")), id: this.nextId++, remaining: times, hits: 0 };
    if (spec.method) (fault as { method?: string }).method = spec.method.toUpperCase();
    this.active.push(fault);
    return fault;
  }

  remove(id: number): boolean {
    const i = this.active.findIndex((f) => f.id === id);
    if (i >= 0) this.active.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.active.length = 0;
  }

  list(): readonly Fault[] {
    return this.active;
  }

  /** The fault that takes this request, if any (counted as taken). */
  take(method: string, path: string): Fault | null {
    const fault = this.active.find((f) => f.remaining > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (!fault) return null;
    fault.remaining--;
    fault.hits++;
    if (fault.remaining <= 0) this.remove(fault.id);
    return fault;
  }
}
