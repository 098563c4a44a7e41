/**
 * Git data: trees (recursive or not), single commits (with their first-parent diff) and
 * three-dot compares (merge base, ahead/behind, commits, files capped at 300).
 */
import { HttpError, linkHeader, notFound, ok, pageOf, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import { repoOf } from "./common.js";

/** GitHub stops a recursive tree listing at 100,000 entries (and 7 MB) and says `truncated`. */
export const TREE_ENTRY_LIMIT = 100_000;
export const COMPARE_FILES_LIMIT = 300;
export const COMMIT_FILES_LIMIT = 300;

async function tree(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const wanted = ctx.params["tree_sha"]!;
  let treeSha: string | null = null;
  const commit = await repo.resolveRef(wanted);
  if (commit) treeSha = (await repo.store.commit(commit))!.tree;
  else if ((await repo.store.objectType(wanted)) === "tree") treeSha = wanted;
  if (!treeSha) throw notFound();
  const listing = await repo.store.listing(treeSha);
  const recursive = ctx.query.has("recursive") && !["0", "false", ""].includes(ctx.query.get("recursive") ?? "");
  let entries = recursive ? listing.entries : (listing.children.get("") ?? []);
  const truncated = entries.length > TREE_ENTRY_LIMIT;
  if (truncated) entries = entries.slice(0, TREE_ENTRY_LIMIT);
  const api = (p: string) => ctx.state.apiUrl(`/repos/${repo.fullName}${p}`);
  return ok({
    sha: treeSha,
    url: api(`/git/trees/${treeSha}`),
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob" && { size: e.size }),
      url: api(`/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`),
    })),
    truncated,
  });
}

async function commit(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const ref = ctx.params["ref"]!;
  const sha = await repo.resolveRef(ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  const record = (await repo.store.commit(sha))!;
  const shapes = ctx.state.shapes;
  const parent = record.parents[0];
  const files = parent ? await repo.store.diff(parent, sha) : [];
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return ok({
    ...shapes.commit(repo, record),
    stats: { total: additions + deletions, additions, deletions },
    files: files.slice(0, COMMIT_FILES_LIMIT).map((f) => shapes.file(repo, f, sha)),
  });
}

async function compare(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const basehead = ctx.params["basehead"]!;
  const split = basehead.indexOf("...");
  if (split < 0) throw notFound();
  const baseRef = basehead.slice(0, split);
  const headRef = basehead.slice(split + 3);
  const [base, head] = await Promise.all([repo.resolveRef(baseRef), repo.resolveRef(headRef)]);
  if (!base || !head) throw notFound();
  const mergeBase = await repo.store.mergeBase(base, head);
  if (!mergeBase) throw notFound(`No common ancestor between ${baseRef} and ${headRef}.`);
  const [ahead, behind, files, baseCommit, mergeBaseCommit] = await Promise.all([
    repo.store.revList(mergeBase, head),
    repo.store.revList(mergeBase, base),
    repo.store.diff(base, head),
    repo.store.commit(base),
    repo.store.commit(mergeBase),
  ]);
  const shapes = ctx.state.shapes;
  const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const paged = ctx.query.has("per_page") || ctx.query.has("page");
  const { perPage, page } = pageOf(ctx.query, 250);
  const shown = paged ? ahead.slice((page - 1) * perPage, page * perPage) : ahead.slice(0, 250);
  const commits = await Promise.all(shown.map(async (s) => shapes.commit(repo, (await repo.store.commit(s))!)));
  const link = paged ? linkHeader(ctx, page, perPage, ahead.length) : null;
  return {
    status: 200,
    json: {
      url: ctx.state.apiUrl(`/repos/${repo.fullName}/compare/${basehead}`),
      html_url: ctx.state.htmlUrl(`/${repo.fullName}/compare/${basehead}`),
      base_commit: shapes.commit(repo, baseCommit!),
      merge_base_commit: shapes.commit(repo, mergeBaseCommit!),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits,
      files: files.slice(0, COMPARE_FILES_LIMIT).map((f) => shapes.file(repo, f, head)),
    },
    ...(link && { headers: { link } }),
  };
}

export const gitRoutes = [
  route("GET /repos/{owner}/{repo}/git/trees/{tree_sha+}", tree),
  route("GET /repos/{owner}/{repo}/commits/{ref+}", commit),
  route("GET /repos/{owner}/{repo}/compare/{basehead+}", compare),
];
