/**
 * `.github/threat-model-review.yml`: the repository's settings for reviews. Always read from
 * the trusted side (the base ref, or the default branch for the App), so a pull request
 * cannot relax the rules it is judged by.
 */
import { z } from "zod";
import type { Diagnostic } from "../source/diagnostic.js";
import { sortDiagnostics } from "../source/diagnostic.js";
import { issueToDiagnostic } from "../source/schema-errors.js";
import { DEFAULT_YAML_LIMITS, loadYaml, type PathSegment } from "../source/yaml.js";
import { globList } from "../model/schema.js";
import type { SourceFile } from "../model/parse.js";

export const CONFIG_PATH = ".github/threat-model-review.yml";
export const DEFAULT_MODEL_PATH = "threat-model.yml";

export const DEFAULT_IGNORE: readonly string[] = [
  "**/*.md",
  "docs/**",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/*.test.*",
  "**/*.spec.*",
];

export interface ReviewConfig {
  /** Repository-relative path of the model file. */
  model: string;
  ignore: readonly string[];
  signals: { disable: readonly string[] };
  /** `report` lists unmapped files; `revisit` makes each one a finding. */
  unmapped: "report" | "revisit";
  /** 0 turns freshness off. */
  maxAgeDays: number;
  /** The App's settings; the CLI ignores them. */
  app: {
    /** The check run's name (what branch protection requires). */
    checkName: string;
    /** enforce: revisit blocks the merge (action_required); advisory: neutral. */
    mode: "enforce" | "advisory";
    /** When to keep the one summary comment on a pull request. */
    comment: "on-findings" | "always" | "never";
    /** Inline review comments per push for uncovered high-severity findings; 0 turns them off. */
    maxInlineComments: number;
    /** Ask the champions for a review when a model change awaits their approval (once per pull request). */
    requestReviews: boolean;
    /**
     * Base branches (globs) whose pull requests get the check named `checkName`, besides the
     * default branch. A check run belongs to a commit, not a pull request: a pull request into
     * any other branch is reviewed under "<checkName> (into <branch>)", so that a second pull
     * request with the same head, into a branch its author controls, cannot overwrite the
     * result the protected branch requires.
     */
    protectedBranches: readonly string[];
  };
}

export const DEFAULT_CONFIG: ReviewConfig = {
  model: DEFAULT_MODEL_PATH,
  ignore: DEFAULT_IGNORE,
  signals: { disable: [] },
  unmapped: "report",
  maxAgeDays: 0,
  app: { checkName: "Threat model", mode: "enforce", comment: "on-findings", maxInlineComments: 5, requestReviews: true, protectedBranches: [] },
};

// Control characters in a path are never intended and can disguise what a glob matches.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

const modelPath = z.string().superRefine((p, ctx) => {
  if (p === "" || p.startsWith("/") || p.split("/").includes("..") || p.includes("\\") || CONTROL.test(p)) {
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(p)} is not a repository-relative file path (like threat-model.yml or security/model.yml)` });
  }
});

export const configSchema = z.object({
  model: modelPath.optional(),
  ignore: globList.optional(),
  signals: z.object({ disable: z.array(z.string()).max(100).optional() }).optional(),
  unmapped: z.enum(["report", "revisit"]).optional(),
  max_age_days: z
    .number()
    .int({ error: "expected a whole number of days" })
    .min(0, { error: "must be 0 (off) or a number of days" })
    .max(36_500, { error: "must be at most 36500 days" })
    .optional(),
  check_name: z
    .string()
    .min(1, { error: "must not be empty" })
    .max(100, { error: "is at most 100 characters" })
    .refine((s) => !/[\r\n]/.test(s), { error: "must be one line" })
    .optional(),
  mode: z.enum(["enforce", "advisory"]).optional(),
  comment: z.enum(["on-findings", "always", "never"]).optional(),
  max_inline_comments: z
    .number()
    .int({ error: "expected a whole number" })
    .min(0, { error: "must be between 0 and 20" })
    .max(20, { error: "must be between 0 and 20" })
    .optional(),
  request_reviews: z.boolean().optional(),
  protected_branches: z
    .array(
      z
        .string()
        .min(1, { error: "must not be empty" })
        .max(255, { error: "is at most 255 characters" })
        .refine((s) => !CONTROL.test(s), { error: "must not contain control characters" }),
    )
    .max(100, { error: "lists at most 100 branch patterns" })
    .optional(),
  /** Probot's inheritance (another repository's config); the App resolves it before the engine sees the config. */
  _extends: z.string().optional(),
});

const KNOWN = Object.keys(configSchema.shape);

export type ConfigParseResult =
  | { ok: true; config: ReviewConfig; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/**
 * `knownSignals` lets the caller warn about a disabled id that no signal has (a typo leaves
 * the signal on). Keys this version does not know are warnings; wrong types are errors.
 */
export function parseConfig(file: SourceFile, knownSignals: readonly string[] = []): ConfigParseResult {
  const loaded = loadYaml(file.path, file.content, { ...DEFAULT_YAML_LIMITS, maxBytes: 256 * 1024 }, file.declaredSize);
  if (!loaded.ok) return { ok: false, errors: loaded.errors, warnings: [] };
  const { yaml } = loaded;
  // An empty file is a config with every default.
  const value = yaml.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    const at = yaml.positionOf([]);
    return {
      ok: false,
      warnings: [],
      errors: [{ file: file.path, line: at.line, column: at.column, severity: "error", message: "the config is a mapping of settings; see README.md#configuration" }],
    };
  }
  const warnings: Diagnostic[] = [...loaded.warnings];
  const warn = (path: PathSegment[], message: string) => {
    const at = yaml.keyPositionOf(path);
    warnings.push({ file: file.path, line: at.line, column: at.column, severity: "warning", message });
  };
  for (const key of Object.keys(value)) {
    if (!KNOWN.includes(key)) warn([key], `unknown setting "${key}" is ignored (known: ${KNOWN.filter((k) => k !== "_extends").join(", ")})`);
  }
  const signals = (value as Record<string, unknown>)["signals"];
  if (signals && typeof signals === "object" && !Array.isArray(signals)) {
    for (const key of Object.keys(signals)) {
      if (key !== "disable") warn(["signals", key], `unknown setting "signals.${key}" is ignored (known: disable)`);
    }
    const disable = (signals as Record<string, unknown>)["disable"];
    if (Array.isArray(disable) && knownSignals.length > 0) {
      disable.forEach((id, i) => {
        if (typeof id === "string" && !knownSignals.includes(id)) {
          const at = yaml.positionOf(["signals", "disable", i]);
          warnings.push({ file: file.path, line: at.line, column: at.column, severity: "warning", message: `signals.disable: no signal is called "${id}" (known: ${knownSignals.join(", ")})` });
        }
      });
    }
  }

  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const describePath = (path: readonly PathSegment[]) =>
      path.length === 0 ? "" : `${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "")}: `;
    return {
      ok: false,
      errors: sortDiagnostics(parsed.error.issues.map((issue) => issueToDiagnostic(issue, { yaml: { ...yaml, value }, describePath }))),
      warnings: sortDiagnostics(warnings),
    };
  }
  const c = parsed.data;
  return {
    ok: true,
    warnings: sortDiagnostics(warnings),
    config: {
      model: c.model ?? DEFAULT_CONFIG.model,
      ignore: c.ignore ?? DEFAULT_CONFIG.ignore,
      signals: { disable: c.signals?.disable ?? [] },
      unmapped: c.unmapped ?? DEFAULT_CONFIG.unmapped,
      maxAgeDays: c.max_age_days ?? DEFAULT_CONFIG.maxAgeDays,
      app: {
        checkName: c.check_name ?? DEFAULT_CONFIG.app.checkName,
        mode: c.mode ?? DEFAULT_CONFIG.app.mode,
        comment: c.comment ?? DEFAULT_CONFIG.app.comment,
        maxInlineComments: c.max_inline_comments ?? DEFAULT_CONFIG.app.maxInlineComments,
        requestReviews: c.request_reviews ?? DEFAULT_CONFIG.app.requestReviews,
        protectedBranches: c.protected_branches ?? DEFAULT_CONFIG.app.protectedBranches,
      },
    },
  };
}
