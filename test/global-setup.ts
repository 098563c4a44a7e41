/**
 * Runs once before every test file: compiles src/ to dist/, because the CLI and App tests
 * run the real binaries (bin/threat-model-review.js, dist/app/start.js). Building here,
 * once, keeps test files running in parallel from writing dist/ at the same time.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export default function setup(): void {
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (tsc.status !== 0 || !existsSync(join(ROOT, "dist", "cli", "run.js")) || !existsSync(join(ROOT, "dist", "app", "start.js"))) {
    throw new Error(`the build failed (tsc exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}${tsc.error?.message ?? ""}`);
  }
}
