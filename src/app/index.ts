/**
 * The GitHub App: Probot event handlers that hand pull requests, merge-queue entries and
 * re-run requests to the review job. `probot run ./dist/app/index.js` loads the default
 * export; tests load `createApp({ appId })`.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { MemoryCoordinator, type Coordinator } from "./coordinator.js";
import { CONFIG_FILE } from "../github/repo-config.js";
import type { Octokit } from "../github/octokit.js";
import { reviewCommitRange, reviewPullRequest, type JobContext, type PullRequestTarget } from "./review-job.js";

export interface AppOptions {
  appId: number;
  coordinator?: Coordinator;
  /** Today's date for review ages; tests fix it. */
  today?: () => string;
}

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

type PullRequestContext = Context<(typeof PULL_REQUEST_EVENTS)[number]>;

export function createApp(options: AppOptions): ApplicationFunction {
  const coordinator = options.coordinator ?? new MemoryCoordinator();
  return (app: Probot) => {
    const jobContext = (context: Context): JobContext => ({
      octokit: context.octokit as unknown as Octokit,
      log: context.log,
      appId: options.appId,
      deliveryId: context.id,
      coordinator,
      readMergedConfig: () => context.config(CONFIG_FILE),
      ...(options.today && { today: options.today }),
    });

    app.on([...PULL_REQUEST_EVENTS], async (context: PullRequestContext) => {
      const { payload } = context;
      // An edit matters only when it moves the pull request to another base branch.
      if (payload.action === "edited" && !("changes" in payload && payload.changes && "base" in payload.changes && payload.changes.base)) return;
      if (payload.pull_request.state !== "open") return;
      await reviewPullRequest(jobContext(context), targetOf(context.repo(), payload.pull_request));
    });

    app.on("check_run.rerequested", async (context) => {
      const run = context.payload.check_run;
      if (run.app?.id !== options.appId) return;
      const { owner, repo } = context.repo();
      const octokit = context.octokit as unknown as Octokit;
      const pr = await pullRequestForCommit(octokit, owner, repo, run.head_sha, run.pull_requests.map((p) => p.number));
      if (pr) {
        await reviewPullRequest(jobContext(context), pr);
        return;
      }
      // No open pull request has this head (a merge-queue commit, or a closed one): review it against its first parent.
      const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: run.head_sha });
      const parent = commit.parents[0]?.sha;
      if (parent) await reviewCommitRange(jobContext(context), { owner, repo, headSha: run.head_sha, baseSha: parent });
    });

    app.on("merge_group.checks_requested", async (context) => {
      const group = context.payload.merge_group;
      await reviewCommitRange(jobContext(context), { ...context.repo(), headSha: group.head_sha, baseSha: group.base_sha });
    });

    // Commands in comments come with champions; until then the App's own comments, and any
    // bot's, must never start work.
    app.on("issue_comment.created", async (context) => {
      if (context.isBot) return;
    });
  };
}

interface PullRequestPayload {
  number: number;
  head: { sha: string };
  base: { sha: string };
  draft?: boolean;
  updated_at: string;
  changed_files?: number;
}

function targetOf(repo: { owner: string; repo: string }, pr: PullRequestPayload): PullRequestTarget {
  return {
    ...repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    draft: pr.draft === true,
    updatedAt: pr.updated_at,
    changedFiles: pr.changed_files ?? 0,
  };
}

/**
 * The open pull request whose head is `sha`. A check run from a fork lists no pull
 * requests, so the open ones are searched by head sha.
 */
async function pullRequestForCommit(octokit: Octokit, owner: string, repo: string, sha: string, listed: number[]): Promise<PullRequestTarget | null> {
  for (const number of listed) {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    if (data.state !== "open") continue;
    const target = targetOf({ owner, repo }, data);
    // Re-running the check of an older push recomputes that push's check, and leaves the conversation alone.
    return data.head.sha === sha ? target : { ...target, headSha: sha, checkOnly: true };
  }
  const open = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: 100 });
  const match = open.find((p) => p.head.sha === sha);
  if (!match) return null;
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: match.number });
  return targetOf({ owner, repo }, data);
}

/** The default export `probot run` loads: the App id comes from the environment Probot reads. */
const app: ApplicationFunction = (probot, options) => {
  const appId = Number(process.env["APP_ID"]);
  if (process.env["NODE_ENV"] === "production" && !process.env["WEBHOOK_SECRET"]) {
    throw new Error("WEBHOOK_SECRET is not set: refusing to start in production with Probot's development secret");
  }
  return createApp({ appId: Number.isFinite(appId) ? appId : 0 })(probot, options);
};
export default app;
