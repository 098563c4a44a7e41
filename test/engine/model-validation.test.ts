import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/engine/model/parse.js";
import { formatDiagnostic } from "../../src/engine/source/diagnostic.js";
import { SHOP_MODEL, replace } from "../helpers/models.js";

function errorsOf(text: string): string[] {
  const r = parseModel({ path: "threat-model.yml", content: text });
  if (r.ok) return [];
  return r.errors.map(formatDiagnostic);
}

function warningsOf(text: string): string[] {
  return parseModel({ path: "threat-model.yml", content: text }).warnings.map(formatDiagnostic);
}

/** 1-based line of the first line of `text` equal to `line`. */
function lineOf(text: string, line: string, nth = 1): number {
  const lines = text.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i] === line && ++seen === nth) return i + 1;
  throw new Error(`no line ${line}`);
}

describe("a valid model", () => {
  it("parses with every default filled in", () => {
    const r = parseModel({ path: "threat-model.yml", content: SHOP_MODEL });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const browser = r.model.components.find((c) => c.id === "browser")!;
    expect(browser).toEqual({ id: "browser", name: "browser", type: "actor", zone: "internet", paths: [], data: [], owners: [] });
    expect(r.model.threats[0]!.mitigations).toEqual([]);
    expect(r.model.champions).toEqual(["alice", "@acme/appsec"]);
    expect(r.warnings).toEqual([]);
    expect(r.lines.get("web")).toBe(lineOf(SHOP_MODEL, "  - id: web"));
  });

  it("accepts quoted and plain dates alike, and a date-time's date", () => {
    const quoted = replace(SHOP_MODEL, "reviewed_at: 2026-10-01\nchampions", 'reviewed_at: "2026-10-01T08:30:00Z"\nchampions');
    const r = parseModel({ path: "m.yml", content: quoted });
    expect(r.ok && r.model.reviewed_at).toBe("2026-10-01");
  });

  it("treats an empty section as an empty list", () => {
    const r = parseModel({ path: "m.yml", content: "version: 1\ntrust_zones: [{id: a}]\ncomponents:\nthreats:\n" });
    expect(r.ok).toBe(true);
  });
});

describe("validation errors say where and what", () => {
  it("a list used as a key is an error where it stands, with nothing printed by the YAML library", async () => {
    const emitted: unknown[] = [];
    const listener = (w: unknown) => emitted.push(w);
    process.on("warning", listener);
    try {
      expect(errorsOf("version: 1\ntitle: x\n? [a, b]\n: c\ntrust_zones: [{id: z}]\n")).toEqual(["threat-model.yml:3:3: a key must be a plain name, not a list or a mapping"]);
      // Node hands process warnings to listeners on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    expect(emitted).toEqual([]);
  });

  it("a wrong type points at the value", () => {
    const text = replace(SHOP_MODEL, "    trust: 80", "    trust: high");
    expect(errorsOf(text)).toEqual([`threat-model.yml:${lineOf(text, "    trust: high")}:12: zone "internal": trust: expected a number, got the string "high"`]);
  });

  it("an unknown enum value lists the allowed ones", () => {
    const text = replace(SHOP_MODEL, "    type: datastore", "    type: database");
    expect(errorsOf(text)).toEqual([
      `threat-model.yml:${lineOf(text, "    type: database")}:11: component "db": type: "database" is not one of: actor, external, process, datastore`,
    ]);
  });

  it("a number out of range, a bad id and a bad champion", () => {
    const text = replace(replace(replace(SHOP_MODEL, "trust: 40", "trust: 140"), "  - id: db", "  - id: DB_main"), '[alice, "@acme/appsec"]', '[alice, "not a login"]');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^threat-model\.yml:4:\d+: champions\[1\]: "not a login" is neither a GitHub login/);
    expect(errors[1]).toBe(`threat-model.yml:${lineOf(text, "    trust: 140")}:12: zone "dmz": trust: must be between 0 and 100`);
    expect(errors[2]).toMatch(new RegExp(`^threat-model\\.yml:${lineOf(text, "  - id: DB_main")}:9: components\\[3\\]: id: "DB_main" is not a valid id`));
    // The flow that pointed at "db" now points nowhere: said too, at the reference.
    expect(errors[3]).toBe(`threat-model.yml:${lineOf(text, "    destination: db")}:18: flow "payments-db": destination: component "db" does not exist (known: browser, web, payments, DB_main, processor)`);
  });

  it("a missing key points at the first line of the entry that lacks it", () => {
    const text = replace(SHOP_MODEL, "    type: datastore\n", "");
    expect(errorsOf(text)).toEqual([`threat-model.yml:${lineOf(text, "  - id: db")}:5: component "db": missing required key "type"`]);
  });

  it("a duplicate id points at the second occurrence, across kinds", () => {
    const text = replace(SHOP_MODEL, "  - id: charge\n", "  - id: web\n");
    expect(errorsOf(text)).toEqual([
      `threat-model.yml:${lineOf(text, "  - id: web", 2)}:9: duplicate id "web": already used by the component at line ${lineOf(text, "  - id: web")}; ids are unique across the whole model`,
    ]);
  });

  it("references that point nowhere or at the wrong kind", () => {
    let text = replace(SHOP_MODEL, "    zone: internal\n    paths: [\"db/**\"]", "    zone: intranet\n    paths: [\"db/**\"]");
    text = replace(text, "    destination: processor", "    destination: third-party");
    text = replace(text, "    data: [orders]", "    data: [orders, cards]");
    text = replace(text, "    targets: [login]", "    targets: [login, nothing]");
    text = replace(text, "  - id: internal\n    trust: 80", "  - id: internal\n    trust: 80\n    parent: edge");
    expect(errorsOf(text)).toEqual([
      `threat-model.yml:${lineOf(text, "    parent: edge")}:13: zone "internal": parent: zone "edge" does not exist (known: internet, dmz, internal, third-party)`,
      `threat-model.yml:${lineOf(text, "    zone: intranet")}:11: component "db": zone: zone "intranet" does not exist (known: internet, dmz, internal, third-party)`,
      `threat-model.yml:${lineOf(text, "    data: [orders, cards]")}:20: flow "payments-db": data: data asset "cards" does not exist (known: credentials, orders)`,
      `threat-model.yml:${lineOf(text, "    destination: third-party")}:18: flow "charge": destination: "third-party" is a zone, not a component`,
      `threat-model.yml:${lineOf(text, "    targets: [login, nothing]")}:22: threat "login-stuffing": targets: component, flow or zone "nothing" does not exist (known: browser, web, payments, db, processor, login, web-payments, payments-db, charge, internet, dmz, internal, …)`,
    ]);
  });

  it("a loop in zone nesting is reported once", () => {
    const text = replace(replace(SHOP_MODEL, "    trust: 40\n", "    trust: 40\n    parent: internal\n"), "    trust: 80\n", "    trust: 80\n    parent: dmz\n");
    expect(errorsOf(text)).toEqual([`threat-model.yml:${lineOf(text, "    parent: internal")}:13: zone "dmz": parent chain loops (dmz -> internal -> dmz)`]);
  });

  it("a malformed or impossible date", () => {
    const text = replace(SHOP_MODEL, "    reviewed_at: 2026-10-01\n  - id: payments", "    reviewed_at: 2026-02-30\n  - id: payments");
    expect(errorsOf(text)).toEqual([`threat-model.yml:${lineOf(text, "    reviewed_at: 2026-02-30")}:18: component "web": reviewed_at: "2026-02-30" is not a valid ISO date such as 2026-09-14`]);
    expect(errorsOf(replace(SHOP_MODEL, "reviewed_at: 2026-10-01\nchampions", "reviewed_at: last week\nchampions"))[0]).toContain("reviewed_at: \"last week\" is not a valid ISO date");
  });

  it("invalid globs: empty, absolute, parent folders, lone negation, too long, brace bombs", () => {
    const cases: [string, string][] = [
      ['""', "the glob is empty"],
      ['"/etc/**"', 'without the leading "/"'],
      ['"../other/**"', '".." cannot appear'],
      ['"!"', '"!" needs a pattern after it'],
      [`"${"a".repeat(1001)}"`, "the glob is 1001 characters long; the limit is 1000"],
      [`"${"{a,b}".repeat(8)}"`, "expand to more than 64 patterns"],
      ['"src/{1..1000}/x"', "expand to more than 64 patterns"],
    ];
    for (const [glob, message] of cases) {
      const text = replace(SHOP_MODEL, 'paths: ["db/**"]', `paths: ["db/**", ${glob}]`);
      const errors = errorsOf(text);
      expect(errors, glob).toHaveLength(1);
      expect(errors[0], glob).toContain(`threat-model.yml:${lineOf(text, `    paths: ["db/**", ${glob}]`)}:22: component "db": paths[1]: `);
      expect(errors[0], glob).toContain(message);
    }
  });

  it("version must be 1", () => {
    expect(errorsOf(replace(SHOP_MODEL, "version: 1", "version: 2"))).toEqual(["threat-model.yml:1:10: version: must be 1, got the number 2"]);
    expect(errorsOf(replace(SHOP_MODEL, "version: 1\n", ""))).toEqual(['threat-model.yml:1:1: missing required key "version"']);
  });

  it("at least one trust zone", () => {
    expect(errorsOf("version: 1\ntrust_zones: []\n")).toEqual(["threat-model.yml:2:14: trust_zones: needs at least one trust zone"]);
  });

  it("reports every error in one run", () => {
    const text = replace(replace(SHOP_MODEL, "    type: datastore", "    type: database"), "    destination: processor", "    destination: nowhere");
    expect(errorsOf(text)).toHaveLength(2);
  });

  it("YAML syntax errors carry their position", () => {
    expect(errorsOf("version: 1\ntrust_zones: [\n  {id: a\n")[0]).toMatch(/^threat-model\.yml:\d+:\d+: /);
    expect(errorsOf("version: 1\nversion: 1\ntrust_zones: [{id: a}]\n")).toEqual(["threat-model.yml:2:1: Map keys must be unique"]);
  });

  it("a model that is not a mapping", () => {
    expect(errorsOf("- a\n- b\n")[0]).toContain("threat-model.yml:1:1: a threat model is a mapping");
  });
});

describe("warnings", () => {
  it("unknown keys are warnings, not errors, at the key", () => {
    const text = replace(replace(SHOP_MODEL, "title: Shop", "title: Shop\nowner: platform"), "    zone: dmz", "    zone: dmz\n    path: [\"apps/**\"]");
    const r = parseModel({ path: "threat-model.yml", content: text });
    expect(r.ok).toBe(true);
    expect(warningsOf(text)).toEqual([
      `threat-model.yml:3:1: warning: unknown top-level key "owner" is ignored (known: version, title, description, reviewed_at, champions, trust_zones, components, data_assets, data_flows, threats)`,
      `threat-model.yml:${lineOf(text, '    path: ["apps/**"]')}:5: warning: component "web": unknown key "path" is ignored (known: id, name, description, type, zone, paths, data, owners, reviewed_at)`,
    ]);
  });
});
