/**
 * Inline prompts: one review per push (event COMMENT) holding a comment for each uncovered
 * high-severity finding, anchored on an added line of the diff. Anchors are checked against
 * the patch first, because one bad anchor makes GitHub refuse the whole review.
 */
import { createHash } from "node:crypto";
import { readPatch, type ChangedFile, type Finding } from "../engine/index.js";
import { md } from "../engine/index.js";
import type { Octokit, Repo } from "./octokit.js";

export interface InlinePrompt {
  key: string;
  path: string;
  line: number;
  body: string;
}

export const FINDING_MARKER = "<!-- threat-model-review:finding ";

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** Prompts for findings not prompted before, anchored on lines the diff adds, at most `max`. */
export function inlinePrompts(findings: readonly Finding[], files: readonly ChangedFile[], alreadyPosted: ReadonlySet<string>, max: number): InlinePrompt[] {
  if (max <= 0) return [];
  const added = new Map<string, Set<number>>();
  const addedLines = (path: string): Set<number> => {
    let set = added.get(path);
    if (set) return set;
    set = new Set();
    const file = files.find((f) => f.path === path);
    const parsed = file?.patch !== undefined ? readPatch(file.patch) : null;
    if (parsed?.ok) for (const l of parsed.patch.lines) if (l.kind === "add") set.add(l.newLine);
    added.set(path, set);
    return set;
  };
  const out: InlinePrompt[] = [];
  for (const f of findings) {
    if (out.length >= max) break;
    if (f.covered || f.acknowledgedBy !== undefined || f.severity !== "high" || !f.file || f.line === undefined) continue;
    const key = hashKey(f.key);
    if (alreadyPosted.has(key)) continue;
    // Prefer the finding's line; a signal that fired on several lines may use any of them.
    const candidates = [f.line, ...(f.lines ?? [])];
    const line = candidates.find((l) => addedLines(f.file!).has(l));
    if (line === undefined) continue;
    out.push({ key, path: f.file, line, body: promptBody(f, key) });
  }
  return out;
}

function promptBody(f: Finding, key: string): string {
  const what = f.kind === "signal" ? `${f.removed ? "Removed: " : ""}${f.label ?? f.signal}` : f.kind;
  return [
    `**Threat model** · ${md(what)}`,
    "",
    md(f.question),
    "",
    `_${md(f.resolution)}_`,
    `${FINDING_MARKER}${key} -->`,
  ].join("\n");
}

const REVIEW_INTRO = "Threat-model prompts for this push:";

/**
 * Post the review. A POST is not retried blindly (a request that succeeded but answered 5xx
 * would post twice): after a server error, the reviews are read back to see if it landed.
 */
export async function postInlineReview(octokit: Octokit, at: Repo & { number: number; headSha: string }, prompts: readonly InlinePrompt[]): Promise<void> {
  try {
    await createReview(octokit, at, prompts);
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== undefined && status < 500) throw e;
    const reviews = (await octokit.paginate(octokit.rest.pulls.listReviews, { owner: at.owner, repo: at.repo, pull_number: at.number, per_page: 100 })) as {
      body?: string | null;
      commit_id?: string | null;
      user?: { type?: string } | null;
    }[];
    if (reviews.some((r) => r.user?.type === "Bot" && r.commit_id === at.headSha && (r.body ?? "").startsWith(REVIEW_INTRO))) return;
    await createReview(octokit, at, prompts);
  }
}

async function createReview(octokit: Octokit, at: Repo & { number: number; headSha: string }, prompts: readonly InlinePrompt[]): Promise<void> {
  await octokit.rest.pulls.createReview({
    request: { retries: 0 },
    owner: at.owner,
    repo: at.repo,
    pull_number: at.number,
    commit_id: at.headSha,
    event: "COMMENT",
    body: `${REVIEW_INTRO} ${prompts.length} place${prompts.length === 1 ? "" : "s"} where the change may need the model revisited. The summary comment has the whole picture.`,
    comments: prompts.map((p) => ({ path: p.path, line: p.line, side: "RIGHT" as const, body: p.body })),
  });
}

/** Keys of prompts already posted, read from the review comments (when there is no summary comment to hold them). */
export async function postedPromptKeys(octokit: Octokit, at: Repo & { number: number }): Promise<Set<string>> {
  const comments = (await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner: at.owner,
    repo: at.repo,
    pull_number: at.number,
    per_page: 100,
  })) as { body?: string; user?: { type?: string } | null }[];
  // Review comments do not say which App wrote them; a bot's comment with the marker counts.
  // (Another bot copying the marker could only suppress a prompt, never add one.)
  const keys = new Set<string>();
  for (const c of comments) {
    if (c.user?.type !== "Bot") continue;
    const m = /<!-- threat-model-review:finding ([0-9a-f]{16}) -->/.exec(c.body ?? "");
    if (m) keys.add(m[1]!);
  }
  return keys;
}
