/** The Octokit the App is handed by Probot (REST methods live under `.rest`). */
import type { ProbotOctokit } from "probot";

export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface Repo {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's request id, so a failure can be traced in GitHub's support tools. */
export function requestIdOf(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers;
  const id = headers?.["x-github-request-id"];
  return typeof id === "string" ? id : undefined;
}

/** One line that says what failed, for logs and the check run. */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  const id = requestIdOf(error);
  return `${status !== undefined ? `GitHub answered ${status}: ` : ""}${message}${id ? ` (request id ${id})` : ""}`;
}
