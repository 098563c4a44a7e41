/** Reading one file at a commit through the contents API (works for fork heads too). */
import type { SourceFile } from "../engine/index.js";
import { statusOf, type Octokit, type Repo } from "./octokit.js";

export class NotAFileError extends Error {}

/**
 * The file at `ref`, or null when the commit has none. Files over 1 MB come back without
 * content; they are returned with their size so the parser can refuse them with the limit.
 */
export async function readFileAt(octokit: Octokit, at: Repo & { path: string; ref: string }): Promise<SourceFile | null> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner: at.owner, repo: at.repo, path: at.path, ref: at.ref }));
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
  return fileOf(data, at);
}

/**
 * The file at the tip of `branch`, named in full (`refs/heads/...`) so that a tag with the
 * branch's name can never stand in for it; at `fallbackSha` when the branch is gone (deleted
 * while the event was on its way). Null when the commit has no such file.
 */
export async function readFileOnBranch(octokit: Octokit, at: Repo & { path: string; branch: string; fallbackSha: string }): Promise<SourceFile | null> {
  const ref = `refs/heads/${at.branch}`;
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner: at.owner, repo: at.repo, path: at.path, ref }));
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
    if (!/no commit found/i.test(e instanceof Error ? e.message : "")) return null;
    return readFileAt(octokit, { ...at, ref: at.fallbackSha });
  }
  return fileOf(data, { path: at.path, ref });
}

function fileOf(data: unknown, at: { path: string; ref: string }): SourceFile {
  const file = data as { type?: string; size?: number; encoding?: string; content?: string };
  if (Array.isArray(data) || file.type !== "file") {
    const shown = /^[0-9a-f]{40}$/.test(at.ref) ? at.ref.slice(0, 12) : at.ref;
    throw new NotAFileError(`${at.path} at ${shown} is a ${Array.isArray(data) ? "directory" : (file.type ?? "non-file")}, not a file`);
  }
  if (file.encoding === "base64" && typeof file.content === "string") {
    return { path: at.path, content: new Uint8Array(Buffer.from(file.content, "base64")) };
  }
  return { path: at.path, content: "", declaredSize: file.size ?? 0 };
}
