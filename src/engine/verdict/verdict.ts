/**
 * The verdict, in order of precedence: a missing model, an invalid model or config, a
 * finding the change left uncovered, or a pass.
 */
import type { Finding, Verdict } from "../report/types.js";

export interface VerdictInput {
  hasModel: boolean;
  hasErrors: boolean;
  findings: readonly Finding[];
}

export function decideVerdict(input: VerdictInput): Verdict {
  if (input.hasErrors) return "invalid-model";
  if (!input.hasModel) return "no-model";
  return input.findings.some((f) => !f.covered && f.acknowledgedBy === undefined) ? "revisit" : "pass";
}

/** Exit codes the CLI uses: 0 pass and no-model, 1 revisit, 2 invalid-model. */
export function exitCodeFor(verdict: Verdict): 0 | 1 | 2 {
  switch (verdict) {
    case "pass":
    case "no-model":
      return 0;
    case "revisit":
      return 1;
    case "invalid-model":
      return 2;
  }
}
