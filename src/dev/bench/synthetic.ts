/**
 * A deterministic synthetic monorepo for the benchmark: a model with thousands of components
 * (2 to 4 globs each, with negations and braces), zones and flows, and a change touching
 * thousands of files with realistic patches. The same seed gives the same bytes.
 */
import type { ChangedFile } from "../../engine/index.js";

export interface Shape {
  components: number;
  zones: number;
  flows: number;
  files: number;
  addedLines: number;
  seed?: number;
}

export const TARGET_SHAPE: Shape = { components: 2000, zones: 12, flows: 600, files: 3000, addedLines: 100_000 };

/** Mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticModel(shape: Shape): string {
  const rnd = random(shape.seed ?? 7);
  const pick = (n: number) => Math.floor(rnd() * n);
  const out: string[] = [
    "version: 1",
    "title: Synthetic monorepo",
    "reviewed_at: 2026-10-01",
    'champions: [alice, "@acme/appsec"]',
    "trust_zones:",
  ];
  for (let z = 0; z < shape.zones; z++) {
    out.push(`  - id: zone-${z}`, `    name: Zone ${z}`, `    trust: ${Math.round((z * 100) / Math.max(1, shape.zones - 1))}`);
    if (z > 0 && z % 4 === 0) out.push(`    parent: zone-${z - 1}`);
    out.push(`    paths: ["infra/zone-${z}/**"]`);
  }
  out.push("components:");
  for (let i = 0; i < shape.components; i++) {
    const globs = [`services/svc-${i}/**`];
    const extra = 1 + pick(3);
    if (extra >= 1) globs.push(`!services/svc-${i}/**/*.snap`);
    if (extra >= 2) globs.push(`libs/{svc-${i},svc-${i}-shared}/src/**/*.{ts,go}`);
    if (extra >= 3) globs.push(i % 50 === 0 ? `**/svc-${i}.config.json` : `proto/svc-${i}/**/*.proto`);
    out.push(
      `  - id: svc-${i}`,
      `    name: Service ${i}`,
      `    type: ${i % 10 === 9 ? "datastore" : "process"}`,
      `    zone: zone-${i % shape.zones}`,
      `    paths: [${globs.map((g) => JSON.stringify(g)).join(", ")}]`,
      `    data: [asset-${i % 20}]`,
      `    reviewed_at: 2026-0${1 + (i % 9)}-15`,
    );
  }
  out.push("data_assets:");
  for (let d = 0; d < 20; d++) out.push(`  - id: asset-${d}`, `    classification: ${["public", "internal", "confidential", "secret"][d % 4]}`);
  out.push("data_flows:");
  for (let f = 0; f < shape.flows; f++) {
    const source = pick(shape.components);
    let destination = pick(shape.components);
    if (destination === source) destination = (destination + 1) % shape.components;
    out.push(
      `  - id: flow-${f}`,
      `    source: svc-${source}`,
      `    destination: svc-${destination}`,
      `    protocol: ${["https", "grpc", "postgres", "amqp"][f % 4]}`,
      `    data: [asset-${f % 20}]`,
      `    authentication: ${f % 7 === 0 ? "none" : "mTLS"}`,
      `    encrypted: ${f % 5 !== 0}`,
    );
    if (f % 3 === 0) out.push(`    paths: ["services/svc-${source}/src/clients/svc-${destination}.ts"]`);
  }
  out.push("threats:");
  for (let t = 0; t < Math.min(400, shape.components); t++) {
    out.push(
      `  - id: threat-${t}`,
      `    title: Threat ${t} against service ${t * 5 % shape.components}`,
      `    category: ${["spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service", "elevation-of-privilege"][t % 6]}`,
      `    targets: [svc-${(t * 5) % shape.components}]`,
      `    likelihood: ${["low", "medium", "high"][t % 3]}`,
      `    impact: ${["medium", "high", "very-high"][t % 3]}`,
      `    status: ${["open", "mitigated", "accepted"][t % 3]}`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** Lines shaped like ordinary TypeScript, each made unique by its names (real diffs rarely repeat). */
const PLAIN: ((n: string) => string)[] = [
  (n) => `const total${n} = items${n}.reduce((sum, item) => sum + item.price, 0);`,
  (n) => `if (!user${n}) return null;`,
  (n) => `export function format${n}(value: number): string {`,
  (n) => `  return value${n}.toFixed(2);`,
  (n) => `  logger.info({ orderId: order${n}.id }, "order ${n} updated");`,
  (n) => `for (const line of lines${n}) out${n}.push(line.trim());`,
  (n) => `const [first${n}, ...rest${n}] = parts.split(",");`,
  (n) => `  await queue${n}.publish({ kind: "refund", id: refund${n}.id });`,
];
const SIGNALLING: ((n: string) => string)[] = [
  (n) => `router.post("/orders/:id/refund${n}", refund${n});`,
  (n) => `const res${n} = await fetch(\`\${BASE_URL}/v1/charges/${n}\`, { method: "POST" });`,
  (n) => `await db.query(\`SELECT * FROM orders_${n} WHERE id = \${id}\`);`,
  (n) => `const token${n} = jwt.sign(payload, secret, { expiresIn: "1h" });`,
  (n) => `const hash${n} = crypto.createHash("md5").update(password).digest("hex");`,
];

/** The changed files: paths under the components' folders (and some nothing maps), with patches. */
export function syntheticChange(shape: Shape): ChangedFile[] {
  const rnd = random((shape.seed ?? 7) + 1);
  const pick = (n: number) => Math.floor(rnd() * n);
  const perFile = Math.max(1, Math.floor(shape.addedLines / shape.files));
  const files: ChangedFile[] = [];
  for (let i = 0; i < shape.files; i++) {
    const svc = pick(shape.components);
    const path =
      i % 20 === 0
        ? `tools/scripts/task-${i}.sh`
        : i % 7 === 0
          ? `libs/svc-${svc}/src/util-${i}.ts`
          : `services/svc-${svc}/src/${i % 3 === 0 ? "clients" : "handlers"}/file-${i}.ts`;
    const lines: string[] = [];
    for (let k = 0; k < perFile; k++) {
      const n = `_${i}_${k}`;
      lines.push(rnd() < 0.02 ? SIGNALLING[pick(SIGNALLING.length)]!(n) : PLAIN[pick(PLAIN.length)]!(n));
    }
    files.push({ path, status: "modified", patch: [`@@ -1,1 +1,${perFile + 1} @@`, " // header", ...lines.map((l) => `+${l}`)].join("\n") });
  }
  return files;
}
