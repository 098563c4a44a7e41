/**
 * One simulated repository: its git objects (a real bare repository), its branches, and
 * the GitHub state around them (pull requests, comments, reviews, check runs, reactions).
 * Tests drive it with `commit`, `createBranch`, `openPullRequest`, `pushToPullRequest`...;
 * routes read and write the same records.
 */
import { EMPTY_SHA, type DiffFile, type GitStore } from "./git-store.js";
import { Queue } from "./limiter.js";
import type { SimState } from "./state.js";
import type {
  Account,
  BranchState,
  CheckRun,
  FileChange,
  IssueComment,
  MergeGroup,
  PullRequestState,
  Reaction,
  Review,
  ReviewComment,
  UserInput,
} from "./types.js";

export interface CommitOptions {
  /** The commit's date (author and committer); now by default. */
  date?: Date | string;
  author?: { name: string; email: string };
  /** Where a branch that does not exist yet starts: a branch or sha (the default branch by default). */
  from?: string;
}

export interface OpenPullRequest {
  number?: number;
  head: string;
  base: string;
  author: UserInput;
  draft?: boolean;
  /** The head branch belongs to the author's fork (it lives in this repository's git all the same). */
  fromFork?: boolean;
  title?: string;
  body?: string;
}

const DEFAULT_AUTHOR = { name: "Sim Developer", email: "developer@example.com" };

export class SimRepo {
  readonly id: number;
  readonly owner: Account;
  readonly name: string;
  readonly fullName: string;
  readonly installationId: number;
  defaultBranch: string;
  readonly createdAt: string;
  readonly branches = new Map<string, BranchState>();
  readonly pulls = new Map<number, PullRequestState>();
  readonly issueComments = new Map<number, IssueComment>();
  readonly reviews = new Map<number, Review>();
  readonly reviewComments = new Map<number, ReviewComment>();
  readonly checkRuns = new Map<number, CheckRun>();
  readonly reactions: Reaction[] = [];
  /** Check suite id per App and head sha. */
  private readonly suites = new Map<string, number>();
  private readonly writes = new Queue();
  private nextNumber = 1;

  constructor(
    private readonly state: SimState,
    readonly store: GitStore,
    init: { id: number; owner: Account; name: string; installationId: number; defaultBranch: string },
  ) {
    this.id = init.id;
    this.owner = init.owner;
    this.name = init.name;
    this.fullName = `${init.owner.login}/${init.name}`;
    this.installationId = init.installationId;
    this.defaultBranch = init.defaultBranch;
    this.createdAt = state.clock.iso();
  }

  /** The bare git repository on disk. */
  get dir(): string {
    return this.store.dir;
  }

  /**
   * Commit files to a branch (created from `options.from`, else the default branch, else
   * as a root commit). A null content deletes the file. Open pull requests whose head is
   * the branch follow it, as on GitHub. Returns the commit sha.
   */
  commit(branch: string, files: Record<string, FileChange>, message: string, options: CommitOptions = {}): Promise<string> {
    return this.writes.run(async () => {
      const current = this.branches.get(branch);
      let parent = current?.sha ?? null;
      if (!current) {
        const from = options.from ?? (this.branches.has(this.defaultBranch) ? this.defaultBranch : undefined);
        if (from !== undefined) {
          parent = await this.resolveRef(from);
          if (!parent) throw new Error(`cannot start ${branch} from ${from}: no such branch or commit`);
        }
      }
      const before = parent ? await this.store.listingAt(parent) : null;
      const changes = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
      for (const [path, content] of Object.entries(files)) {
        const existed = before?.byPath.get(path)?.type === "blob";
        if (content === null) {
          if (existed) changes.removed.push(path);
        } else (existed ? changes.modified : changes.added).push(path);
      }
      const date = options.date === undefined ? this.state.clock.iso() : new Date(options.date).toISOString().replace(/\.\d{3}Z$/, "Z");
      const author = options.author ?? DEFAULT_AUTHOR;
      const sha = await this.store.writeCommit({ ref: `refs/heads/${branch}`, parent, files, message, author: { ...author, date } });
      const state: BranchState = current ?? { sha, pushedTip: EMPTY_SHA, pending: [] };
      state.sha = sha;
      state.pending.push({ sha, message, date, author, ...changes });
      this.branches.set(branch, state);
      for (const pr of this.pulls.values()) {
        if (pr.state === "open" && pr.head.ref === branch) await this.synchronize(pr, sha);
      }
      return sha;
    });
  }

  /** A new branch at a branch's tip or a sha. */
  createBranch(name: string, from: string): Promise<string> {
    return this.writes.run(async () => {
      if (this.branches.has(name)) throw new Error(`branch ${name} already exists`);
      const sha = await this.resolveRef(from);
      if (!sha) throw new Error(`cannot create ${name} from ${from}: no such branch or commit`);
      await this.store.updateRef(`refs/heads/${name}`, sha);
      this.branches.set(name, { sha, pushedTip: EMPTY_SHA, pending: [] });
      return sha;
    });
  }

  /** A branch name (or refs/heads/...), a sha, a short sha or a tag, to a commit sha. */
  async resolveRef(ref: string): Promise<string | null> {
    const branch = this.branches.get(ref.replace(/^refs\/heads\//, ""));
    if (branch) return branch.sha;
    return this.store.resolve(ref);
  }

  async openPullRequest(input: OpenPullRequest): Promise<PullRequestState> {
    return this.writes.run(async () => {
      const head = this.branches.get(input.head);
      const base = this.branches.get(input.base);
      if (!head) throw new Error(`no branch ${input.head} for the pull request's head`);
      if (!base) throw new Error(`no branch ${input.base} for the pull request's base`);
      const number = input.number ?? this.nextNumber;
      if (this.pulls.has(number)) throw new Error(`pull request #${number} already exists`);
      this.nextNumber = Math.max(this.nextNumber, number + 1);
      const user = this.state.account(input.author);
      const now = this.state.clock.iso();
      const pr: PullRequestState = {
        number,
        id: this.state.id(),
        title: input.title ?? `Pull request ${number}`,
        body: input.body ?? "",
        state: "open",
        draft: input.draft ?? false,
        merged: false,
        user,
        head: { ref: input.head, sha: head.sha, owner: input.fromFork ? user.login : this.owner.login, fork: input.fromFork ?? false },
        previousHeadSha: null,
        base: { ref: input.base, sha: base.sha },
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
        previousBase: null,
        requestedReviewers: [],
        requestedTeams: [],
        changedFiles: 0,
        additions: 0,
        deletions: 0,
        commits: 0,
      };
      await this.refreshStats(pr);
      this.pulls.set(number, pr);
      return pr;
    });
  }

  /** Commit to the pull request's head branch: its head sha and updated_at move on. */
  async pushToPullRequest(number: number, files: Record<string, FileChange>, message: string, options: CommitOptions = {}): Promise<string> {
    const pr = this.pull(number);
    if (pr.state !== "open") throw new Error(`pull request #${number} is closed`);
    return this.commit(pr.head.ref, files, message, options);
  }

  closePullRequest(number: number, options: { merged?: boolean } = {}): PullRequestState {
    const pr = this.pull(number);
    pr.state = "closed";
    pr.closedAt = this.touch(pr);
    if (options.merged) {
      pr.merged = true;
      pr.mergedAt = pr.closedAt;
    }
    return pr;
  }

  reopenPullRequest(number: number): Promise<PullRequestState> {
    return this.writes.run(async () => {
      const pr = this.pull(number);
      if (pr.merged) throw new Error(`pull request #${number} was merged`);
      pr.state = "open";
      pr.closedAt = null;
      const tip = this.branches.get(pr.head.ref)?.sha;
      if (tip && tip !== pr.head.sha) await this.synchronize(pr, tip);
      else this.touch(pr);
      return pr;
    });
  }

  setDraft(number: number, draft: boolean): PullRequestState {
    const pr = this.pull(number);
    pr.draft = draft;
    this.touch(pr);
    return pr;
  }

  /** Move the pull request to another base branch (an `edited` event with `changes.base`). */
  changeBase(number: number, base: string): Promise<PullRequestState> {
    return this.writes.run(async () => {
      const pr = this.pull(number);
      const tip = this.branches.get(base);
      if (!tip) throw new Error(`no branch ${base}`);
      pr.previousBase = { ...pr.base };
      pr.base = { ref: base, sha: tip.sha };
      await this.refreshStats(pr);
      this.touch(pr);
      return pr;
    });
  }

  /**
   * Queue the pull request for merging: a merge commit of its head onto the base branch's
   * tip, on a gh-readonly-queue branch, as a merge queue makes. Throws on a conflict.
   */
  createMergeGroup(number: number): Promise<MergeGroup> {
    return this.writes.run(async () => {
      const pr = this.pull(number);
      const base = this.branches.get(pr.base.ref)!;
      const when = this.state.clock.iso();
      const sha = await this.store.mergeCommit(base.sha, pr.head.sha, `Merge pull request #${number} into ${pr.base.ref}`, { ...DEFAULT_AUTHOR, date: when });
      if (!sha) throw new Error(`pull request #${number} conflicts with ${pr.base.ref}`);
      const headRef = `refs/heads/gh-readonly-queue/${pr.base.ref}/pr-${number}-${pr.head.sha}`;
      await this.store.updateRef(headRef, sha);
      this.branches.set(headRef.slice("refs/heads/".length), { sha, pushedTip: EMPTY_SHA, pending: [] });
      const headCommit = (await this.store.commit(sha))!;
      return { headSha: sha, headRef, baseSha: base.sha, baseRef: `refs/heads/${pr.base.ref}`, headCommit };
    });
  }

  pull(number: number): PullRequestState {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number} in ${this.fullName}`);
    return pr;
  }

  /** The pull request's updated_at moves on, strictly later than before. */
  touch(pr: PullRequestState): string {
    pr.updatedAt = this.state.clock.after(pr.updatedAt);
    return pr.updatedAt;
  }

  /** The files a pull request shows: its base...head diff. */
  pullFiles(pr: PullRequestState): Promise<DiffFile[]> {
    return this.store.diff(pr.base.sha, pr.head.sha);
  }

  commentsOn(number: number): IssueComment[] {
    return [...this.issueComments.values()].filter((c) => c.issueNumber === number);
  }

  reviewsOf(number: number): Review[] {
    return [...this.reviews.values()].filter((r) => r.number === number);
  }

  reviewCommentsOf(number: number): ReviewComment[] {
    return [...this.reviewComments.values()].filter((c) => c.number === number);
  }

  /** Open pull requests of this repository (not forks) whose head is `sha`: a check run's pull_requests. */
  pullsWithHead(sha: string): PullRequestState[] {
    return [...this.pulls.values()].filter((p) => p.state === "open" && !p.head.fork && p.head.sha === sha);
  }

  suiteFor(appId: number, sha: string): number {
    const key = `${appId}:${sha}`;
    let id = this.suites.get(key);
    if (id === undefined) this.suites.set(key, (id = this.state.id()));
    return id;
  }

  private async synchronize(pr: PullRequestState, sha: string): Promise<void> {
    pr.previousHeadSha = pr.head.sha;
    pr.head.sha = sha;
    pr.base.sha = this.branches.get(pr.base.ref)?.sha ?? pr.base.sha;
    await this.refreshStats(pr);
    this.touch(pr);
  }

  private async refreshStats(pr: PullRequestState): Promise<void> {
    const [files, mergeBase] = await Promise.all([this.pullFiles(pr), this.store.mergeBase(pr.base.sha, pr.head.sha)]);
    pr.changedFiles = files.length;
    pr.additions = files.reduce((n, f) => n + f.additions, 0);
    pr.deletions = files.reduce((n, f) => n + f.deletions, 0);
    pr.commits = (await this.store.revList(mergeBase, pr.head.sha)).length;
  }
}
