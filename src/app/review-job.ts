/**
 * One review of a pull request head: gather the input from GitHub (trusted config and base
 * model, the head model as a proposal, the changed files, the champions' approvals and
 * acknowledgements), run the engine, and write the check run, the summary comment and the
 * inline prompts. Decisions live in the engine; this file only moves data in and out.
 */
import type { Logger } from "probot";
import {
  CATALOG,
  DEFAULT_CONFIG,
  acknowledgementFor,
  commentGuesses,
  diffModels,
  isOpen,
  md,
  parseModel,
  renderMarkdown,
  review,
  type ChangedFile,
  type ConfigParseResult,
  type Acknowledgement,
  type Report,
  type ReviewConfig,
  type ReviewInput,
  type SourceFile,
} from "../engine/index.js";
import { createHash } from "node:crypto";
import { minimatch } from "minimatch";
import { annotationsFor, checkVerdict, completeCheckRun, createCompletedCheckRun, startCheckRun, updateCheckSummary, type CheckResult } from "../github/check-run.js";
import { Champions, isBot, standingApprovals, type Person } from "../github/champions.js";
import { readFileAt, readFileOnBranch } from "../github/contents.js";
import { comparedFiles, pullRequestFiles } from "../github/files.js";
import { inlinePrompts, postInlineReview, postedPromptKeys, type InlinePrompt } from "../github/inline-review.js";
import { describeError, type Octokit, type Repo } from "../github/octokit.js";
import { readRepoConfig } from "../github/repo-config.js";
import {
  EXPLAIN_MARKER,
  commentBody,
  emptyState,
  findSummaryComment,
  readState,
  stateLine,
  stateScope,
  writeSummaryComment,
  type CommentState,
  type SummaryComment,
} from "../github/summary-comment.js";
import type { Coordinator } from "./coordinator.js";
import type { ParsedModels } from "./model-cache.js";

export interface JobContext {
  octokit: Octokit;
  log: Logger;
  appId: number;
  deliveryId: string;
  coordinator: Coordinator;
  /** Probot's config loader (default branch, `_extends`, the owner's `.github` repository). */
  readMergedConfig: () => Promise<unknown>;
  /** Signs the comment's hidden state; only the App knows it. */
  stateKey: string;
  /** Parsed models by blob, shared by the App's events. */
  models?: ParsedModels;
  today?: () => string;
  now?: () => Date;
}

export interface PullRequestTarget extends Repo {
  number: number;
  headSha: string;
  baseSha: string;
  /** The base branch: the base model is read at its tip, so an unchanged model revalidates for free. */
  baseRef?: string;
  draft: boolean;
  /** The pull request's updated_at in the event: orders deliveries for the same pull request. */
  updatedAt: string;
  /** GitHub's count of changed files (the file list API stops at 3,000). */
  changedFiles: number;
  author: Person;
  /** Issue comments on the pull request when the event was sent: with none, there is no summary comment to look for. */
  comments?: number;
  /** Only the check run: the head is not the pull request's current one (a re-run of an older check). */
  checkOnly?: boolean;
  /** Someone asked for the check to run again: a new check run even when the result is the same. */
  rerun?: boolean;
  /** The repository's default branch (pull requests into it get the configured check name). */
  defaultBranch?: string;
}

export interface CommitRangeTarget extends Repo {
  headSha: string;
  baseSha: string;
}

/** What a person asked for, in a comment or with the check run's button. */
export type Command =
  | { kind: "ack"; by: Person; reason: string; via: "comment" | "check" }
  | { kind: "explain" }
  | { kind: "recheck" };

export type AckOutcome = "recorded" | "not-a-champion" | "own-pull-request" | "nothing-open";

export interface JobOutcome {
  status: "done" | "partial" | "failed" | "skipped";
  ack?: AckOutcome;
  /** The champions named in the base model, for replies. */
  champions?: readonly string[];
}

const COMMENT_HEADING = "### Threat model review";
const COMMENT_LIMIT = 65_536;

export async function reviewPullRequest(ctx: JobContext, pr: PullRequestTarget, command?: Command): Promise<JobOutcome> {
  const key = `${pr.owner}/${pr.repo}#${pr.number}`;
  return ctx.coordinator.withLock(key, async () => {
    if (await ctx.coordinator.isDone(ctx.deliveryId)) {
      ctx.log.info({ delivery: ctx.deliveryId }, "delivery already handled; nothing to do");
      return { status: "skipped" };
    }
    const stale = await ctx.coordinator.olderThanSeen(key, pr.updatedAt, pr.headSha);
    if (stale && !command && !pr.checkOnly) return { status: await supersededCheck(ctx, pr) };
    const outcome: JobOutcome = { status: "failed" };
    const parse = parserOf(ctx);
    const fresh = pr.rerun === true || command?.kind === "recheck";
    outcome.status = await withCheckRun(ctx, pr, { fresh, nameOf: (app) => checkNameFor(app, pr) }, async (config) => {
      const { files, notices } = pr.checkOnly
        ? await comparedFiles(ctx.octokit, pr)
        : await pullRequestFiles(ctx.octokit, pr);
      await settleCommentGuesses(ctx, pr, files);
      const models = await readModels(ctx, pr, config, files);
      // An event that counts no comments spares the search, unless this App commented since the event was made.
      const noComments = pr.comments === 0 && !(await ctx.coordinator.hasCommented(key));
      const existing = noComments ? null : await summaryComment(ctx, pr, fresh);
      const newer = existing?.state && existing.state.updatedAt > pr.updatedAt;
      const state: CommentState = existing?.state ? structuredClone(existing.state) : emptyState(pr.headSha, pr.updatedAt);
      const champions = new Champions(ctx.octokit, championsOf(models.base, parse));
      outcome.champions = [...champions.listed].sort();
      // An acknowledgement stands only while its giver is a champion of the base model read now:
      // the pull request may have been moved to another base, or the champion removed since.
      const standing = await standingAcks(state.acks, champions, pr.author);
      const base = { ...engineInput(ctx, config, models, files, notices, { ...state, acks: standing }), parse };

      const approvedBy = await approvals(ctx, pr, champions, models, parse, config);
      let report = review({ ...base, approvedBy });
      if (command?.kind === "ack") {
        outcome.ack = await acknowledge(ctx, pr, champions, report, state, command);
        if (outcome.ack === "recorded") report = review({ ...base, acknowledgements: [...standing, state.acks.at(-1)!], approvedBy });
      }

      const app = config.ok ? config.config.app : DEFAULT_CONFIG.app;
      const publish = !stale && !newer && !pr.checkOnly;
      const early: string[] = [];
      if (!publish && outcome.ack === "recorded") {
        early.push("The acknowledgement was given on an older push than the one the summary comment describes; acknowledge the newest push instead.");
      }
      return {
        result: checkResult(report, app.mode, champions.listed, early),
        complete: early.length === 0 || command?.kind === "explain",
        // The conversation follows the check run, which is what a merge waits for.
        followUp: async () => {
          const notes = publish ? await publishConversation(ctx, pr, report, files, app, champions, existing, state, outcome.ack === "recorded") : [];
          if (command?.kind === "explain") notes.push(...(await explain(ctx, pr, report)));
          // A delivery whose comment or prompts could not be posted is not done: a redelivery retries it.
          return { notes, complete: notes.length === 0 || command?.kind === "explain" };
        },
      };
    });
    return outcome;
  });
}

/**
 * The check's name for a pull request: the configured name into the default branch or a
 * protected one, else "<name> (into <base>)". A check run belongs to a commit: without this, a
 * second pull request with the same head, into a branch whose model its author controls,
 * would write the result the protected branch's required check reads.
 */
export function checkNameFor(app: ReviewConfig["app"], pr: { baseRef?: string; defaultBranch?: string }): string {
  const base = pr.baseRef;
  if (base === undefined || pr.defaultBranch === undefined || base === pr.defaultBranch) return app.checkName;
  if (app.protectedBranches.some((glob) => minimatch(base, glob, { dot: true, nobrace: false }))) return app.checkName;
  return `${app.checkName} (into ${base})`.slice(0, 200);
}

/** A merge queue entry: the same review over the commit range, reported as a check run only. */
export async function reviewCommitRange(ctx: JobContext, range: CommitRangeTarget, options: { rerun?: boolean } = {}): Promise<JobOutcome> {
  if (await ctx.coordinator.isDone(ctx.deliveryId)) return { status: "skipped" };
  const status = await withCheckRun(ctx, range, { fresh: options.rerun === true }, async (config) => {
    const { files, notices } = await comparedFiles(ctx.octokit, range);
    await settleCommentGuesses(ctx, range, files);
    const models = await readModels(ctx, range, config, files);
    const report = review({ ...engineInput(ctx, config, models, files, notices, null), parse: parserOf(ctx) });
    // GitHub queues only pull requests whose required checks passed: each was gated on its own,
    // with its champions' approvals and acknowledgements, which live on the pull request. Here
    // findings inform and do not block (an invalid model still fails), so an acknowledged pull
    // request is not stopped again in the queue.
    return { result: checkResult(report, "advisory", [], [COMMIT_RANGE_NOTE]), complete: true };
  });
  return { status };
}

const COMMIT_RANGE_NOTE =
  "This commit is not a pull request's head (a merge-queue entry, or a re-run on a commit with no open pull request). Each pull request in it was checked on its own, with its champions' approvals and acknowledgements; here the findings inform and do not block. An invalid model still fails.";

/** A review that takes longer than this shows an in_progress check run until it is done. */
const PROGRESS_AFTER_MS = 4_000;

/**
 * Read the config, do the work, and publish the check run. A review that finishes quickly
 * writes its run once, already completed; a slow one shows an in_progress run first. When
 * the head already has a run from this App with the same result, nothing is written (unless
 * someone asked for a re-run). When the work fails, the run is completed as a failure with
 * the reason (when GitHub still lets us write), so a required check never waits forever.
 */
async function withCheckRun(
  ctx: JobContext,
  at: Repo & { headSha: string },
  options: { fresh: boolean; nameOf?: (app: ReviewConfig["app"]) => string },
  work: (config: ConfigParseResult) => Promise<Work>,
): Promise<"done" | "partial" | "failed"> {
  let name = DEFAULT_CONFIG.app.checkName;
  let progress: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let memoKey: string | undefined;
  try {
    const config = await readRepoConfig(ctx.octokit, at, ctx.readMergedConfig);
    const app = config.ok ? config.config.app : DEFAULT_CONFIG.app;
    name = options.nameOf ? options.nameOf(app) : app.checkName;
    memoKey = checkMemoKey(at, name);
    const prior = options.fresh ? null : checkMemo(await ctx.coordinator.recall(memoKey));
    const runName = name;
    timer = setTimeout(() => {
      progress = startCheckRun(ctx.octokit, { ...at, name: runName });
      progress.catch(() => undefined);
    }, PROGRESS_AFTER_MS);
    const { result, complete, followUp } = await work(config);
    clearTimeout(timer);
    const digest = digestOf(result);
    let id: number;
    if (!progress && prior?.digest === digest) {
      id = prior.id;
      ctx.log.info({ delivery: ctx.deliveryId, head: at.headSha }, "check run already says this; nothing written");
    } else {
      // Whatever the run said before is about to change: a memo that outlived a failed write
      // would make a later event skip writing what the run must say. (A fresh run did not
      // read the memo; otherwise there is one to drop only when it was recalled.)
      if (prior || options.fresh) await ctx.coordinator.forget(memoKey);
      const started = progress ? await progress : undefined;
      if (started !== undefined) {
        await completeCheckRun(ctx.octokit, { ...at, checkRunId: started }, result);
        id = started;
      } else {
        id = await createCompletedCheckRun(ctx.octokit, { ...at, name }, result);
      }
      await rememberQuietly(ctx, memoKey, JSON.stringify({ id, digest }));
    }
    const after = followUp ? await followUp() : { notes: [], complete: true };
    if (after.notes.length > 0) {
      // What could not be posted is said on the run (its annotations stay as they are).
      const noted = { ...result, summary: withNotes(result.summary, after.notes) };
      await ctx.coordinator.forget(memoKey);
      await updateCheckSummary(ctx.octokit, { ...at, checkRunId: id }, noted);
      await rememberQuietly(ctx, memoKey, JSON.stringify({ id, digest: digestOf(noted) }));
    }
    ctx.log.info({ delivery: ctx.deliveryId, head: at.headSha, conclusion: result.conclusion }, "threat-model review done");
    const status = complete && after.complete ? "done" : "partial";
    if (status === "done") await ctx.coordinator.markDone(ctx.deliveryId);
    return status;
  } catch (error) {
    clearTimeout(timer);
    ctx.log.error({ err: error, delivery: ctx.deliveryId, head: at.headSha }, `threat-model review failed: ${describeError(error)}`);
    const started = progress ? await progress.catch(() => undefined) : undefined;
    await reportFailure(ctx, at, name, started, error);
    // The run no longer shows the last result: the next event writes it again.
    if (memoKey) await forgetQuietly(ctx, memoKey);
    return "failed";
  }
}

interface Work {
  result: CheckResult;
  complete: boolean;
  /** What follows the check run (the conversation); notes say what could not be posted. */
  followUp?: () => Promise<{ notes: string[]; complete: boolean }>;
}

/**
 * Memos only spare writes: failing to record one must not turn a write that landed into a
 * reported failure. The memo was dropped before the write, so the next event writes again.
 */
async function rememberQuietly(ctx: JobContext, key: string, value: string): Promise<void> {
  try {
    await ctx.coordinator.remember(key, value);
  } catch (e) {
    ctx.log.warn({ err: e, delivery: ctx.deliveryId, key }, `could not remember what was written: ${describeError(e)}`);
  }
}

async function forgetQuietly(ctx: JobContext, key: string): Promise<void> {
  try {
    await ctx.coordinator.forget(key);
  } catch (e) {
    ctx.log.warn({ err: e, delivery: ctx.deliveryId, key }, `could not forget a memo: ${describeError(e)}`);
  }
}

function checkMemoKey(at: Repo & { headSha: string }, name: string): string {
  return `check:${at.owner}/${at.repo}@${at.headSha}:${name}`;
}

function withNotes(summary: string, notes: readonly string[]): string {
  return notes.length > 0 ? `${summary}\n\n${notes.map((n) => `> ${n}`).join("\n")}` : summary;
}

function checkMemo(value: string | null): { id: number; digest: string } | null {
  if (!value) return null;
  try {
    const memo = JSON.parse(value) as { id?: unknown; digest?: unknown };
    return typeof memo.id === "number" && typeof memo.digest === "string" ? { id: memo.id, digest: memo.digest } : null;
  } catch {
    return null;
  }
}

function digestOf(result: CheckResult): string {
  return createHash("sha256").update(JSON.stringify(result)).digest("base64url");
}

function parserOf(ctx: JobContext): (file: SourceFile) => ReturnType<typeof parseModel> {
  return ctx.models?.parse ?? ((file: SourceFile) => parseModel(file));
}

/**
 * The App's summary comment: as the App last wrote it (remembered), or else found among the
 * pull request's comments. A remembered body is only used when its signed state verifies.
 */
async function summaryComment(ctx: JobContext, pr: PullRequestTarget, fresh: boolean): Promise<SummaryComment | null> {
  // A recheck or re-run reads the comment as it is on GitHub (someone may have edited or deleted it).
  const memo = fresh ? null : await ctx.coordinator.recall(commentMemoKey(pr)).catch(() => null);
  if (memo) {
    try {
      const { id, body } = JSON.parse(memo) as { id?: unknown; body?: unknown };
      if (typeof id === "number" && typeof body === "string") {
        const state = readState(body, ctx.stateKey, stateScope(pr));
        if (state) return { id, body, state };
      }
    } catch {
      // Not ours to trust: look it up.
    }
  }
  const found = await findSummaryComment(ctx.octokit, { ...pr, appId: ctx.appId, stateKey: ctx.stateKey });
  if (found) await rememberQuietly(ctx, commentMemoKey(pr), JSON.stringify({ id: found.id, body: found.body }));
  else await forgetQuietly(ctx, commentMemoKey(pr));
  return found;
}

export function commentMemoKey(pr: Repo & { number: number }): string {
  return `comment:${pr.owner}/${pr.repo}#${pr.number}`;
}

/**
 * A delivery for a head that a newer push already replaced (it arrived late, or waited
 * behind the newer one): its commit gets a completed check run that says so, without a
 * review; the newer head has the review. Re-running that check reviews the old commit.
 */
async function supersededCheck(ctx: JobContext, pr: PullRequestTarget): Promise<"done" | "failed"> {
  let name = DEFAULT_CONFIG.app.checkName;
  try {
    const config = await readRepoConfig(ctx.octokit, pr, ctx.readMergedConfig);
    name = checkNameFor(config.ok ? config.config.app : DEFAULT_CONFIG.app, pr);
    await ctx.octokit.rest.checks.create({
      owner: pr.owner,
      repo: pr.repo,
      name,
      head_sha: pr.headSha,
      status: "completed",
      conclusion: "neutral",
      completed_at: new Date().toISOString(),
      output: {
        title: "Superseded by a newer push",
        summary: "A newer push to this pull request was reviewed; this commit was not. Re-run this check to review it anyway.",
      },
    });
    await forgetQuietly(ctx, checkMemoKey(pr, name));
    await ctx.coordinator.markDone(ctx.deliveryId);
    ctx.log.info({ delivery: ctx.deliveryId, head: pr.headSha }, "superseded by a newer push; check completed without a review");
    return "done";
  } catch (error) {
    ctx.log.error({ err: error, delivery: ctx.deliveryId, head: pr.headSha }, `threat-model review failed: ${describeError(error)}`);
    await reportFailure(ctx, pr, name, undefined, error);
    return "failed";
  }
}

/** A failed check run for work that failed before its own run could start. */
export async function failCheck(ctx: JobContext, at: Repo & { headSha: string }, name: string, error: unknown): Promise<void> {
  ctx.log.error({ err: error, delivery: ctx.deliveryId, head: at.headSha }, `threat-model review failed: ${describeError(error)}`);
  await reportFailure(ctx, at, name, undefined, error);
  await forgetQuietly(ctx, checkMemoKey(at, name));
}

async function reportFailure(ctx: JobContext, at: Repo & { headSha: string }, name: string, checkRunId: number | undefined, error: unknown): Promise<void> {
  const result: CheckResult = {
    conclusion: "failure",
    title: "Threat model review could not finish",
    summary: [
      `The review stopped before it could finish: ${md(describeError(error))}.`,
      "",
      "Nothing was decided about this change. Push again or re-run this check; if it keeps failing, the App's logs hold the details under the same delivery id.",
      "",
      `Delivery: \`${ctx.deliveryId.replace(/[^\w-]/g, "")}\``,
    ].join("\n"),
  };
  try {
    const id = checkRunId ?? (await startCheckRun(ctx.octokit, { ...at, name }));
    await completeCheckRun(ctx.octokit, { ...at, checkRunId: id }, result);
  } catch (second) {
    ctx.log.error({ err: second, delivery: ctx.deliveryId }, `could not report the failure on the check run: ${describeError(second)}`);
  }
}

/** Whole files fetched per event when a hunk alone cannot tell a comment from code. */
const GUESS_FETCHES = 10;

/**
 * A hunk that starts inside what looks like a doc comment may be code after all: when
 * reading it as comment would hide a signal, fetch the file whole; past the cap, or when
 * the fetch fails, read such lines as code rather than let them hide.
 */
async function settleCommentGuesses(ctx: JobContext, at: Repo & { headSha: string }, files: ChangedFile[]): Promise<void> {
  const paths = commentGuesses(files, CATALOG);
  for (const [i, path] of paths.entries()) {
    const file = files.find((f) => f.path === path)!;
    if (i < GUESS_FETCHES) {
      try {
        const whole = await readFileAt(ctx.octokit, { ...at, path, ref: at.headSha });
        if (whole && whole.declaredSize === undefined) {
          file.content = Buffer.from(whole.content).toString("utf8");
          continue;
        }
      } catch (e) {
        ctx.log.warn({ err: e, delivery: ctx.deliveryId, path }, "could not fetch a file whole; reading its hunks as code");
      }
    }
    file.guessComments = false;
  }
}

interface Models {
  path: string;
  base: SourceFile | null;
  head: SourceFile | null;
}

async function readModels(ctx: JobContext, at: Repo & { headSha: string; baseSha: string; baseRef?: string }, config: ConfigParseResult, files: ChangedFile[]): Promise<Models> {
  const path = config.ok ? config.config.model : DEFAULT_CONFIG.model;
  const base = at.baseRef
    ? await readFileOnBranch(ctx.octokit, { ...at, path, branch: at.baseRef, fallbackSha: at.baseSha })
    : await readFileAt(ctx.octokit, { ...at, path, ref: at.baseSha });
  // The head model is fetched only when the change touches it; otherwise it is the base's.
  const touched = files.find((f) => f.path === path || f.previousPath === path);
  let head: SourceFile | null = base;
  if (touched) {
    head = touched.path === path && touched.status !== "removed" ? await readFileAt(ctx.octokit, { ...at, path, ref: at.headSha }) : null;
  }
  return { path, base, head };
}

function engineInput(
  ctx: JobContext,
  config: ConfigParseResult,
  models: Models,
  files: ChangedFile[],
  notices: string[],
  state: CommentState | null,
): ReviewInput {
  return {
    config,
    baseModel: models.base,
    headModel: models.head,
    changes: files,
    today: (ctx.today ?? (() => new Date().toISOString().slice(0, 10)))(),
    notices,
    acknowledgements: state?.acks ?? [],
  };
}

/**
 * Champions whose approval still holds: an APPROVED review (the latest decisive one of that
 * person, so a dismissal or a later change request withdraws it) from a listed champion who
 * is neither the author nor a bot, given on a commit whose model is the head's model, and
 * after which nothing was pushed that the base model would raise a finding for (a champion
 * approves the change as it stood, not code pushed after).
 */
async function approvals(
  ctx: JobContext,
  pr: PullRequestTarget,
  champions: Champions,
  models: Models,
  parse: (file: SourceFile) => ReturnType<typeof parseModel>,
  config: ConfigParseResult,
): Promise<string[]> {
  if (sameBytes(models.base, models.head)) return [];
  const standing = await standingApprovals(ctx.octokit, pr);
  const head = models.head ? parse(models.head) : null;
  const approved: string[] = [];
  const modelAt = new Map<string, Promise<boolean>>();
  const sameModelAt = (commit: string): Promise<boolean> => {
    let same = modelAt.get(commit);
    if (!same) {
      same = (async () => {
        if (commit === pr.headSha) return true;
        const file = await readFileAt(ctx.octokit, { ...pr, path: models.path, ref: commit });
        if (!file || !head) return file === null && head === null;
        const then = parse(file);
        return then.ok && head.ok && diffModels(then.model, head.model).length === 0;
      })();
      modelAt.set(commit, same);
    }
    return same;
  };
  const quiet = new Map<string, Promise<boolean>>();
  const nothingNewSince = (commit: string): Promise<boolean> => {
    let answer = quiet.get(commit);
    if (!answer) {
      answer = (async () => {
        if (commit === pr.headSha) return true;
        const { files } = await comparedFiles(ctx.octokit, { ...pr, baseSha: commit });
        const since = review({ ...engineInput(ctx, config, { ...models, head: models.base }, files, [], null), parse });
        return since.findings.every((f) => f.kind === "stale");
      })();
      quiet.set(commit, answer);
    }
    return answer;
  };
  for (const a of standing) {
    if (isBot(a.user) || a.user.login.toLowerCase() === pr.author.login.toLowerCase()) continue;
    if (!(await champions.includes(a.user))) continue;
    if ((await sameModelAt(a.commit)) && (await nothingNewSince(a.commit))) approved.push(a.user.login);
  }
  return approved;
}

async function standingAcks(acks: readonly Acknowledgement[], champions: Champions, author: Person): Promise<Acknowledgement[]> {
  const out: Acknowledgement[] = [];
  for (const ack of acks) {
    if (ack.by.toLowerCase() === author.login.toLowerCase()) continue;
    if (await champions.includes({ login: ack.by })) out.push(ack);
  }
  return out;
}

async function acknowledge(
  ctx: JobContext,
  pr: PullRequestTarget,
  champions: Champions,
  report: Report,
  state: CommentState,
  command: Extract<Command, { kind: "ack" }>,
): Promise<AckOutcome> {
  if (!(await champions.includes(command.by))) return "not-a-champion";
  if (command.by.login.toLowerCase() === pr.author.login.toLowerCase()) return "own-pull-request";
  if (!report.findings.some(isOpen)) return "nothing-open";
  const at = (ctx.now ?? (() => new Date()))().toISOString();
  state.acks.push(acknowledgementFor(report, command.by.login, at, command.reason, pr.headSha));
  ctx.log.info({ delivery: ctx.deliveryId, by: command.by.login, head: pr.headSha }, "findings acknowledged");
  return "recorded";
}

/** The summary comment, review requests and inline prompts. Returns notes for the check run about what could not be posted. */
async function publishConversation(
  ctx: JobContext,
  pr: PullRequestTarget,
  report: Report,
  files: ChangedFile[],
  app: ReviewConfig["app"],
  champions: Champions,
  existing: SummaryComment | null,
  state: CommentState,
  stateChanged: boolean,
): Promise<string[]> {
  const notes: string[] = [];
  // Two pushes in the same second carry the same updated_at: ask GitHub which head is current.
  if (existing?.state && existing.state.updatedAt === pr.updatedAt && existing.state.head !== pr.headSha) {
    const { data } = await ctx.octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
    if (data.head.sha !== pr.headSha) {
      ctx.log.info({ delivery: ctx.deliveryId, head: pr.headSha }, "a newer head already has the comment; leaving it");
      return notes;
    }
  }
  const somethingToSay = report.verdict === "revisit" || report.verdict === "invalid-model" || report.model.changed || stateChanged;
  // Acknowledgements live in the comment's signed state, so one is always kept to hold them.
  const wanted = app.comment === "always" || stateChanged || (app.comment === "on-findings" && (existing !== null || somethingToSay));

  let prompts: InlinePrompt[] = [];
  if (!pr.draft && app.maxInlineComments > 0 && report.verdict === "revisit") {
    prompts = inlinePrompts(report.findings, files, new Set(state.inline), app.maxInlineComments);
    if (prompts.length > 0 && !wanted && !existing) {
      // No summary comment holds the keys of earlier prompts: read them back from the review comments.
      const posted = await postedPromptKeys(ctx.octokit, pr);
      prompts = inlinePrompts(report.findings, files, new Set([...state.inline, ...posted]), app.maxInlineComments);
    }
  }
  // The keys go into the comment before the review is posted, so a later push never repeats them.
  const before = state.inline;
  if (prompts.length > 0) state.inline = [...state.inline, ...prompts.map((p) => p.key)];

  if (report.approval.status === "missing" && app.requestReviews && !state.reviewsRequested) {
    const asked = champions.reviewers(pr.owner, pr.author.login);
    if (asked.reviewers.length + asked.team_reviewers.length > 0) {
      try {
        await ctx.octokit.rest.pulls.requestReviewers({ owner: pr.owner, repo: pr.repo, pull_number: pr.number, ...asked });
        state.reviewsRequested = true;
      } catch (e) {
        ctx.log.warn({ err: e, delivery: ctx.deliveryId }, "review request not made");
        notes.push(`Reviews could not be requested from the champions (${md(describeError(e))}).`);
      }
    }
  }

  let comment: SummaryComment | null = existing;
  const write = async (): Promise<void> => {
    // Another event for the head the comment already describes keeps its ordering stamp, so a
    // review that says the same thing again leaves the comment as it is.
    const sameHead = comment?.state?.head === pr.headSha;
    state.head = pr.headSha;
    state.updatedAt = sameHead && comment?.state ? comment.state.updatedAt : pr.updatedAt;
    const hidden = stateLine(state, ctx.stateKey, stateScope(pr)).length;
    const markdown = renderMarkdown(report, { heading: COMMENT_HEADING, limit: Math.max(10_000, Math.min(60_000, COMMENT_LIMIT - hidden - 200)) });
    const body = commentBody(markdown, state, ctx.stateKey, stateScope(pr));
    if (comment?.body !== body) await ctx.coordinator.forget(commentMemoKey(pr));
    const written = await writeSummaryComment(ctx.octokit, { ...pr, appId: ctx.appId, stateKey: ctx.stateKey }, comment, body);
    if (written.result === "created") {
      await ctx.coordinator.noteCommented(`${pr.owner}/${pr.repo}#${pr.number}`).catch((e: unknown) => {
        ctx.log.warn({ err: e, delivery: ctx.deliveryId }, `could not note the new comment: ${describeError(e)}`);
      });
    }
    if (written.result !== "unchanged") await rememberQuietly(ctx, commentMemoKey(pr), JSON.stringify({ id: written.id, body }));
    comment = { id: written.id, body, state: structuredClone(state) };
  };
  let commentOk = true;
  if (wanted) {
    try {
      await write();
    } catch (e) {
      commentOk = false;
      ctx.log.warn({ err: e, delivery: ctx.deliveryId }, "summary comment not written");
      notes.push(`The summary comment could not be written (${md(describeError(e))}).`);
    }
  }
  if (prompts.length > 0) {
    try {
      await postInlineReview(ctx.octokit, pr, prompts);
    } catch (e) {
      ctx.log.warn({ err: e, delivery: ctx.deliveryId }, "inline prompts not posted");
      notes.push(`Inline prompts could not be posted (${md(describeError(e))}); the findings are all listed here and in the summary comment.`);
      // Forget the keys again, so the next push (or a redelivery) posts them.
      state.inline = before;
      if (wanted && commentOk) await write().catch(() => undefined);
    }
  }
  return notes;
}

/** `/threat-model explain`: the full report, with questions for every touched flow, as its own comment. */
async function explain(ctx: JobContext, pr: PullRequestTarget, report: Report): Promise<string[]> {
  const markdown = renderMarkdown(report, { full: true, heading: "### Threat model review: the full report", limit: 60_000 });
  try {
    await ctx.octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: `${EXPLAIN_MARKER}\n${markdown}`, request: { retries: 0 } });
    return [];
  } catch (e) {
    return [`The full report could not be posted (${md(describeError(e))}).`];
  }
}

function checkResult(report: Report, mode: "enforce" | "advisory", champions: readonly string[], notes: string[]): CheckResult {
  const markdown = renderMarkdown(report);
  const { conclusion, title } = checkVerdict(report, mode);
  return {
    conclusion,
    title,
    summary: withNotes(markdown, notes),
    annotations: annotationsFor(report),
    ...(report.verdict === "revisit" && champions.length > 0 && {
      actions: [{ label: "Acknowledge", description: "Champions: accept the open findings", identifier: "ack" }],
    }),
  };
}

/** Champions from the base model only: nothing in the pull request names one. */
function championsOf(base: SourceFile | null, parse: (file: SourceFile) => ReturnType<typeof parseModel>): string[] {
  if (!base) return [];
  const parsed = parse(base);
  return parsed.ok ? parsed.model.champions : [];
}

function sameBytes(a: SourceFile | null, b: SourceFile | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ea = typeof a.content === "string" ? Buffer.from(a.content) : Buffer.from(a.content);
  const eb = typeof b.content === "string" ? Buffer.from(b.content) : Buffer.from(b.content);
  return ea.equals(eb) && a.declaredSize === b.declaredSize;
}
