/**
 * The mapping decisions shared by the formats (docs/interchange.md): statuses, component
 * types, the 0-100 scales, STRIDE categories, and checks for the values we keep verbatim.
 */
import { dateSchema, globSchema, principalSchema } from "../model/schema.js";
import {
  STRIDE,
  type Classification,
  type ComponentType,
  type Rating,
  type StrideCategory,
  type ThreatStatus,
} from "../model/types.js";

// --- statuses ------------------------------------------------------------------------------

/** From least to most settled: a threat on several elements takes the first of its states. */
export const SETTLEDNESS: readonly ThreatStatus[] = ["open", "investigating", "accepted", "transferred", "mitigated", "not-applicable"];

export function leastSettled(list: readonly ThreatStatus[]): ThreatStatus {
  let best = SETTLEDNESS.length - 1;
  for (const s of list) best = Math.min(best, SETTLEDNESS.indexOf(s));
  return list.length === 0 ? "open" : SETTLEDNESS[best]!;
}

const OTM_STATES: Record<string, ThreatStatus> = {
  exposed: "open",
  open: "open",
  identified: "open",
  investigating: "investigating",
  mitigated: "mitigated",
  implemented: "mitigated",
  resolved: "mitigated",
  accepted: "accepted",
  transferred: "transferred",
  "not-applicable": "not-applicable",
  "false-positive": "not-applicable",
};

/** An OTM state (free text); null when it is none of the known words (then: open, reported). */
export function otmState(state: string): ThreatStatus | null {
  return OTM_STATES[state.trim().toLowerCase().replace(/[\s_]+/g, "-")] ?? null;
}

const THREAGILE_STATUSES: Record<string, ThreatStatus> = {
  unchecked: "open",
  "in-discussion": "investigating",
  "in-progress": "investigating",
  accepted: "accepted",
  mitigated: "mitigated",
  "false-positive": "not-applicable",
};

export function threagileStatus(status: string): ThreatStatus | null {
  return THREAGILE_STATUSES[status.trim().toLowerCase()] ?? null;
}

const THREAT_DRAGON_STATUSES: Record<string, ThreatStatus> = {
  open: "open",
  mitigated: "mitigated",
  notapplicable: "not-applicable",
};

export function threatDragonStatus(status: string): ThreatStatus | null {
  return THREAT_DRAGON_STATUSES[status.trim().toLowerCase().replace(/[\s_-]+/g, "")] ?? null;
}

// --- component types -------------------------------------------------------------------------

const DATASTORE_WORDS = ["database", "db", "store", "storage", "bucket", "cache", "queue"];
const ACTOR_WORDS = ["user", "client", "browser", "actor", "person"];
const EXTERNAL_WORDS = ["external", "third-party", "thirdparty", "saas", "partner"];

/**
 * OTM's free-text component type. The type is cut into words (at anything but letters and
 * digits, and at camelCase humps); a word matches a keyword when it is the keyword, its plural,
 * or ends with it ("mongodb", "datastore", "objectstorage"). Datastore words win over actor
 * words, which win over external words; anything else is a process.
 */
export function otmComponentType(type: string): ComponentType {
  const words = type
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  const joined = words.join("-");
  const has = (keywords: readonly string[]) =>
    keywords.some((k) => (k.includes("-") ? `-${joined}-`.includes(`-${k}-`) : words.some((w) => w === k || w === `${k}s` || w.endsWith(k))));
  if (has(DATASTORE_WORDS)) return "datastore";
  if (has(ACTOR_WORDS)) return "actor";
  if (has(EXTERNAL_WORDS)) return "external";
  return "process";
}

export function threagileType(type: string): ComponentType | null {
  const t = type.trim().toLowerCase();
  if (t === "external-entity") return "external";
  if (t === "process" || t === "datastore") return t;
  return null;
}

// --- scales ------------------------------------------------------------------------------------

/** OTM likelihood and impact, 0-100: 0-19 very-low ... 80-100 very-high. */
export function ratingFromScore(score: number): Rating {
  if (score < 20) return "very-low";
  if (score < 40) return "low";
  if (score < 60) return "medium";
  if (score < 80) return "high";
  return "very-high";
}

export const RATING_SCORE: Record<Rating, number> = { "very-low": 10, low: 30, medium: 50, high: 70, "very-high": 90 };

/** OTM confidentiality, 0-100: 0-24 public, 25-49 internal, 50-74 confidential, 75-100 secret. */
export function classificationFromConfidentiality(score: number): Classification {
  if (score < 25) return "public";
  if (score < 50) return "internal";
  if (score < 75) return "confidential";
  return "secret";
}

/** What export writes for a classification: inside its band, away from the edges. */
export const CONFIDENTIALITY_SCORE: Record<Classification, number> = { public: 10, internal: 30, confidential: 60, secret: 90 };

const THREAGILE_CONFIDENTIALITY: Record<string, Classification> = {
  public: "public",
  internal: "internal",
  restricted: "confidential",
  confidential: "confidential",
  "strictly-confidential": "secret",
};

export function threagileClassification(value: string): Classification | null {
  return THREAGILE_CONFIDENTIALITY[value.trim().toLowerCase()] ?? null;
}

/** A number OTM requires that we do not have is written as this, and listed as defaulted. */
export const DEFAULT_SCORE = 50;

/** A 0-100 score from the source, or the reason it cannot be read as one. */
export function score(v: unknown): { ok: true; value: number } | { ok: false; why: string } {
  if (typeof v !== "number" || !Number.isFinite(v)) return { ok: false, why: "is not a number" };
  if (v < 0 || v > 100) return { ok: false, why: "is outside 0-100" };
  return { ok: true, value: v };
}

// --- categories -------------------------------------------------------------------------------

/** A category word from another tool as a STRIDE category ("Information Disclosure", "DENIAL_OF_SERVICE"). */
export function strideCategory(word: string): StrideCategory | null {
  const w = word.trim().toLowerCase().replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "");
  for (const s of STRIDE) if (w === s || w === `${s}s`) return s;
  return null;
}

// --- verbatim values ----------------------------------------------------------------------------

/** An ISO date as the model stores it (a date-time keeps its date part); null when not a date. */
export function asDate(v: unknown): string | null {
  if (typeof v !== "string" && !(v instanceof Date)) return null;
  const r = dateSchema.safeParse(v);
  return r.success ? r.data : null;
}

/** A GitHub login or team as the model stores it; null when it is neither. */
export function asPrincipal(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const r = principalSchema.safeParse(v);
  return r.success ? r.data : null;
}

export function isGlob(v: unknown): v is string {
  return typeof v === "string" && globSchema.safeParse(v).success;
}

const GLOB_SPECIAL = /[*?[\]{}()!+@,]/g;

/**
 * A file path as a glob that matches exactly that file: backslashes become "/", a leading "./"
 * goes, and glob characters are escaped. Null for a path that cannot be repository-relative.
 */
export function exactPathGlob(file: string): string | null {
  const path = file.trim().replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:\//.test(path)) return null;
  const glob = path.replace(GLOB_SPECIAL, (c) => `\\${c}`);
  return isGlob(glob) ? glob : null;
}
