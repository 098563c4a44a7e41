/** The repository itself and the rate limit (GET /rate_limit is free, as on GitHub). */
import { bucketKey } from "../auth.js";
import { ok } from "../respond.js";
import { route } from "../router.js";
import { repoOf } from "./common.js";

export const metaRoutes = [
  route("GET /repos/{owner}/{repo}", (ctx) => ok(ctx.state.shapes.repository(repoOf(ctx)))),
  route("GET /rate_limit", (ctx) => {
    const key = bucketKey(ctx.identity);
    const core = ctx.state.rateLimits.peek(key);
    return ok({ resources: { core }, rate: core });
  }),
];
