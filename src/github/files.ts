/**
 * The changed files of a pull request (or of a merge-group commit range), with patches.
 * GitHub lists at most 3,000 files with patches for a pull request and 300 for a compare;
 * beyond that the full list comes from the git trees, and the report says that signals
 * covered only the listed files.
 */
import type { ChangedFile, ChangeStatus } from "../engine/index.js";
import type { Octokit, Repo } from "./octokit.js";

export const PULL_FILES_CAP = 3000;
export const COMPARE_FILES_CAP = 300;

export interface ChangedFiles {
  files: ChangedFile[];
  notices: string[];
}

interface GitHubFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
}

const STATUSES: readonly ChangeStatus[] = ["added", "modified", "removed", "renamed", "copied", "changed", "unchanged"];

function toChanged(f: GitHubFile): ChangedFile {
  const status = (STATUSES as readonly string[]).includes(f.status) ? (f.status as ChangeStatus) : "changed";
  return {
    path: f.filename,
    status,
    ...(f.previous_filename !== undefined && { previousPath: f.previous_filename }),
    ...(f.patch !== undefined ? { patch: f.patch } : { unscannedReason: "GitHub shows no diff for it (binary or too large)" }),
  };
}

export async function pullRequestFiles(
  octokit: Octokit,
  pr: Repo & { number: number; baseSha: string; headSha: string; changedFiles: number },
): Promise<ChangedFiles> {
  const listed = (await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  })) as GitHubFile[];
  const files = listed.map(toChanged);
  if (listed.length < PULL_FILES_CAP && pr.changedFiles <= listed.length) return { files, notices: [] };
  return completeFromTrees(octokit, pr, files, pr.changedFiles, PULL_FILES_CAP);
}

/** Files between two commits (a merge group): compare, then the trees when compare is capped. */
export async function comparedFiles(octokit: Octokit, at: Repo & { baseSha: string; headSha: string }): Promise<ChangedFiles> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    owner: at.owner,
    repo: at.repo,
    basehead: `${at.baseSha}...${at.headSha}`,
    per_page: 1,
  });
  const listed = (data.files ?? []) as GitHubFile[];
  const files = listed.map(toChanged);
  if (listed.length < COMPARE_FILES_CAP) return { files, notices: [] };
  return completeFromTrees(octokit, { ...at, mergeBase: data.merge_base_commit.sha }, files, undefined, COMPARE_FILES_CAP);
}

async function completeFromTrees(
  octokit: Octokit,
  at: Repo & { baseSha: string; headSha: string; mergeBase?: string },
  listed: ChangedFile[],
  total: number | undefined,
  cap: number,
): Promise<ChangedFiles> {
  let mergeBase = at.mergeBase;
  if (!mergeBase) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: at.owner, repo: at.repo, basehead: `${at.baseSha}...${at.headSha}`, per_page: 1 });
    mergeBase = data.merge_base_commit.sha;
  }
  const [before, after] = await Promise.all([treeOf(octokit, at, mergeBase), treeOf(octokit, at, at.headSha)]);
  const known = new Set(listed.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])));
  const extra: ChangedFile[] = [];
  const reason = `not scanned: beyond the ${cap.toLocaleString("en-US")} files GitHub lists with diffs`;
  for (const [path, sha] of after.blobs) {
    if (known.has(path)) continue;
    const old = before.blobs.get(path);
    if (old === undefined) extra.push({ path, status: "added", unscannedReason: reason });
    else if (old !== sha) extra.push({ path, status: "modified", unscannedReason: reason });
  }
  for (const path of before.blobs.keys()) {
    if (!known.has(path) && !after.blobs.has(path)) extra.push({ path, status: "removed", unscannedReason: reason });
  }
  const all = listed.length + extra.length;
  const notices = [
    `This change touches ${(total ?? all).toLocaleString("en-US")} files; GitHub lists diffs for the first ${cap.toLocaleString("en-US")} only. The other ${extra.length.toLocaleString("en-US")} were mapped to the model from the git trees but not scanned for signals.`,
  ];
  if (before.truncated || after.truncated) {
    notices.push("The repository tree is too large for GitHub to list whole: some changed files beyond the first listed ones may be missing from this review.");
  }
  return { files: [...listed, ...extra], notices };
}

async function treeOf(octokit: Octokit, at: Repo, sha: string): Promise<{ blobs: Map<string, string>; truncated: boolean }> {
  const { data } = await octokit.rest.git.getTree({ owner: at.owner, repo: at.repo, tree_sha: sha, recursive: "1" });
  const blobs = new Map<string, string>();
  for (const entry of data.tree) {
    if (entry.type === "blob" && entry.path && entry.sha) blobs.set(entry.path, entry.sha);
  }
  return { blobs, truncated: data.truncated };
}
