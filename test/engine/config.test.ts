import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, parseConfig } from "../../src/engine/config/config.js";
import { formatDiagnostic } from "../../src/engine/source/diagnostic.js";

const parse = (text: string) => parseConfig({ path: ".github/threat-model-review.yml", content: text }, ["http-route", "auth"]);

describe("the config file", () => {
  it("is all defaults when empty", () => {
    expect(parse("")).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
    expect(parse("# nothing yet\n")).toMatchObject({ ok: true, config: DEFAULT_CONFIG });
  });

  it("reads every setting", () => {
    const r = parse("model: security/model.yml\nignore: ['vendor/**']\nsignals:\n  disable: [auth]\nunmapped: revisit\nmax_age_days: 90\n");
    expect(r).toMatchObject({
      ok: true,
      config: { model: "security/model.yml", ignore: ["vendor/**"], signals: { disable: ["auth"] }, unmapped: "revisit", maxAgeDays: 90 },
    });
  });

  it("a wrong type is an error at the value", () => {
    const r = parse("unmapped: revisit\nmax_age_days: ninety\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatDiagnostic)).toEqual([
      '.github/threat-model-review.yml:2:15: max_age_days: expected a number, got the string "ninety"',
    ]);
  });

  it("protected_branches is a list of branch globs, checked where it is written", () => {
    expect(parse("protected_branches: ['release/*', main]\n")).toMatchObject({ ok: true, config: { app: { protectedBranches: ["release/*", "main"] } } });
    const r = parse("mode: enforce\nprotected_branches: release/*\n");
    expect(r.ok ? [] : r.errors.map(formatDiagnostic)).toEqual([".github/threat-model-review.yml:2:21: protected_branches: expected a list, got the string \"release/*\""]);
  });

  it("bad values are errors with their place", () => {
    const r = parse("unmapped: always\nmodel: ../model.yml\nignore: ['']\n");
    expect(r.ok ? [] : r.errors.map(formatDiagnostic)).toEqual([
      '.github/threat-model-review.yml:1:11: unmapped: "always" is not one of: report, revisit',
      '.github/threat-model-review.yml:2:8: model: "../model.yml" is not a repository-relative file path (like threat-model.yml or security/model.yml)',
      ".github/threat-model-review.yml:3:10: ignore[0]: the glob is empty",
    ]);
  });

  it("unknown settings and unknown signal ids are warnings", () => {
    const r = parse("modle: x.yml\nsignals:\n  disable: [http-routes]\n");
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatDiagnostic)).toEqual([
      '.github/threat-model-review.yml:1:1: warning: unknown setting "modle" is ignored (known: model, ignore, signals, unmapped, max_age_days, check_name, mode, comment, max_inline_comments, request_reviews, protected_branches)',
      '.github/threat-model-review.yml:3:13: warning: signals.disable: no signal is called "http-routes" (known: http-route, auth)',
    ]);
  });

  it("a config that is not a mapping is an error", () => {
    expect(parse("- a\n").ok).toBe(false);
  });
});
