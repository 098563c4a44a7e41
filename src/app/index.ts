/**
 * The GitHub App: Probot event handlers that hand pull requests, merge-queue entries,
 * reviews, commands and re-run requests to the review job, and pushes to the default
 * branch to the health check. `probot run` loads the default export; tests load
 * `createApp({ appId, stateKey })`.
 */
import { randomBytes } from "node:crypto";
import type { ApplicationFunction, Context, Probot } from "probot";
import { ResponseCache, useConditionalRequests } from "../github/conditional-requests.js";
import type { Octokit } from "../github/octokit.js";
import { CONFIG_FILE } from "../github/repo-config.js";
import { isBot, type Person } from "../github/champions.js";
import { HELP, parseCommand } from "./commands.js";
import { MemoryCoordinator, type Coordinator } from "./coordinator.js";
import { ParsedModels } from "./model-cache.js";
import { RedisCoordinator } from "./redis-coordinator.js";
import { reviewHealth } from "./health-job.js";
import { commentMemoKey, failCheck, reviewCommitRange, reviewPullRequest, type JobContext, type JobOutcome, type PullRequestTarget } from "./review-job.js";

export interface AppOptions {
  appId: number;
  /** Signs the state the App keeps in its comment; keep it secret and stable across restarts. */
  stateKey: string;
  coordinator?: Coordinator;
  /** Today's date for review ages; tests fix it. */
  today?: () => string;
  now?: () => Date;
  /** GET answers kept for conditional requests; one per App process unless given. */
  responses?: ResponseCache;
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
  const responses = options.responses ?? new ResponseCache();
  const models = new ParsedModels();
  const conditional = new WeakSet<object>();
  /** The event's Octokit, with its GETs made conditional (once per event). */
  const octokitOf = (context: Context): Octokit => {
    const octokit = context.octokit as unknown as Octokit;
    if (!conditional.has(octokit)) {
      conditional.add(octokit);
      const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
      useConditionalRequests(octokit, responses, `installation:${installation ?? "none"}`);
    }
    return octokit;
  };
  return (app: Probot) => {
    const jobContext = (context: Context): JobContext => ({
      octokit: octokitOf(context),
      models,
      log: context.log,
      appId: options.appId,
      deliveryId: context.id,
      coordinator,
      stateKey: options.stateKey,
      readMergedConfig: () => context.config(CONFIG_FILE),
      ...(options.today && { today: options.today }),
      ...(options.now && { now: options.now }),
    });

    app.on([...PULL_REQUEST_EVENTS], async (context: PullRequestContext) => {
      if (!usable(context, "pull_request")) return;
      const { payload } = context;
      // An edit matters only when it moves the pull request to another base branch.
      if (payload.action === "edited" && !("changes" in payload && payload.changes && "base" in payload.changes && payload.changes.base)) return;
      if (payload.pull_request.state !== "open") return;
      await reviewPullRequest(jobContext(context), targetOf(context.repo(), payload.pull_request));
    });

    // A review can approve (or withdraw approval of) a model change: recompute for the current head.
    app.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"], async (context) => {
      if (!usable(context, "pull_request")) return;
      const { owner, repo } = context.repo();
      const octokit = octokitOf(context);
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: context.payload.pull_request.number });
      if (data.state !== "open") return;
      await reviewPullRequest(jobContext(context), targetOf({ owner, repo }, data));
    });

    app.on("check_run.rerequested", async (context) => {
      if (!usable(context, "check_run")) return;
      const run = context.payload.check_run;
      if (run.app?.id !== options.appId) return;
      const { owner, repo } = context.repo();
      const octokit = octokitOf(context);
      try {
        const pr = await pullRequestForCommit(octokit, owner, repo, run.head_sha, listedFor(run, context.payload.repository.default_branch));
        if (pr) {
          await reviewPullRequest(jobContext(context), { ...pr, rerun: true });
          return;
        }
        // No open pull request has this head (a merge-queue commit, or a closed one): review it against its first parent.
        const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: run.head_sha });
        const parent = commit.parents[0]?.sha;
        if (parent) await reviewCommitRange(jobContext(context), { owner, repo, headSha: run.head_sha, baseSha: parent }, { rerun: true });
      } catch (error) {
        // Finding what to re-run failed before any check run started: say so on a new one.
        await failCheck(jobContext(context), { owner, repo, headSha: run.head_sha }, run.name, error);
      }
    });

    // The check run's Acknowledge button: only a champion's click changes anything.
    app.on("check_run.requested_action", async (context) => {
      if (!usable(context, "check_run", "sender")) return;
      const run = context.payload.check_run;
      if (run.app?.id !== options.appId || context.payload.requested_action?.identifier !== "ack") return;
      const { owner, repo } = context.repo();
      const sender = personOf(context.payload.sender);
      const pr = await pullRequestForCommit(octokitOf(context), owner, repo, run.head_sha, listedFor(run, context.payload.repository.default_branch));
      if (!pr || pr.checkOnly) {
        context.log.info({ delivery: context.id, sender: sender.login }, "acknowledge clicked on a check that is not the pull request's current head; ignored");
        return;
      }
      const outcome = await reviewPullRequest(jobContext(context), pr, { kind: "ack", by: sender, reason: "Acknowledged with the check run's button", via: "check" });
      if (outcome.ack && outcome.ack !== "recorded") {
        context.log.info({ delivery: context.id, sender: sender.login, outcome: outcome.ack }, "acknowledgement refused");
      }
    });

    app.on("merge_group.checks_requested", async (context) => {
      if (!usable(context, "merge_group")) return;
      const group = context.payload.merge_group;
      await reviewCommitRange(jobContext(context), { ...context.repo(), headSha: group.head_sha, baseSha: group.base_sha });
    });

    app.on("issue_comment.created", async (context) => {
      if (!usable(context, "issue", "comment", "sender")) return;
      const { payload } = context;
      // Bots never command the App: not other bots, and never its own comments.
      if (context.isBot || isBot(personOf(payload.sender))) return;
      if (!payload.issue.pull_request) return;
      const command = parseCommand(payload.comment.body ?? "");
      if (!command) return;
      const { owner, repo } = context.repo();
      const octokit = octokitOf(context);
      const react = (content: "+1" | "eyes") =>
        octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: payload.comment.id, content }).catch((e: unknown) => {
          context.log.warn({ err: e, delivery: context.id }, "reaction not added");
        });
      const reply = (body: string) => octokit.rest.issues.createComment({ owner, repo, issue_number: payload.issue.number, body });
      const sender = personOf(payload.sender);

      if (command.kind === "help" || command.kind === "unknown" || command.kind === "ack-without-reason") {
        await react("eyes");
        const lead = command.kind === "unknown" ? `\`/threat-model ${command.word.replace(/[^\w-]/g, "")}\` is not a command I know.` : command.kind === "ack-without-reason" ? "An acknowledgement needs a reason: `/threat-model ack <why no model change is needed>`." : "";
        await reply(`${lead ? `${lead}\n\n` : ""}${HELP}`);
        return;
      }
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: payload.issue.number });
      if (data.state !== "open") return;
      const target = targetOf({ owner, repo }, data);
      const outcome: JobOutcome =
        command.kind === "ack"
          ? await reviewPullRequest(jobContext(context), target, { kind: "ack", by: sender, reason: command.reason, via: "comment" })
          : await reviewPullRequest(jobContext(context), target, { kind: command.kind });
      if (outcome.status === "failed") return;
      if (command.kind !== "ack" || outcome.ack === "recorded") {
        await react("+1");
        return;
      }
      await react("eyes");
      const champions = (outcome.champions ?? []).map((c) => `@${c.replace(/^@/, "")}`);
      const why =
        outcome.ack === "own-pull-request"
          ? "a champion cannot acknowledge findings on their own pull request: ask another champion"
          : outcome.ack === "nothing-open"
            ? "there is nothing open to acknowledge on the current head"
            : champions.length > 0
              ? `only the security champions listed in the default branch's threat model can acknowledge: ${champions.join(", ")}`
              : "only security champions can acknowledge, and the default branch's threat model lists none";
      await reply(`@${sender.login.replace(/[^\w-]/g, "")}, nothing was acknowledged: ${why}.`);
    });

    // Someone other than the App edited or deleted its summary comment: drop what the App
    // remembers of it, so the next event reads the comment from GitHub (and writes it again).
    app.on(["issue_comment.edited", "issue_comment.deleted"], async (context) => {
      if (!usable(context, "issue", "comment", "sender")) return;
      const { payload } = context;
      if (!payload.issue.pull_request) return;
      const comment = payload.comment as { performed_via_github_app?: { id?: number } | null; user?: { login?: string } | null };
      if (comment.performed_via_github_app?.id !== options.appId) return;
      if (payload.action === "edited" && payload.sender.login === comment.user?.login) return;
      await coordinator.forget(commentMemoKey({ ...context.repo(), number: payload.issue.number }));
      context.log.info({ delivery: context.id }, "the summary comment was changed by someone else; it will be read again");
    });

    app.on("push", async (context) => {
      if (!usable(context)) return;
      const { payload } = context;
      const defaultRef = `refs/heads/${payload.repository.default_branch}`;
      if (payload.ref !== defaultRef || payload.deleted || /^0+$/.test(payload.after)) return;
      await reviewHealth(jobContext(context), { ...context.repo(), sha: payload.after });
    });
  };
}

/**
 * A signed payload still may not have the shape its event promises (a truncated or hand-made
 * delivery): such a delivery is logged and ignored rather than failing inside a handler.
 */
function usable(context: Context, ...fields: string[]): boolean {
  const payload = context.payload as unknown as Record<string, unknown> | null;
  const ok = payload !== null && typeof payload === "object" && ["repository", ...fields].every((f) => {
    const v = payload[f];
    return v !== null && typeof v === "object";
  });
  if (!ok) context.log.warn({ delivery: context.id, event: context.name }, "a delivery without the fields its event needs was ignored");
  return ok;
}

function personOf(user: { login: string; type?: string } | null | undefined): Person {
  return { login: user?.login ?? "", type: user?.type };
}

interface PullRequestPayload {
  number: number;
  head: { sha: string };
  base: { sha: string; ref?: string; repo?: { default_branch?: string } | null };
  draft?: boolean;
  updated_at: string;
  changed_files?: number;
  comments?: number;
  user: { login: string; type?: string } | null;
}

function targetOf(repo: { owner: string; repo: string }, pr: PullRequestPayload): PullRequestTarget {
  return {
    ...repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    ...(typeof pr.base.ref === "string" && pr.base.ref !== "" && { baseRef: pr.base.ref }),
    ...(typeof pr.base.repo?.default_branch === "string" && { defaultBranch: pr.base.repo.default_branch }),
    draft: pr.draft === true,
    updatedAt: pr.updated_at,
    changedFiles: pr.changed_files ?? 0,
    author: personOf(pr.user),
    ...(typeof pr.comments === "number" && { comments: pr.comments }),
  };
}

/**
 * The pull requests a check run lists, the one it was written for first: a run named
 * "<name> (into <branch>)" belongs to the pull request into that branch; a plain name to one
 * into the default or a protected branch (listed before the others).
 */
function listedFor(run: { name: string; pull_requests: { number: number; base?: { ref?: string } }[] }, defaultBranch: string | undefined): number[] {
  const wanted = /\(into (.+)\)$/.exec(run.name)?.[1] ?? defaultBranch;
  const rank = (p: { base?: { ref?: string } }) => (p.base?.ref === wanted ? 0 : 1);
  return [...run.pull_requests].sort((a, b) => rank(a) - rank(b)).map((p) => p.number);
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

/**
 * The default export `probot run` loads. The App id comes from the environment Probot reads;
 * the state key from the webhook secret (required in production), so it survives restarts.
 */
const app: ApplicationFunction = (probot, options) => {
  const appId = Number(process.env["APP_ID"]);
  const secret = process.env["WEBHOOK_SECRET"];
  if (process.env["NODE_ENV"] === "production" && !secret) {
    throw new Error("WEBHOOK_SECRET is not set: refusing to start in production with Probot's development secret");
  }
  const stateKey = process.env["STATE_KEY"] ?? (secret ? `threat-model-review:${secret}` : randomBytes(32).toString("hex"));
  // Several replicas share locks and delivery records through Redis; one process keeps them in memory.
  const redisUrl = process.env["REDIS_URL"];
  const coordinator = redisUrl ? new RedisCoordinator(redisUrl) : new MemoryCoordinator();
  probot.log.info({ coordinator: redisUrl ? "redis" : "memory" }, "threat-model-review loaded");
  return createApp({ appId: Number.isFinite(appId) ? appId : 0, stateKey, coordinator })(probot, options);
};
export default app;
