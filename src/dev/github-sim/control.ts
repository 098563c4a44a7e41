/**
 * The simulator's own HTTP API, for scripts that do not share its process. Never recorded,
 * never faulted, never rate limited.
 *
 *   POST   /_sim/faults        {method?, path: "regex source", flags?, kind, times?, status?, ms?, retryAfter?, message?, afterApply?}
 *                              (times: a number, or "Infinity"/null for good) -> 201 {id}
 *   GET    /_sim/faults        the active faults
 *   DELETE /_sim/faults[/{id}] remove all faults, or one
 *   GET    /_sim/requests      the request log (?since=SEQ for the newer ones)
 *   DELETE /_sim/requests      clear the log
 *   GET    /_sim/count         {count, perRoute} (?method=&path=REGEX&route=&counted=true|false)
 *   GET    /_sim/health        {ok: true}
 */
import { FAULT_KINDS, type FaultKind } from "./faults.js";
import { matches, perRoute, type RequestFilter } from "./observe.js";
import { HttpError, type SimResponse } from "./respond.js";
import type { SimState } from "./state.js";

export function handleControl(state: SimState, method: string, path: string, query: URLSearchParams, body: unknown): SimResponse {
  try {
    return route(state, method, path, query, body);
  } catch (e) {
    const error = e instanceof HttpError ? e : new HttpError(422, e instanceof Error ? e.message : String(e));
    return { status: error.status, json: error.body() };
  }
}

function route(state: SimState, method: string, path: string, query: URLSearchParams, body: unknown): SimResponse {
  if (method === "GET" && path === "/_sim/health") return { status: 200, json: { ok: true } };
  if (path === "/_sim/faults") {
    if (method === "POST") return { status: 201, json: describe(state.faults.add(faultSpec(body))) };
    if (method === "GET") return { status: 200, json: state.faults.list().map(describe) };
    if (method === "DELETE") {
      const cleared = state.faults.list().length;
      state.faults.clear();
      return { status: 200, json: { cleared } };
    }
  }
  const one = /^\/_sim\/faults\/(\d+)$/.exec(path);
  if (one && method === "DELETE") return { status: state.faults.remove(Number(one[1])) ? 200 : 404, json: {} };
  if (path === "/_sim/requests") {
    if (method === "GET") {
      const since = Number(query.get("since") ?? 0);
      return { status: 200, json: state.requests.filter((r) => r.seq > since) };
    }
    if (method === "DELETE") {
      state.requests.length = 0;
      return { status: 200, json: {} };
    }
  }
  if (method === "GET" && path === "/_sim/count") {
    const filter: RequestFilter = {};
    if (query.get("method")) filter.method = query.get("method")!;
    if (query.get("path")) filter.path = new RegExp(query.get("path")!);
    if (query.get("route")) filter.route = query.get("route")!;
    if (query.get("counted")) filter.counted = query.get("counted") === "true";
    return { status: 200, json: { count: state.requests.filter((r) => matches(r, filter)).length, perRoute: perRoute(state.requests, filter) } };
  }
  throw new HttpError(404, `Not Found: github-sim has no control route ${method} ${path}`);
}

function faultSpec(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b["path"] !== "string") throw new Error("a fault needs path: a regular expression source");
  if (!FAULT_KINDS.includes(b["kind"] as FaultKind)) throw new Error(`a fault needs kind: one of ${FAULT_KINDS.join(", ")}`);
  const times = b["times"] === undefined ? 1 : b["times"] === null || b["times"] === "Infinity" ? Infinity : Number(b["times"]);
  const num = (k: string) => (typeof b[k] === "number" ? (b[k] as number) : undefined);
  return {
    path: new RegExp(b["path"], typeof b["flags"] === "string" ? b["flags"] : ""),
    kind: b["kind"] as FaultKind,
    times,
    ...(typeof b["method"] === "string" && { method: b["method"] }),
    ...(num("status") !== undefined && { status: num("status") }),
    ...(num("ms") !== undefined && { ms: num("ms") }),
    ...((num("retryAfter") !== undefined || b["retryAfter"] === null) && { retryAfter: b["retryAfter"] as number | null }),
    ...(typeof b["message"] === "string" && { message: b["message"] }),
    ...(b["afterApply"] === true && { afterApply: true }),
  };
}

function describe(f: ReturnType<SimState["faults"]["list"]>[number]) {
  return { id: f.id, kind: f.kind, method: f.method ?? null, path: f.path.source, remaining: Number.isFinite(f.remaining) ? f.remaining : "Infinity", hits: f.hits };
}
