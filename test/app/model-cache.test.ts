import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedModels, blobSha } from "../../src/app/model-cache.js";
import { loadConfig, review } from "../../src/engine/index.js";
import { SHOP_MODEL, replace } from "../helpers/models.js";

describe("parsed models by blob", () => {
  it("computes git's blob id, the sha the contents API reports", () => {
    const dir = mkdtempSync(join(tmpdir(), "tmr-blob-"));
    try {
      writeFileSync(join(dir, "m.yml"), SHOP_MODEL);
      const git = execFileSync("git", ["hash-object", join(dir, "m.yml")], { encoding: "utf8" }).trim();
      expect(blobSha(SHOP_MODEL)).toBe(git);
      expect(blobSha(new TextEncoder().encode(SHOP_MODEL))).toBe(git);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses a model once, and again only when its content or path differs", () => {
    const models = new ParsedModels();
    const a = models.parse({ path: "threat-model.yml", content: SHOP_MODEL });
    expect(models.parse({ path: "threat-model.yml", content: new TextEncoder().encode(SHOP_MODEL) })).toBe(a);
    const changed = models.parse({ path: "threat-model.yml", content: replace(SHOP_MODEL, "title: Shop", "title: Shop 2") });
    expect(changed).not.toBe(a);
    expect(models.parse({ path: "other.yml", content: SHOP_MODEL })).not.toBe(a);
    expect({ hits: models.hits, misses: models.misses }).toEqual({ hits: 1, misses: 3 });
  });

  it("hands out frozen results that a review can use again and again", () => {
    const models = new ParsedModels();
    const file = { path: "threat-model.yml", content: SHOP_MODEL };
    const parsed = models.parse(file);
    expect(parsed.ok && Object.isFrozen(parsed.model.components[0])).toBe(true);
    const input = { config: loadConfig(null), baseModel: file, headModel: file, changes: [{ path: "apps/web/src/routes/refunds.ts", status: "added" as const, patch: "@@ -0,0 +1,1 @@\n+router.post(\"/refunds\", refund);" }], today: "2026-11-27", parse: models.parse };
    const first = review(input);
    const second = review(input);
    expect(second).toEqual(first);
    expect(first.findings.length).toBeGreaterThan(0);
  });

  it("keeps only the most recently used", () => {
    const models = new ParsedModels(2);
    const file = (n: number) => ({ path: "threat-model.yml", content: replace(SHOP_MODEL, "title: Shop", `title: Shop ${n}`) });
    const one = models.parse(file(1));
    models.parse(file(2));
    models.parse(file(3));
    expect(models.parse(file(1))).not.toBe(one);
  });

  it("bounds what it keeps by the size of the models, not only their count", () => {
    const bytes = new TextEncoder().encode(SHOP_MODEL).byteLength;
    // Room for two of these models' source, whatever the count allows.
    const models = new ParsedModels(16, bytes * 2 + 10);
    const file = (n: number) => ({ path: "threat-model.yml", content: replace(SHOP_MODEL, "title: Shop", `title: Shop ${n}`) });
    const one = models.parse(file(1));
    const two = models.parse(file(2));
    models.parse(file(3));
    expect(models.size.models).toBe(2);
    expect(models.size.sourceBytes).toBeLessThanOrEqual(bytes * 2 + 10);
    expect(models.parse(file(2))).toBe(two);
    expect(models.parse(file(1))).not.toBe(one);
    // A model larger than the whole budget is parsed but not kept.
    const small = new ParsedModels(16, 100);
    const big = small.parse(file(4));
    expect(small.parse(file(4))).not.toBe(big);
    expect(small.size.models).toBe(0);
  });
});
