/**
 * On every push to the default branch: a `Threat model health` check run on that commit,
 * what a maintainer looks at before a release. It never blocks anything: invalid is a
 * failure, needing attention is neutral, healthy is success.
 */
import { DEFAULT_CONFIG, healthMarkdown, healthTitle, md, modelHealth } from "../engine/index.js";
import { completeCheckRun, startCheckRun, type Conclusion } from "../github/check-run.js";
import { readFileAt } from "../github/contents.js";
import { describeError, type Repo } from "../github/octokit.js";
import { readRepoConfig } from "../github/repo-config.js";
import type { JobContext, JobOutcome } from "./review-job.js";

export const HEALTH_CHECK_NAME = "Threat model health";

export async function reviewHealth(ctx: JobContext, at: Repo & { sha: string }): Promise<JobOutcome> {
  if (await ctx.coordinator.isDone(ctx.deliveryId)) return { status: "skipped" };
  let checkRunId: number | undefined;
  try {
    const config = await readRepoConfig(ctx.octokit, at, ctx.readMergedConfig);
    checkRunId = await startCheckRun(ctx.octokit, { ...at, headSha: at.sha, name: HEALTH_CHECK_NAME });
    const path = config.ok ? config.config.model : DEFAULT_CONFIG.model;
    const model = await readFileAt(ctx.octokit, { ...at, path, ref: at.sha });
    const notices: string[] = [];
    let files: string[] | undefined;
    if (model) {
      const { data } = await ctx.octokit.rest.git.getTree({ owner: at.owner, repo: at.repo, tree_sha: at.sha, recursive: "1" });
      if (data.truncated) notices.push("The repository tree is too large for GitHub to list whole: folder coverage is left out.");
      else files = data.tree.filter((e) => e.type === "blob" && e.path).map((e) => e.path!);
    }
    const today = (ctx.today ?? (() => new Date().toISOString().slice(0, 10)))();
    const health = modelHealth({ config, model, today, ...(files && { files }), notices });
    const conclusion: Conclusion = health.status === "healthy" ? "success" : health.status === "invalid-model" ? "failure" : "neutral";
    await completeCheckRun(ctx.octokit, { ...at, checkRunId }, {
      conclusion,
      title: healthTitle(health),
      summary: healthMarkdown(health),
      annotations: health.errors.map((e) => ({ path: e.file, start_line: e.line, end_line: e.line, annotation_level: "failure" as const, title: "Threat model error", message: e.message })),
    });
    await ctx.coordinator.markDone(ctx.deliveryId);
    return { status: "done" };
  } catch (error) {
    ctx.log.error({ err: error, delivery: ctx.deliveryId }, `threat-model health check failed: ${describeError(error)}`);
    try {
      const id = checkRunId ?? (await startCheckRun(ctx.octokit, { ...at, headSha: at.sha, name: HEALTH_CHECK_NAME }));
      await completeCheckRun(ctx.octokit, { ...at, checkRunId: id }, {
        conclusion: "failure",
        title: "Threat model health check could not finish",
        summary: `The health check stopped: ${md(describeError(error))}.`,
      });
    } catch (second) {
      ctx.log.error({ err: second, delivery: ctx.deliveryId }, `could not report the failure: ${describeError(second)}`);
    }
    return { status: "failed" };
  }
}
