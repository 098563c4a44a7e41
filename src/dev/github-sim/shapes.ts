/**
 * The JSON GitHub answers with, built from the simulator's records: the fields GitHub
 * sends (the ones anything here could read, and the common ones around them), with URLs
 * that point back at the simulator.
 */
import type { DiffFile } from "./git-store.js";
import type { SimRepo } from "./repo.js";
import type { SimState } from "./state.js";
import type { Account, AppIdentity, CheckRun, CommitRecord, IssueComment, PullRequestState, Reaction, Review, ReviewComment } from "./types.js";

type Json = Record<string, unknown>;

export class Shapes {
  constructor(private readonly state: SimState) {}

  user(a: Account): Json {
    return {
      login: a.login,
      id: a.id,
      node_id: nodeId("U", a.id),
      avatar_url: `${this.state.origin}/avatars/u/${a.id}`,
      gravatar_id: "",
      url: this.state.apiUrl(`/users/${a.login}`),
      html_url: this.state.htmlUrl(`/${a.login}`),
      type: a.type,
      site_admin: false,
    };
  }

  app(app: AppIdentity): Json {
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId("A", app.id),
      name: app.name,
      owner: null,
      description: "",
      external_url: this.state.origin,
      html_url: this.state.htmlUrl(`/apps/${app.slug}`),
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      permissions: { checks: "write", contents: "read", metadata: "read", pull_requests: "write", issues: "write", members: "read" },
      events: ["check_run", "issue_comment", "merge_group", "pull_request", "pull_request_review", "push"],
    };
  }

  repository(repo: SimRepo): Json {
    const api = (p = "") => this.state.apiUrl(`/repos/${repo.fullName}${p}`);
    return {
      id: repo.id,
      node_id: nodeId("R", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      private: false,
      owner: this.user(repo.owner),
      html_url: this.state.htmlUrl(`/${repo.fullName}`),
      description: null,
      fork: false,
      url: api(),
      pulls_url: api("/pulls{/number}"),
      contents_url: api("/contents/{+path}"),
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
      default_branch: repo.defaultBranch,
      visibility: "public",
      archived: false,
      disabled: false,
    };
  }

  /** A fork's repository, for the head of a pull request from a fork. */
  fork(repo: SimRepo, owner: Account): Json {
    return { ...this.repository(repo), id: repo.id + owner.id * 1_000_000, full_name: `${owner.login}/${repo.name}`, owner: this.user(owner), fork: true, html_url: this.state.htmlUrl(`/${owner.login}/${repo.name}`) };
  }

  /** A pull request; `full` adds what only GET /pulls/{n} and webhooks carry. */
  pull(repo: SimRepo, pr: PullRequestState, full: boolean): Json {
    const api = (p = "") => this.state.apiUrl(`/repos/${repo.fullName}${p}`);
    const html = this.state.htmlUrl(`/${repo.fullName}/pull/${pr.number}`);
    const headOwner = pr.head.fork ? this.state.account(pr.head.owner) : repo.owner;
    const simple: Json = {
      url: api(`/pulls/${pr.number}`),
      id: pr.id,
      node_id: nodeId("PR", pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: api(`/issues/${pr.number}`),
      commits_url: api(`/pulls/${pr.number}/commits`),
      review_comments_url: api(`/pulls/${pr.number}/comments`),
      comments_url: api(`/issues/${pr.number}/comments`),
      statuses_url: api(`/statuses/${pr.head.sha}`),
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      labels: [],
      milestone: null,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      merged_at: pr.mergedAt,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: pr.requestedReviewers.map((login) => this.user(this.state.account(login))),
      requested_teams: pr.requestedTeams.map((slug) => ({ name: slug, slug, id: 0, privacy: "closed" })),
      head: {
        label: `${headOwner.login}:${pr.head.ref}`,
        ref: pr.head.ref,
        sha: pr.head.sha,
        user: this.user(headOwner),
        repo: pr.head.fork ? this.fork(repo, headOwner) : this.repository(repo),
      },
      base: { label: `${repo.owner.login}:${pr.base.ref}`, ref: pr.base.ref, sha: pr.base.sha, user: this.user(repo.owner), repo: this.repository(repo) },
      author_association: pr.user.login.toLowerCase() === repo.owner.login.toLowerCase() ? "OWNER" : "CONTRIBUTOR",
      auto_merge: null,
      draft: pr.draft,
    };
    if (!full) return simple;
    return {
      ...simple,
      merged: pr.merged,
      mergeable: pr.state === "open" ? true : null,
      rebaseable: pr.state === "open" ? true : null,
      mergeable_state: pr.draft ? "draft" : "clean",
      merged_by: null,
      comments: repo.commentsOn(pr.number).length,
      review_comments: repo.reviewCommentsOf(pr.number).length,
      maintainer_can_modify: false,
      commits: pr.commits,
      additions: pr.additions,
      deletions: pr.deletions,
      changed_files: pr.changedFiles,
    };
  }

  /** A pull request as the issues API shows it. */
  issue(repo: SimRepo, pr: PullRequestState): Json {
    const html = this.state.htmlUrl(`/${repo.fullName}/pull/${pr.number}`);
    return {
      url: this.state.apiUrl(`/repos/${repo.fullName}/issues/${pr.number}`),
      id: pr.id + 1,
      node_id: nodeId("I", pr.id),
      number: pr.number,
      title: pr.title,
      user: this.user(pr.user),
      labels: [],
      state: pr.state,
      locked: false,
      comments: repo.commentsOn(pr.number).length,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      author_association: "CONTRIBUTOR",
      body: pr.body,
      draft: pr.draft,
      html_url: html,
      pull_request: { url: this.state.apiUrl(`/repos/${repo.fullName}/pulls/${pr.number}`), html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: pr.mergedAt },
    };
  }

  comment(repo: SimRepo, c: IssueComment): Json {
    const reactions = repo.reactions.filter((r) => r.commentId === c.id);
    const tally = (content: string) => reactions.filter((r) => r.content === content).length;
    return {
      url: this.state.apiUrl(`/repos/${repo.fullName}/issues/comments/${c.id}`),
      html_url: this.state.htmlUrl(`/${repo.fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`),
      issue_url: this.state.apiUrl(`/repos/${repo.fullName}/issues/${c.issueNumber}`),
      id: c.id,
      node_id: nodeId("IC", c.id),
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.app ? "NONE" : "CONTRIBUTOR",
      body: c.body,
      reactions: {
        url: this.state.apiUrl(`/repos/${repo.fullName}/issues/comments/${c.id}/reactions`),
        total_count: reactions.length,
        "+1": tally("+1"),
        "-1": tally("-1"),
        laugh: tally("laugh"),
        hooray: tally("hooray"),
        confused: tally("confused"),
        heart: tally("heart"),
        rocket: tally("rocket"),
        eyes: tally("eyes"),
      },
      performed_via_github_app: c.app ? this.app(c.app) : null,
    };
  }

  reaction(r: Reaction): Json {
    return { id: r.id, node_id: nodeId("RE", r.id), user: this.user(r.user), content: r.content, created_at: r.createdAt };
  }

  review(repo: SimRepo, r: Review): Json {
    return {
      id: r.id,
      node_id: nodeId("PRR", r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: this.state.htmlUrl(`/${repo.fullName}/pull/${r.number}#pullrequestreview-${r.id}`),
      pull_request_url: this.state.apiUrl(`/repos/${repo.fullName}/pulls/${r.number}`),
      author_association: r.app ? "NONE" : "CONTRIBUTOR",
      ...(r.submittedAt !== null && { submitted_at: r.submittedAt }),
      commit_id: r.commitId,
    };
  }

  /** Review comments carry no performed_via_github_app, as on GitHub. */
  reviewComment(repo: SimRepo, c: ReviewComment): Json {
    return {
      url: this.state.apiUrl(`/repos/${repo.fullName}/pulls/comments/${c.id}`),
      pull_request_review_id: c.reviewId,
      id: c.id,
      node_id: nodeId("PRRC", c.id),
      diff_hunk: c.diffHunk,
      path: c.path,
      position: c.position,
      original_position: c.position,
      commit_id: c.commitId,
      original_commit_id: c.commitId,
      user: this.user(c.user),
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      html_url: this.state.htmlUrl(`/${repo.fullName}/pull/${c.number}#discussion_r${c.id}`),
      pull_request_url: this.state.apiUrl(`/repos/${repo.fullName}/pulls/${c.number}`),
      author_association: c.user.type === "Bot" ? "NONE" : "CONTRIBUTOR",
      start_line: c.startLine,
      original_start_line: c.startLine,
      start_side: c.startSide,
      line: c.line,
      original_line: c.line,
      side: c.side,
      subject_type: "line",
    };
  }

  checkRun(repo: SimRepo, run: CheckRun): Json {
    const api = (p: string) => this.state.apiUrl(`/repos/${repo.fullName}${p}`);
    return {
      id: run.id,
      name: run.name,
      node_id: nodeId("CR", run.id),
      head_sha: run.headSha,
      external_id: run.externalId ?? "",
      url: api(`/check-runs/${run.id}`),
      html_url: this.state.htmlUrl(`/${repo.fullName}/runs/${run.id}`),
      details_url: run.detailsUrl ?? this.state.htmlUrl(`/${repo.fullName}/runs/${run.id}`),
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: api(`/check-runs/${run.id}/annotations`),
      },
      check_suite: { id: run.suiteId },
      app: run.app ? this.app(run.app) : null,
      pull_requests: repo.pullsWithHead(run.headSha).map((p) => ({
        url: api(`/pulls/${p.number}`),
        id: p.id,
        number: p.number,
        head: { ref: p.head.ref, sha: p.head.sha, repo: { id: repo.id, url: api(""), name: repo.name } },
        base: { ref: p.base.ref, sha: p.base.sha, repo: { id: repo.id, url: api(""), name: repo.name } },
      })),
    };
  }

  commit(repo: SimRepo, c: CommitRecord): Json {
    const api = (p: string) => this.state.apiUrl(`/repos/${repo.fullName}${p}`);
    return {
      sha: c.sha,
      node_id: nodeId("C", parseInt(c.sha.slice(0, 8), 16)),
      commit: {
        author: c.author,
        committer: c.committer,
        message: c.message,
        tree: { sha: c.tree, url: api(`/git/trees/${c.tree}`) },
        url: api(`/git/commits/${c.sha}`),
        comment_count: 0,
        verification: { verified: false, reason: "unsigned", signature: null, payload: null },
      },
      url: api(`/commits/${c.sha}`),
      html_url: this.state.htmlUrl(`/${repo.fullName}/commit/${c.sha}`),
      comments_url: api(`/commits/${c.sha}/comments`),
      author: null,
      committer: null,
      parents: c.parents.map((p) => ({ sha: p, url: api(`/commits/${p}`), html_url: this.state.htmlUrl(`/${repo.fullName}/commit/${p}`) })),
    };
  }

  /** The patch GitHub shows for a file: none for binary files and past the size limits. */
  shownPatch(f: DiffFile): string | undefined {
    const limits = this.state.patchLimits;
    if (f.patch === undefined || Buffer.byteLength(f.patch) > limits.maxBytes) return undefined;
    let lines = 1;
    for (let i = f.patch.indexOf("\n"); i >= 0 && lines <= limits.maxLines; i = f.patch.indexOf("\n", i + 1)) lines++;
    return lines <= limits.maxLines ? f.patch : undefined;
  }

  /** A changed file as the pull request files, compare and commit APIs list it. */
  file(repo: SimRepo, f: DiffFile, ref: string): Json {
    const patch = this.shownPatch(f);
    const encoded = f.filename.split("/").map(encodeURIComponent).join("/");
    return {
      sha: f.sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: this.state.htmlUrl(`/${repo.fullName}/blob/${ref}/${encoded}`),
      raw_url: this.state.htmlUrl(`/${repo.fullName}/raw/${ref}/${encoded}`),
      contents_url: this.state.apiUrl(`/repos/${repo.fullName}/contents/${encoded}?ref=${ref}`),
      ...(patch !== undefined && { patch }),
      ...(f.previousFilename !== undefined && { previous_filename: f.previousFilename }),
    };
  }
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}_${id}`).toString("base64url");
}
