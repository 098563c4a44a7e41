/**
 * GitHubSim: a stateful GitHub REST API on loopback for the App, its demo and its
 * reliability tests. Repositories are real git repositories in a temporary directory;
 * everything else (pull requests, check runs, comments, reviews, reactions, teams,
 * installations, tokens, rate limits, faults) lives in memory, per instance.
 *
 *   const sim = new GitHubSim();
 *   const { url } = await sim.start();        // GHE_HOST=127.0.0.1:PORT GHE_PROTOCOL=http
 *   const repo = await sim.createRepo({ owner: "acme", name: "shop", installationId: 42 });
 *   await repo.commit("main", { "README.md": "hi" }, "init");
 *   await repo.commit("feature", { "src/a.ts": "..." }, "work");
 *   await repo.openPullRequest({ head: "feature", base: "main", author: { login: "dev" } });
 *   await sim.deliver(appUrl, secret, "pull_request", sim.pullRequestEvent(repo, 1, "opened"));
 *   sim.checkRuns(repo); sim.comments(repo, 1); sim.count({ method: "POST" });
 *   await sim.stop();
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Events, type Payload } from "./events.js";
import type { Faults } from "./faults.js";
import { matches, perRoute, type RequestFilter } from "./observe.js";
import type { RateLimitState } from "./rate-limit.js";
import type { SimRepo } from "./repo.js";
import { SimServer } from "./server.js";
import { SimState, type PatchLimits, type RepoRef, type RequestRecord } from "./state.js";
import type { CheckRun, IssueComment, MergeGroup, PullRequestState, Reaction, Review, ReviewComment, ReviewState, UserInput } from "./types.js";
import { deliver, type DeliveryOptions, type DeliveryResult } from "./webhooks.js";

export interface GitHubSimOptions {
  /** Interface to listen on (127.0.0.1). */
  host?: string;
  /** Port (0: any free one). */
  port?: number;
  /** The App's slug: its bot writes as `${slug}[bot]` ("threat-model-review"). */
  appSlug?: string;
  appName?: string;
  /** Requests an hour per installation token (5,000). */
  rateLimit?: number;
  /** When a file's patch is left out of file lists (20,000 lines or 500 KiB). */
  patchLimits?: Partial<PatchLimits>;
  /** The clock (tests can fix it). */
  now?: () => Date;
  /** Where handler errors are reported (stderr). */
  log?: (message: string) => void;
}

export interface CreateRepo {
  owner: string;
  name: string;
  installationId: number;
  defaultBranch?: string;
  ownerType?: "Organization" | "User";
}

export class GitHubSim {
  private readonly root: string;
  private readonly state: SimState;
  private readonly events: Events;
  private readonly server: SimServer;
  private started: { port: number; url: string; apiUrl: string } | null = null;
  /** Every webhook this simulator delivered, in order. */
  readonly deliveries: DeliveryResult[] = [];

  constructor(private readonly options: GitHubSimOptions = {}) {
    this.root = mkdtempSync(join(tmpdir(), "github-sim-"));
    this.state = new SimState({
      root: this.root,
      ...(options.now && { now: options.now }),
      ...(options.appSlug && { appSlug: options.appSlug }),
      ...(options.appName && { appName: options.appName }),
      ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
      ...(options.patchLimits && { patchLimits: options.patchLimits }),
    });
    this.events = new Events(this.state);
    this.server = new SimServer(this.state, options.log ?? ((m) => process.stderr.write(`${m}\n`)));
  }

  /** Listen on loopback. `url` is the server's root; the API is under it and under `${url}/api/v3`. */
  async start(): Promise<{ port: number; url: string; apiUrl: string }> {
    if (this.started) return this.started;
    const host = this.options.host ?? "127.0.0.1";
    const port = await this.server.listen(host, this.options.port ?? 0);
    const url = `http://${host}:${port}`;
    this.state.origin = url;
    this.started = { port, url, apiUrl: `${url}/api/v3` };
    return this.started;
  }

  /** Stop listening, drop open connections and delete the temporary repositories. */
  async stop(): Promise<void> {
    await this.server.close();
    this.started = null;
    rmSync(this.root, { recursive: true, force: true });
  }

  /** GHE_HOST and GHE_PROTOCOL for the App's process. */
  env(): { GHE_HOST: string; GHE_PROTOCOL: string } {
    if (!this.started) throw new Error("start the simulator first");
    return { GHE_HOST: this.started.url.replace(/^http:\/\//, ""), GHE_PROTOCOL: "http" };
  }

  /** Where tests configure injected faults. */
  get faults(): Faults {
    return this.state.faults;
  }

  // ---- setup ----------------------------------------------------------------------------

  /** An empty repository (a real bare git repository), reachable by `installationId`'s tokens. */
  createRepo(input: CreateRepo): Promise<SimRepo> {
    return this.state.createRepo(input);
  }

  repo(ref: RepoRef): SimRepo {
    return this.state.repo(ref);
  }

  /** Team membership (null removes it); anyone else gets 404. */
  setTeamMember(org: string, slug: string, login: string, state: "active" | "pending" | null): void {
    this.state.setTeamMember(org, slug, login, state);
  }

  /** An installation token without the JWT round trip (for tests that call the API themselves). */
  installationToken(installationId: number, appId = 1): string {
    const inst = this.state.installations.get(installationId);
    if (!inst) throw new Error(`no installation ${installationId}`);
    const app = this.state.app(appId);
    return this.state.tokens.mint({ kind: "installation", installationId, app, actor: this.state.botOf(app) }, "ghs", 3600).token;
  }

  /** A personal token: what it writes is that user's. */
  userToken(user: UserInput | string): string {
    return this.state.tokens.mint({ kind: "user", actor: this.state.account(user) }, "ghp", 365 * 24 * 3600).token;
  }

  // ---- observation --------------------------------------------------------------------------

  /** Every API request received, in arrival order (control requests to /_sim are not). */
  get requests(): readonly RequestRecord[] {
    return this.state.requests;
  }

  /**
   * How many recorded requests match: by default every request that reached the simulator,
   * faulted and dropped ones included (what the App sent); `{ counted: true }` for those
   * charged against the rate limit (no 304s, no injected failures).
   */
  count(filter: RequestFilter = {}): number {
    return this.state.requests.filter((r) => matches(r, filter)).length;
  }

  /** Requests per route, e.g. { "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": 2 }. */
  countByRoute(filter: RequestFilter = {}): Record<string, number> {
    return perRoute(this.state.requests, filter);
  }

  clearRequests(): void {
    this.state.requests.length = 0;
  }

  /** The primary rate limit of an installation now. */
  rateLimit(installationId: number): RateLimitState {
    return this.state.rateLimits.peek(`installation:${installationId}`);
  }

  pullRequest(repo: RepoRef, number: number): PullRequestState {
    return this.repo(repo).pull(number);
  }

  /** Check runs, oldest first (optionally for one head sha or name). */
  checkRuns(repo: RepoRef, filter: { headSha?: string; name?: string } = {}): CheckRun[] {
    return [...this.repo(repo).checkRuns.values()].filter((r) => (!filter.headSha || r.headSha === filter.headSha) && (!filter.name || r.name === filter.name));
  }

  checkRun(repo: RepoRef, id: number): CheckRun | undefined {
    return this.repo(repo).checkRuns.get(id);
  }

  /** Issue comments on a pull request, oldest first. */
  comments(repo: RepoRef, number: number): IssueComment[] {
    return this.repo(repo).commentsOn(number);
  }

  /** Reviews on a pull request (people's and Apps', pending ones too), oldest first. */
  reviews(repo: RepoRef, number: number): Review[] {
    return this.repo(repo).reviewsOf(number);
  }

  reviewComments(repo: RepoRef, number: number): ReviewComment[] {
    return this.repo(repo).reviewCommentsOf(number);
  }

  /** Reactions on issue comments (of one comment when given). */
  reactions(repo: RepoRef, commentId?: number): Reaction[] {
    return this.repo(repo).reactions.filter((r) => commentId === undefined || r.commentId === commentId);
  }

  requestedReviewers(repo: RepoRef, number: number): { users: string[]; teams: string[] } {
    const pr = this.pullRequest(repo, number);
    return { users: [...pr.requestedReviewers], teams: [...pr.requestedTeams] };
  }

  // ---- what people do -------------------------------------------------------------------------

  /** A person's review, recorded as submitted now (on the head unless `commitId`). */
  submitReview(repo: RepoRef, number: number, input: { user: UserInput | string; state: Exclude<ReviewState, "DISMISSED" | "PENDING">; commitId?: string; body?: string }): Review {
    const r = this.repo(repo);
    const pr = r.pull(number);
    const review: Review = {
      id: this.state.id(),
      number,
      user: this.state.account(input.user),
      app: null,
      state: input.state,
      body: input.body ?? "",
      commitId: input.commitId ?? pr.head.sha,
      submittedAt: this.state.clock.iso(),
      commentIds: [],
    };
    r.reviews.set(review.id, review);
    r.touch(pr);
    return review;
  }

  dismissReview(repo: RepoRef, number: number, reviewId: number): Review {
    const r = this.repo(repo);
    const review = r.reviews.get(reviewId);
    if (!review || review.number !== number) throw new Error(`no review ${reviewId} on #${number}`);
    review.state = "DISMISSED";
    r.touch(r.pull(number));
    return review;
  }

  /** A person's comment on a pull request. */
  comment(repo: RepoRef, number: number, input: { user: UserInput | string; body: string }): IssueComment {
    const r = this.repo(repo);
    const pr = r.pull(number);
    const now = this.state.clock.iso();
    const comment: IssueComment = { id: this.state.id(), issueNumber: number, body: input.body, user: this.state.account(input.user), app: null, createdAt: now, updatedAt: now };
    r.issueComments.set(comment.id, comment);
    r.touch(pr);
    return comment;
  }

  // ---- webhook payloads -------------------------------------------------------------------------

  pullRequestEvent(repo: RepoRef, number: number, action: string, options: { sender?: UserInput; changes?: Record<string, unknown> } = {}): Payload {
    return this.events.pullRequest(this.repo(repo), number, action, options);
  }

  reviewEvent(repo: RepoRef, number: number, reviewId: number, action: "submitted" | "edited" | "dismissed"): Payload {
    return this.events.review(this.repo(repo), number, reviewId, action);
  }

  /** Records the comment (by a person), then builds its issue_comment.created payload. */
  issueCommentEvent(repo: RepoRef, number: number, input: { user: UserInput | string; body: string }): Payload {
    const comment = this.comment(repo, number, input);
    return this.events.issueComment(this.repo(repo), number, comment);
  }

  checkRunEvent(repo: RepoRef, checkRunId: number, action: "rerequested" | "requested_action" | "created" | "completed", sender: UserInput | string, identifier?: string): Payload {
    return this.events.checkRun(this.repo(repo), checkRunId, action, typeof sender === "string" ? { login: sender } : sender, identifier);
  }

  /** A push of everything committed to `branch` since its last push event. */
  pushEvent(repo: RepoRef, branch: string, options: { sender?: UserInput; forced?: boolean } = {}): Payload {
    return this.events.push(this.repo(repo), branch, options);
  }

  /** A merge_group payload for a group from `repo.createMergeGroup(number)`. */
  mergeGroupEvent(repo: RepoRef, group: MergeGroup, action = "checks_requested"): Payload {
    return this.events.mergeGroup(this.repo(repo), group, action);
  }

  /** POST a signed delivery to the App; resolves with its status and how long it took. */
  async deliver(url: string, secret: string, event: string, payload: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
    const result = await deliver(url, secret, event, payload, options);
    this.deliveries.push(result);
    return result;
  }
}
