import { minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { estimateBraceAlternatives } from "../../src/engine/paths/glob.js";
import { PathIndex } from "../../src/engine/paths/path-index.js";

const decide = (patterns: string[], path: string) => new PathIndex([{ owner: "x", patterns }]).matches(path);

describe("path lists", () => {
  it("use minimatch's meaning, not gitignore's", () => {
    expect(decide(["*.proto"], "api.proto")).toBe(true);
    expect(decide(["*.proto"], "api/v1/api.proto")).toBe(false);
    expect(decide(["**/*.proto"], "api/v1/api.proto")).toBe(true);
    expect(decide(["apps/web"], "apps/web/x.ts")).toBe(false);
    expect(decide(["apps/web/**"], "apps/web/x.ts")).toBe(true);
  });

  it("include dot files", () => {
    expect(decide(["apps/**"], "apps/.env")).toBe(true);
    expect(decide(["**/*.yml"], ".github/workflows/ci.yml")).toBe(true);
  });

  it("let the last matching pattern decide, with ! excluding", () => {
    expect(decide(["src/**", "!src/gen/**"], "src/gen/a.ts")).toBe(false);
    expect(decide(["src/**", "!src/gen/**", "src/gen/keep.ts"], "src/gen/keep.ts")).toBe(true);
    expect(decide(["!src/gen/**", "src/**"], "src/gen/a.ts")).toBe(true);
    expect(decide(["!src/**"], "src/a.ts")).toBe(false);
  });

  it("expand braces", () => {
    expect(decide(["{apps,libs}/web/**"], "libs/web/a.ts")).toBe(true);
    expect(decide(["src/**/*.{ts,tsx}"], "src/a/b.tsx")).toBe(true);
    expect(decide(["src/**/*.{ts,tsx}"], "src/a/b.js")).toBe(false);
  });

  it("return every owner that decides, in the order given", () => {
    const index = new PathIndex([
      { owner: "b", patterns: ["src/**"] },
      { owner: "a", patterns: ["src/a/**"] },
      { owner: "c", patterns: ["lib/**"] },
    ]);
    expect(index.decide("src/a/x.ts")).toEqual(["b", "a"]);
  });

  it("decide exactly as minimatch over every pattern does (a brute-force cross-check)", () => {
    const folders = ["apps", "libs", "services", ".github", "infra"];
    const names = ["web", "api", "auth", "db", "x-y", ".hidden"];
    const files: string[] = [];
    for (const a of folders) for (const b of names) for (const f of ["index.ts", "a.test.ts", "b.snap", "main.go", ".env"]) files.push(`${a}/${b}/${f}`);
    files.push("README.md", "go.mod", "apps/web/src/deep/er/file.tsx");
    const lists = [
      ["apps/web/**", "!apps/web/**/*.snap"],
      ["**/*.go"],
      ["{apps,libs}/api/**", "!**/*.test.ts"],
      ["services/*/index.ts", "infra/**"],
      ["**", "!**/.env", "apps/**/.env"],
      ["*.md", "go.mod"],
      [".github/**/*", "!.github/x-y/**"],
      ["apps/+(web|api)/**"],
      ["libs/[ad]*/**"],
    ];
    const index = new PathIndex(lists.map((patterns, i) => ({ owner: i, patterns })));
    const brute = (path: string) =>
      lists.flatMap((patterns, i) => {
        let decided = false;
        for (const p of patterns) {
          const neg = p.startsWith("!");
          if (minimatch(path, neg ? p.slice(1) : p, { dot: true })) decided = !neg;
        }
        return decided ? [i] : [];
      });
    for (const f of files) expect(index.decide(f), f).toEqual(brute(f));
  });
});

describe("brace expansion estimate", () => {
  it("bounds the number of patterns without expanding them", () => {
    expect(estimateBraceAlternatives("src/**")).toBe(1);
    expect(estimateBraceAlternatives("{a,b}/{c,d,e}")).toBe(6);
    expect(estimateBraceAlternatives("{a,{b,c}}")).toBe(3);
    expect(estimateBraceAlternatives("{1..100}")).toBe(100);
    expect(estimateBraceAlternatives("{a}")).toBe(1);
    expect(estimateBraceAlternatives("{a,b")).toBe(1);
    expect(estimateBraceAlternatives("{a,b}".repeat(40))).toBe(1e9);
  });
});
