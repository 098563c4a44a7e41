/**
 * Routes written as GitHub's docs write them: "GET /repos/{owner}/{repo}/pulls/{pull_number}".
 * A `{name+}` parameter takes the rest of the path, slashes included (contents paths,
 * branch names). Paths arrive decoded. The first matching route serves a request.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Identity } from "./auth.js";
import type { PageRequest, SimResponse } from "./respond.js";
import type { SimState } from "./state.js";

export interface RouteContext extends PageRequest {
  state: SimState;
  method: string;
  path: string;
  params: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  identity: Identity;
}

export type Handler = (ctx: RouteContext) => Promise<SimResponse> | SimResponse;

export interface Route {
  method: string;
  /** "GET /repos/{owner}/{repo}/pulls" */
  name: string;
  pattern: RegExp;
  keys: string[];
  handle: Handler;
}

export function route(name: string, handle: Handler): Route {
  const [method, template] = name.split(" ") as [string, string];
  const keys: string[] = [];
  const source = template
    .split("/")
    .map((segment) =>
      segment.replace(/\{(\w+)(\+?)\}|([^{]+)/g, (_m, key: string | undefined, rest: string, literal: string | undefined) => {
        if (literal !== undefined) return literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        keys.push(key!);
        return rest ? "(.+)" : "([^/]+)";
      }),
    )
    .join("/");
  return { method, name: `${method} ${template.replace(/\+\}/g, "}")}`, pattern: new RegExp(`^${source}$`), keys, handle };
}

export function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = m[i + 1]!));
    return { route: r, params };
  }
  return null;
}

