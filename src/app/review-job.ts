/**
 * One review of a pull request head: gather the input from GitHub (trusted config and base
 * model, the head model as a proposal, the changed files), run the engine, and write the
 * check run, the summary comment and the inline prompts. Decisions live in the engine;
 * this file only moves data in and out.
 */
import type { Logger } from "probot";
import {
  DEFAULT_CONFIG,
  renderMarkdown,
  review,
  type ChangedFile,
  type ConfigParseResult,
  type Report,
  type ReviewConfig,
  type SourceFile,
} from "../engine/index.js";
import { annotationsFor, completeCheckRun, conclusionFor, startCheckRun, titleFor, type CheckResult } from "../github/check-run.js";
import { readFileAt } from "../github/contents.js";
import { comparedFiles, pullRequestFiles } from "../github/files.js";
import { inlinePrompts, postInlineReview, postedPromptKeys } from "../github/inline-review.js";
import { describeError, type Octokit, type Repo } from "../github/octokit.js";
import { readRepoConfig } from "../github/repo-config.js";
import { commentBody, findSummaryComment, writeSummaryComment } from "../github/summary-comment.js";
import type { Coordinator } from "./coordinator.js";

export interface JobContext {
  octokit: Octokit;
  log: Logger;
  appId: number;
  deliveryId: string;
  coordinator: Coordinator;
  /** Probot's config loader (default branch, `_extends`, the owner's `.github` repository). */
  readMergedConfig: () => Promise<unknown>;
  today?: () => string;
}

export interface PullRequestTarget extends Repo {
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /** The pull request's updated_at in the event: orders deliveries for the same pull request. */
  updatedAt: string;
  /** GitHub's count of changed files (the file list API stops at 3,000). */
  changedFiles: number;
  /** Only the check run: the head is not the pull request's current one (a re-run of an older check). */
  checkOnly?: boolean;
}

export interface CommitRangeTarget extends Repo {
  headSha: string;
  baseSha: string;
}

const COMMENT_HEADING = "### Threat model review";

export async function reviewPullRequest(ctx: JobContext, pr: PullRequestTarget): Promise<void> {
  const key = `${pr.owner}/${pr.repo}#${pr.number}`;
  await ctx.coordinator.withLock(key, async () => {
    if (await ctx.coordinator.isDone(ctx.deliveryId)) {
      ctx.log.info({ delivery: ctx.deliveryId }, "delivery already handled; nothing to do");
      return;
    }
    const stale = await ctx.coordinator.olderThanSeen(key, pr.updatedAt);
    const outcome = await withCheckRun(ctx, pr, async (config) => {
      const { files, notices } = await pullRequestFiles(ctx.octokit, pr);
      const report = await runEngine(ctx, pr, config, files, notices);
      const notes = stale || pr.checkOnly
        ? []
        : await publishConversation(ctx, pr, report, files, config.ok ? config.config.app : DEFAULT_CONFIG.app);
      // A delivery whose comment or prompts could not be posted is not done: a redelivery retries it.
      return { result: checkResult(report, config, notes), complete: notes.length === 0 };
    });
    if (outcome === "done") await ctx.coordinator.markDone(ctx.deliveryId);
  });
}

/** A merge queue entry: the same review over the commit range, reported as a check run only. */
export async function reviewCommitRange(ctx: JobContext, range: CommitRangeTarget): Promise<void> {
  const outcome = await withCheckRun(ctx, range, async (config) => {
    const { files, notices } = await comparedFiles(ctx.octokit, range);
    const report = await runEngine(ctx, range, config, files, notices);
    return { result: checkResult(report, config, []), complete: true };
  });
  if (outcome === "done") await ctx.coordinator.markDone(ctx.deliveryId);
}

/**
 * Read the config, open the check run, do the work, and complete the run. When the work
 * fails, the run is completed as a failure with the reason (when GitHub still lets us
 * write), so a required check never waits forever.
 */
async function withCheckRun(
  ctx: JobContext,
  at: Repo & { headSha: string },
  work: (config: ConfigParseResult) => Promise<{ result: CheckResult; complete: boolean }>,
): Promise<"done" | "partial" | "failed"> {
  let checkRunId: number | undefined;
  let name = DEFAULT_CONFIG.app.checkName;
  try {
    const config = await readRepoConfig(ctx.octokit, at, ctx.readMergedConfig);
    if (config.ok) name = config.config.app.checkName;
    checkRunId = await startCheckRun(ctx.octokit, { ...at, name });
    const { result, complete } = await work(config);
    await completeCheckRun(ctx.octokit, { ...at, checkRunId }, result);
    ctx.log.info({ delivery: ctx.deliveryId, head: at.headSha, conclusion: result.conclusion }, "threat-model review done");
    return complete ? "done" : "partial";
  } catch (error) {
    ctx.log.error({ err: error, delivery: ctx.deliveryId, head: at.headSha }, `threat-model review failed: ${describeError(error)}`);
    await reportFailure(ctx, at, name, checkRunId, error);
    return "failed";
  }
}

async function reportFailure(ctx: JobContext, at: Repo & { headSha: string }, name: string, checkRunId: number | undefined, error: unknown): Promise<void> {
  const result: CheckResult = {
    conclusion: "failure",
    title: "Threat model review could not finish",
    summary: [
      `The review stopped before it could finish: ${describeError(error)}.`,
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

async function runEngine(
  ctx: JobContext,
  at: Repo & { headSha: string; baseSha: string },
  config: ConfigParseResult,
  files: ChangedFile[],
  notices: string[],
): Promise<Report> {
  const modelPath = config.ok ? config.config.model : DEFAULT_CONFIG.model;
  const baseModel = await readFileAt(ctx.octokit, { ...at, path: modelPath, ref: at.baseSha });
  // The head model is fetched only when the change touches it; otherwise it is the base's.
  const touched = files.find((f) => f.path === modelPath || f.previousPath === modelPath);
  let headModel: SourceFile | null = baseModel;
  if (touched) {
    headModel = touched.path === modelPath && touched.status !== "removed"
      ? await readFileAt(ctx.octokit, { ...at, path: modelPath, ref: at.headSha })
      : null;
  }
  return review({
    config,
    baseModel,
    headModel,
    changes: files,
    today: (ctx.today ?? (() => new Date().toISOString().slice(0, 10)))(),
    notices,
  });
}

/** The summary comment and inline prompts. Returns notes for the check run about what could not be posted. */
async function publishConversation(
  ctx: JobContext,
  pr: PullRequestTarget,
  report: Report,
  files: ChangedFile[],
  app: ReviewConfig["app"],
): Promise<string[]> {
  const notes: string[] = [];
  const existing = await findSummaryComment(ctx.octokit, { ...pr, appId: ctx.appId });
  if (existing?.state && existing.state.updatedAt > pr.updatedAt) {
    ctx.log.info({ delivery: ctx.deliveryId, head: pr.headSha }, "a newer head already has the comment; leaving it");
    return notes;
  }
  let inline = existing?.state?.inline ?? [];
  if (!pr.draft && app.maxInlineComments > 0 && report.verdict === "revisit") {
    const fresh = inlinePrompts(report.findings, files, new Set(inline), app.maxInlineComments);
    if (fresh.length > 0) {
      // Without a summary comment to remember them, earlier prompts are read back from the review comments.
      const posted = existing ? new Set(inline) : await postedPromptKeys(ctx.octokit, { ...pr, appId: ctx.appId });
      const prompts = existing ? fresh : inlinePrompts(report.findings, files, posted, app.maxInlineComments);
      if (prompts.length > 0) {
        try {
          await postInlineReview(ctx.octokit, pr, prompts);
          inline = [...inline, ...prompts.map((p) => p.key)];
        } catch (e) {
          ctx.log.warn({ err: e, delivery: ctx.deliveryId }, "inline prompts not posted");
          notes.push(`Inline prompts could not be posted (${describeError(e)}); the findings are all listed here and in the summary comment.`);
        }
      }
    }
  }
  const somethingToSay = report.verdict === "revisit" || report.verdict === "invalid-model" || report.model.changed;
  const wanted = app.comment === "always" || (app.comment === "on-findings" && (existing !== null || somethingToSay));
  if (!wanted) return notes;
  const markdown = renderMarkdown(report, { heading: COMMENT_HEADING });
  const body = commentBody(markdown, { head: pr.headSha, updatedAt: pr.updatedAt, inline });
  try {
    await writeSummaryComment(ctx.octokit, pr, existing, body);
  } catch (e) {
    ctx.log.warn({ err: e, delivery: ctx.deliveryId }, "summary comment not written");
    notes.push(`The summary comment could not be written (${describeError(e)}).`);
  }
  return notes;
}

function checkResult(report: Report, config: ConfigParseResult, notes: string[]): CheckResult {
  const mode = config.ok ? config.config.app.mode : DEFAULT_CONFIG.app.mode;
  const markdown = renderMarkdown(report);
  return {
    conclusion: conclusionFor(report.verdict, mode),
    title: titleFor(report),
    summary: notes.length > 0 ? `${markdown}\n\n${notes.map((n) => `> ${n}`).join("\n")}` : markdown,
    annotations: annotationsFor(report),
  };
}
