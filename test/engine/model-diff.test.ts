import { describe, expect, it } from "vitest";
import { diffModels } from "../../src/engine/model/diff.js";
import { parseModel } from "../../src/engine/model/parse.js";
import type { ThreatModel } from "../../src/engine/model/types.js";
import { SHOP_MODEL, edit, replace } from "../helpers/models.js";

function model(text: string): ThreatModel {
  const r = parseModel({ path: "m.yml", content: text });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
  return r.model;
}

describe("the semantic model diff", () => {
  const base = model(SHOP_MODEL);

  it("sees nothing in the same model", () => {
    expect(diffModels(base, model(SHOP_MODEL))).toEqual([]);
  });

  it("ignores the order of elements, keys and id lists, and the spelling of dates", () => {
    const reordered = SHOP_MODEL
      .replace('champions: [alice, "@acme/appsec"]', 'champions: ["@acme/appsec", "alice"]')
      .replace("reviewed_at: 2026-10-01\nchampions", "reviewed_at: '2026-10-01'\nchampions")
      .replace("    type: actor\n    zone: internet", "    zone: internet\n    type: actor")
      .replace("  - id: internet\n    trust: 0\n  - id: dmz\n    trust: 40\n    paths: [\"infra/edge/**\"]\n", "  - id: dmz\n    trust: 40\n    paths: [\"infra/edge/**\"]\n  - id: internet\n    trust: 0\n");
    expect(diffModels(base, model(reordered))).toEqual([]);
  });

  it("treats an explicit name equal to the id as no change", () => {
    expect(diffModels(base, model(replace(SHOP_MODEL, "  - id: db\n", "  - id: db\n    name: db\n")))).toEqual([]);
  });

  it("the order of paths is a change: it decides negation", () => {
    const swapped = replace(SHOP_MODEL, '["apps/web/**", "!apps/web/**/*.snap"]', '["!apps/web/**/*.snap", "apps/web/**"]');
    expect(diffModels(base, model(swapped))).toEqual([{ change: "changed", kind: "component", id: "web", fields: ["paths"] }]);
  });

  it("reports added, removed and changed elements and model fields, sorted", () => {
    let head = edit(SHOP_MODEL, "data_flows:", "  - id: a-flow\n    source: web\n    destination: db\n");
    head = replace(head, "  - id: orders\n    classification: confidential\n", "");
    head = replace(head, "    data: [orders]\n", "");
    head = replace(head, "title: Shop", "title: Shop checkout");
    head = replace(head, '[alice, "@acme/appsec"]', "[alice]");
    expect(diffModels(base, model(head))).toEqual([
      { change: "removed", kind: "data", id: "orders" },
      { change: "added", kind: "flow", id: "a-flow" },
      { change: "changed", kind: "flow", id: "payments-db", fields: ["data"] },
      { change: "changed", kind: "model", id: "champions" },
      { change: "changed", kind: "model", id: "title" },
    ]);
  });

  it("a new model is all added; a deleted one all removed", () => {
    const added = diffModels(null, base);
    expect(added.every((c) => c.change === "added")).toBe(true);
    expect(added.filter((c) => c.kind === "component")).toHaveLength(5);
    expect(diffModels(base, null).every((c) => c.change === "removed")).toBe(true);
  });
});
