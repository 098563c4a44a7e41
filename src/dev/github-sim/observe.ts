/** Counting recorded requests, for API-economy assertions. */
import type { RequestRecord } from "./state.js";

export interface RequestFilter {
  method?: string;
  /** Exact path (no /api/v3 prefix, no query) or a pattern tested against it. */
  path?: string | RegExp;
  /** The route as GitHub's docs write it: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files". */
  route?: string;
  /** Only requests charged (true) or not charged (false) against the rate limit. */
  counted?: boolean;
  installationId?: number;
  status?: number;
}

export function matches(r: RequestRecord, f: RequestFilter): boolean {
  if (f.method && r.method !== f.method.toUpperCase()) return false;
  if (typeof f.path === "string" && r.path !== f.path) return false;
  if (f.path instanceof RegExp && !new RegExp(f.path.source, f.path.flags.replace(/[gy]/g, "")).test(r.path)) return false;
  if (f.route !== undefined && r.route !== f.route) return false;
  if (f.counted !== undefined && r.counted !== f.counted) return false;
  if (f.installationId !== undefined && r.installationId !== f.installationId) return false;
  if (f.status !== undefined && r.status !== f.status) return false;
  return true;
}

/** Requests per route ("GET /repos/{owner}/{repo}/pulls/{pull_number}" -> 3); unrouted ones under "METHOD path". */
export function perRoute(requests: readonly RequestRecord[], f: RequestFilter = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    if (!matches(r, f)) continue;
    const key = r.route ?? `${r.method} ${r.path}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
