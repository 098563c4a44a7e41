/** Reading the bundled example (fixtures/demo) into files: the shop, its pull request, the revision. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURE = fileURLToPath(new URL("../../fixtures/demo/", import.meta.url));

export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

export const demoFiles = {
  base: () => filesUnder(join(FIXTURE, "base")),
  pullRequest: () => filesUnder(join(FIXTURE, "pr")),
  revision: () => filesUnder(join(FIXTURE, "revision")),
};
