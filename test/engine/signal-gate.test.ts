/**
 * The word gate and the loose whole-side pattern only ever skip work: on any line a rule's
 * regex matches, the gate must find one of the rule's words, and the loose pattern must
 * match the side the line sits in. Checked over every line of the signal tests' source (raw
 * and unescaped: it holds far more than the samples) and the bench's synthetic change.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { syntheticChange } from "../../src/dev/bench/synthetic.js";
import { CATALOG } from "../../src/engine/signals/catalog.js";
import { LiteralGate, requiredLiterals } from "../../src/engine/signals/literal-gate.js";
import { looseOf } from "../../src/engine/signals/run.js";

const dir = new URL("../../src/engine/signals/", import.meta.url);

function corpus(): string[] {
  const lines = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".test.ts"))) {
    for (const raw of readFileSync(new URL(name, dir), "utf8").split("\n")) {
      lines.add(raw);
      const unescaped = raw.replace(/\\(["'`\\])/g, "$1").replace(/\\t/g, "\t");
      for (const l of unescaped.split("\\n")) lines.add(l);
      // The sample inside a string literal on its own.
      for (const m of unescaped.matchAll(/"([^"]*)"|'([^']*)'|`([^`]*)`/g)) lines.add(m[1] ?? m[2] ?? m[3] ?? "");
    }
  }
  const shape = { components: 50, zones: 4, flows: 20, files: 200, addedLines: 8000 };
  for (const f of syntheticChange(shape)) for (const l of f.patch?.split("\n") ?? []) if (/^[+-]/.test(l)) lines.add(l.slice(1));
  return [...lines];
}

describe("the signal runner's shortcuts never hide a hit", () => {
  const lines = corpus();
  const rules = CATALOG.flatMap((s) => s.rules.map((rule) => ({ signal: s.id, rule })));

  it("reads a corpus where most rules fire", () => {
    const firing = rules.filter(({ rule }) => lines.some((l) => new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, "")).test(l)));
    expect(lines.length).toBeGreaterThan(3000);
    // Secrets and generated permission lines are built at run time in their tests; the
    // per-signal check in test/helpers/signal-cases.ts covers those.
    expect(firing.length / rules.length).toBeGreaterThan(0.8);
  });

  it("the gate finds one of a rule's words on every line the rule matches", () => {
    const gate = new LiteralGate(rules.map(({ rule }) => rule.pattern));
    const missed: string[] = [];
    for (const { signal, rule } of rules) {
      const words = requiredLiterals(rule.pattern);
      if (!words) continue;
      const re = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, ""));
      for (const l of lines) {
        if (!re.test(l)) continue;
        const found = gate.present(l);
        if (!words.some((w) => found.has(w))) missed.push(`${signal} / ${rule.label}: ${l}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it("the loose pattern matches the joined side wherever a line of it matches", () => {
    const missed: string[] = [];
    for (const { signal, rule } of rules) {
      const loose = looseOf(rule);
      if (!loose) continue;
      const re = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, ""));
      lines.forEach((l, i) => {
        if (!re.test(l)) return;
        // The line in the middle of its neighbours, as a side of a file is joined.
        const side = [lines[i - 1] ?? "", l, lines[i + 1] ?? ""].join("\n");
        loose.lastIndex = 0;
        if (!loose.test(side)) missed.push(`${signal} / ${rule.label}: ${l}`);
      });
    }
    expect(missed).toEqual([]);
  });
});
