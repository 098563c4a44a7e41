/**
 * The shape of threat-model.yml, version 1. Cross-references (zones, sources, targets...)
 * are checked in references.ts, since a schema sees one entry at a time.
 */
import { z } from "zod";
import { globProblem } from "../paths/glob.js";
import {
  CLASSIFICATIONS,
  COMPONENT_TYPES,
  RATINGS,
  STRIDE,
  THREAT_STATUSES,
} from "./types.js";

export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const ID_MAX = 200;

export const idSchema = z
  .string()
  .max(ID_MAX, { error: `an id is at most ${ID_MAX} characters` })
  .regex(ID_PATTERN, {
    error: (iss) =>
      `${JSON.stringify(iss.input)} is not a valid id: use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`,
  });

const text = z.string().min(1, { error: "must not be empty" }).max(10_000, { error: "is longer than 10,000 characters" });

export const globSchema = z.string().superRefine((glob, ctx) => {
  const problem = globProblem(glob);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const globList = z.array(globSchema).max(1_000, { error: "has more than 1,000 globs" });

/** An ISO date (2026-09-14), or a date-time whose date part is kept. */
export const dateSchema = z
  .string({ error: (iss) => (iss.input instanceof Date ? undefined : "expected an ISO date such as 2026-09-14") })
  .or(z.date())
  .transform((v, ctx) => {
    const s = v instanceof Date ? v.toISOString() : v;
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ][0-9:.]+(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/.exec(s);
    const date = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
    const parsed = m ? new Date(`${date}T00:00:00Z`) : null;
    if (!m || !parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(s)} is not a valid ISO date such as 2026-09-14` });
      return z.NEVER;
    }
    return date;
  });

const USER = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A GitHub login (`alice`, `@alice`) or a team (`@org/team`); stored as `alice` or `@org/team`. */
export const principalSchema = z.string().transform((v, ctx) => {
  if (TEAM.test(v)) return v;
  if (USER.test(v)) return v.replace(/^@/, "");
  ctx.addIssue({
    code: "custom",
    message: `${JSON.stringify(v)} is neither a GitHub login (alice) nor a team (@org/team)`,
  });
  return z.NEVER;
});

const idList = z.array(idSchema).max(10_000, { error: "has more than 10,000 entries" });

export const zoneSchema = z.object({
  id: idSchema,
  name: text.optional(),
  description: text.optional(),
  trust: z
    .number()
    .int({ error: "expected a whole number from 0 to 100" })
    .min(0, { error: "must be between 0 and 100" })
    .max(100, { error: "must be between 0 and 100" })
    .optional(),
  parent: idSchema.nullable().optional(),
  paths: globList.nullish(),
});

export const componentSchema = z.object({
  id: idSchema,
  name: text.optional(),
  description: text.optional(),
  type: z.enum(COMPONENT_TYPES),
  zone: idSchema,
  paths: globList.nullish(),
  data: idList.nullish(),
  owners: z.array(principalSchema).max(100).nullish(),
  reviewed_at: dateSchema.optional(),
});

export const dataAssetSchema = z.object({
  id: idSchema,
  name: text.optional(),
  description: text.optional(),
  classification: z.enum(CLASSIFICATIONS),
});

export const flowSchema = z.object({
  id: idSchema,
  name: text.optional(),
  description: text.optional(),
  source: idSchema,
  destination: idSchema,
  protocol: text.optional(),
  data: idList.nullish(),
  authentication: text.optional(),
  encrypted: z.boolean().optional(),
  paths: globList.nullish(),
  reviewed_at: dateSchema.optional(),
});

export const threatSchema = z.object({
  id: idSchema,
  title: text.optional(),
  description: text.optional(),
  category: z.enum(STRIDE).optional(),
  targets: idList.min(1, { error: "needs at least one target (a component, flow or zone id)" }),
  likelihood: z.enum(RATINGS).optional(),
  impact: z.enum(RATINGS).optional(),
  status: z.enum(THREAT_STATUSES).optional(),
  mitigations: z.array(text).max(1_000).nullish(),
  ticket: text.optional(),
});

export const modelSchema = z.object({
  version: z.literal(1),
  title: text.optional(),
  description: text.optional(),
  reviewed_at: dateSchema.optional(),
  champions: z.array(principalSchema).max(1_000).nullish(),
  trust_zones: z.array(zoneSchema).min(1, { error: "needs at least one trust zone" }),
  components: z.array(componentSchema).nullish(),
  data_assets: z.array(dataAssetSchema).nullish(),
  data_flows: z.array(flowSchema).nullish(),
  threats: z.array(threatSchema).nullish(),
});

export type RawModel = z.output<typeof modelSchema>;

/** Keys each part of the model knows; anything else earns a warning (a typo maps nothing). */
export const KNOWN_KEYS = {
  model: Object.keys(modelSchema.shape),
  trust_zones: Object.keys(zoneSchema.shape),
  components: Object.keys(componentSchema.shape),
  data_assets: Object.keys(dataAssetSchema.shape),
  data_flows: Object.keys(flowSchema.shape),
  threats: Object.keys(threatSchema.shape),
} as const;

export const SECTION_KIND = {
  trust_zones: "zone",
  components: "component",
  data_assets: "data asset",
  data_flows: "flow",
  threats: "threat",
} as const;
export type Section = keyof typeof SECTION_KIND;
export const SECTIONS = Object.keys(SECTION_KIND) as Section[];
