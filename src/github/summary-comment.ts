/**
 * The one summary comment per pull request: found by a hidden marker AND by being written
 * by this App (never another bot's or a person's comment), created only when there is
 * something to say, then edited in place. A hidden state line records which head it
 * describes and which findings already have inline prompts.
 */
import type { Octokit, Repo } from "./octokit.js";

export const SUMMARY_MARKER = "<!-- threat-model-review:summary -->";
const STATE_PREFIX = "<!-- threat-model-review:state ";

export interface CommentState {
  /** The head sha the comment describes. */
  head: string;
  /** The pull request's updated_at when that head was reviewed: orders out-of-order deliveries. */
  updatedAt: string;
  /** Keys of findings already given an inline prompt (hashed). */
  inline: string[];
}

export interface SummaryComment {
  id: number;
  body: string;
  state: CommentState | null;
}

interface ListedComment {
  id: number;
  body?: string;
  user?: { type?: string } | null;
  performed_via_github_app?: { id?: number } | null;
}

export async function findSummaryComment(octokit: Octokit, at: Repo & { number: number; appId: number }): Promise<SummaryComment | null> {
  const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: at.owner,
    repo: at.repo,
    issue_number: at.number,
    per_page: 100,
  })) as ListedComment[];
  const ours = comments.find(
    (c) => c.user?.type === "Bot" && c.performed_via_github_app?.id === at.appId && (c.body ?? "").includes(SUMMARY_MARKER),
  );
  if (!ours) return null;
  return { id: ours.id, body: ours.body ?? "", state: readState(ours.body ?? "") };
}

export function readState(body: string): CommentState | null {
  const start = body.indexOf(STATE_PREFIX);
  if (start < 0) return null;
  const end = body.indexOf(" -->", start);
  if (end < 0) return null;
  try {
    const json = Buffer.from(body.slice(start + STATE_PREFIX.length, end), "base64url").toString("utf8");
    const value = JSON.parse(json) as Partial<CommentState>;
    if (typeof value.head !== "string" || typeof value.updatedAt !== "string") return null;
    return { head: value.head, updatedAt: value.updatedAt, inline: Array.isArray(value.inline) ? value.inline.filter((k): k is string => typeof k === "string") : [] };
  } catch {
    return null;
  }
}

export function commentBody(markdown: string, state: CommentState): string {
  const encoded = Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
  return `${SUMMARY_MARKER}\n${STATE_PREFIX}${encoded} -->\n${markdown}`;
}

/** Create the comment, or edit it when its body would change; nothing is written otherwise. */
export async function writeSummaryComment(
  octokit: Octokit,
  at: Repo & { number: number },
  existing: SummaryComment | null,
  body: string,
): Promise<"created" | "updated" | "unchanged"> {
  if (existing) {
    if (existing.body === body) return "unchanged";
    await octokit.rest.issues.updateComment({ owner: at.owner, repo: at.repo, comment_id: existing.id, body });
    return "updated";
  }
  await octokit.rest.issues.createComment({ owner: at.owner, repo: at.repo, issue_number: at.number, body });
  return "created";
}
