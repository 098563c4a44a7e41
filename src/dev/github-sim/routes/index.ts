/** Every route the simulator serves, most specific first. */
import type { Route } from "../router.js";
import { appRoutes } from "./apps.js";
import { checkRoutes } from "./checks.js";
import { contentRoutes } from "./contents.js";
import { gitRoutes } from "./git.js";
import { issueRoutes } from "./issues.js";
import { metaRoutes } from "./meta.js";
import { pullRoutes } from "./pulls.js";
import { reviewRoutes } from "./reviews.js";
import { teamRoutes } from "./teams.js";

export const ROUTES: readonly Route[] = [
  ...appRoutes,
  ...contentRoutes,
  // Before gitRoutes: /commits/{ref}/check-runs would otherwise read as a commit named ".../check-runs".
  ...checkRoutes,
  ...gitRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...issueRoutes,
  ...teamRoutes,
  ...metaRoutes,
];
