/**
 * `init`'s pure part: a first model proposed from a repository's paths and the few files it
 * reads. Each test states what the proposal guessed and from what; every proposal must
 * validate with the project's own parser and read back as the same model.
 */
import { describe, expect, it } from "vitest";
import { filesToRead, proposeModel, type InitProposal, type RepositoryDescription } from "../../src/engine/init/index.js";
import { classifyUrl } from "../../src/engine/init/hosts.js";
import { parseCodeowners, ownersOf } from "../../src/engine/init/codeowners.js";
import { globEscape, slug } from "../../src/engine/init/propose.js";
import { parseModel } from "../../src/engine/model/parse.js";
import type { Component, DataFlow } from "../../src/engine/model/types.js";
import { PathIndex } from "../../src/engine/paths/path-index.js";
import { formatDiagnostic } from "../../src/engine/source/diagnostic.js";
import {
  ALEMBIC_APP,
  COMPOSE_APP,
  DJANGO_APP,
  KNEX_APP,
  MONOREPO,
  ORMCONFIG_APP,
  PRISMA_MONGO_APP,
  RAILS_APP,
  describeRepo,
  type RepoFiles,
} from "../helpers/init-repos.js";

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Propose, and check what every proposal must satisfy. */
function propose(files: RepoFiles | RepositoryDescription, name = "repo"): InitProposal {
  const repo = "paths" in files && Array.isArray(files.paths) ? (files as RepositoryDescription) : describeRepo(files as RepoFiles, name);
  const p = proposeModel(repo);
  const parsed = parseModel({ path: "threat-model.yml", content: p.yaml });
  if (!parsed.ok) throw new Error(`the proposal does not validate:\n${parsed.errors.map(formatDiagnostic).join("\n")}\n\n${p.yaml}`);
  expect(parsed.warnings).toEqual([]);
  expect(parsed.model).toEqual(p.model);
  return p;
}

const component = (p: InitProposal, id: string): Component => {
  const c = p.model.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id} in ${p.model.components.map((x) => x.id).join(", ")}`);
  return c;
};
const flow = (p: InitProposal, id: string): DataFlow => {
  const f = p.model.data_flows.find((x) => x.id === id);
  if (!f) throw new Error(`no flow ${id} in ${p.model.data_flows.map((x) => x.id).join(", ")}`);
  return f;
};
const reason = (p: InitProposal, id: string) => p.guesses.find((g) => g.id === id)?.reason;
const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

describe("components from service folders and CODEOWNERS", () => {
  const p = propose(MONOREPO, "platform");

  it("makes a process of each monorepo service folder, web-facing when it has routes", () => {
    expect(p.model.title).toBe("acme-platform");
    expect(ids(p.model.components.filter((c) => c.type === "process"))).toEqual(["web", "ui", "billing", "notifications", "ledger"]);
    expect(component(p, "web")).toMatchObject({ name: "@acme/web", zone: "dmz", paths: ["apps/web/**"] });
    expect(component(p, "ui")).toMatchObject({ name: "@acme/ui", zone: "internal", paths: ["packages/ui/**"] });
    expect(component(p, "notifications")).toMatchObject({ zone: "internal", paths: ["services/notifications/**"] });
    expect(reason(p, "web")).toBe("guessed from apps/web (3 routes, owners from CODEOWNERS)");
    expect(reason(p, "billing")).toBe("guessed from services/billing (1 route, calls api.stripe.com, owners from CODEOWNERS)");
    expect(reason(p, "ui")).toBe("guessed from packages/ui (no routes found: internal, owners from CODEOWNERS)");
  });

  it("takes owners from CODEOWNERS (the last matching line), leaving e-mail addresses out", () => {
    expect(component(p, "web").owners).toEqual(["@acme/frontend"]);
    expect(component(p, "billing").owners).toEqual(["@acme/payments", "bob"]);
    expect(component(p, "ui").owners).toEqual(["@acme/platform"]);
  });

  it("makes a CODEOWNERS folder a component of its own, carved out of the one it sits in", () => {
    expect(component(p, "ledger")).toMatchObject({ type: "process", zone: "internal", paths: ["services/billing/src/ledger/**"], owners: ["@acme/ledger"] });
    expect(component(p, "billing").paths).toEqual(["services/billing/**", "!services/billing/src/ledger/**"]);
    expect(reason(p, "ledger")).toMatch(/^guessed from CODEOWNERS \/services\/billing\/src\/ledger\/ \(/);
    // A CODEOWNERS entry for docs, or for a folder that is already a component, adds nothing.
    expect(p.model.components.some((c) => c.paths.some((g) => g.startsWith("docs/")))).toBe(false);
  });

  it("proposes the root app when the code lives at the root, with its folders, root code files and manifest", () => {
    const r = propose({ "package.json": '{"name":"shop"}', "src/server.js": 'app.get("/", h);\n', "bin/cli.js": "run();\n", "main.go": "package main\n", "vite.config.ts": "export default {};\n", "test/a.test.js": "" });
    expect(component(r, "app")).toMatchObject({ name: "shop", type: "process", zone: "dmz", paths: ["bin/**", "src/**", "main.go", "package.json"] });
    expect(reason(r, "app")).toBe("guessed from the root app in bin/, src/, main.go (1 route)");
  });

  it("makes a top-level folder with its own manifest a service, next to the root app", () => {
    const r = propose({ "frontend/package.json": '{"name":"front"}', "frontend/src/index.ts": "export {};\n", "server/main.py": "import flask\n" });
    expect(ids(r.model.components)).toEqual(["browser", "app", "frontend"]);
    expect(component(r, "app").paths).toEqual(["server/**"]);
    expect(component(r, "frontend")).toMatchObject({ name: "front", paths: ["frontend/**"] });
    expect(reason(r, "frontend")).toMatch(/^guessed from frontend \(package\.json\) /);
  });

  it("reads CODEOWNERS as GitHub does: gitignore patterns, the last match wins, .github/ first", () => {
    const rules = parseCodeowners("* @org/all\n*.js @js-owner\n/src/payments/ @org/pay # inline comment\ndocs/ @org/docs\n/build/** @builder\n");
    expect(ownersOf(rules, "src/payments")).toEqual(["@org/pay"]);
    expect(ownersOf(rules, "src")).toEqual(["@org/all"]);
    expect(ownersOf(rules, "src/app.js")).toEqual(["js-owner"]);
    expect(ownersOf(rules, "lib/docs/x.md")).toEqual(["@org/docs"]);
    expect(ownersOf(rules, "build/out/x")).toEqual(["builder"]);
    expect(rules.map((r) => r.folder)).toEqual([null, null, "src/payments", null, "build"]);
    const r = propose({ "src/a.ts": "export {};\n", "CODEOWNERS": "* @root-file\n", ".github/CODEOWNERS": "* @github-file\n" });
    expect(component(r, "app").owners).toEqual(["github-file"]);
  });
});

describe("datastores", () => {
  it("from a monorepo service's Prisma schema, joined by the one compose database of its kind", () => {
    const p = propose(MONOREPO);
    expect(component(p, "billing-db")).toMatchObject({
      name: "PostgreSQL database of billing",
      type: "datastore",
      zone: "internal",
      paths: ["services/billing/prisma/**", "docker-compose.yml"],
      owners: ["@acme/payments", "bob"],
    });
    expect(reason(p, "billing-db")).toBe(
      "guessed from services/billing/prisma/schema.prisma (provider postgresql), docker-compose.yml service postgres (postgres:16); owners from CODEOWNERS",
    );
    expect(component(p, "redis")).toMatchObject({ name: "Redis (compose service redis)", paths: ["docker-compose.yml"] });
    // nginx and a service built from source are not datastores; migrations under fixtures/ are not ours.
    expect(ids(p.model.components.filter((c) => c.type === "datastore"))).toEqual(["billing-db", "redis"]);
  });

  it("from migrations/ and db/ folders, naming the engine the code uses", () => {
    const p = propose({ "package.json": '{"name":"shop"}', "src/db/orders.ts": 'import pg from "pg";\n', "migrations/001.sql": "CREATE TABLE t (id int);\n" });
    expect(component(p, "database")).toMatchObject({ name: "PostgreSQL database", paths: ["migrations/**", "src/db/**"] });
    expect(reason(p, "database")).toBe("guessed from migrations/ (1 file), src/db/ (1 file); PostgreSQL from pg in src/db/orders.ts");
  });

  it("from Rails: db/ with its migrations and config/database.yml", () => {
    const p = propose(RAILS_APP);
    expect(component(p, "database")).toMatchObject({ name: "PostgreSQL database", paths: ["db/**", "config/database.yml"] });
    expect(reason(p, "database")).toBe("guessed from db/ (2 files, Rails), config/database.yml (adapter postgresql)");
    expect(component(p, "app").paths).toEqual(["app/**", "config/**", "Gemfile"]);
  });

  it("from Django: a database in settings and models, with the apps' migrations", () => {
    const p = propose(DJANGO_APP);
    expect(component(p, "database")).toMatchObject({ name: "PostgreSQL database", paths: ["shop/migrations/**", "mysite/settings.py", "shop/models.py"] });
    expect(reason(p, "database")).toMatch(/Django settings mysite\/settings\.py \(postgresql\) and 1 models file/);
    // Django models without a database in settings are not enough.
    const bare = propose({ "shop/models.py": "from django.db import models\n", "mysite/settings.py": "DEBUG = True\n" });
    expect(bare.model.components.filter((c) => c.type === "datastore")).toEqual([]);
  });

  it("from Alembic, knex, TypeORM's ormconfig and a Prisma schema", () => {
    expect(component(propose(ALEMBIC_APP), "database")).toMatchObject({ name: "SQL database", paths: ["alembic/**", "alembic.ini"] });
    expect(component(propose(KNEX_APP), "database")).toMatchObject({ name: "PostgreSQL database", paths: ["migrations/**", "knexfile.js"] });
    expect(component(propose(ORMCONFIG_APP), "database")).toMatchObject({ name: "MySQL database", paths: ["ormconfig.json"] });
    expect(component(propose(PRISMA_MONGO_APP), "mongodb")).toMatchObject({ name: "MongoDB", paths: ["prisma/**"] });
  });

  it("from each database service of a compose file, by image, whatever the registry or tag", () => {
    const p = propose(COMPOSE_APP);
    expect(p.model.components.filter((c) => c.type === "datastore").map((c) => [c.id, c.name])).toEqual([
      ["cache", "Redis (compose service cache)"],
      ["maria", "MariaDB database (compose service maria)"],
      ["mongo", "MongoDB (compose service mongo)"],
      ["pg", "PostgreSQL database (compose service pg)"],
    ]);
  });
});

describe("external services from outbound URLs", () => {
  const p = propose(MONOREPO);

  it("proposes one external per host called, in a third-party zone, with the calling code as its paths", () => {
    const externals = p.model.components.filter((c) => c.type === "external");
    expect(externals.map((c) => [c.id, c.zone, c.paths])).toEqual([
      ["api.sendgrid.com", "third-party", ["services/notifications/worker.py"]],
      ["api.stripe.com", "third-party", ["services/billing/src/ledger/ledger.ts", "services/billing/src/stripe.ts"]],
    ]);
    // Called from two files (one through a named URL constant), still one component.
    expect(reason(p, "api.stripe.com")).toBe(
      "guessed from 2 calls to api.stripe.com in services/billing/src/stripe.ts:8, services/billing/src/ledger/ledger.ts:6; paths: the code that calls it",
    );
  });

  it("skips local and private addresses, example domains and documentation links, and says so", () => {
    expect(p.skipped.map((s) => [s.host, s.reason])).toEqual([
      ["localhost", "a local address"],
      ["example.com", "an example domain"],
      ["docs.sendgrid.com", "a documentation link"],
      ["10.0.0.7", "a private address"],
    ]);
  });

  it("ignores URLs that no call is given: constants never called, comments, namespaces, docs, tests, dependencies", () => {
    const hosts = ids(p.model.components);
    for (const host of ["status.acme-partner.com", "stripe.com", "www.w3.org", "docs.acme-platform.dev", "api.test-only-host.com", "api.npm-only.com"]) {
      expect(hosts).not.toContain(host);
    }
    expect(p.skipped.map((s) => s.host)).not.toContain("www.w3.org");
  });

  it("tells noise from services by the URL alone", () => {
    const kind = (url: string) => {
      const v = classifyUrl(url);
      return v.kind === "skipped" ? v.reason : v.kind;
    };
    expect(kind("https://api.stripe.com/v1/charges")).toBe("external");
    expect(kind("wss://stream.binance.com:9443/ws")).toBe("external");
    expect(kind("https://api.github.com/repos/o/r/issues")).toBe("external");
    expect(kind("http://127.0.0.1:8080")).toBe("a local address");
    expect(kind("http://app.localhost/")).toBe("a local address");
    expect(kind("https://processor.example/v1")).toBe("an example domain");
    expect(kind("https://www.example.org/x")).toBe("an example domain");
    expect(kind("https://shop.test/")).toBe("a reserved test domain");
    expect(kind("http://billing.svc.cluster.local/x")).toBe("a private network name");
    expect(kind("http://www.w3.org/2001/XMLSchema")).toBe("a schema or namespace URL");
    expect(kind("https://json-schema.org/draft/2020-12/schema")).toBe("a schema or namespace URL");
    expect(kind("https://acme.com/schemas/order.xsd")).toBe("a schema or namespace URL");
    expect(kind("https://developer.mozilla.org/en-US/docs/Web")).toBe("a documentation link");
    expect(kind("https://github.com/acme/tool/blob/main/README.md")).toBe("a documentation link");
    expect(kind("https://acme.readthedocs.io/en/latest/")).toBe("a documentation link");
    expect(kind("https://${host}/api")).toBe("none");
    expect(kind("http://billing:8080/x")).toBe("internal-name");
  });
});

describe("flows", () => {
  const p = propose(MONOREPO);

  it("from the user's browser to each service with routes, through its route files", () => {
    expect(flow(p, "browser-to-web")).toMatchObject({ source: "browser", destination: "web", protocol: "https", paths: ["apps/web/app/users/\\[id\\]/route.ts", "apps/web/src/server.ts"] });
    expect(flow(p, "browser-to-billing").paths).toEqual(["services/billing/src/routes.ts"]);
    expect(p.model.data_flows.some((f) => f.source === "browser" && ["ui", "notifications", "ledger"].includes(f.destination))).toBe(false);
    expect(reason(p, "browser-to-web")).toBe("guessed from 3 routes in apps/web/app/users/[id]/route.ts, apps/web/src/server.ts");
  });

  it("from a service to the datastore its code uses: its own first, else the shared one", () => {
    expect(flow(p, "billing-to-billing-db")).toMatchObject({ protocol: "postgres", paths: ["services/billing/src/db.ts"] });
    expect(reason(p, "billing-to-billing-db")).toBe("guessed from @prisma/client in services/billing/src/db.ts");
    expect(flow(p, "ledger-to-billing-db").paths).toEqual(["services/billing/src/ledger/ledger.ts"]);
    expect(flow(p, "notifications-to-redis")).toMatchObject({ protocol: "redis", paths: ["services/notifications/worker.py"] });
  });

  it("from a service to each external host it calls, and to a sibling service called by name", () => {
    expect(flow(p, "billing-to-api.stripe.com")).toMatchObject({ protocol: "https", paths: ["services/billing/src/stripe.ts"] });
    expect(flow(p, "ledger-to-api.stripe.com").paths).toEqual(["services/billing/src/ledger/ledger.ts"]);
    expect(flow(p, "notifications-to-api.sendgrid.com").paths).toEqual(["services/notifications/worker.py"]);
    expect(flow(p, "web-to-billing")).toMatchObject({ protocol: "http", paths: ["apps/web/src/api.ts"] });
    expect(ids(p.model.data_flows)).toEqual([
      "browser-to-web",
      "browser-to-billing",
      "web-to-billing",
      "billing-to-billing-db",
      "billing-to-api.stripe.com",
      "notifications-to-redis",
      "notifications-to-api.sendgrid.com",
      "ledger-to-billing-db",
      "ledger-to-api.stripe.com",
    ]);
  });

  it("escapes glob characters, so a flow's paths match exactly its files", () => {
    const f = flow(p, "browser-to-web");
    const index = new PathIndex([{ owner: f.id, patterns: f.paths }]);
    expect(index.decide("apps/web/app/users/[id]/route.ts")).toEqual(["browser-to-web"]);
    expect(index.decide("apps/web/app/users/i/route.ts")).toEqual([]);
    expect(globEscape("a/{b},(c)!+@*?.ts")).toBe("a/\\{b\\}\\,\\(c\\)\\!\\+\\@\\*\\?.ts");
  });

  it("lists the folders instead of the files when a flow spans many files", () => {
    const files: RepoFiles = {};
    for (let i = 0; i < 12; i++) files[`src/routes/r${i}.js`] = `router.get("/r${i}", h);\n`;
    files["src/api/x.js"] = 'router.get("/x", h);\n';
    expect(flow(propose(files), "browser-to-app").paths).toEqual(["src/api/**", "src/routes/**"]);
  });
});

describe("the proposal as a file", () => {
  const p = propose(MONOREPO);

  it("marks every zone, component and flow with a # review: comment right above it", () => {
    const lines = p.yaml.split("\n");
    const elements = [...p.model.trust_zones, ...p.model.components, ...p.model.data_flows];
    expect(p.guesses.map((g) => g.id)).toEqual(ids(elements));
    for (const e of elements) {
      const at = lines.findIndex((l) => l === `  - id: ${e.id}`);
      expect(at, e.id).toBeGreaterThan(0);
      expect(lines[at - 1], e.id).toBe(`  # review: ${reason(p, e.id)}`);
    }
    expect(p.yaml).toContain("  # review: guessed from services/billing (1 route, calls api.stripe.com, owners from CODEOWNERS)\n  - id: billing\n");
  });

  it("asks for champions, and sets no reviewed_at: nobody has reviewed it yet", () => {
    expect(p.yaml).toMatch(/\n# List the security champions who approve changes to this model: [^\n]*\nchampions: \[\]\n/);
    expect(p.yaml).not.toMatch(/reviewed_at:/m);
    expect(p.model.reviewed_at).toBeUndefined();
    expect(p.model.components.every((c) => c.reviewed_at === undefined)).toBe(true);
    expect(p.yaml.startsWith("# Proposed by `threat-model-review init` from the repository itself")).toBe(true);
  });

  it("fills in paths for every process, datastore and external; the actor alone has none", () => {
    for (const c of p.model.components) expect(c.paths.length > 0, c.id).toBe(c.type !== "actor");
    expect(p.model.trust_zones.map((z) => [z.id, z.trust, z.paths])).toEqual([
      ["internet", 0, []],
      ["dmz", 40, ["infra/k8s/ingress.yaml"]],
      ["internal", 80, []],
      ["third-party", 20, []],
    ]);
    expect(component(p, "browser")).toMatchObject({ type: "actor", zone: "internet" });
  });

  it("gives valid ids, unique across the whole model, whatever the folder names", () => {
    const odd = propose({
      "apps/Web App/index.ts": 'app.get("/", h);\n',
      "packages/web-app/index.ts": "export {};\n",
      "services/internal/index.ts": "export {};\n",
      "services/browser/index.ts": "export {};\n",
      "services/__Ünïcode__/index.ts": "export {};\n",
      "services/redis/index.ts": 'import Redis from "ioredis";\n',
      "docker-compose.yml": "services:\n  redis:\n    image: redis\n",
    });
    const all = [...ids(odd.model.trust_zones), ...ids(odd.model.components), ...ids(odd.model.data_flows)];
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(ID);
    expect(ids(odd.model.components)).toEqual(["browser", "web-app", "packages-web-app", "n-code", "services-browser", "services-internal", "redis", "redis-redis"]);
    expect(slug("--Hello World!--")).toBe("hello-world");
    expect(slug("!!!")).toBe("component");
  });

  it("stays within the model's limits on wide repositories: root files by extension, many migrations by name", () => {
    const files: RepoFiles = { "mysite/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n" };
    for (let i = 0; i < 60; i++) {
      files[`page${i}.php`] = "<?php echo 1;\n";
      files[`app${i}/models.py`] = "from django.db import models\n";
      files[`app${i}/migrations/0001_initial.py`] = "\n";
    }
    const wide = propose(files);
    const app = component(wide, "app");
    expect(app.paths.filter((g) => !g.endsWith("/**"))).toEqual(["*.php"]);
    const index = new PathIndex([{ owner: "app", patterns: app.paths }]);
    expect(index.decide("page7.php")).toEqual(["app"]);
    expect(component(wide, "database").paths).toEqual(["**/migrations/**", "mysite/settings.py"]);
  });

  it("is deterministic: the same repository in any order gives the same text", () => {
    const repo = describeRepo(MONOREPO);
    const shuffled: RepositoryDescription = { name: repo.name, paths: [...repo.paths].reverse(), files: new Map([...repo.files].reverse()) };
    expect(proposeModel(shuffled).yaml).toBe(proposeModel(repo).yaml);
  });

  it("proposes something valid for an empty or code-less repository", () => {
    const empty = propose({});
    expect(ids(empty.model.components)).toEqual(["browser"]);
    expect(empty.model.title).toBe("repo");
    expect(ids(propose({ "README.md": "# x\n", "docs/a.md": "", ".github/workflows/ci.yml": "on: push\n" }).model.components)).toEqual(["browser"]);
  });

  it("ignores paths it cannot use as globs (control characters, backslashes) and skipped folders", () => {
    const p2 = propose({ "src/ok.ts": "export {};\n", "src/bad\nname.ts": "", "src\\win.ts": "", "vendor/lib/x.go": "", "dist/app.js": "" });
    expect(component(p2, "app").paths).toEqual(["src/**"]);
    expect(p2.codeFiles).toEqual({ read: 1, listed: 1 });
  });
});

describe("which files it reads", () => {
  it("asks for CODEOWNERS, manifests and datastore config first, then code from every service in turn", () => {
    const paths: string[] = [".github/CODEOWNERS", "package.json", "docker-compose.yml", "services/a/package.json", "services/a/prisma/schema.prisma", "README.md", "assets/logo.png"];
    for (const s of ["a", "b", "c"]) for (let i = 0; i < 10; i++) paths.push(`services/${s}/src/f${i}.ts`);
    const wanted = filesToRead(paths, { maxPaths: 1_000, maxFiles: 11, maxFileBytes: 1_000, maxTotalBytes: 10_000 });
    expect(wanted).toEqual([
      ".github/CODEOWNERS",
      "package.json",
      "services/a/package.json",
      "docker-compose.yml",
      "services/a/prisma/schema.prisma",
      "services/a/src/f0.ts",
      "services/b/src/f0.ts",
      "services/c/src/f0.ts",
      "services/a/src/f1.ts",
      "services/b/src/f1.ts",
      "services/c/src/f1.ts",
    ]);
  });

  it("works from what it was given: a file not read is listed but not scanned, and says so", () => {
    const repo = describeRepo(MONOREPO);
    const some: RepositoryDescription = { ...repo, files: new Map([...repo.files].filter(([p]) => !p.startsWith("services/billing/src/"))) };
    const p = propose(some);
    expect(reason(p, "billing")).toBe("guessed from services/billing (no routes found: internal, owners from CODEOWNERS, 0 of 3 code files read)");
    expect(p.codeFiles).toEqual({ read: 5, listed: 9 });
  });

  it("caps each file's text, so one huge file cannot slow it down", () => {
    const huge = `app.get("/a", h);\n${"x".repeat(300_000)}\napp.get("/b", h);\n`;
    const p = proposeModel(describeRepo({ "src/server.js": huge }));
    expect(reason(p, "app")).toBe("guessed from the root app in src/ (1 route)");
  });
});
