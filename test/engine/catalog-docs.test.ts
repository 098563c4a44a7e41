import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/engine/signals/catalog.js";
import { catalogMarkdown } from "../../src/engine/signals/describe.js";
import { SIGNAL_IDS } from "../../src/engine/signals/types.js";

describe("the signal catalog", () => {
  it("holds every signal id once", () => {
    expect(CATALOG.map((s) => s.id).sort()).toEqual([...SIGNAL_IDS].sort());
  });

  it("docs/signals.md is current (run `npm run docs` after changing a signal)", () => {
    const doc = readFileSync(new URL("../../docs/signals.md", import.meta.url), "utf8");
    expect(doc).toBe(catalogMarkdown(CATALOG));
  });
});
