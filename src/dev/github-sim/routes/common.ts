/** What many routes need: the repository a request names, who writes, and the body. */
import type { SimRepo } from "../repo.js";
import { HttpError, notFound } from "../respond.js";
import type { RouteContext } from "../router.js";
import type { Account, AppIdentity, PullRequestState } from "../types.js";

/**
 * The repository in the path. An installation token reaches only its installation's
 * repositories; anything else is 404, as GitHub hides what a token cannot see.
 */
export function repoOf(ctx: RouteContext): SimRepo {
  const repo = ctx.state.findRepo(ctx.params["owner"] ?? "", ctx.params["repo"] ?? "");
  if (!repo) throw notFound();
  const id = ctx.identity;
  if (id.kind === "installation" && !ctx.state.installations.get(id.installationId)?.repositories.has(repo.fullName.toLowerCase())) throw notFound();
  if (id.kind === "app") throw new HttpError(403, "Resource not accessible by integration");
  return repo;
}

export function pullOf(ctx: RouteContext, repo: SimRepo): PullRequestState {
  const pr = repo.pulls.get(Number(ctx.params["pull_number"] ?? ctx.params["issue_number"]));
  if (!pr) throw notFound();
  return pr;
}

/** Who a write is by: an installation writes as its App's bot; a user token as that user. */
export function writerOf(ctx: RouteContext): { account: Account; app: AppIdentity | null } {
  const id = ctx.identity;
  if (id.kind === "installation") return { account: id.actor, app: id.app };
  if (id.kind === "user") return { account: id.actor, app: null };
  throw new HttpError(401, "Requires authentication");
}

/** The JSON body as an object (400 when it is not one). */
export function bodyOf(ctx: RouteContext): Record<string, unknown> {
  const body = ctx.body;
  if (body === undefined || body === "") return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "Problems parsing JSON");
  return body as Record<string, unknown>;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
