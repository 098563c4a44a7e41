/** The App's own endpoints (JWT): installation tokens, the App, its installations. */
import { isoSeconds } from "../clock.js";
import { HttpError, notFound, ok } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import type { Installation } from "../types.js";

const PERMISSIONS = { checks: "write", contents: "read", metadata: "read", pull_requests: "write", issues: "write", members: "read" };

function appOf(ctx: RouteContext) {
  if (ctx.identity.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
  return ctx.identity.app;
}

function installationJson(ctx: RouteContext, inst: Installation) {
  const app = appOf(ctx);
  return {
    id: inst.id,
    account: { login: inst.account.login, id: inst.account.id, type: inst.account.type },
    repository_selection: "selected",
    access_tokens_url: ctx.state.apiUrl(`/app/installations/${inst.id}/access_tokens`),
    app_id: app.id,
    app_slug: app.slug,
    target_id: inst.account.id,
    target_type: inst.account.type,
    permissions: PERMISSIONS,
    events: ["check_run", "issue_comment", "merge_group", "pull_request", "pull_request_review", "push"],
  };
}

export const appRoutes = [
  route("POST /app/installations/{installation_id}/access_tokens", (ctx) => {
    const app = appOf(ctx);
    const inst = ctx.state.installations.get(Number(ctx.params["installation_id"]));
    if (!inst) throw notFound();
    const { token, expiresAt } = ctx.state.tokens.mint({ kind: "installation", installationId: inst.id, app, actor: ctx.state.botOf(app) }, "ghs", 3600);
    return ok({ token, expires_at: isoSeconds(expiresAt), permissions: PERMISSIONS, repository_selection: "selected" }, 201);
  }),
  route("GET /app", (ctx) => {
    const app = appOf(ctx);
    return ok({ id: app.id, slug: app.slug, name: app.name, owner: null, permissions: PERMISSIONS });
  }),
  route("GET /app/installations/{installation_id}", (ctx) => {
    const inst = ctx.state.installations.get(Number(ctx.params["installation_id"]));
    if (!inst) throw notFound();
    return ok(installationJson(ctx, inst));
  }),
  route("GET /repos/{owner}/{repo}/installation", (ctx) => {
    appOf(ctx);
    const repo = ctx.state.findRepo(ctx.params["owner"]!, ctx.params["repo"]!);
    const inst = repo && ctx.state.installations.get(repo.installationId);
    if (!inst) throw notFound();
    return ok(installationJson(ctx, inst));
  }),
];
