/**
 * Reviews and review comments. Creating a review checks every comment's anchor against the
 * pull request's diff at the review's commit first: the path must be one of its files and
 * the line must lie in a hunk of that file's patch (RIGHT: an added or context line; LEFT:
 * a removed or context line). One bad anchor refuses the whole review with 422, and
 * nothing is created. COMMENT and REQUEST_CHANGES need a body; no event leaves the review
 * PENDING (seen only by its author).
 */
import type { DiffFile } from "../git-store.js";
import { diffHunk, findAnchor, lineAtPosition, parseHunks, type Anchor, type Side } from "../hunks.js";
import { notFound, ok, paginate, unprocessable, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import type { Review, ReviewComment, ReviewState } from "../types.js";
import { bodyOf, pullOf, repoOf, str, writerOf } from "./common.js";
import { BODY_LIMIT, bodyTooLong } from "./issues.js";

export const LINE_NOT_IN_DIFF = "Pull request review thread line must be part of the diff";
const EVENTS: Record<string, ReviewState> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };

interface Draft {
  path: string;
  body: string;
  anchor: Anchor;
  side: Side;
  line: number;
  start: { line: number; side: Side } | null;
  position: number;
  hunk: string;
}

async function create(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const { account, app } = writerOf(ctx);
  const body = bodyOf(ctx);
  const event = str(body["event"]);
  if (event !== undefined && !Object.hasOwn(EVENTS, event)) throw unprocessable([`Event must be one of APPROVE, REQUEST_CHANGES, COMMENT (got ${event})`]);
  const text = str(body["body"]) ?? "";
  if ((event === "COMMENT" || event === "REQUEST_CHANGES") && text.trim() === "") throw unprocessable([`Review body is required when the event is ${event}`]);
  if (text.length > BODY_LIMIT) throw bodyTooLong("PullRequestReview");
  const own = account.login.toLowerCase() === pr.user.login.toLowerCase();
  if (own && event === "APPROVE") throw unprocessable(["Can not approve your own pull request"]);
  if (own && event === "REQUEST_CHANGES") throw unprocessable(["Can not request changes on your own pull request"]);
  if (event === undefined && repo.reviewsOf(pr.number).some((r) => r.state === "PENDING" && r.user.id === account.id)) {
    throw unprocessable(["User can only have one pending review per pull request"]);
  }
  const commitId = str(body["commit_id"]) ?? pr.head.sha;
  if (!(await repo.store.commit(commitId))) throw unprocessable([`No commit found for SHA: ${commitId}`]);

  const comments = body["comments"] === undefined ? [] : body["comments"];
  if (!Array.isArray(comments)) throw unprocessable(["comments must be an array"]);
  const drafts: Draft[] = [];
  if (comments.length > 0) {
    const files = await repo.store.diff(pr.base.sha, commitId);
    for (const raw of comments as Record<string, unknown>[]) {
      drafts.push(anchorOf(ctx, raw, files));
    }
  }

  const now = ctx.state.clock.iso();
  const review: Review = {
    id: ctx.state.id(),
    number: pr.number,
    user: account,
    app,
    state: event ? EVENTS[event]! : "PENDING",
    body: text,
    commitId,
    submittedAt: event ? now : null,
    commentIds: [],
  };
  repo.reviews.set(review.id, review);
  for (const d of drafts) {
    const comment: ReviewComment = {
      id: ctx.state.id(),
      reviewId: review.id,
      number: pr.number,
      path: d.path,
      line: d.line,
      side: d.side,
      startLine: d.start?.line ?? null,
      startSide: d.start?.side ?? null,
      position: d.position,
      body: d.body,
      user: account,
      commitId,
      diffHunk: d.hunk,
      createdAt: now,
      updatedAt: now,
    };
    repo.reviewComments.set(comment.id, comment);
    review.commentIds.push(comment.id);
  }
  if (event) repo.touch(pr);
  return ok(ctx.state.shapes.review(repo, review));
}

function anchorOf(ctx: RouteContext, raw: Record<string, unknown>, files: readonly DiffFile[]): Draft {
  const path = str(raw["path"]);
  const text = str(raw["body"]) ?? "";
  if (!path) throw unprocessable(["Path can't be blank"]);
  if (text.trim() === "") throw unprocessable(["Body can't be blank"]);
  if (text.length > BODY_LIMIT) throw bodyTooLong("PullRequestReviewComment");
  const file = files.find((f) => f.filename === path);
  if (!file) throw unprocessable(["Path could not be resolved", LINE_NOT_IN_DIFF]);
  // Only what GitHub shows can be commented on: a binary file or a patch over the limits has no lines.
  const patch = ctx.state.shapes.shownPatch(file) ?? "";
  const hunks = parseHunks(patch);

  const position = typeof raw["position"] === "number" ? raw["position"] : undefined;
  if (position !== undefined && raw["line"] === undefined) {
    const at = lineAtPosition(hunks, position);
    if (!at) throw unprocessable(["Pull request review thread position is invalid", LINE_NOT_IN_DIFF]);
    return { path, body: text, anchor: at, side: at.side, line: at.number, start: null, position, hunk: diffHunk(patch, hunks, at) };
  }
  const line = raw["line"];
  const side = (str(raw["side"]) ?? "RIGHT").toUpperCase();
  if (typeof line !== "number" || !Number.isInteger(line) || line < 1) throw unprocessable([LINE_NOT_IN_DIFF]);
  if (side !== "LEFT" && side !== "RIGHT") throw unprocessable(["Side must be LEFT or RIGHT"]);
  const anchor = findAnchor(hunks, side, line);
  if (!anchor) throw unprocessable([LINE_NOT_IN_DIFF]);
  let start: Draft["start"] = null;
  if (raw["start_line"] !== undefined && raw["start_line"] !== null) {
    const startLine = raw["start_line"];
    const startSide = (str(raw["start_side"]) ?? side).toUpperCase() as Side;
    if (typeof startLine !== "number" || startLine >= line) throw unprocessable(["Pull request review thread start_line must precede line"]);
    const from = findAnchor(hunks, startSide, startLine);
    if (!from) throw unprocessable(["Pull request review thread start line must be part of the diff"]);
    if (from.hunk !== anchor.hunk) throw unprocessable(["Pull request review thread start line must be part of the same hunk as the line"]);
    start = { line: startLine, side: startSide };
  }
  return { path, body: text, anchor, side, line, start, position: anchor.line.position, hunk: diffHunk(patch, hunks, anchor) };
}

function visible(ctx: RouteContext, r: Review): boolean {
  if (r.state !== "PENDING") return true;
  const id = ctx.identity;
  return (id.kind === "installation" || id.kind === "user") && id.actor.id === r.user.id;
}

function list(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  return paginate(ctx, repo.reviewsOf(pr.number).filter((r) => visible(ctx, r)), (r) => ctx.state.shapes.review(repo, r));
}

function reviewOf(ctx: RouteContext): { repo: ReturnType<typeof repoOf>; review: Review } {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const review = repo.reviews.get(Number(ctx.params["review_id"]));
  if (!review || review.number !== pr.number || !visible(ctx, review)) throw notFound();
  return { repo, review };
}

function dismiss(ctx: RouteContext): SimResponse {
  const { repo, review } = reviewOf(ctx);
  writerOf(ctx);
  if (!str(bodyOf(ctx)["message"])) throw unprocessable(["Message can't be blank"]);
  if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") throw unprocessable([`Can not dismiss a ${review.state.toLowerCase()} pull request review`]);
  review.state = "DISMISSED";
  repo.touch(repo.pull(review.number));
  return ok(ctx.state.shapes.review(repo, review));
}

function comments(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const shown = repo.reviewCommentsOf(pr.number).filter((c) => visible(ctx, repo.reviews.get(c.reviewId)!));
  return paginate(ctx, shown, (c) => ctx.state.shapes.reviewComment(repo, c));
}

function reviewComments(ctx: RouteContext): SimResponse {
  const { repo, review } = reviewOf(ctx);
  return paginate(ctx, review.commentIds.map((id) => repo.reviewComments.get(id)!), (c) => ctx.state.shapes.reviewComment(repo, c));
}

export const reviewRoutes = [
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", list),
  route("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", create),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}", (ctx) => {
    const { repo, review } = reviewOf(ctx);
    return ok(ctx.state.shapes.review(repo, review));
  }),
  route("PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals", dismiss),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments", reviewComments),
  route("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", comments),
];
