/**
 * Webhook payloads built from the simulator's state, with the fields GitHub sends and
 * the App reads: every payload carries `installation: {id}`, `repository` (name,
 * full_name, owner.login, default_branch...) and `sender`.
 */
import { EMPTY_SHA } from "./git-store.js";
import type { SimRepo } from "./repo.js";
import type { SimState } from "./state.js";
import type { Account, IssueComment, MergeGroup, UserInput } from "./types.js";

export type Payload = Record<string, unknown> & { action?: string; installation: { id: number; node_id: string }; repository: Record<string, unknown>; sender: Record<string, unknown> };

export class Events {
  constructor(private readonly state: SimState) {}

  private common(repo: SimRepo, sender: Account): Pick<Payload, "installation" | "repository" | "sender"> & { organization?: unknown } {
    const shapes = this.state.shapes;
    return {
      repository: shapes.repository(repo),
      ...(repo.owner.type === "Organization" && { organization: { login: repo.owner.login, id: repo.owner.id, url: this.state.apiUrl(`/orgs/${repo.owner.login}`) } }),
      sender: shapes.user(sender),
      installation: { id: repo.installationId, node_id: Buffer.from(`I_${repo.installationId}`).toString("base64url") },
    };
  }

  pullRequest(repo: SimRepo, number: number, action: string, options: { sender?: UserInput; changes?: Record<string, unknown> } = {}): Payload {
    const pr = repo.pull(number);
    const sender = options.sender ? this.state.account(options.sender) : pr.user;
    const payload: Payload = { action, number, pull_request: this.state.shapes.pull(repo, pr, true), ...this.common(repo, sender) };
    if (action === "synchronize") Object.assign(payload, { before: pr.previousHeadSha ?? pr.head.sha, after: pr.head.sha });
    if (action === "edited") {
      const changes = options.changes ?? (pr.previousBase ? { base: { ref: { from: pr.previousBase.ref }, sha: { from: pr.previousBase.sha } } } : {});
      payload["changes"] = changes;
    }
    return payload;
  }

  review(repo: SimRepo, number: number, reviewId: number, action: string): Payload {
    const pr = repo.pull(number);
    const review = repo.reviews.get(reviewId);
    if (!review || review.number !== number) throw new Error(`no review ${reviewId} on #${number}`);
    return {
      action,
      review: { ...this.state.shapes.review(repo, review), _links: { html: { href: this.state.htmlUrl(`/${repo.fullName}/pull/${number}#pullrequestreview-${reviewId}`) }, pull_request: { href: this.state.apiUrl(`/repos/${repo.fullName}/pulls/${number}`) } } },
      pull_request: this.state.shapes.pull(repo, pr, false),
      ...this.common(repo, review.user),
    };
  }

  issueComment(repo: SimRepo, number: number, comment: IssueComment, action = "created"): Payload {
    const pr = repo.pull(number);
    return { action, issue: this.state.shapes.issue(repo, pr), comment: this.state.shapes.comment(repo, comment), ...this.common(repo, comment.user) };
  }

  checkRun(repo: SimRepo, checkRunId: number, action: string, sender: UserInput, identifier?: string): Payload {
    const run = repo.checkRuns.get(checkRunId);
    if (!run) throw new Error(`no check run ${checkRunId} in ${repo.fullName}`);
    const shaped = this.state.shapes.checkRun(repo, run);
    const branch = [...repo.branches.entries()].find(([, b]) => b.sha === run.headSha)?.[0] ?? null;
    const payload: Payload = {
      action,
      check_run: {
        ...shaped,
        check_suite: {
          id: run.suiteId,
          head_branch: branch,
          head_sha: run.headSha,
          status: run.status,
          conclusion: run.conclusion,
          app: shaped["app"],
          pull_requests: shaped["pull_requests"],
        },
      },
      ...this.common(repo, this.state.account(sender)),
    };
    if (action === "requested_action") payload["requested_action"] = { identifier: identifier ?? "" };
    return payload;
  }

  /** Everything committed to `branch` since the last push event for it, as one push. */
  push(repo: SimRepo, branch: string, options: { sender?: UserInput; forced?: boolean } = {}): Payload {
    const state = repo.branches.get(branch);
    if (!state) throw new Error(`no branch ${branch} in ${repo.fullName}`);
    const sender = this.state.account(options.sender ?? repo.owner.login);
    const commits = state.pending.map((c) => ({
      id: c.sha,
      tree_id: "",
      distinct: true,
      message: c.message,
      timestamp: c.date,
      url: this.state.htmlUrl(`/${repo.fullName}/commit/${c.sha}`),
      author: { name: c.author.name, email: c.author.email, username: null },
      committer: { name: c.author.name, email: c.author.email, username: null },
      added: c.added,
      removed: c.removed,
      modified: c.modified,
    }));
    const before = state.pushedTip;
    state.pushedTip = state.sha;
    state.pending = [];
    const repository = { ...this.state.shapes.repository(repo), master_branch: repo.defaultBranch };
    return {
      ref: `refs/heads/${branch}`,
      before,
      after: state.sha,
      created: before === EMPTY_SHA,
      deleted: false,
      forced: options.forced ?? false,
      base_ref: null,
      compare: this.state.htmlUrl(`/${repo.fullName}/compare/${before.slice(0, 12)}...${state.sha.slice(0, 12)}`),
      commits,
      head_commit: commits[commits.length - 1] ?? null,
      pusher: { name: sender.login, email: `${sender.login}@users.noreply.example.com` },
      ...this.common(repo, sender),
      repository,
    };
  }

  mergeGroup(repo: SimRepo, group: MergeGroup, action = "checks_requested", sender?: UserInput): Payload {
    const c = group.headCommit;
    return {
      action,
      merge_group: {
        head_sha: group.headSha,
        head_ref: group.headRef,
        base_sha: group.baseSha,
        base_ref: group.baseRef,
        head_commit: { id: c.sha, tree_id: c.tree, message: c.message, timestamp: c.committer.date, author: { name: c.author.name, email: c.author.email }, committer: { name: c.committer.name, email: c.committer.email } },
      },
      ...this.common(repo, this.state.account(sender ?? { login: "github-merge-queue[bot]", type: "Bot" })),
    };
  }
}
