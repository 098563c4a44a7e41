/**
 * Issue comments on pull requests (list, create, get, edit) and their reactions. A comment
 * written with an installation token is the App's bot's, with performed_via_github_app.
 * Bodies over 65,536 characters are refused: 422, "Body is too long".
 */
import { notFound, ok, paginate, validationFailed, type HttpError, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import type { IssueComment, Reaction } from "../types.js";
import { bodyOf, pullOf, repoOf, str, writerOf } from "./common.js";

export const BODY_LIMIT = 65_536;
const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

export function bodyTooLong(resource: string): HttpError {
  return validationFailed([{ resource, code: "custom", field: "body", message: `Body is too long (maximum is ${BODY_LIMIT} characters)` }]);
}

function checkedBody(ctx: RouteContext): string {
  const text = str(bodyOf(ctx)["body"]);
  if (text === undefined || text === "") throw validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
  if (text.length > BODY_LIMIT) throw bodyTooLong("IssueComment");
  return text;
}

function list(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  return paginate(ctx, repo.commentsOn(pr.number), (c) => ctx.state.shapes.comment(repo, c));
}

function create(ctx: RouteContext): SimResponse {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const { account, app } = writerOf(ctx);
  const body = checkedBody(ctx);
  const now = ctx.state.clock.iso();
  const comment: IssueComment = { id: ctx.state.id(), issueNumber: pr.number, body, user: account, app, createdAt: now, updatedAt: now };
  repo.issueComments.set(comment.id, comment);
  repo.touch(pr);
  return { status: 201, json: ctx.state.shapes.comment(repo, comment), headers: { location: ctx.state.apiUrl(`/repos/${repo.fullName}/issues/comments/${comment.id}`) } };
}

function commentOf(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const comment = repo.issueComments.get(Number(ctx.params["comment_id"]));
  if (!comment) throw notFound();
  return { repo, comment };
}

function update(ctx: RouteContext): SimResponse {
  const { repo, comment } = commentOf(ctx);
  writerOf(ctx);
  comment.body = checkedBody(ctx);
  comment.updatedAt = ctx.state.clock.iso();
  return ok(ctx.state.shapes.comment(repo, comment));
}

function react(ctx: RouteContext): SimResponse {
  const { repo, comment } = commentOf(ctx);
  const { account } = writerOf(ctx);
  const content = str(bodyOf(ctx)["content"]);
  if (!content || !REACTIONS.includes(content)) throw validationFailed([{ resource: "Reaction", code: "invalid", field: "content" }]);
  const existing = repo.reactions.find((r) => r.commentId === comment.id && r.content === content && r.user.id === account.id);
  if (existing) return ok(ctx.state.shapes.reaction(existing), 200);
  const reaction: Reaction = { id: ctx.state.id(), commentId: comment.id, content, user: account, createdAt: ctx.state.clock.iso() };
  repo.reactions.push(reaction);
  return ok(ctx.state.shapes.reaction(reaction), 201);
}

function reactions(ctx: RouteContext): SimResponse {
  const { repo, comment } = commentOf(ctx);
  const content = ctx.query.get("content");
  const shown = repo.reactions.filter((r) => r.commentId === comment.id && (!content || r.content === content));
  return paginate(ctx, shown, (r) => ctx.state.shapes.reaction(r));
}

export const issueRoutes = [
  route("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", list),
  route("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", create),
  route("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", (ctx) => {
    const { repo, comment } = commentOf(ctx);
    return ok(ctx.state.shapes.comment(repo, comment));
  }),
  route("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", update),
  route("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", react),
  route("GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", reactions),
];
