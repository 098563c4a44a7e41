/**
 * GET /repos/{owner}/{repo}/contents/{path}?ref=: a file as base64 JSON (files up to 1 MiB;
 * larger ones come with content "" and encoding "none"), a folder as an array of entries,
 * 404 when absent. With Accept application/vnd.github.raw (or .v3.raw) a file's bytes are
 * answered as they are (text/plain for text, application/octet-stream for binary); a folder
 * still answers JSON (application/json; charset=utf-8, which is how Probot's config loader
 * tells a folder from a file). Without ref: the default branch.
 */
import type { TreeEntry } from "../git-store.js";
import type { SimRepo } from "../repo.js";
import { notFound, ok, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import { repoOf } from "./common.js";

export const JSON_CONTENT_LIMIT = 1024 * 1024;

function wantsRaw(accept: string | undefined): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/i.test(accept ?? "");
}

function kindOf(e: TreeEntry): "file" | "dir" | "symlink" | "submodule" {
  if (e.type === "tree") return "dir";
  if (e.type === "commit") return "submodule";
  return e.mode === "120000" ? "symlink" : "file";
}

function entryJson(ctx: RouteContext, repo: SimRepo, e: TreeEntry, ref: string): Record<string, unknown> {
  const encoded = e.path.split("/").map(encodeURIComponent).join("/");
  const self = ctx.state.apiUrl(`/repos/${repo.fullName}/contents/${encoded}?ref=${encodeURIComponent(ref)}`);
  const git = ctx.state.apiUrl(`/repos/${repo.fullName}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`);
  const html = ctx.state.htmlUrl(`/${repo.fullName}/${e.type === "tree" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${encoded}`);
  const kind = kindOf(e);
  return {
    type: kind,
    size: e.size ?? 0,
    name: e.path.slice(e.path.lastIndexOf("/") + 1),
    path: e.path,
    sha: e.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: kind === "file" ? ctx.state.htmlUrl(`/${repo.fullName}/raw/${encodeURIComponent(ref)}/${encoded}`) : null,
    _links: { self, git, html },
  };
}

async function contents(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const ref = ctx.query.get("ref") || repo.defaultBranch;
  if (repo.branches.size === 0) throw notFound("This repository is empty.");
  const sha = await repo.resolveRef(ref);
  if (!sha) throw notFound(`No commit found for the ref ${ref}`);
  const path = (ctx.params["path"] ?? "").replace(/^\/+|\/+$/g, "");
  const listing = await repo.store.listingAt(sha);
  const entry = path === "" ? null : listing.byPath.get(path);
  if (path !== "" && !entry) throw notFound();

  if (!entry || entry.type === "tree") {
    const children = listing.children.get(path) ?? [];
    return { status: 200, json: children.map((c) => entryJson(ctx, repo, c, ref)), headers: { "content-type": "application/json; charset=utf-8" } };
  }
  if (entry.type === "commit") return ok({ ...entryJson(ctx, repo, entry, ref), submodule_git_url: null });

  const size = entry.size ?? 0;
  if (wantsRaw(ctx.headers.accept)) {
    const bytes = await repo.store.blob(entry.sha);
    const text = !bytes.subarray(0, 8000).includes(0);
    return { status: 200, raw: { body: bytes, contentType: text ? "text/plain; charset=utf-8" : "application/octet-stream" } };
  }
  const base = entryJson(ctx, repo, entry, ref);
  if (kindOf(entry) === "symlink") return ok({ ...base, target: (await repo.store.blob(entry.sha)).toString("utf8") });
  if (size > JSON_CONTENT_LIMIT) return ok({ ...base, content: "", encoding: "none" });
  const bytes = await repo.store.blob(entry.sha);
  return ok({ ...base, content: bytes.toString("base64").replace(/.{60}/g, "$&\n"), encoding: "base64" });
}

export const contentRoutes = [route("GET /repos/{owner}/{repo}/contents/{path+}", contents), route("GET /repos/{owner}/{repo}/contents", contents)];
