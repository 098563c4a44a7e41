/**
 * The one summary comment per pull request: found by a hidden marker AND by being written
 * by this App (never another bot's or a person's comment), created only when there is
 * something to say, then edited in place. A hidden state line records which head it
 * describes, which findings already have inline prompts, the champions' acknowledgements
 * and whether reviews were requested. People with write access can edit any comment, so
 * the state is signed (HMAC with a key only the App holds); a state that does not verify is
 * ignored, which can only re-open findings, never settle them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Acknowledgement } from "../engine/index.js";
import type { Octokit, Repo } from "./octokit.js";

export const SUMMARY_MARKER = "<!-- threat-model-review:summary -->";
/** Marks a `/threat-model explain` answer, so it is never taken for the summary. */
export const EXPLAIN_MARKER = "<!-- threat-model-review:explain -->";
const STATE_PREFIX = "<!-- threat-model-review:state ";

export interface CommentState {
  /** The head sha the comment describes. */
  head: string;
  /** The pull request's updated_at when that head was reviewed: orders out-of-order deliveries. */
  updatedAt: string;
  /** Keys of findings already given an inline prompt (hashed). */
  inline: string[];
  /** Champions' acknowledgements, oldest first. */
  acks: Acknowledgement[];
  /** Review requests to the champions were made (once per pull request). */
  reviewsRequested: boolean;
}

export function emptyState(head: string, updatedAt: string): CommentState {
  return { head, updatedAt, inline: [], acks: [], reviewsRequested: false };
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

export async function findSummaryComment(octokit: Octokit, at: Repo & { number: number; appId: number; stateKey: string }): Promise<SummaryComment | null> {
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
  return { id: ours.id, body: ours.body ?? "", state: readState(ours.body ?? "", at.stateKey, stateScope(at)) };
}

/**
 * What a state is signed for: one pull request of one repository. A state copied from another
 * pull request's comment (or another repository's) does not verify here.
 */
export function stateScope(pr: Repo & { number: number }): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase();
}

export function readState(body: string, key: string, scope: string): CommentState | null {
  const start = body.indexOf(STATE_PREFIX);
  if (start < 0) return null;
  const end = body.indexOf(" -->", start);
  if (end < 0) return null;
  const [payload = "", signature = ""] = body.slice(start + STATE_PREFIX.length, end).split(".");
  const expected = sign(payload, key, scope);
  if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return null;
  try {
    const value = JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")) as Partial<CommentState>;
    if (typeof value.head !== "string" || typeof value.updatedAt !== "string") return null;
    return {
      head: value.head,
      updatedAt: value.updatedAt,
      inline: Array.isArray(value.inline) ? value.inline.filter((k): k is string => typeof k === "string") : [],
      acks: Array.isArray(value.acks) ? value.acks : [],
      reviewsRequested: value.reviewsRequested === true,
    };
  } catch {
    return null;
  }
}

/** The encoded, signed state line (what `commentBody` embeds). */
export function stateLine(state: CommentState, key: string, scope: string): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(state), "utf8")).toString("base64url");
  return `${STATE_PREFIX}${payload}.${sign(payload, key, scope)} -->`;
}

export function commentBody(markdown: string, state: CommentState, key: string, scope: string): string {
  return `${SUMMARY_MARKER}\n${stateLine(state, key, scope)}\n${markdown}`;
}

function sign(payload: string, key: string, scope: string): string {
  return createHmac("sha256", key).update(`${scope}\n${payload}`).digest("base64url");
}

/**
 * Create the comment, or edit it when its body would change; nothing is written otherwise.
 * Creating is not retried blindly (a create that succeeded but answered 5xx would leave two
 * summary comments): after a server error, the comments are read back first.
 */
export async function writeSummaryComment(
  octokit: Octokit,
  at: Repo & { number: number; appId: number; stateKey: string },
  existing: SummaryComment | null,
  body: string,
): Promise<{ result: "created" | "updated" | "unchanged"; id: number }> {
  if (existing) {
    if (existing.body === body) return { result: "unchanged", id: existing.id };
    try {
      await octokit.rest.issues.updateComment({ owner: at.owner, repo: at.repo, comment_id: existing.id, body });
      return { result: "updated", id: existing.id };
    } catch (e) {
      // Someone deleted it: a new one takes its place.
      if ((e as { status?: number }).status !== 404) throw e;
    }
  }
  const create = async () =>
    (await octokit.rest.issues.createComment({ owner: at.owner, repo: at.repo, issue_number: at.number, body, request: { retries: 0 } })).data.id;
  try {
    return { result: "created", id: await create() };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== undefined && status < 500) throw e;
    const landed = await findSummaryComment(octokit, at);
    if (landed) {
      if (landed.body !== body) await octokit.rest.issues.updateComment({ owner: at.owner, repo: at.repo, comment_id: landed.id, body });
      return { result: "created", id: landed.id };
    }
    return { result: "created", id: await create() };
  }
}
