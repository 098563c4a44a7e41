/**
 * A realistic small model for engine tests: a shop with a browser on the internet, a web
 * app at the edge, a payment service and its database inside, a card processor outside.
 * Tests derive variants from it with plain text edits, as a model author would.
 */
import type { ChangedFile } from "../../src/engine/changes/types.js";
import { loadConfig, review } from "../../src/engine/review.js";
import type { Report } from "../../src/engine/report/types.js";

export const SHOP_MODEL = `version: 1
title: Shop
reviewed_at: 2026-10-01
champions: [alice, "@acme/appsec"]
trust_zones:
  - id: internet
    trust: 0
  - id: dmz
    trust: 40
    paths: ["infra/edge/**"]
  - id: internal
    trust: 80
  - id: third-party
    trust: 20
components:
  - id: browser
    type: actor
    zone: internet
  - id: web
    name: Web app
    type: process
    zone: dmz
    paths: ["apps/web/**", "!apps/web/**/*.snap"]
    reviewed_at: 2026-10-01
  - id: payments
    type: process
    zone: internal
    paths: ["services/payments/**"]
  - id: db
    type: datastore
    zone: internal
    paths: ["db/**"]
  - id: processor
    type: external
    zone: third-party
data_assets:
  - id: credentials
    classification: secret
  - id: orders
    classification: confidential
data_flows:
  - id: login
    source: browser
    destination: web
    protocol: https
    data: [credentials]
    authentication: password
    encrypted: true
    paths: ["apps/web/src/routes/login.ts"]
  - id: web-payments
    source: web
    destination: payments
    protocol: grpc
    authentication: mTLS
  - id: payments-db
    source: payments
    destination: db
    protocol: postgres
    data: [orders]
  - id: charge
    source: payments
    destination: processor
    protocol: https
    paths: ["services/payments/src/processor.ts"]
threats:
  - id: login-stuffing
    title: Credential stuffing
    category: spoofing
    targets: [login]
    likelihood: high
    impact: high
    status: mitigated
`;

export const TODAY = "2026-11-27";

export interface Scenario {
  base?: string | null;
  head?: string | null;
  config?: string | null;
  changes: ChangedFile[];
  today?: string;
}

/** Run the engine on model texts and changed files, as a door would. */
export function run(s: Scenario): Report {
  const base = s.base === undefined ? SHOP_MODEL : s.base;
  const head = s.head === undefined ? base : s.head;
  return review({
    config: loadConfig(s.config ? { path: ".github/threat-model-review.yml", content: s.config } : null),
    baseModel: base === null ? null : { path: "threat-model.yml", content: base },
    headModel: head === null ? null : { path: "threat-model.yml", content: head },
    changes: s.changes,
    today: s.today ?? TODAY,
  });
}

/** A file the change modifies by adding `lines` at line 1. */
export function added(path: string, lines: string[] = ["const x = 1;"], status: ChangedFile["status"] = "modified"): ChangedFile {
  return { path, status, patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join("\n") };
}

/** Insert `text` after the line that equals `after` (exact match), failing loudly if absent. */
export function edit(model: string, after: string, text: string): string {
  const i = model.indexOf(`${after}\n`);
  if (i < 0) throw new Error(`edit: line not found: ${after}`);
  return model.slice(0, i + after.length + 1) + text + model.slice(i + after.length + 1);
}

export function replace(model: string, from: string, to: string): string {
  if (!model.includes(from)) throw new Error(`replace: text not found: ${from}`);
  return model.replace(from, to);
}
