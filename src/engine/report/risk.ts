/**
 * Risk as likelihood x impact on a 5x5 matrix, with the level table of NIST SP 800-30
 * Rev. 1 (Appendix I, Table I-2). Rows are likelihood, columns impact, both from very low
 * to very high.
 */
import { RATINGS, type Rating, type Threat } from "../model/types.js";
import type { ReportThreat } from "./types.js";
import { cmp } from "../compare.js";

const VL = "very-low", L = "low", M = "medium", H = "high", VH = "very-high";

const LEVEL: readonly (readonly Rating[])[] = [
  /* likelihood very-low  */ [VL, VL, VL, L, L],
  /* likelihood low       */ [VL, L, L, L, M],
  /* likelihood medium    */ [VL, L, M, M, H],
  /* likelihood high      */ [VL, L, M, H, VH],
  /* likelihood very-high */ [VL, L, M, H, VH],
];

export function riskLevel(likelihood: Rating | undefined, impact: Rating | undefined): Rating | undefined {
  if (likelihood === undefined || impact === undefined) return undefined;
  return LEVEL[RATINGS.indexOf(likelihood)]![RATINGS.indexOf(impact)];
}

/** 1..25, for ranking threats. Unrated threats score 0. */
export function riskScore(likelihood: Rating | undefined, impact: Rating | undefined): number {
  if (likelihood === undefined || impact === undefined) return 0;
  return (RATINGS.indexOf(likelihood) + 1) * (RATINGS.indexOf(impact) + 1);
}

/** A model threat as reports show it: targets sorted, its risk level where it is rated. */
export function reportThreat(t: Threat): ReportThreat {
  const risk = riskLevel(t.likelihood, t.impact);
  return {
    id: t.id,
    title: t.title,
    ...(t.category !== undefined && { category: t.category }),
    targets: [...t.targets].sort(cmp),
    status: t.status,
    ...(t.likelihood !== undefined && { likelihood: t.likelihood }),
    ...(t.impact !== undefined && { impact: t.impact }),
    ...(risk !== undefined && { risk }),
    ...(t.ticket !== undefined && { ticket: t.ticket }),
  };
}
