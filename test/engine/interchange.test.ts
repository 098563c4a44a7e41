/**
 * Import from OTM, Threagile and Threat Dragon, export to OTM, the --paths mapping and the
 * model writer. The example models in fixtures/interchange/ are realistic; small inline
 * documents pin down one rule each.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { IdSpace, toId } from "../../src/engine/interchange/ids.js";
import { importModel } from "../../src/engine/interchange/index.js";
import { exportOtm, importOtm, toOtm } from "../../src/engine/interchange/otm.js";
import { applyPathMapping } from "../../src/engine/interchange/paths.js";
import { importThreagile } from "../../src/engine/interchange/threagile.js";
import { importThreatDragon } from "../../src/engine/interchange/threat-dragon.js";
import type { Imported, ImportResult } from "../../src/engine/interchange/types.js";
import { parseModel } from "../../src/engine/model/parse.js";
import type { ThreatModel } from "../../src/engine/model/types.js";
import { writeModel } from "../../src/engine/model/write.js";
import { parseGlob } from "../../src/engine/paths/glob.js";
import { formatDiagnostic } from "../../src/engine/source/diagnostic.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = join(ROOT, "fixtures", "interchange");
const OTM_FIXTURE = "clinic-appointments.otm.json";
const THREAGILE_FIXTURE = "fleet-telematics.threagile.yaml";
const TD_FIXTURE = "library-lending.threat-dragon.json";

function fixture(name: string): { path: string; content: string } {
  return { path: `fixtures/interchange/${name}`, content: readFileSync(join(FIXTURES, name), "utf8") };
}

function ok(r: ImportResult): Imported {
  if (!r.ok) throw new Error(`import failed:\n${r.errors.map(formatDiagnostic).join("\n")}`);
  return r;
}

function errors(r: ImportResult | { ok: false; errors: { line: number }[] } | { ok: true }): string[] {
  if (r.ok) throw new Error("expected errors");
  return (r as { errors: Parameters<typeof formatDiagnostic>[0][] }).errors.map(formatDiagnostic);
}

const byId = <T extends { id: string }>(list: readonly T[], id: string): T => {
  const found = list.find((e) => e.id === id);
  if (!found) throw new Error(`no element ${id} in [${list.map((e) => e.id).join(", ")}]`);
  return found;
};

/** The model written and read back: it validates, and reading gives the same model. */
function expectValidAndStable(model: ThreatModel): void {
  const text = writeModel(model);
  const parsed = parseModel({ path: "imported.yml", content: text });
  if (!parsed.ok) throw new Error(parsed.errors.map(formatDiagnostic).join("\n"));
  expect(parsed.warnings).toEqual([]);
  expect(parsed.model).toEqual(model);
  expect(writeModel(parsed.model)).toBe(text);
}

// ---------------------------------------------------------------------------------------
// Small OTM documents

interface OtmParts {
  trustZones?: unknown[];
  components?: unknown[];
  dataflows?: unknown[];
  threats?: unknown[];
  mitigations?: unknown[];
  assets?: unknown[];
  representations?: unknown[];
  project?: Record<string, unknown>;
}

function otm(parts: OtmParts): string {
  return JSON.stringify(
    {
      otmVersion: "0.2.0",
      project: { name: "Small", id: "small", ...parts.project },
      ...(parts.representations && { representations: parts.representations }),
      assets: parts.assets ?? [],
      trustZones: parts.trustZones ?? [{ id: "net", name: "Net", risk: { trustRating: 10 } }],
      components: parts.components ?? [],
      dataflows: parts.dataflows ?? [],
      threats: parts.threats ?? [],
      mitigations: parts.mitigations ?? [],
    },
    null,
    2,
  );
}

const comp = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, type: "process", parent: { trustZone: "net" }, ...extra });
const threatDef = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, risk: { likelihood: 50, impact: 50 }, ...extra });

function importOtmText(text: string): Imported {
  return ok(importOtm({ path: "model.otm.json", content: text }));
}

// =========================================================================================

describe("ids", () => {
  it("keeps valid ids and makes the others valid", () => {
    expect(toId("web-app")).toBe("web-app");
    expect(toId("a.b_c-d")).toBe("a.b_c-d");
    expect(toId("Web App")).toBe("web-app");
    expect(toId("Admin Console!")).toBe("admin-console");
    expect(toId("api/v1 (public)")).toBe("api-v1-public");
    expect(toId("--hidden")).toBe("hidden");
    expect(toId("_x")).toBe("x");
    expect(toId("Überweisung")).toBe("uberweisung");
    expect(toId("a@b>c")).toBe("a-b-c");
    expect(toId("!!!")).toBe("");
    expect(toId("x".repeat(250))).toHaveLength(200);
  });

  it("never lets a changed id take a valid one, and reports every change", () => {
    const space = new IdSpace();
    const ids = space.claim([
      { kind: "component", source: "Web", fallback: "component" },
      { kind: "component", source: "web", fallback: "component" },
      { kind: "zone", source: "web", fallback: "zone" },
      { kind: "zone", source: "%%", fallback: "zone" },
    ]);
    expect(ids).toEqual(["web-2", "web", "web-3", "zone"]);
    expect(space.changes).toEqual([
      { kind: "component", from: "Web", to: "web-2" },
      { kind: "zone", from: "web", to: "web-3" },
      { kind: "zone", from: "%%", to: "zone" },
    ]);
  });
});

// =========================================================================================

describe("OTM import: the example model", () => {
  const r = ok(importOtm(fixture(OTM_FIXTURE)));
  const m = r.model;

  it("validates, and writes and reads back unchanged", () => {
    expectValidAndStable(m);
    expect(m.components).toHaveLength(14);
    expect(m.data_flows).toHaveLength(13);
  });

  it("keeps ids, and reports the ones it had to change; references follow", () => {
    expect(r.idChanges).toEqual([
      { kind: "trust zone", from: "Partner-Network", to: "partner-network" },
      { kind: "component", from: "Admin Console", to: "admin-console" },
    ]);
    expect(byId(m.components, "insurer-api").zone).toBe("partner-network");
    expect(byId(m.data_flows, "admin-appointments").source).toBe("admin-console");
    expect(byId(m.threats, "admin-xss").targets).toEqual(["admin-console"]);
    expect(m.components.map((c) => c.id)).toContain("patients-db");
  });

  it("nests trust zones by parent.trustZone", () => {
    expect(byId(m.trust_zones, "public-subnet").parent).toBe("aws-cloud");
    expect(byId(m.trust_zones, "private-subnet").parent).toBe("aws-cloud");
    expect(byId(m.trust_zones, "internet").parent).toBeNull();
    expect(byId(m.trust_zones, "private-subnet").trust).toBe(80);
  });

  it("places a component whose parent is a component in that component's zone, and says so", () => {
    expect(byId(m.components, "reminder-worker").zone).toBe("private-subnet");
    expect(r.notCarried).toContain("not carried: component reminder-worker: parent component appointments-service (placed in its zone, private-subnet)");
  });

  it("splits a bidirectional flow into <id> and <id>-reverse; its threats target both", () => {
    const forward = byId(m.data_flows, "schedule-sync");
    const reverse = byId(m.data_flows, "schedule-sync-reverse");
    expect([forward.source, forward.destination]).toEqual(["clinician-app", "api-gateway"]);
    expect([reverse.source, reverse.destination]).toEqual(["api-gateway", "clinician-app"]);
    expect(reverse.name).toBe("Live schedule updates (reverse)");
    expect(reverse.data).toEqual(forward.data);
    expect(byId(m.threats, "ws-hijack").targets).toEqual(["schedule-sync", "schedule-sync-reverse"]);
    expect(r.notCarried).toContain("not carried: dataflow schedule-sync: bidirectional (imported as two flows, schedule-sync and schedule-sync-reverse)");
  });

  it("gives a threat on several elements the least settled state, and reports it", () => {
    const t = byId(m.threats, "session-hijack");
    expect(t.targets).toEqual(["api-gateway", "booking-requests"]);
    expect(t.status).toBe("open");
    expect(r.notCarried).toContain(
      "not carried: threat session-hijack: different states on its elements (component api-gateway: mitigated, dataflow booking-requests: open); imported as open, the least settled",
    );
  });

  it("maps states, categories, scales and mitigations", () => {
    expect(m.threats.map((t) => [t.id, t.status])).toEqual([
      ["session-hijack", "open"],
      ["gateway-ddos", "investigating"],
      ["sql-injection", "mitigated"],
      ["idor-records", "open"],
      ["bucket-public", "not-applicable"],
      ["audit-tamper", "open"],
      ["email-spoofing", "accepted"],
      ["claim-disclosure", "transferred"],
      ["ws-hijack", "open"],
      ["admin-xss", "mitigated"],
    ]);
    expect(byId(m.threats, "idor-records")).toMatchObject({ category: "information-disclosure", likelihood: "medium", impact: "very-high" });
    expect(byId(m.threats, "claim-disclosure").likelihood).toBeUndefined();
    expect(byId(m.threats, "sql-injection").mitigations).toEqual(["Parameterised queries only"]);
    expect(byId(m.data_assets, "patient-record").classification).toBe("secret");
    expect(byId(m.data_assets, "static-content").classification).toBe("public");
    expect(byId(m.data_assets, "audit-event").classification).toBe("internal");
    expect(byId(m.components, "patients-db").data).toEqual(["patient-record", "appointment"]);
  });

  it("turns code representations into exact-path globs", () => {
    const service = byId(m.components, "appointments-service");
    expect(service.paths).toEqual(["services/appointments/src/server.ts", "services/appointments/src/routes/\\[clinicId\\]/book.ts"]);
    const [, escaped] = service.paths;
    expect(parseGlob(escaped!).alternatives[0]!.match("services/appointments/src/routes/[clinicId]/book.ts")).toBe(true);
    expect(parseGlob(escaped!).alternatives[0]!.match("services/appointments/src/routes/c/book.ts")).toBe(false);
    expect(byId(m.components, "reminder-worker").paths).toEqual(["services/reminders/worker.ts"]);
    expect(byId(m.trust_zones, "public-subnet").paths).toEqual(["infra/network/public.tf"]);
    expect(r.notCarried).toContain('not carried: component api-gateway: line 12 of code file "infra/gateway/routes.yaml" (paths name whole files)');
  });

  it("lists everything it did not carry over", () => {
    const expected = [
      'not carried: project: owner "Platform team", ownerContact "platform@clinic.example", tags ["healthcare", "gdpr"]',
      'not carried: representation diagram-1: diagram representation "Architecture diagram" (positions and sizes of its elements)',
      'not carried: representation code-1: repository url "https://git.example/clinic/platform" (paths are read relative to this repository)',
      'not carried: dataflow claims-export: the whole flow (destination "Partner-Network" is a trust zone, not a component)',
      "not carried: threat pharmacy-fraud: the whole threat (no component or dataflow carries it)",
      'not carried: asset patient-record: risk.integrity 80, risk.availability 60, risk.comment "Special-category data under GDPR art. 9"',
      'not carried: trust zone internet: type "b61d6911-338d-46a8-9f39-8dcd24abfe91"',
      'not carried: component patients-db: type "postgresql-database" (imported as datastore)',
      'not carried: component appointments-service: tags ["node", "typescript"]',
      'not carried: dataflow booking-requests: attributes.protocol "HTTPS"',
      'not carried: dataflow audit-events: tags ["async"]',
      'not carried: mitigation m-rate-limit: description "Token bucket, 20 requests per second per client", riskReduction 70',
      'not carried: threat session-hijack: cwes ["CWE-384"]',
      'not carried: threat gateway-ddos: risk.impactComment "Bookings fail; clinics fall back to phone"',
      'not carried: threat idor-records: categories ["OWASP A01"] (kept information-disclosure)',
      'not carried: threat audit-tamper: state "partly-mitigated" on component audit-queue (imported as open)',
      "not carried: mitigation m-waf: the whole mitigation (no threat instance uses it)",
    ];
    for (const line of expected) expect(r.notCarried).toContain(line);
    expect(r.notCarried.every((l) => /^not carried: [^:]+: ./.test(l))).toBe(true);
    expect(new Set(r.notCarried).size).toBe(r.notCarried.length);
  });
});

describe("OTM import: rules", () => {
  it("maps every state word of the spec, case-insensitively; an unknown one is open and reported", () => {
    const states: [string, string][] = [
      ["exposed", "open"],
      ["Open", "open"],
      ["identified", "open"],
      ["investigating", "investigating"],
      ["mitigated", "mitigated"],
      ["Implemented", "mitigated"],
      ["resolved", "mitigated"],
      ["accepted", "accepted"],
      ["transferred", "transferred"],
      ["not-applicable", "not-applicable"],
      ["false-positive", "not-applicable"],
      ["NOT APPLICABLE", "not-applicable"],
      ["under-review", "open"],
    ];
    const r = importOtmText(
      otm({
        components: [comp("svc", { threats: states.map(([state], i) => ({ threat: `t${i}`, state })) })],
        threats: states.map((_, i) => threatDef(`t${i}`)),
      }),
    );
    expect(r.model.threats.map((t) => t.status)).toEqual(states.map(([, s]) => s));
    expect(r.notCarried).toEqual(['not carried: threat t12: state "under-review" on component svc (imported as open)']);
  });

  it("orders states from least to most settled", () => {
    const order = ["open", "investigating", "accepted", "transferred", "mitigated", "not-applicable"];
    for (let i = 0; i < order.length; i++) {
      for (let j = i; j < order.length; j++) {
        const r = importOtmText(
          otm({
            components: [comp("a", { threats: [{ threat: "t", state: order[j] }] }), comp("b", { threats: [{ threat: "t", state: order[i] }] })],
            threats: [threatDef("t")],
          }),
        );
        expect(r.model.threats[0]!.status).toBe(order[i]);
        expect(r.notCarried.some((l) => l.includes("different states"))).toBe(i !== j);
      }
    }
  });

  it("reads OTM's free-text component types", () => {
    const types: [string, string][] = [
      ["database", "datastore"],
      ["postgresql-database", "datastore"],
      ["mongodb", "datastore"],
      ["AWS S3 bucket", "datastore"],
      ["RedisCache", "datastore"],
      ["message-queue", "datastore"],
      ["object storage", "datastore"],
      ["datastore", "datastore"],
      ["user", "actor"],
      ["web-client", "actor"],
      ["Browser", "actor"],
      ["actor", "actor"],
      ["person", "actor"],
      ["external", "external"],
      ["third-party-api", "external"],
      ["ThirdParty", "external"],
      ["saas", "external"],
      ["partner-idp", "external"],
      ["microservice", "process"],
      ["process", "process"],
      ["", "process"],
    ];
    const r = importOtmText(otm({ components: types.map(([type], i) => comp(`c${i}`, { type })) }));
    expect(r.model.components.map((c) => c.type)).toEqual(types.map(([, t]) => t));
    expect(r.notCarried).toContain('not carried: component c1: type "postgresql-database" (imported as datastore)');
    expect(r.notCarried).toContain("not carried: component c20: no type (imported as process)");
    expect(r.notCarried.some((l) => l.startsWith("not carried: component c7:"))).toBe(false);
  });

  it("maps the 0-100 scales at their band edges", () => {
    const scores = [0, 19, 20, 39, 40, 59, 60, 79, 80, 100];
    const ratings = ["very-low", "very-low", "low", "low", "medium", "medium", "high", "high", "very-high", "very-high"];
    const r = importOtmText(
      otm({
        components: [comp("svc", { threats: scores.map((_, i) => ({ threat: `t${i}`, state: "open" })) })],
        threats: scores.map((s, i) => threatDef(`t${i}`, { risk: { likelihood: s, impact: scores[scores.length - 1 - i] } })),
        assets: [0, 24, 25, 49, 50, 74, 75, 100].map((c, i) => ({ id: `a${i}`, name: `a${i}`, risk: { confidentiality: c, integrity: 50, availability: 50 } })),
      }),
    );
    expect(r.model.threats.map((t) => t.likelihood)).toEqual(ratings);
    expect(r.model.threats.map((t) => t.impact)).toEqual([...ratings].reverse());
    expect(r.model.data_assets.map((d) => d.classification)).toEqual(["public", "public", "internal", "internal", "confidential", "confidential", "secret", "secret"]);
  });

  it("resolves parent.component through several levels, and reports a parent that names nothing", () => {
    const r = importOtmText(
      otm({
        trustZones: [
          { id: "net", name: "Net", risk: { trustRating: 10 } },
          { id: "core", name: "Core", risk: { trustRating: 90 }, parent: { trustZone: "net" } },
        ],
        components: [
          comp("host", { parent: { trustZone: "core" } }),
          comp("container", { parent: { component: "host" } }),
          comp("process-in-container", { parent: { component: "container" } }),
          comp("orphan", { parent: { component: "nowhere" } }),
        ],
      }),
    );
    expect(r.model.components.map((c) => [c.id, c.zone])).toEqual([
      ["host", "core"],
      ["container", "core"],
      ["process-in-container", "core"],
      ["orphan", "outside"],
    ]);
    expect(byId(r.model.trust_zones, "outside")).toEqual({ id: "outside", name: "Outside every trust boundary", trust: 0, parent: null, paths: [] });
    expect(byId(r.model.trust_zones, "core").parent).toBe("net");
    expect(r.notCarried).toContain('not carried: component orphan: parent component "nowhere" (names no component; placed in zone outside)');
  });

  it("reports attributes, unknown fields and instances that name nothing", () => {
    const r = importOtmText(
      otm({
        components: [comp("svc", { attributes: { team: "core", "tmr.owners": ["alice", "not a login"] }, colour: "red", threats: [{ threat: "ghost", state: "open" }] })],
      }),
    );
    expect(byId(r.model.components, "svc").owners).toEqual(["alice"]);
    expect(r.notCarried).toEqual([
      'not carried: component svc: threat instance "ghost" (names no threat)',
      'not carried: component svc: attributes.team "core"',
      'not carried: component svc: attributes.tmr.owners "not a login" (not a GitHub login or team)',
      'not carried: component svc: colour "red"',
    ]);
  });

  it("gives an id that collides after lower-casing a suffix, and resolves references by kind", () => {
    const r = importOtmText(
      otm({
        trustZones: [{ id: "Web", name: "Web zone", risk: { trustRating: 10 } }],
        components: [comp("web", { parent: { trustZone: "Web" } }), comp("db", { parent: { trustZone: "Web" } })],
        dataflows: [{ id: "Web DB", name: "queries", source: "web", destination: "db" }],
      }),
    );
    expect(r.model.trust_zones.map((z) => z.id)).toEqual(["web-2"]);
    expect(r.model.components.map((c) => c.zone)).toEqual(["web-2", "web-2"]);
    expect(r.model.data_flows[0]).toMatchObject({ id: "web-db", source: "web", destination: "db" });
    expect(r.idChanges).toEqual([
      { kind: "trust zone", from: "Web", to: "web-2" },
      { kind: "dataflow", from: "Web DB", to: "web-db" },
    ]);
  });

  it("says where a file is not OTM or not JSON", () => {
    expect(errors(importOtm({ path: "x.json", content: '{"title": "x"}' }))).toEqual(["x.json:1:1: not an Open Threat Model (OTM) document: it has no otmVersion"]);
    expect(errors(importOtm({ path: "x.json", content: '{\n  "otmVersion": "0.2.0"\n  "project": {}\n}' }))).toEqual([
      'x.json:3:3: not valid JSON: expected "," or "}" after a property value, found "\\"" (missing comma?)',
    ]);
    expect(errors(importOtm({ path: "x.json", content: '{\n  "otmVersion": "0.2.0",\n  "components": [{"name": "no id"}]\n}' }))).toEqual([
      'x.json:3:18: components[0]: missing "id" (a string)',
    ]);
  });

  it("survives hostile input: a parent chain of 20,000 components, a loop, and nesting too deep", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => comp(`c${i}`, { parent: i === 0 ? { trustZone: "net" } : { component: `c${i - 1}` } }));
    const r = importOtmText(otm({ components: [...chain.reverse(), comp("loop-a", { parent: { component: "loop-b" } }), comp("loop-b", { parent: { component: "loop-a" } })] }));
    expect(r.model.components.filter((c) => c.zone === "net")).toHaveLength(20_000);
    expect(byId(r.model.components, "loop-a").zone).toBe("outside");
    const deep = `{"otmVersion": "0.2.0", "project": ${"[".repeat(100)}${"]".repeat(100)}}`;
    expect(errors(importOtm({ path: "deep.json", content: deep }))).toEqual(["deep.json:1:99: nesting is deeper than 64 levels"]);
  });

  it("cuts a loop of nested Threagile boundaries and reports it", () => {
    const r = ok(
      importThreagile({
        path: "t.yaml",
        content: "title: Loop\ntechnical_assets:\n  A:\n    id: a\n    type: process\ntrust_boundaries:\n  One:\n    id: one\n    technical_assets_inside: [a]\n    trust_boundaries_nested: [two]\n  Two:\n    id: two\n    trust_boundaries_nested: [one]\n",
      }),
    );
    expect(r.model.trust_zones.map((z) => [z.id, z.parent])).toEqual([
      ["one", "two"],
      ["two", null],
    ]);
    expect(r.notCarried).toContain("not carried: trust boundary two: parent one (the parents form a loop; this link is cut)");
    expectValidAndStable(r.model);
  });

  it("rejects lists of the wrong type where it reads them, at their line", () => {
    const text = otm({ components: [comp("svc", { threats: "all of them" })] });
    const line = text.split("\n").findIndex((l) => l.includes('"all of them"')) + 1;
    expect(errors(importOtm({ path: "m.json", content: text }))).toEqual([`m.json:${line}:18: components[0].threats: expected a list, got the string "all of them"`]);
  });

  it("a zone without a trust rating is imported with its trust unset, and says so", () => {
    const r = importOtmText("otmVersion: 0.2.0\nproject: {name: Y, id: y}\ntrustZones:\n  - {id: z, name: Z}\ncomponents:\n  - {id: c, name: C, type: process, parent: {trustZone: z}}\n");
    expect(r.model.trust_zones[0]!.trust).toBeUndefined();
    expect(r.notCarried).toContain("not carried: trust zone z: has no risk.trustRating: the zone's trust is left unset");
  });

  it("reads OTM written as YAML too", () => {
    const r = importOtmText("otmVersion: 0.2.0\nproject: {name: Y, id: y}\ntrustZones:\n  - {id: z, name: Z, risk: {trustRating: 30}}\ncomponents:\n  - {id: c, name: C, type: process, parent: {trustZone: z}}\n");
    expect(r.model.components[0]).toMatchObject({ id: "c", zone: "z" });
  });
});

// =========================================================================================

describe("Threagile import: the example model", () => {
  const r = ok(importThreagile(fixture(THREAGILE_FIXTURE)));
  const m = r.model;

  it("validates, and writes and reads back unchanged", () => {
    expectValidAndStable(m);
    expect(m.components).toHaveLength(11);
  });

  it("keeps asset ids, reports changed ones, and gives links <source-id>-<link-title> ids", () => {
    expect(r.idChanges[0]).toEqual({ kind: "technical asset", from: "Provisioning_Station", to: "provisioning_station" });
    expect(m.data_flows.map((f) => f.id)).toEqual([
      "telematics-unit-telemetry-upload",
      "dispatcher-browser-dispatch-ui-traffic",
      "load-balancer-web-traffic",
      "mqtt-broker-telemetry-stream",
      "ingestion-service-telemetry-writes",
      "dispatch-api-position-queries",
      "dispatch-api-fleet-records",
      "dispatch-api-routing-requests",
      "dispatch-api-audit-log",
      "provisioning_station-certificate-flashing",
    ]);
    expect(byId(m.data_flows, "dispatch-api-fleet-records")).toMatchObject({
      name: "Fleet records",
      source: "dispatch-api",
      destination: "fleet-db",
      protocol: "sql-access-protocol-encrypted",
      authentication: "credentials",
      encrypted: true,
      data: ["route-plan", "driver-identity"],
    });
    expect(byId(m.data_flows, "load-balancer-web-traffic").encrypted).toBe(false);
    expect(byId(m.data_flows, "dispatch-api-audit-log").encrypted).toBeUndefined();
  });

  it("nests trust boundaries, places assets inside them, and the rest in outside (trust 0)", () => {
    expect(m.trust_zones.map((z) => [z.id, z.parent, z.trust])).toEqual([
      ["aws-account", null, undefined],
      ["app-vpc", "aws-account", undefined],
      ["data-subnet", "app-vpc", undefined],
      ["head-office", null, undefined],
      ["outside", null, 0],
    ]);
    expect(Object.fromEntries(m.components.map((c) => [c.id, c.zone]))).toMatchObject({
      "telematics-unit": "outside",
      "load-balancer": "aws-account",
      "dispatch-api": "app-vpc",
      "fleet-db": "data-subnet",
      "maps-api": "outside",
      provisioning_station: "head-office",
    });
  });

  it("maps types and classifications", () => {
    expect(m.components.map((c) => c.type)).toEqual([
      "external",
      "external",
      "process",
      "process",
      "process",
      "process",
      "datastore",
      "datastore",
      "external",
      "datastore",
      "process",
    ]);
    expect(m.data_assets.map((d) => [d.id, d.classification])).toEqual([
      ["vehicle-position", "confidential"],
      ["engine-diagnostics", "internal"],
      ["driver-identity", "secret"],
      ["route-plan", "confidential"],
      ["device-credentials", "secret"],
      ["map-tiles", "public"],
    ]);
  });

  it("makes threats from risk tracking: keys become ids, link references resolve", () => {
    expect(m.threats.map((t) => [t.id, t.status])).toEqual([
      ["unencrypted-communication-load-balancer-web-traffic-load-balancer-dispatch-api", "accepted"],
      ["missing-authentication-load-balancer-web-traffic-load-balancer-dispatch-api", "mitigated"],
      ["sql-nosql-injection-dispatch-api-fleet-db", "investigating"],
      ["unguarded-direct-datastore-access-head-office-siem", "investigating"],
      ["missing-hardening-mqtt-broker", "open"],
      ["location-stalking-dispatch-api", "investigating"],
      ["server-side-request-forgery-dispatch-api-dispatch-api-routing-requests", "not-applicable"],
    ]);
    expect(m.threats[0]).toMatchObject({
      title: "Unencrypted communication at Web traffic, Load balancer, Dispatch API",
      targets: ["load-balancer-web-traffic", "load-balancer", "dispatch-api"],
      description: "TLS ends at the load balancer inside the VPC; accepted until the service mesh rollout.",
      ticket: "FLEET-212",
    });
    expect(byId(m.threats, "unguarded-direct-datastore-access-head-office-siem").targets).toEqual(["head-office", "siem"]);
    expect(byId(m.threats, "location-stalking-dispatch-api")).toMatchObject({ category: "information-disclosure", title: "Location stalking at Dispatch API" });
    expect(byId(m.threats, "server-side-request-forgery-dispatch-api-dispatch-api-routing-requests").targets).toEqual(["dispatch-api", "dispatch-api-routing-requests"]);
    expect(r.idChanges).toContainEqual({ kind: "risk tracking", from: "sql-nosql-injection@dispatch-api@fleet-db", to: "sql-nosql-injection-dispatch-api-fleet-db" });
  });

  it("lists everything it did not carry over", () => {
    for (const line of [
      "not carried: model: author (a mapping)",
      'not carried: model: business_criticality "critical"',
      "not carried: model: questions (a mapping)",
      "not carried: model: business_overview: images (1 entry)",
      "not carried: shared runtime eks-cluster: the whole runtime (runs mqtt-broker, ingestion-service, dispatch-api)",
      'not carried: communication link "Certificate registration" of technical asset Provisioning_Station: the whole link (target "unknown-ca" names no technical asset)',
      'not carried: risk tracking "missing-vault@*": the whole entry (a wildcard key matches risks Threagile computes; no threat is made from it)',
      'not carried: risk tracking "container-baseimage-backdooring@legacy-reporting": the whole entry (its key names no technical asset, communication link or trust boundary of the model)',
      'not carried: trust boundary aws-account: type "network-cloud-provider", tags ["aws"]',
      'not carried: communication link dispatch-api-position-queries: authorization "technical-user", readonly true, usage "business"',
      'not carried: risk tracking missing-authentication-load-balancer-web-traffic-load-balancer-dispatch-api: date "2026-06-11", checked_by "Mara Lindqvist"',
    ]) {
      expect(r.notCarried).toContain(line);
    }
    const dispatcher = r.notCarried.find((l) => l.startsWith("not carried: technical asset dispatcher-browser:"))!;
    expect(dispatcher).toContain("used_as_client_by_human true");
    expect(dispatcher).toContain('technology "browser"');
    expect(r.notCarried.some((l) => l.startsWith("not carried: individual risk category location-stalking:"))).toBe(true);
  });
});

describe("Threagile import: rules", () => {
  const base = (extra: string) => `threagile_version: 1.0.0
title: Small
technical_assets:
  App:
    id: app
    type: process
    communication_links:
      Queries:
        target: db
        protocol: jdbc
  DB:
    id: db
    type: datastore
${extra}`;

  it("maps every risk-tracking status", () => {
    const statuses = ["unchecked", "in-discussion", "in-progress", "accepted", "mitigated", "false-positive", "reopened"];
    const r = ok(
      importThreagile({
        path: "t.yaml",
        content: base(`risk_tracking:\n${statuses.map((s, i) => `  risk-${i}@app:\n    status: ${s}\n`).join("")}`),
      }),
    );
    expect(r.model.threats.map((t) => t.status)).toEqual(["open", "investigating", "investigating", "accepted", "mitigated", "not-applicable", "open"]);
    expect(r.model.threats.map((t) => t.id)).toEqual(statuses.map((_, i) => `risk-${i}-app`));
    expect(r.notCarried).toContain('not carried: risk tracking risk-6-app: status "reopened" (imported as open)');
  });

  it("maps every confidentiality level and asset type", () => {
    const levels = ["public", "internal", "restricted", "confidential", "strictly-confidential"];
    const r = ok(
      importThreagile({
        path: "t.yaml",
        content: `${base("")}  Client:\n    id: client\n    type: external-entity\ndata_assets:\n${levels.map((l) => `  ${l}:\n    id: d-${l}\n    confidentiality: ${l}\n`).join("")}`,
      }),
    );
    expect(r.model.data_assets.map((d) => d.classification)).toEqual(["public", "internal", "confidential", "confidential", "secret"]);
    expect(r.model.components.map((c) => c.type)).toEqual(["process", "datastore", "external"]);
  });

  it("resolves a link reference in a risk key and reports a missing link target", () => {
    const r = ok(importThreagile({ path: "t.yaml", content: base("risk_tracking:\n  unencrypted-communication@app>queries@app@db:\n    status: mitigated\n") }));
    expect(r.model.data_flows.map((f) => f.id)).toEqual(["app-queries"]);
    expect(r.model.data_flows[0]!.encrypted).toBe(false);
    expect(r.model.threats[0]!.targets).toEqual(["app-queries", "app", "db"]);
  });

  it("says where the YAML is broken, in one located error", () => {
    const res = importThreagile({ path: "t.yaml", content: "title: x\ntechnical_assets:\n  App: [\n    id: app\n" });
    expect(errors(res)).toHaveLength(1);
    expect(errors(res)[0]).toMatch(/^t\.yaml:\d+:\d+: /);
    expect(errors(importThreagile({ path: "t.yaml", content: "title: just a title\n" }))).toEqual([
      "t.yaml:1:1: not a Threagile model: it has neither threagile_version nor technical_assets",
    ]);
  });
});

// =========================================================================================

describe("Threat Dragon import: the example model", () => {
  const r = ok(importThreatDragon(fixture(TD_FIXTURE)));
  const m = r.model;
  const zoneOf = (name: string) => m.components.find((c) => c.name === name)!.zone;
  const zoneNamed = (name: string) => m.trust_zones.find((z) => z.name === name)!.id;

  it("validates, keeps cell ids, and merges both diagrams", () => {
    expectValidAndStable(m);
    expect(r.idChanges).toEqual([]);
    expect(m.components.map((c) => c.name)).toEqual([
      "Library member",
      "Librarian",
      "Lending API",
      "Catalogue DB",
      "Loans DB",
      "Notification worker",
      "Search index",
      "Email provider",
      "Library staff",
      "Report generator",
      "Audit log",
      "Export cache",
    ]);
    expect(byId(m.components, "c4d8e2f1-6a3b-4c5d-9e7f-1a2b3c4d5e63").name).toBe("Lending API");
  });

  it("places each cell in the smallest box that contains its whole bounding box", () => {
    expect(zoneOf("Lending API")).toBe(zoneNamed("Application network"));
    expect(zoneOf("Catalogue DB")).toBe(zoneNamed("Data tier"));
    expect(zoneOf("Notification worker")).toBe(zoneNamed("Cloud hosting"));
    // Crosses the application network's edge: only the cloud box contains all of it.
    expect(zoneOf("Search index")).toBe(zoneNamed("Cloud hosting"));
    expect(zoneOf("Library staff")).toBe(zoneNamed("Back office"));
    expect(zoneOf("Report generator")).toBe(zoneNamed("Reporting"));
    // Inside both Reporting (250x250) and the audit enclave (300x200): the smaller wins.
    expect(zoneOf("Export cache")).toBe(zoneNamed("Audit enclave"));
  });

  it("nests boxes in the smallest larger box around them", () => {
    const parentOf = (name: string) => m.trust_zones.find((z) => z.name === name)!.parent;
    expect(parentOf("Cloud hosting")).toBeNull();
    expect(parentOf("Application network")).toBe(zoneNamed("Cloud hosting"));
    expect(parentOf("Data tier")).toBe(zoneNamed("Application network"));
    expect(parentOf("Reporting")).toBe(zoneNamed("Back office"));
    expect(parentOf("Audit enclave")).toBeNull();
  });

  it("puts cells outside every box in zone outside (trust 0)", () => {
    expect(byId(m.trust_zones, "outside").trust).toBe(0);
    expect(zoneOf("Library member")).toBe("outside");
    expect(zoneOf("Email provider")).toBe("outside");
  });

  it("maps threats: status, type, mitigation, targets", () => {
    expect(m.threats.map((t) => t.status)).toEqual(["mitigated", "open", "open", "not-applicable", "open", "open", "mitigated", "open"]);
    expect(byId(m.threats, "6f5e4d3c-2b1a-4098-8e7d-6c5b4a392811")).toMatchObject({
      title: "Member reads another member's loans",
      category: "information-disclosure",
      targets: ["c4d8e2f1-6a3b-4c5d-9e7f-1a2b3c4d5e63"],
      mitigations: [],
    });
    expect(byId(m.threats, "0d9c8b7a-6f5e-44d3-c2b1-a09f8e7d6c55").targets).toEqual(["e4f5a6b7-c8d9-4eaf-b0c1-d2e3f4a5b60d"]);
    // A threat without an id of its own is named after its cell.
    expect(byId(m.threats, "b7c8d9ea-fb0c-41d2-e3f4-a5b6c7d8e930-threat-1").category).toBe("tampering");
    expect(byId(m.threats, "aa1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").category).toBeUndefined();
  });

  it("maps flows, and splits a bidirectional one", () => {
    expect(byId(m.data_flows, "a6b7c8d9-eafb-40c1-d2e3-f4a5b6c7d82f")).toMatchObject({ name: "Catalogue lookup", protocol: "SQL", encrypted: false });
    const reverse = byId(m.data_flows, "d9eafb0c-1d2e-43f4-a5b6-c7d8e9fa0b52-reverse");
    expect(reverse.source).toBe("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d96");
  });

  it("reports boundary curves, loose flows, diagrams and every field it drops", () => {
    for (const line of [
      'not carried: boundary d3e4f5a6-b7c8-4d9e-afb0-c1d2e3f4a5fc "Internet edge": a boundary curve has no inside, so it makes no zone',
      "not carried: flow fb0c1d2e-3f4a-45b6-c7d8-e9fa0b1c2d74: the whole flow (its target is not an actor, process or store)",
      'not carried: text 0c1d2e3f-4a5b-46c7-d8e9-fa0b1c2d3e85: the text block "Draft - check the worker\'s zone with ops"',
      'not carried: model: summary: owner "Digital services team"',
      'not carried: model: contributors ["Priya Natarajan", "Tomás Ferreira"]',
      'not carried: store f0e1d2c3-b4a5-4968-8776-655443322185: storesCredentials true, isEncrypted true',
      'not carried: threat 6f5e4d3c-2b1a-4098-8e7d-6c5b4a392811: severity "High"',
      'not carried: threat aa1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d: type "Confidentiality" (not a STRIDE category)',
    ]) {
      expect(r.notCarried).toContain(line);
    }
    expect(r.notCarried.filter((l) => l.startsWith("not carried: diagram "))).toHaveLength(2);
  });
});

describe("Threat Dragon import: rules", () => {
  type CellSpec = { id: string; type: string; at?: [number, number, number, number]; name?: string; source?: string; target?: string; threats?: unknown[] };
  const td = (...diagrams: CellSpec[][]) =>
    JSON.stringify({
      version: "2.2.0",
      summary: { title: "T" },
      detail: {
        diagrams: diagrams.map((cells, i) => ({
          id: i,
          title: `D${i}`,
          cells: cells.map((c) => ({
            id: c.id,
            ...(c.at && { position: { x: c.at[0], y: c.at[1] }, size: { width: c.at[2], height: c.at[3] } }),
            ...(c.source && { source: { cell: c.source }, target: { cell: c.target } }),
            data: { type: c.type, name: c.name ?? c.id, ...(c.threats && { threats: c.threats }) },
          })),
        })),
      },
    });
  const run = (...diagrams: CellSpec[][]) => ok(importThreatDragon({ path: "td.json", content: td(...diagrams) }));

  it("counts a cell on a box's edge as inside; a cell over the edge is not", () => {
    const r = run([
      { id: "box", type: "tm.BoundaryBox", at: [0, 0, 100, 100] },
      { id: "edge", type: "tm.Process", at: [0, 0, 100, 100] },
      { id: "over", type: "tm.Process", at: [50, 50, 51, 10] },
    ]);
    expect(r.model.components.map((c) => [c.id, c.zone])).toEqual([
      ["edge", "box"],
      ["over", "outside"],
    ]);
  });

  it("breaks ties between equal boxes by drawing order, and nests the later in the earlier", () => {
    const r = run([
      { id: "first", type: "tm.BoundaryBox", at: [0, 0, 100, 100] },
      { id: "second", type: "tm.BoundaryBox", at: [0, 0, 100, 100] },
      { id: "p", type: "tm.Process", at: [10, 10, 10, 10] },
    ]);
    expect(r.model.components[0]!.zone).toBe("first");
    expect(byId(r.model.trust_zones, "second").parent).toBe("first");
    expect(byId(r.model.trust_zones, "first").parent).toBeNull();
  });

  it("keeps geometry per diagram, makes cell ids valid and reports them, and merges", () => {
    const r = run(
      [
        { id: "Box-A", type: "tm.BoundaryBox", at: [0, 0, 500, 500] },
        { id: "User 1", type: "tm.Actor", at: [10, 10, 50, 50] },
        { id: "API", type: "tm.Process", at: [100, 100, 50, 50] },
        { id: "f1", type: "tm.Flow", source: "User 1", target: "API", threats: [{ id: "T1", title: "t", status: "Mitigated", type: "Spoofing" }] },
      ],
      [{ id: "api-2", type: "tm.Store", at: [10, 10, 50, 50] }],
    );
    expect(r.model.components.map((c) => [c.id, c.zone])).toEqual([
      ["user-1", "box-a"],
      ["api", "box-a"],
      ["api-2", "outside"],
    ]);
    expect(r.model.data_flows[0]).toMatchObject({ id: "f1", source: "user-1", destination: "api" });
    expect(r.model.threats[0]).toMatchObject({ id: "t1", status: "mitigated", targets: ["f1"] });
    expect(r.idChanges).toEqual([
      { kind: "boundary box", from: "Box-A", to: "box-a" },
      { kind: "cell", from: "User 1", to: "user-1" },
      { kind: "cell", from: "API", to: "api" },
      { kind: "threat", from: "T1", to: "t1" },
    ]);
  });

  it("maps the three statuses", () => {
    const r = run([
      {
        id: "p",
        type: "tm.Process",
        at: [0, 0, 1, 1],
        threats: ["Open", "Mitigated", "NotApplicable", "Later"].map((status, i) => ({ id: `t${i}`, title: status, status, type: "Tampering" })),
      },
    ]);
    expect(r.model.threats.map((t) => t.status)).toEqual(["open", "mitigated", "not-applicable", "open"]);
    expect(r.notCarried).toContain('not carried: threat t3: status "Later" (imported as open)');
  });

  it("refuses a v1 file with a clear, located message", () => {
    const v1 = JSON.stringify({ summary: { title: "old" }, detail: { diagrams: [{ diagramJson: {}, cells: [{ type: "tm.Process", id: "x" }] }] } });
    expect(errors(importThreatDragon({ path: "old.json", content: v1 }))[0]).toMatch(/^old\.json:1:\d+: this is a Threat Dragon v1 model/);
    expect(errors(importThreatDragon({ path: "x.json", content: "{}" }))).toEqual(["x.json:1:1: not a Threat Dragon v2 model: it has no detail.diagrams"]);
  });
});

// =========================================================================================

describe("--paths", () => {
  const mapping = (content: string) => ({ path: "paths.yml", content });

  it("maps names, source ids and model ids to globs; a bidirectional flow gets them on both flows", () => {
    const r = importModel("threat-dragon", fixture(TD_FIXTURE), fixture("library-lending.paths.yml"));
    if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join("\n"));
    const m = r.model;
    expect(byId(m.components, "c4d8e2f1-6a3b-4c5d-9e7f-1a2b3c4d5e63").paths).toEqual(["services/lending/**", "!services/lending/**/*.test.ts"]);
    expect(byId(m.components, "2e3f4a5b-6c7d-48e9-fa0b-1c2d3e4f5aa7").paths).toEqual(["reporting/**", "scripts/monthly-report.sh"]);
    expect(byId(m.data_flows, "d9eafb0c-1d2e-43f4-a5b6-c7d8e9fa0b52").paths).toEqual(["services/lending/src/events/**"]);
    expect(byId(m.data_flows, "d9eafb0c-1d2e-43f4-a5b6-c7d8e9fa0b52-reverse").paths).toEqual(["services/lending/src/events/**"]);
    expect(byId(m.trust_zones, "c2d3e4f5-a6b7-4c8d-9eaf-b0c1d2e3f4eb").paths).toEqual(["infra/network/data.tf"]);
    expect(parseModel({ path: "m.yml", content: r.yaml }).ok).toBe(true);
  });

  it("puts the mapping's globs after OTM code representations", () => {
    const r = importModel("otm", fixture(OTM_FIXTURE), mapping('appointments-service: "services/appointments/**"\nAdmin Console: apps/admin/**\nadmin-console: apps/admin-extra/**\n'));
    if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join("\n"));
    expect(byId(r.model.components, "appointments-service").paths).toEqual([
      "services/appointments/src/server.ts",
      "services/appointments/src/routes/\\[clinicId\\]/book.ts",
      "services/appointments/**",
    ]);
    expect(byId(r.model.components, "admin-console").paths).toEqual(["apps/admin/**", "apps/admin-extra/**"]);
  });

  it("finds Threagile elements by id, title and link title", () => {
    const r = importModel("threagile", fixture(THREAGILE_FIXTURE), mapping("Dispatch API: services/dispatch/**\ningestion-service: services/ingest/**\nPosition queries: services/dispatch/src/positions.ts\napp-vpc: infra/vpc/**\n"));
    if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join("\n"));
    expect(byId(r.model.components, "dispatch-api").paths).toEqual(["services/dispatch/**"]);
    expect(byId(r.model.components, "ingestion-service").paths).toEqual(["services/ingest/**"]);
    expect(byId(r.model.data_flows, "dispatch-api-position-queries").paths).toEqual(["services/dispatch/src/positions.ts"]);
    expect(byId(r.model.trust_zones, "app-vpc").paths).toEqual(["infra/vpc/**"]);
  });

  it("rejects a key that matches nothing or several elements, and bad globs, each at its line", () => {
    const imported = ok(
      importOtm({
        path: "m.json",
        content: otm({ components: [comp("a", { name: "Twin" }), comp("b", { name: "Twin" })], trustZones: [{ id: "net", name: "Net", risk: { trustRating: 0 } }] }),
      }),
    );
    const r = applyPathMapping(imported.model, imported.pathTargets, mapping('a: src/a/**\nTwin: src/twin/**\nghost: src/ghost/**\nb: ["/abs/path", 42]\nnet: {x: 1}\n'));
    expect(errors(r)).toEqual([
      'paths.yml:2:1: "Twin" matches 2 elements (component a, component b); use the id of the one you mean',
      'paths.yml:3:1: "ghost" matches no component, flow or zone of the imported model (use an id of the model, or an id or name from the source)',
      'paths.yml:4:5: "b": "/abs/path": write paths relative to the repository root, without the leading "/"',
      'paths.yml:4:18: "b": expected a glob (a string), got the number 42',
      'paths.yml:5:6: "net": expected a glob or a list of globs, got a mapping',
    ]);
    expect(errors(applyPathMapping(imported.model, imported.pathTargets, mapping("- a\n")))).toEqual([
      "paths.yml:1:1: a paths mapping is a YAML mapping from an element id or name to a glob or a list of globs, got a list",
    ]);
    expect(errors(importModel("otm", { path: "m.json", content: otm({}) }, mapping("x: [\n")))[0]).toMatch(/^paths\.yml:\d+:\d+: /);
  });
});

// =========================================================================================

describe("OTM export and round trips", () => {
  const read = (path: string): ThreatModel => {
    const r = parseModel({ path, content: readFileSync(join(ROOT, path)) });
    if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join("\n"));
    return r.model;
  };

  for (const path of ["threat-model.yml", "fixtures/demo/base/threat-model.yml"]) {
    it(`gives back the same model: ${path} -> OTM -> model`, () => {
      const model = read(path);
      const back = importOtmText(exportOtm(model));
      expect(back.model).toEqual(model);
      expect(back.notCarried).toEqual([]);
      expect(back.idChanges).toEqual([]);
      expect(writeModel(back.model)).toBe(writeModel(model));
    });
  }

  const EDGE = `version: 1
title: Edge cases
description: |
  Two lines,
  and a trailing one.
champions: ["@acme/security", bob]
trust_zones:
  - id: outer
    paths: ["infra/**"]
  - id: inner
    name: Inner zone
    description: No trust level given.
    parent: outer
  - id: vault
    trust: 100
    parent: inner
components:
  - id: user
    type: actor
    zone: outer
  - id: svc
    name: Service
    description: "Quotes: 'single' and \\"double\\""
    type: process
    zone: inner
    paths: ["src/svc/**", "!src/svc/**/*.snap", "src/{a,b}/x.ts", "src/[id]/page.tsx"]
    data: [secret-sauce]
    owners: ["@acme/svc", carol]
    reviewed_at: 2026-05-01
  - id: store
    type: datastore
    zone: vault
data_assets:
  - id: secret-sauce
    classification: secret
  - id: menu
    classification: public
data_flows:
  - id: call
    source: user
    destination: svc
    encrypted: false
    authentication: none
    paths: ["src/svc/routes.ts"]
    reviewed_at: 2026-04-01
  - id: write
    source: svc
    destination: store
    protocol: postgres
    data: [secret-sauce, menu]
threats:
  - id: zone-wide
    title: Anything in the vault is reachable
    targets: [vault]
    status: accepted
  - id: reversed
    category: tampering
    targets: [write, svc, vault, svc]
    likelihood: very-low
    status: transferred
    mitigations: ["One", "Two"]
    ticket: https://tracker.example/T-1
  - id: unrated
    targets: [store]
    impact: very-high
    status: not-applicable
`;

  it("gives back the same model for zone targets, unrated threats, missing trust and every optional field", () => {
    const parsed = parseModel({ path: "edge.yml", content: EDGE });
    if (!parsed.ok) throw new Error(parsed.errors.map(formatDiagnostic).join("\n"));
    const back = importOtmText(exportOtm(parsed.model));
    expect(back.model).toEqual(parsed.model);
    expect(back.notCarried).toEqual([]);
  });

  it("writes what OTM lacks under tmr. attributes, and 50 for required numbers, listed as defaulted", () => {
    const parsed = parseModel({ path: "edge.yml", content: EDGE });
    if (!parsed.ok) throw new Error("invalid");
    const doc = toOtm(parsed.model) as Record<string, Record<string, unknown>[]>;
    const zone = (doc["trustZones"] as Record<string, unknown>[])[1]!;
    expect(zone).toEqual({
      id: "inner",
      name: "Inner zone",
      description: "No trust level given.",
      risk: { trustRating: 50 },
      parent: { trustZone: "outer" },
      attributes: { "tmr.defaulted": ["risk.trustRating"] },
    });
    const threats = doc["threats"] as Record<string, unknown>[];
    expect(threats[0]).toEqual({
      id: "zone-wide",
      name: "Anything in the vault is reachable",
      risk: { likelihood: null, impact: 50 },
      attributes: { "tmr.targets": ["vault"], "tmr.status": "accepted", "tmr.defaulted": ["risk.impact"] },
    });
    expect(threats[1]).toMatchObject({ categories: ["tampering"], risk: { likelihood: 10, impact: 50 } });
    expect(doc["mitigations"]).toEqual([
      { id: "reversed-m1", name: "One", riskReduction: 50, attributes: { "tmr.defaulted": ["riskReduction"] } },
      { id: "reversed-m2", name: "Two", riskReduction: 50, attributes: { "tmr.defaulted": ["riskReduction"] } },
    ]);
    const svc = (doc["components"] as Record<string, unknown>[])[1]!;
    expect(svc["type"]).toBe("process");
    expect(svc["threats"]).toEqual([
      {
        threat: "reversed",
        state: "transferred",
        mitigations: [
          { mitigation: "reversed-m1", state: "recommended" },
          { mitigation: "reversed-m2", state: "recommended" },
        ],
      },
    ]);
    const call = (doc["dataflows"] as Record<string, unknown>[])[0]!;
    expect(call["attributes"]).toEqual({ "tmr.authentication": "none", "tmr.encrypted": false, "tmr.paths": ["src/svc/routes.ts"], "tmr.reviewed_at": "2026-04-01" });
    const asset = (doc["assets"] as Record<string, unknown>[])[0]!;
    expect(asset["risk"]).toEqual({ confidentiality: 90, integrity: 50, availability: 50 });
  });

  it("writes each rating and classification inside its band", () => {
    const model = read("fixtures/demo/base/threat-model.yml");
    const doc = toOtm(model) as Record<string, Record<string, unknown>[]>;
    const risks = (doc["threats"] as { risk: { likelihood: number; impact: number } }[]).map((t) => t.risk);
    expect(risks).toEqual([
      { likelihood: 70, impact: 70 },
      { likelihood: 50, impact: 90 },
      { likelihood: 30, impact: 70 },
    ]);
    expect((doc["components"] as { type: string }[]).map((c) => c.type)).toEqual(["actor", "process", "process", "datastore", "external"]);
  });

  it("is deterministic: no timestamps, same bytes every time", () => {
    const model = read("threat-model.yml");
    const a = exportOtm(model);
    expect(exportOtm(structuredClone(model))).toBe(a);
    expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(a.endsWith("}\n")).toBe(true);
    expect(JSON.parse(a)).toMatchObject({ otmVersion: "0.2.0", project: { name: "threat-model-review", id: "threat-model-review" } });
  });

  it("round-trips the imported example models too", () => {
    for (const r of [ok(importOtm(fixture(OTM_FIXTURE))), ok(importThreagile(fixture(THREAGILE_FIXTURE))), ok(importThreatDragon(fixture(TD_FIXTURE)))]) {
      const back = importOtmText(exportOtm(r.model));
      expect(back.model).toEqual(r.model);
      expect(back.notCarried).toEqual([]);
    }
  });
});

describe("writeModel", () => {
  it("writes keys in the documented order and leaves defaults out", () => {
    const parsed = parseModel({
      path: "m.yml",
      content: "threats:\n  - targets: [a]\n    status: open\n    id: t\n    title: t\ncomponents:\n  - zone: z\n    type: process\n    id: a\n    name: a\ntrust_zones:\n  - {id: z, parent: null, paths: []}\nversion: 1\n",
    });
    if (!parsed.ok) throw new Error("invalid");
    expect(writeModel(parsed.model)).toBe(
      "version: 1\n\ntrust_zones:\n  - id: z\n\ncomponents:\n  - id: a\n    type: process\n    zone: a\n".replace("zone: a", "zone: z") +
        "\nthreats:\n  - id: t\n    targets: [a]\n",
    );
  });

  it("writes a header comment and models that validate", () => {
    const text = writeModel({ version: 1, title: "T: x", champions: [], trust_zones: [{ id: "z", name: "z", parent: null, paths: [] }], components: [], data_assets: [], data_flows: [], threats: [] }, { header: ["made by a test"] });
    expect(text).toBe('# made by a test\nversion: 1\ntitle: "T: x"\n\ntrust_zones:\n  - id: z\n');
    expect(parseModel({ path: "m.yml", content: text }).ok).toBe(true);
  });
});
