/**
 * Cases for one signal, written as the catalog's tests read best: lines that must fire,
 * lines that must not, and must-fire lines that were only moved or re-indented (which must
 * not fire again). Every case runs through the real pipeline: patch text, comment
 * stripping, moved-line detection and the runner.
 */
import { describe, expect, it } from "vitest";
import type { ChangedFile } from "../../src/engine/changes/types.js";
import { LiteralGate, requiredLiterals } from "../../src/engine/signals/literal-gate.js";
import { looseOf, scanSignals } from "../../src/engine/signals/run.js";
import type { SignalDefinition, SignalHit } from "../../src/engine/signals/types.js";

/** A patch that adds `added` lines (and removes `removed` ones) in one hunk. */
export function patchOf(added: readonly string[], removed: readonly string[] = [], context: readonly string[] = []): string {
  const oldCount = context.length + removed.length;
  const newCount = context.length + added.length;
  const body = [
    ...context.map((l) => ` ${l}`),
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
  ];
  return [`@@ -${oldCount === 0 ? 0 : 1},${oldCount} +1,${newCount} @@`, ...body].join("\n");
}

export function scan(def: SignalDefinition, files: ChangedFile[]): SignalHit[] {
  return scanSignals(files, [def]).hits;
}

/** Hits for a file whose change adds exactly `lines` (with optional context lines above). */
export function hitsForAdded(def: SignalDefinition, path: string, lines: string | readonly string[], context: readonly string[] = []): SignalHit[] {
  const added = typeof lines === "string" ? [lines] : lines;
  return scan(def, [{ path, status: "modified", patch: patchOf(added, [], context) }]);
}

/** Hits for a file whose change removes exactly `lines`. */
export function hitsForRemoved(def: SignalDefinition, path: string, lines: string | readonly string[]): SignalHit[] {
  const removed = typeof lines === "string" ? [lines] : lines;
  return scan(def, [{ path, status: "modified", patch: patchOf([], removed) }]);
}

/** The same line, re-indented and with its quotes swapped, as a moving refactor shows it. */
export function restyled(line: string): string {
  const swapped = line.replace(/['"]/g, (q) => (q === "'" ? '"' : "'"));
  return `    ${swapped.trimStart()}`;
}

type ByFile = Record<string, readonly string[]>;

export interface SignalCases {
  /** path -> lines, each of which must fire on its own. */
  fires: ByFile;
  /** path -> lines, none of which may fire. */
  silent: ByFile;
  /** path -> must-fire lines that, moved or re-indented, must not fire. */
  moved?: ByFile;
  /** path -> lines that must fire when the change REMOVES them (protections taken away). */
  firesWhenRemoved?: ByFile;
}

const show = (s: string) => (s.length > 70 ? `${s.slice(0, 67)}...` : s);

export function signalCases(def: SignalDefinition, cases: SignalCases): void {
  describe(`signal ${def.id}`, () => {
    it("declares what it is for", () => {
      expect(def.title.length).toBeGreaterThan(3);
      expect(def.question).toMatch(/\?$/);
      expect(def.stride.length).toBeGreaterThan(0);
      expect(def.detects.length).toBeGreaterThan(10);
      expect(def.falsePositives.length).toBeGreaterThan(10);
    });
    it("has no rule whose match the runner's shortcuts would skip", () => {
      // The word gate and the loose whole-side pattern may only skip lines no rule matches.
      const samples = [cases.fires, cases.silent, cases.moved ?? {}, cases.firesWhenRemoved ?? {}].flatMap((byFile) => Object.values(byFile).flat());
      const gate = new LiteralGate(def.rules.map((r) => r.pattern));
      const hidden: string[] = [];
      let checked = 0;
      for (const rule of def.rules) {
        const exact = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, ""));
        const words = requiredLiterals(rule.pattern);
        const loose = looseOf(rule);
        for (const line of samples) {
          if (!exact.test(line)) continue;
          checked++;
          const found = gate.present(line);
          if (words && !words.some((w) => found.has(w))) hidden.push(`gate, ${rule.label}: ${line}`);
          if (loose && !loose.test(`x = 1\n${line}\n}`)) hidden.push(`loose, ${rule.label}: ${line}`);
        }
      }
      expect(hidden).toEqual([]);
      if (def.rules.length > 0) expect(checked, "some sample matches a rule").toBeGreaterThan(0);
    });
    for (const [path, lines] of Object.entries(cases.fires)) {
      for (const line of lines) {
        it(`fires on ${path}: ${show(line.trim())}`, () => {
          const hits = hitsForAdded(def, path, line);
          expect(hits.map((h) => h.signal), `expected ${def.id} to fire`).toContain(def.id);
          expect(hits[0]!.line).toBe(1);
          expect(hits[0]!.removed).toBe(false);
        });
      }
    }
    for (const [path, lines] of Object.entries(cases.silent)) {
      for (const line of lines) {
        it(`stays silent on ${path}: ${show(line.trim())}`, () => {
          const hits = hitsForAdded(def, path, line);
          expect(hits, `unexpected hit: ${JSON.stringify(hits[0])}`).toEqual([]);
        });
      }
    }
    for (const [path, lines] of Object.entries(cases.moved ?? {})) {
      for (const line of lines) {
        it(`does not fire again when moved or re-indented in ${path}: ${show(line.trim())}`, () => {
          expect(hitsForAdded(def, path, line).length, "the unmoved line must fire").toBeGreaterThan(0);
          const hits = scan(def, [{ path, status: "modified", patch: patchOf([restyled(line)], [line]) }]);
          expect(hits).toEqual([]);
          const across = scan(def, [
            { path: `old/${path}`, status: "modified", patch: patchOf([], [line]) },
            { path, status: "modified", patch: patchOf([restyled(line)]) },
          ]);
          expect(across, "moved to another file").toEqual([]);
        });
      }
    }
    for (const [path, lines] of Object.entries(cases.firesWhenRemoved ?? {})) {
      for (const line of lines) {
        it(`fires when ${path} loses: ${show(line.trim())}`, () => {
          const hits = hitsForRemoved(def, path, line);
          expect(hits.map((h) => h.signal)).toContain(def.id);
          expect(hits[0]!.removed).toBe(true);
        });
      }
    }
  });
}
