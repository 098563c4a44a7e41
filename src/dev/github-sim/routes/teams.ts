/** Team membership: active or pending, 404 for anyone else (child teams are not modelled). */
import { notFound, ok } from "../respond.js";
import { route } from "../router.js";

export const teamRoutes = [
  route("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", (ctx) => {
    const { org = "", team_slug: slug = "", username = "" } = ctx.params;
    const state = ctx.state.teams.get(`${org}/${slug}`.toLowerCase())?.get(username.toLowerCase());
    if (!state) throw notFound();
    return ok({ url: ctx.state.apiUrl(`/organizations/${org}/team/${slug}/memberships/${username}`), role: "member", state });
  }),
];
