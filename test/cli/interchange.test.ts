/**
 * `import` and `export` through runImport/runExport with a fake Io and real temp files:
 * what a user sees on stdout and stderr, the exit code, and the files written.
 * Errors that main() turns into "threat-model-review: <message>" and exit 2 are thrown as
 * UsageError or CliError; they are checked here as thrown, with their message.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runExport, runImport, type ExportOptions, type ImportOptions } from "../../src/cli/interchange.js";
import { CliError, UsageError, type Io } from "../../src/cli/main.js";
import { parseModel } from "../../src/engine/model/parse.js";
import { ROOT } from "../helpers/cli.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A temp directory with the example models copied in. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "tmr-interchange-"));
  temps.push(dir);
  for (const name of ["clinic-appointments.otm.json", "fleet-telematics.threagile.yaml", "library-lending.threat-dragon.json", "library-lending.paths.yml"]) {
    copyFileSync(join(ROOT, "fixtures", "interchange", name), join(dir, name));
  }
  copyFileSync(join(ROOT, "threat-model.yml"), join(dir, "threat-model.yml"));
  return dir;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function fakeIo(cwd: string): { io: Io; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (s) => void (out.stdout += s),
      stderr: (s) => void (out.stderr += s),
      readStdin: async () => "",
      cwd,
    },
  };
}

async function importIn(cwd: string, options: ImportOptions): Promise<Ran> {
  const { io, out } = fakeIo(cwd);
  const code = await runImport(options, io);
  return { code, ...out };
}

async function exportIn(cwd: string, options: ExportOptions): Promise<Ran> {
  const { io, out } = fakeIo(cwd);
  const code = await runExport(options, io);
  return { code, ...out };
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe("import", () => {
  it("writes the model to stdout and what was not carried to stderr, one line each", async () => {
    const dir = workspace();
    const r = await importIn(dir, { from: "otm", positionals: ["clinic-appointments.otm.json"] });
    expect(r.code).toBe(0);
    const parsed = parseModel({ path: "out.yml", content: r.stdout });
    expect(parsed.ok).toBe(true);
    expect(r.stdout.startsWith("# Imported from clinic-appointments.otm.json (Open Threat Model) by threat-model-review import.\n")).toBe(true);
    const err = lines(r.stderr);
    expect(err.slice(0, 2)).toEqual(['id changed: trust zone "Partner-Network" is now partner-network', 'id changed: component "Admin Console" is now admin-console']);
    expect(err.slice(2).every((l) => l.startsWith("not carried: "))).toBe(true);
    expect(err).toContain("not carried: threat pharmacy-fraud: the whole threat (no component or dataflow carries it)");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("imports each format, and the --paths mapping", async () => {
    const dir = workspace();
    const threagile = await importIn(dir, { from: "threagile", positionals: ["fleet-telematics.threagile.yaml"] });
    expect(threagile.code).toBe(0);
    expect(parseModel({ path: "t.yml", content: threagile.stdout }).ok).toBe(true);
    const td = await importIn(dir, { from: "threat-dragon", positionals: ["library-lending.threat-dragon.json"], paths: "library-lending.paths.yml" });
    expect(td.code).toBe(0);
    const model = parseModel({ path: "td.yml", content: td.stdout });
    expect(model.ok && model.model.components.find((c) => c.name === "Lending API")!.paths).toEqual(["services/lending/**", "!services/lending/**/*.test.ts"]);
    expect(lines(td.stderr)).toContain('not carried: boundary d3e4f5a6-b7c8-4d9e-afb0-c1d2e3f4a5fc "Internet edge": a boundary curve has no inside, so it makes no zone');
  });

  it("writes --out, and refuses to overwrite it without --force", async () => {
    const dir = workspace();
    const first = await importIn(dir, { from: "threagile", positionals: ["fleet-telematics.threagile.yaml"], out: "threat-model.imported.yml" });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("wrote threat-model.imported.yml (5 zones, 11 components, 10 flows, 6 data assets, 7 threats)\n");
    expect(lines(first.stderr).every((l) => /^(not carried|id changed): /.test(l))).toBe(true);
    const written = readFileSync(join(dir, "threat-model.imported.yml"), "utf8");
    expect(parseModel({ path: "x.yml", content: written }).ok).toBe(true);

    writeFileSync(join(dir, "threat-model.imported.yml"), "keep me\n");
    await expect(importIn(dir, { from: "threagile", positionals: ["fleet-telematics.threagile.yaml"], out: "threat-model.imported.yml" })).rejects.toThrow(
      new CliError("threat-model.imported.yml already exists; pass --force to overwrite it"),
    );
    expect(readFileSync(join(dir, "threat-model.imported.yml"), "utf8")).toBe("keep me\n");

    const forced = await importIn(dir, { from: "threagile", positionals: ["fleet-telematics.threagile.yaml"], out: "threat-model.imported.yml", force: true });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "threat-model.imported.yml"), "utf8")).toBe(written);
  });

  it("refuses --out that is a directory", async () => {
    const dir = workspace();
    mkdirSync(join(dir, "models"));
    await expect(importIn(dir, { from: "otm", positionals: ["clinic-appointments.otm.json"], out: "models", force: true })).rejects.toThrow(/--out models is a directory/);
  });

  it("reports a source that does not parse as one located line, without a stack, and writes nothing", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "broken.json"), '{\n  "otmVersion": "0.2.0",\n  "project": {"name": "x", "id": "x"}\n  "trustZones": []\n}\n');
    const json = await importIn(dir, { from: "otm", positionals: ["broken.json"], out: "out.yml" });
    expect(json.code).toBe(2);
    expect(json.stdout).toBe("");
    expect(lines(json.stderr)).toEqual(['broken.json:4:3: not valid JSON: expected "," or "}" after a property value, found "\\"" (missing comma?)']);
    expect(existsSync(join(dir, "out.yml"))).toBe(false);

    writeFileSync(join(dir, "broken.yaml"), "title: Fleet\ntechnical_assets:\n  App:\n    id: app\n   type: process\n");
    const yaml = await importIn(dir, { from: "threagile", positionals: ["broken.yaml"] });
    expect(yaml.code).toBe(2);
    expect(lines(yaml.stderr)).toHaveLength(1);
    expect(yaml.stderr).toMatch(/^broken\.yaml:5:\d+: /);
    expect(yaml.stderr).not.toMatch(/^\s+at /m);

    writeFileSync(join(dir, "td.json"), '{"summary": {"title": "x"}, "detail": {"diagrams": [}}');
    const td = await importIn(dir, { from: "threat-dragon", positionals: ["td.json"] });
    expect(td.code).toBe(2);
    expect(lines(td.stderr)).toEqual(["td.json:1:53: not valid JSON: unexpected \"}\": expected a value (a string, number, object, array, true, false or null)"]);
  });

  it("reports a file of the wrong format, and a --paths mapping with problems, at their lines", async () => {
    const dir = workspace();
    const wrong = await importIn(dir, { from: "threat-dragon", positionals: ["clinic-appointments.otm.json"] });
    expect(wrong.code).toBe(2);
    expect(lines(wrong.stderr)).toEqual(["clinic-appointments.otm.json:1:1: not a Threat Dragon v2 model: it has no detail.diagrams"]);

    writeFileSync(join(dir, "paths.yml"), "api-gateway: infra/gateway/**\nNobody: src/**\n");
    const bad = await importIn(dir, { from: "otm", positionals: ["clinic-appointments.otm.json"], paths: "paths.yml" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(lines(bad.stderr)).toEqual(['paths.yml:2:1: "Nobody" matches no component, flow or zone of the imported model (use an id of the model, or an id or name from the source)']);
  });

  it("rejects usage errors before doing anything", async () => {
    const dir = workspace();
    await expect(importIn(dir, { positionals: ["x.json"] })).rejects.toThrow(new UsageError("import needs --from otm|threagile|threat-dragon"));
    await expect(importIn(dir, { from: "visio", positionals: ["x.json"] })).rejects.toThrow(new UsageError('--from must be one of otm, threagile, threat-dragon, not "visio"'));
    await expect(importIn(dir, { from: "otm", positionals: [] })).rejects.toThrow(new UsageError("import needs the file to import"));
    await expect(importIn(dir, { from: "otm", positionals: ["a", "b"] })).rejects.toThrow(new UsageError("import takes one file"));
    await expect(importIn(dir, { from: "otm", positionals: ["missing.json"] })).rejects.toThrow(new CliError("cannot read missing.json: no such file"));
    await expect(importIn(dir, { from: "otm", positionals: ["clinic-appointments.otm.json"], paths: "nope.yml" })).rejects.toThrow(new CliError("cannot read nope.yml: no such file"));
    await expect(importIn(dir, { from: "otm", positionals: ["clinic-appointments.otm.json"], out: "clinic-appointments.otm.json", force: true })).rejects.toThrow(
      new CliError("--out clinic-appointments.otm.json is the file being imported; name another file"),
    );
  });
});

describe("export", () => {
  it("writes OTM 0.2 JSON to stdout, the same every time", async () => {
    const dir = workspace();
    const a = await exportIn(dir, { to: "otm" });
    const b = await exportIn(dir, { to: "otm", model: "threat-model.yml" });
    expect(a.code).toBe(0);
    expect(a.stderr).toBe("");
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout)).toMatchObject({ otmVersion: "0.2.0", project: { name: "threat-model-review" } });
  });

  it("writes --out, and export then import gives back the same model", async () => {
    const dir = workspace();
    const r = await exportIn(dir, { to: "otm", out: "model.otm.json" });
    expect(r).toEqual({ code: 0, stdout: "wrote model.otm.json (OTM 0.2)\n", stderr: "" });
    const back = await importIn(dir, { from: "otm", positionals: ["model.otm.json"], out: "back.yml" });
    expect(back.code).toBe(0);
    expect(back.stderr).toBe("");
    const original = parseModel({ path: "a.yml", content: readFileSync(join(dir, "threat-model.yml")) });
    const imported = parseModel({ path: "b.yml", content: readFileSync(join(dir, "back.yml")) });
    expect(original.ok && imported.ok).toBe(true);
    if (original.ok && imported.ok) expect(imported.model).toEqual(original.model);
  });

  it("exports nothing from an invalid model, and says why", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "bad.yml"), "version: 1\ntrust_zones:\n  - id: z\ncomponents:\n  - id: a\n    type: process\n    zone: nowhere\n");
    const r = await exportIn(dir, { to: "otm", model: "bad.yml", out: "x.json" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(lines(r.stderr)).toEqual(['bad.yml:7:11: component "a": zone: zone "nowhere" does not exist (known: z)', "bad.yml: 1 error; nothing exported"]);
    expect(existsSync(join(dir, "x.json"))).toBe(false);
  });

  it("rejects usage errors", async () => {
    const dir = workspace();
    await expect(exportIn(dir, {})).rejects.toThrow(new UsageError("export needs --to otm"));
    await expect(exportIn(dir, { to: "threagile" })).rejects.toThrow(new UsageError('--to must be otm, not "threagile"'));
    await expect(exportIn(dir, { to: "otm", positionals: ["threat-model.yml"] })).rejects.toThrow(/export takes no file argument/);
    await expect(exportIn(dir, { to: "otm", model: "none.yml" })).rejects.toThrow(new CliError("cannot read none.yml: no such file"));
    await expect(exportIn(dir, { to: "otm", out: "./threat-model.yml" })).rejects.toThrow(new CliError("--out ./threat-model.yml is the model itself; name another file"));
    expect(readFileSync(join(dir, "threat-model.yml"), "utf8")).toBe(readFileSync(join(ROOT, "threat-model.yml"), "utf8"));
  });
});
