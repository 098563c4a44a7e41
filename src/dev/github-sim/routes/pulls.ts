/**
 * Pull requests: list (state, head, base, sort, direction), get, files (at most 3,000,
 * 100 a page), requested reviewers; and a pull request read through the issues API.
 */
import { notFound, ok, paginate, validationFailed, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import { bodyOf, pullOf, repoOf, writerOf } from "./common.js";

/** GitHub lists at most 3,000 files of a pull request. */
export const PULL_FILES_LIMIT = 3_000;

function list(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const state = ctx.query.get("state") ?? "open";
  const head = ctx.query.get("head");
  const base = ctx.query.get("base");
  const sort = ctx.query.get("sort") ?? "created";
  const direction = ctx.query.get("direction") ?? (sort === "created" ? "desc" : "asc");
  let pulls = [...repo.pulls.values()].filter((p) => state === "all" || p.state === state);
  if (head) pulls = pulls.filter((p) => `${p.head.owner}:${p.head.ref}`.toLowerCase() === head.toLowerCase() || (!head.includes(":") && p.head.ref === head));
  if (base) pulls = pulls.filter((p) => p.base.ref === base);
  const key = sort === "updated" ? (p: (typeof pulls)[number]) => p.updatedAt : (p: (typeof pulls)[number]) => p.createdAt;
  pulls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number) * (direction === "desc" ? -1 : 1));
  return paginate(ctx, pulls, (p) => ctx.state.shapes.pull(repo, p, false));
}

function get(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  return ok(ctx.state.shapes.pull(repo, pullOf(ctx, repo), true));
}

async function files(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const all = (await repo.pullFiles(pr)).slice(0, PULL_FILES_LIMIT);
  return paginate(ctx, all, (f) => ctx.state.shapes.file(repo, f, pr.head.sha));
}

function requestReviewers(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  writerOf(ctx);
  const body = bodyOf(ctx);
  const reviewers = Array.isArray(body["reviewers"]) ? body["reviewers"].filter((x): x is string => typeof x === "string") : [];
  const teams = Array.isArray(body["team_reviewers"]) ? body["team_reviewers"].filter((x): x is string => typeof x === "string") : [];
  if (reviewers.some((r) => r.toLowerCase() === pr.user.login.toLowerCase())) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", field: "requested_reviewers", message: "Review cannot be requested from pull request author." }]);
  }
  for (const r of reviewers) if (!pr.requestedReviewers.some((x) => x.toLowerCase() === r.toLowerCase())) pr.requestedReviewers.push(ctx.state.account(r).login);
  for (const t of teams) if (!pr.requestedTeams.includes(t)) pr.requestedTeams.push(t);
  repo.touch(pr);
  return ok(ctx.state.shapes.pull(repo, pr, false), 201);
}

function requested(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const shaped = ctx.state.shapes.pull(repo, pr, false);
  return ok({ users: shaped["requested_reviewers"], teams: shaped["requested_teams"] });
}

function issue(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = repo.pulls.get(Number(ctx.params["issue_number"]));
  if (!pr) throw notFound();
  return ok(ctx.state.shapes.issue(repo, pr));
}

export const pullRoutes = [
  route("GET /repos/{owner}/{repo}/pulls", list),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}", get),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", files),
  route("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", requestReviewers),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", requested),
  route("GET /repos/{owner}/{repo}/issues/{issue_number}", issue),
];
