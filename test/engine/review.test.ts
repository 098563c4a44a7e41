import { describe, expect, it } from "vitest";
import { SHOP_MODEL, added, edit, replace, run } from "../helpers/models.js";

const ROUTE = "router.post('/refunds', refund);";

describe("mapping changed files to the model", () => {
  it("maps a file to the component whose paths decide for it, and lists only touched components", () => {
    const r = run({ changes: [added("apps/web/src/cart.ts")] });
    expect(r.components).toEqual([{ id: "web", name: "Web app", type: "process", zone: "dmz", files: ["apps/web/src/cart.ts"] }]);
    expect(r.unmappedFiles).toEqual([]);
  });

  it("a plain edit in a component touches it but no boundary, and passes", () => {
    const r = run({ changes: [added("apps/web/src/cart.ts")] });
    expect(r.boundaries).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe("pass");
  });

  it("a negated pattern excludes files the component would otherwise take", () => {
    const r = run({ changes: [added("apps/web/src/__snapshots__/cart.snap")] });
    expect(r.components).toEqual([]);
    expect(r.unmappedFiles).toEqual(["apps/web/src/__snapshots__/cart.snap"]);
  });

  it("dot files are matched by globs", () => {
    const r = run({ changes: [added("apps/web/.env.example")] });
    expect(r.components.map((c) => c.id)).toEqual(["web"]);
  });

  it("ignores tests, docs and markdown by default, and never maps the model or the config", () => {
    const r = run({
      changes: [
        added("apps/web/src/cart.test.ts", [ROUTE]),
        added("docs/guide.txt"),
        added("apps/web/README.md"),
        added("apps/web/tests/e2e.ts", [ROUTE]),
        added("threat-model.yml"),
        added(".github/threat-model-review.yml"),
      ],
    });
    expect(r.components).toEqual([]);
    expect(r.unmappedFiles).toEqual([]);
    expect(r.signals).toEqual([]);
    expect(r.stats).toMatchObject({ changedFiles: 6, ignoredFiles: 4, policyFiles: 2 });
  });

  it("the config's ignore list replaces the default one", () => {
    const r = run({ config: "ignore: ['apps/web/src/generated/**']\n", changes: [added("apps/web/src/generated/api.ts"), added("apps/web/README.md")] });
    expect(r.components).toEqual([{ id: "web", name: "Web app", type: "process", zone: "dmz", files: ["apps/web/README.md"] }]);
  });

  it("a renamed file is known by both names: moving code out of a component still touches it", () => {
    const r = run({ changes: [{ path: "lib/cart.ts", previousPath: "apps/web/src/cart.ts", status: "renamed" }] });
    expect(r.components.map((c) => [c.id, c.files])).toEqual([["web", ["lib/cart.ts"]]]);
    expect(r.unmappedFiles).toEqual([]);
  });

  it("a rename is unmapped only when neither name maps", () => {
    const r = run({ changes: [{ path: "lib/b.ts", previousPath: "lib/a.ts", status: "renamed" }] });
    expect(r.unmappedFiles).toEqual(["lib/b.ts"]);
  });

  it("a file may belong to several components", () => {
    const base = replace(SHOP_MODEL, 'paths: ["db/**"]', 'paths: ["db/**", "apps/web/src/db.ts"]');
    const r = run({ base, changes: [added("apps/web/src/db.ts")] });
    expect(r.components.map((c) => c.id)).toEqual(["db", "web"]);
  });

  it("a deleted file in a flow's paths changes that flow", () => {
    const r = run({ changes: [{ path: "services/payments/src/processor.ts", status: "removed", patch: "@@ -1,1 +0,0 @@\n-export const x = 1;" }] });
    expect(r.findings.map((f) => f.key)).toEqual(["boundary-flow:charge"]);
  });

  it("a file only a flow maps is mapped but under no component", () => {
    const base = replace(SHOP_MODEL, 'paths: ["services/payments/src/processor.ts"]', 'paths: ["clients/processor/**"]');
    const r = run({ base, changes: [added("clients/processor/index.ts")] });
    expect(r.components).toEqual([]);
    expect(r.unmappedFiles).toEqual([]);
    expect(r.findings.map((f) => f.key)).toEqual(["boundary-flow:charge"]);
  });

  it("the head model maps files the base maps nowhere: a component the PR adds is touched", () => {
    const head = edit(SHOP_MODEL, "components:", "  - id: search\n    type: process\n    zone: internal\n    paths: [\"services/search/**\"]\n");
    const r = run({ head, changes: [added("services/search/index.ts")] });
    expect(r.components.map((c) => c.id)).toEqual(["search"]);
    expect(r.unmappedFiles).toEqual([]);
  });

  it("the head model cannot take a file away from a base component", () => {
    const head = replace(SHOP_MODEL, '"apps/web/**", "!apps/web/**/*.snap"', '"apps/web/**", "!apps/web/src/routes/**"');
    const r = run({ head, changes: [added("apps/web/src/routes/refunds.ts", [ROUTE])] });
    expect(r.components.map((c) => c.id)).toEqual(["web"]);
    expect(r.findings.find((f) => f.kind === "signal")?.covered).toBe(true); // web changed in the head
  });
});

describe("findings", () => {
  it("a changed file in a crossing flow's paths is a boundary-flow finding with evidence", () => {
    const r = run({ changes: [added("apps/web/src/routes/login.ts", ["const a = 1;", "const b = 2;"])] });
    const f = r.findings.find((x) => x.kind === "boundary-flow")!;
    expect(f).toMatchObject({ key: "boundary-flow:login", elements: ["login"], file: "apps/web/src/routes/login.ts", line: 1, covered: false, severity: "high" });
    expect(r.boundaries).toEqual([{ zones: ["dmz", "internet"], flows: ["login"] }]);
    expect(r.verdict).toBe("revisit");
  });

  it("a flow that stays inside one zone gives no boundary-flow finding", () => {
    const base = replace(SHOP_MODEL, "    protocol: postgres\n", "    protocol: postgres\n    paths: [\"services/payments/src/repo.ts\"]\n");
    const r = run({ base, changes: [added("services/payments/src/repo.ts")] });
    expect(r.findings).toEqual([]);
  });

  it("changing a zone's edge concerns every flow crossing that zone", () => {
    const r = run({ changes: [added("infra/edge/nginx.conf", ["listen 8443;"])] });
    const f = r.findings.find((x) => x.kind === "boundary-definition")!;
    expect(f.elements).toEqual(["dmz", "login", "web-payments"]);
    expect(r.boundaries.map((b) => b.zones)).toEqual([["dmz", "internal"], ["dmz", "internet"]]);
  });

  it("a signal in a component touches the boundaries its flows cross", () => {
    const r = run({ changes: [added("apps/web/src/routes/refunds.ts", ["import x from 'y';", ROUTE])] });
    const f = r.findings.find((x) => x.kind === "signal")!;
    expect(f).toMatchObject({ signal: "http-route", file: "apps/web/src/routes/refunds.ts", line: 2, elements: ["web"], covered: false });
    expect(f.flows).toEqual(["login", "web-payments"]);
    // A route concerns what flows in: its questions are about login, not the outbound call.
    expect(f.questionFlows).toEqual(["login"]);
    expect(r.signals).toEqual([
      { id: "http-route", file: "apps/web/src/routes/refunds.ts", line: 2, component: "web", label: "Express-style route", removed: false, excerpt: ROUTE },
    ]);
    expect(r.boundaries.map((b) => b.zones)).toEqual([["dmz", "internal"], ["dmz", "internet"]]);
  });

  it("a signal outside every component is a finding and the file is listed as unmapped", () => {
    const r = run({ changes: [added("scripts/admin-server.ts", [ROUTE])] });
    const f = r.findings.find((x) => x.kind === "signal")!;
    expect(f.elements).toEqual([]);
    expect(f.covered).toBe(false);
    expect(r.unmappedFiles).toEqual(["scripts/admin-server.ts"]);
    expect(r.signals[0]!.component).toBeNull();
  });

  it("signals in several places of one file make one finding with every line", () => {
    const r = run({ changes: [added("apps/web/src/routes/admin.ts", [ROUTE, "const a = 1;", "router.get('/admin/users', list);"])] });
    const signalFindings = r.findings.filter((x) => x.kind === "signal");
    expect(signalFindings).toHaveLength(1);
    expect(signalFindings[0]!.lines).toEqual([1, 3]);
    expect(r.signals.map((s) => s.line)).toEqual([1, 3]);
  });

  it("the config can disable a signal", () => {
    const r = run({ config: "signals:\n  disable: [http-route]\n", changes: [added("apps/web/src/routes/refunds.ts", [ROUTE])] });
    expect(r.signals).toEqual([]);
    expect(r.verdict).toBe("pass");
  });

  it("unmapped files are listed by default and become findings with unmapped: revisit", () => {
    const listed = run({ changes: [added("scripts/deploy.sh")] });
    expect(listed.unmappedFiles).toEqual(["scripts/deploy.sh"]);
    expect(listed.findings).toEqual([]);
    expect(listed.verdict).toBe("pass");
    const strict = run({ config: "unmapped: revisit\n", changes: [added("scripts/deploy.sh")] });
    expect(strict.findings.map((f) => [f.kind, f.file, f.severity])).toEqual([["unmapped", "scripts/deploy.sh", "low"]]);
    expect(strict.verdict).toBe("revisit");
  });

  it("deleting the model is revisit with one model-removed finding", () => {
    const r = run({ head: null, changes: [{ path: "threat-model.yml", status: "removed" }, added("apps/web/src/a.ts")] });
    expect(r.verdict).toBe("revisit");
    expect(r.findings.map((f) => f.kind)).toEqual(["model-removed"]);
    expect(r.model.changed).toBe(true);
  });
});

describe("freshness", () => {
  const config = "max_age_days: 30\n";
  it("is off by default", () => {
    expect(run({ changes: [added("apps/web/src/cart.ts")], today: "2027-06-01" }).findings).toEqual([]);
  });

  it("a touched component reviewed longer ago than max_age_days is stale", () => {
    const r = run({ config, changes: [added("apps/web/src/cart.ts")], today: "2026-11-27" });
    expect(r.findings.map((f) => [f.key, f.covered])).toEqual([["stale:component:web", false]]);
    expect(r.findings[0]!.message).toContain("57 days ago");
  });

  it("an element without reviewed_at falls back to the model's date, and with neither is always stale", () => {
    const r = run({ config, changes: [added("services/payments/src/a.ts")], today: "2026-10-20" });
    expect(r.findings).toEqual([]); // model reviewed 2026-10-01: 19 days
    const undated = replace(SHOP_MODEL, "reviewed_at: 2026-10-01\nchampions", "champions");
    const r2 = run({ base: undated, config, changes: [added("services/payments/src/a.ts")], today: "2026-10-20" });
    expect(r2.findings.map((f) => f.key)).toEqual(["stale:component:payments"]);
  });

  it("updating reviewed_at in the change covers it", () => {
    const head = replace(SHOP_MODEL, "    reviewed_at: 2026-10-01\n  - id: payments", "    reviewed_at: 2026-11-26\n  - id: payments");
    const r = run({ config, head, changes: [added("apps/web/src/cart.ts")] });
    expect(r.findings.map((f) => [f.key, f.covered])).toEqual([["stale:component:web", true]]);
    expect(r.verdict).toBe("pass");
  });

  it("concerned flows are checked too", () => {
    const r = run({ config, changes: [added("apps/web/src/routes/login.ts")], today: "2026-11-27" });
    expect(r.findings.map((f) => f.key)).toEqual(["boundary-flow:login", "stale:component:web", "stale:flow:login"]);
  });
});

describe("coverage", () => {
  const signalChange = [added("apps/web/src/routes/refunds.ts", [ROUTE])];

  it("revising the component covers a signal in it", () => {
    const head = replace(SHOP_MODEL, "    name: Web app\n", "    name: Web app\n    description: Serves the shop and now refunds.\n");
    expect(run({ head, changes: signalChange }).verdict).toBe("pass");
  });

  it("adding a flow of the component covers a signal in it", () => {
    const head = edit(SHOP_MODEL, "data_flows:", "  - id: refund-request\n    source: browser\n    destination: web\n    protocol: https\n");
    const r = run({ head, changes: signalChange });
    expect(r.verdict).toBe("pass");
    expect(r.flows.map((f) => f.id)).toContain("refund-request");
    expect(r.modelChanges).toEqual([{ change: "added", kind: "flow", id: "refund-request" }]);
  });

  it("adding a threat targeting the component covers a signal in it", () => {
    const head = `${SHOP_MODEL}  - id: refund-abuse\n    targets: [web]\n    category: elevation-of-privilege\n`;
    const r = run({ head, changes: signalChange });
    expect(r.verdict).toBe("pass");
    expect(r.threats.map((t) => t.id)).toContain("refund-abuse");
  });

  it("revising an unrelated element covers nothing", () => {
    const head = replace(SHOP_MODEL, "    protocol: postgres\n", "    protocol: postgresql\n");
    const r = run({ head, changes: signalChange });
    expect(r.verdict).toBe("revisit");
    expect(r.model.changed).toBe(true);
  });

  it("removing the component from the model never covers a signal in it", () => {
    const head = replace(SHOP_MODEL, '    paths: ["apps/web/**", "!apps/web/**/*.snap"]\n', "");
    const removed = run({ head, changes: signalChange });
    expect(removed.components.map((c) => c.id)).toEqual(["web"]);
    const entry = (id: string) => new RegExp(`^ {2}- id: ${id}\\n(?: {4}.*\\n)+`, "m");
    const withoutWeb = ["web", "login", "web-payments", "login-stuffing"].reduce((m, id) => m.replace(entry(id), ""), SHOP_MODEL);
    const gone = run({ head: withoutWeb, changes: signalChange });
    expect(gone.modelChanges.filter((c) => c.change === "removed").map((c) => c.id)).toEqual(expect.arrayContaining(["web", "login"]));
    expect(gone.findings.find((f) => f.kind === "signal")!.covered).toBe(false);
    expect(gone.verdict).toBe("revisit");
  });

  it("a flow finding is covered by revising the flow, one of its ends, or a threat on them", () => {
    const change = [added("services/payments/src/processor.ts")];
    expect(run({ changes: change }).verdict).toBe("revisit");
    expect(run({ head: replace(SHOP_MODEL, "    destination: processor\n    protocol: https\n", "    destination: processor\n    protocol: https\n    encrypted: true\n"), changes: change }).verdict).toBe("pass");
    expect(run({ head: edit(SHOP_MODEL, "  - id: processor", "    name: Card processor\n"), changes: change }).verdict).toBe("pass");
    expect(run({ head: `${SHOP_MODEL}  - id: t2\n    targets: [charge]\n`, changes: change }).verdict).toBe("pass");
  });

  it("a signal outside every component is covered when the head maps the file to a new or changed element", () => {
    const change = [added("scripts/admin-server.ts", [ROUTE])];
    const head = edit(SHOP_MODEL, "components:", "  - id: admin\n    type: process\n    zone: internal\n    paths: [\"scripts/admin-server.ts\"]\n");
    const r = run({ head, changes: change });
    expect(r.findings.find((f) => f.kind === "signal")!.covered).toBe(true);
    expect(r.verdict).toBe("pass");
  });
});

describe("verdicts", () => {
  it("no-model when neither side has a model", () => {
    const r = run({ base: null, head: null, changes: [added("apps/web/a.ts", [ROUTE])] });
    expect(r.verdict).toBe("no-model");
    expect(r.findings).toEqual([]);
  });

  it("a model added by the change is used as if the base had none: every element is added", () => {
    const r = run({ base: null, head: SHOP_MODEL, changes: [added("threat-model.yml"), added("apps/web/src/routes/r.ts", [ROUTE])] });
    expect(r.verdict).toBe("pass");
    expect(r.model.changed).toBe(true);
    expect(r.modelChanges.filter((c) => c.kind === "component").map((c) => c.change)).toEqual(Array(5).fill("added"));
  });

  it("invalid-model when the change breaks the model, with the error's location", () => {
    const head = replace(SHOP_MODEL, "    source: payments\n    destination: processor", "    source: payment\n    destination: processor");
    const r = run({ head, changes: [added("apps/web/a.ts")] });
    expect(r.verdict).toBe("invalid-model");
    const line = head.split("\n").findIndex((l) => l === "    source: payment") + 1;
    expect(r.errors).toEqual([{ file: "threat-model.yml", line, column: 13, message: expect.stringContaining('component "payment" does not exist') }]);
    expect(r.findings).toEqual([]);
    expect(r.components).toEqual([]);
  });

  it("an invalid base model the change leaves alone is invalid-model", () => {
    const broken = replace(SHOP_MODEL, "trust: 80", "trust: high");
    expect(run({ base: broken, head: broken, changes: [added("apps/web/a.ts")] }).verdict).toBe("invalid-model");
  });

  it("a change that repairs an invalid base model is judged with the repaired model", () => {
    const broken = replace(SHOP_MODEL, "trust: 80", "trust: high");
    const r = run({ base: broken, head: SHOP_MODEL, changes: [added("threat-model.yml"), added("apps/web/src/routes/r.ts", [ROUTE])] });
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe("pass");
  });

  it("an invalid config is invalid-model even when the model is fine", () => {
    const r = run({ config: "max_age_days: soon\n", changes: [added("apps/web/a.ts")] });
    expect(r.verdict).toBe("invalid-model");
    expect(r.errors[0]).toMatchObject({ file: ".github/threat-model-review.yml", line: 1, column: 15 });
  });

  it("reformatting the model is not a model change", () => {
    const head = SHOP_MODEL.replace("champions: [alice, \"@acme/appsec\"]", "champions:\n  - \"@acme/appsec\"\n  - alice").replace("reviewed_at: 2026-10-01\nchampions", "reviewed_at: \"2026-10-01\"\nchampions");
    const r = run({ head, changes: [added("threat-model.yml")] });
    expect(r.modelChanges).toEqual([]);
    expect(r.model.changed).toBe(false);
    expect(r.verdict).toBe("pass");
  });
});

describe("the JSON report", () => {
  it("is deterministic and sorted", () => {
    const changes = [
      added("scripts/z.sh"),
      added("apps/web/src/routes/b.ts", [ROUTE]),
      added("scripts/a.sh"),
      added("apps/web/src/routes/a.ts", [ROUTE]),
      added("infra/edge/x.conf"),
    ];
    const one = run({ changes });
    const two = run({ changes: [...changes].reverse() });
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(one.unmappedFiles).toEqual(["scripts/a.sh", "scripts/z.sh"]);
    expect(one.findings.map((f) => f.key)).toEqual([...one.findings.map((f) => f.key)].sort());
    expect(one.schemaVersion).toBe(1);
  });

  it("lists the flows concerned by findings with their attributes and the highest classification", () => {
    const r = run({ changes: [added("apps/web/src/routes/login.ts")] });
    expect(r.flows).toEqual([
      { id: "login", name: "login", source: "browser", destination: "web", sourceZone: "internet", destinationZone: "dmz", crossesBoundary: true, protocol: "https", authentication: "password", encrypted: true, data: ["credentials"], classification: "secret" },
    ]);
    expect(r.threats).toEqual([
      { id: "login-stuffing", title: "Credential stuffing", category: "spoofing", targets: ["login"], status: "mitigated", likelihood: "high", impact: "high", risk: "high" },
    ]);
    expect(r.model.champions).toEqual(["@acme/appsec", "alice"]);
  });
});

describe("champions and acknowledgements", () => {
  const change = [added("apps/web/src/routes/refunds.ts", [ROUTE])];

  it("champions come from the base model only, never from a model the change adds or edits", () => {
    const added = run({ base: null, head: SHOP_MODEL, changes: change });
    expect(added.model.champions).toEqual([]);
    const edited = run({ head: replace(SHOP_MODEL, '[alice, "@acme/appsec"]', '[alice, "@acme/appsec", mallory]'), changes: change });
    expect(edited.model.champions).toEqual(["@acme/appsec", "alice"]);
  });

  it("an acknowledgement of a finding's key and evidence settles it; the verdict passes", async () => {
    const { acknowledgementFor } = await import("../../src/engine/review.js");
    const first = run({ changes: change });
    expect(first.verdict).toBe("revisit");
    const ack = acknowledgementFor(first, "alice", "2026-11-27T10:00:00Z", "route is behind the admin VPN", "a".repeat(40));
    expect(ack.findings).toEqual([{ key: "signal:http-route:apps/web/src/routes/refunds.ts", evidence: ["router.post('/refunds',refund);"] }]);
    const { review, loadConfig } = await import("../../src/engine/review.js");
    const again = review({ config: loadConfig(null), baseModel: { path: "threat-model.yml", content: SHOP_MODEL }, headModel: { path: "threat-model.yml", content: SHOP_MODEL }, changes: change, today: "2026-11-27", acknowledgements: [ack] });
    expect(again.verdict).toBe("pass");
    expect(again.findings[0]!.acknowledgedBy).toBe("alice");
    expect(again.stats.uncovered).toBe(0);
  });

  it("something new in the same place needs a new acknowledgement", async () => {
    const { acknowledgementFor, review, loadConfig } = await import("../../src/engine/review.js");
    const ack = acknowledgementFor(run({ changes: change }), "alice", "2026-11-27T10:00:00Z", "ok", "a".repeat(40));
    const more = [added("apps/web/src/routes/refunds.ts", [ROUTE, "router.delete('/refunds/:id', cancel);"])];
    const later = review({ config: loadConfig(null), baseModel: { path: "threat-model.yml", content: SHOP_MODEL }, headModel: { path: "threat-model.yml", content: SHOP_MODEL }, changes: more, today: "2026-11-27", acknowledgements: [ack] });
    expect(later.verdict).toBe("revisit");
    expect(later.findings[0]!.acknowledgedBy).toBeUndefined();
  });

  it("an acknowledged flow finding stays settled for the same change, and re-opens when the flow's code changes again", async () => {
    const { acknowledgementFor, review, loadConfig } = await import("../../src/engine/review.js");
    const at = (lines: string[]) => [added("services/payments/src/processor.ts", lines)];
    const judge = (changes: ReturnType<typeof at>, acks: Parameters<typeof review>[0]["acknowledgements"] = []) =>
      review({ config: loadConfig(null), baseModel: { path: "threat-model.yml", content: SHOP_MODEL }, headModel: { path: "threat-model.yml", content: SHOP_MODEL }, changes, today: "2026-11-27", acknowledgements: acks });
    const first = judge(at(["const timeoutMs = 5000;"]));
    const flow = first.findings.find((f) => f.kind === "boundary-flow")!;
    expect(flow.evidence).toHaveLength(1);
    const ack = acknowledgementFor(first, "alice", "2026-11-27T10:00:00Z", "a timeout only", "a".repeat(40));
    expect(judge(at(["const timeoutMs = 5000;"]), [ack]).verdict).toBe("pass");
    // Re-indented: the same change.
    expect(judge(at(["  const timeoutMs  =  5000;"]), [ack]).verdict).toBe("pass");
    // A later push changes the flow's code in another way: the acknowledgement does not cover it.
    const later = judge(at(["const timeoutMs = 5000;", "const verifySignature = false;"]), [ack]);
    expect(later.findings.find((f) => f.kind === "boundary-flow")!.acknowledgedBy).toBeUndefined();
    expect(later.verdict).toBe("revisit");
  });

  it("a model change needs approval only when the door asks", async () => {
    const { review, loadConfig } = await import("../../src/engine/review.js");
    const head = replace(SHOP_MODEL, "title: Shop", "title: Shop v2");
    const input = { config: loadConfig(null), baseModel: { path: "threat-model.yml", content: SHOP_MODEL }, headModel: { path: "threat-model.yml", content: head }, changes: [added("threat-model.yml")], today: "2026-11-27" };
    expect(review(input).approval).toEqual({ status: "not-needed", approvedBy: [] });
    expect(review({ ...input, approvedBy: [] }).approval).toEqual({ status: "missing", approvedBy: [] });
    expect(review({ ...input, approvedBy: ["alice"] }).approval).toEqual({ status: "approved", approvedBy: ["alice"] });
    expect(review({ ...input, headModel: input.baseModel, approvedBy: [] }).approval.status).toBe("not-needed");
  });
});

describe("moved code", () => {
  const removal = (path: string, lines: string[]) => ({ path, status: "modified" as const, patch: [`@@ -1,${lines.length} +0,0 @@`, ...lines.map((l) => `-${l}`)].join("\n") });

  it("moved within one component is not new", () => {
    const r = run({ changes: [removal("apps/web/src/old.ts", [ROUTE]), added("apps/web/src/routes/new.ts", [`  ${ROUTE}`])] });
    expect(r.signals).toEqual([]);
  });

  it("moved into another component is new where it lands", () => {
    const r = run({ changes: [removal("services/payments/src/admin.ts", [ROUTE]), added("apps/web/src/routes/admin.ts", [ROUTE])] });
    expect(r.signals.map((s) => [s.id, s.file])).toEqual([["http-route", "apps/web/src/routes/admin.ts"]]);
    expect(r.verdict).toBe("revisit");
  });
});
