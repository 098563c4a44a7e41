/**
 * What the tests of the real binary share: where it is, and git without the user's or the
 * system's config, with a fixed identity and fixed dates, so fixtures are the same everywhere.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = join(ROOT, "bin", "threat-model-review.js");

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.test",
  GIT_COMMITTER_NAME: "Test Author",
  GIT_COMMITTER_EMAIL: "author@example.test",
  GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z",
  GIT_TERMINAL_PROMPT: "0",
};
delete GIT_ENV["TMR_DEBUG"];
