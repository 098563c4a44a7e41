/**
 * `npm start`: Probot's `run` with this App, after the checks Probot does not do itself.
 * Probot reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST,
 * GHE_PROTOCOL, PORT, HOST, LOG_LEVEL, LOG_FORMAT and REDIS_URL from the environment.
 */
import { ProbotOctokit, run } from "probot";
import app from "./index.js";

/**
 * Two changes to Probot's client. Probot's own run() only logs a secondary rate limit; the
 * App waits the retry-after GitHub asks for and tries again, twice at most, so a burst does
 * not lose a review. And Probot's webhook clients share one throttle for every installation,
 * so writes for all of them queue one second apart; GitHub's limits are per installation,
 * and so is the App's throttle (shared across replicas through REDIS_URL).
 */
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options["throttle"] as object),
    ...(installationOf(options) !== undefined && { id: `installation-${installationOf(options)}` }),
    onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, octokit: { log: { warn: (m: string) => void } }, retryCount: number) => {
      octokit.log.warn(`Secondary rate limit on ${request.method} ${request.url}; retry ${retryCount + 1} in ${retryAfter} s`);
      return retryCount < 2;
    },
  },
}));

if (process.env["NODE_ENV"] === "production" && !process.env["WEBHOOK_SECRET"]) {
  process.stderr.write("threat-model-review: WEBHOOK_SECRET is not set; refusing to start in production (Probot would accept deliveries signed with \"development\").\n");
  process.exit(1);
}

function installationOf(options: Record<string, unknown>): number | undefined {
  const id = (options["auth"] as { installationId?: unknown } | undefined)?.installationId;
  return typeof id === "number" ? id : undefined;
}

run(app, { Octokit }).catch((e: unknown) => {
  process.stderr.write(`threat-model-review: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
