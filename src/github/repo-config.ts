/**
 * The repository's config as the App reads it: from the default branch, through Probot's
 * config loader (with `_extends` and the owner's `.github` repository as fallback), so a
 * pull request can never change the config used to judge it. Problems are reported with
 * the line and column of the file they are in.
 */
import { stringify } from "yaml";
import { CATALOG, CONFIG_PATH, loadConfig, parseConfig, type ConfigParseResult } from "../engine/index.js";
import { statusOf, type Octokit, type Repo } from "./octokit.js";

export const CONFIG_FILE = "threat-model-review.yml";

const signalIds = CATALOG.map((s) => s.id);

export async function readRepoConfig(octokit: Octokit, at: Repo, readMerged: () => Promise<unknown>): Promise<ConfigParseResult> {
  let merged: unknown;
  try {
    merged = await readMerged();
  } catch (e) {
    if (statusOf(e) !== undefined) throw e; // GitHub failed: not a config problem
    const located = await locate(octokit, at);
    if (located && !located.ok) return located;
    const message = (e instanceof Error ? e.message : String(e)).replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
    return { ok: false, warnings: [], errors: [{ file: located ? CONFIG_PATH : CONFIG_PATH, line: 1, column: 1, severity: "error", message }] };
  }
  if (merged === null || merged === undefined) return loadConfig(null);
  const check = parseConfig({ path: CONFIG_PATH, content: stringify(merged) }, signalIds);
  if (check.ok && check.warnings.length === 0) return check;
  // Something to say: say it where it is written.
  const located = await locate(octokit, at);
  if (located && (!located.ok || located.warnings.length > 0)) return located;
  const where = `${CONFIG_PATH} (merged through _extends)`;
  const relabel = <T extends { file: string }>(d: T): T => ({ ...d, file: where });
  return check.ok
    ? { ...check, warnings: check.warnings.map(relabel) }
    : { ...check, errors: check.errors.map(relabel), warnings: check.warnings.map(relabel) };
}

/** The config file as written: the repository's own, else the owner's `.github` repository's. */
async function locate(octokit: Octokit, at: Repo): Promise<ConfigParseResult | null> {
  for (const [repo, label] of [[at.repo, CONFIG_PATH], [".github", `${at.owner}/.github:${CONFIG_PATH}`]] as const) {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: at.owner, repo, path: CONFIG_PATH, mediaType: { format: "raw" } });
      const text = typeof data === "string" ? data : "";
      return parseConfig({ path: label, content: text }, signalIds);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }
  return null;
}
