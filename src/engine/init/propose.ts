/**
 * A starting threat model proposed from the repository itself: the default zone layout, a
 * user actor, a process per service folder (and the root app), CODEOWNERS folders and their
 * owners, datastores from migrations, ORM config and compose files, third-party services
 * from the hosts the code calls, and the flows between them that the code shows. Every
 * element is a guess and carries what it was guessed from.
 */
import type { Component, DataFlow, ThreatModel, TrustZone } from "../model/types.js";
import { DEFAULT_TITLE } from "../model/write.js";
import { CODEOWNERS_PATHS, ownersOf, parseCodeowners, type OwnerRule } from "./codeowners.js";
import { ENGINES, isStoreConfig, mergeStores, storeSources, type Datastore } from "./datastores.js";
import { protocolOf } from "./hosts.js";
import { cmp } from "../compare.js";
import { DATASTORE_DIRS, basename, dirname, isManifest, isNotApp, isUnder, readLayout, scopeOf, type Layout } from "./layout.js";
import { renderProposal } from "./render.js";
import { scanFile, type FileFacts, type StoreFamily, type StoreRef } from "./scan.js";
import { INIT_LIMITS, type Guess, type InitLimits, type InitProposal, type RepositoryDescription, type SkippedHost } from "./types.js";

const MAX_CODEOWNERS_COMPONENTS = 100;
/** A flow or external lists at most this many files; more become their folders. */
const MAX_LISTED_PATHS = 10;
/** Root files and datastore folders listed one by one up to this many. */
const MAX_LISTED_FILES = 50;
/** The model allows 100 owners per component. */
const MAX_OWNERS = 100;
const MIGRATIONS = /(?:^|\/)(?:migrations?|alembic)\//i;

/**
 * Which files `proposeModel` wants, most useful first: CODEOWNERS, manifests and datastore
 * configuration, then code shared out in turn between the services, so a huge repository
 * still gets every service looked at. At most `limits.maxFiles` paths.
 */
export function filesToRead(paths: readonly string[], limits: InitLimits = INIT_LIMITS): string[] {
  const layout = readLayout(paths, limits.maxPaths);
  const wanted: string[] = [];
  const has = new Set(layout.paths);
  for (const p of CODEOWNERS_PATHS) if (has.has(p)) wanted.push(p);
  const projectRoots = new Set(["", ...layout.services.map((s) => s.root)]);
  for (const p of layout.paths) if (isManifest(p) && projectRoots.has(dirname(p)) && /(?:package\.json|pyproject\.toml|go\.mod|Cargo\.toml|composer\.json)$/.test(p)) wanted.push(p);
  for (const p of layout.paths) if (isStoreConfig(p)) wanted.push(p);

  const groups = new Map<string, string[]>();
  for (const p of layout.code) {
    const scope = scopeOf(p, layout.services);
    const group = scope !== "" ? scope : p.includes("/") ? p.slice(0, p.indexOf("/")) : "";
    const list = groups.get(group) ?? [];
    list.push(p);
    groups.set(group, list);
  }
  const lists = [...groups.entries()].sort((a, b) => cmp(a[0], b[0])).map(([, l]) => l);
  for (let i = 0; wanted.length < limits.maxFiles && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length) wanted.push(l[i]!);
  }
  return [...new Set(wanted)].slice(0, limits.maxFiles);
}

interface Unit {
  id: string;
  name: string;
  kind: "root" | "service" | "codeowners";
  /** Folders it is made of. */
  roots: string[];
  /** Single files it is made of (root-level code, root manifests). */
  files: string[];
  /** Folders carved out of it for a more specific component. */
  excludes: string[];
  scope: string;
  /** The head of the review comment: "services/billing", "the root app (src/, bin/)". */
  source: string;
  facts: FileFacts[];
  listed: number;
}

export function proposeModel(repo: RepositoryDescription, limits: InitLimits = INIT_LIMITS): InitProposal {
  const layout = readLayout(repo.paths, limits.maxPaths);
  const files = new Map<string, string>();
  for (const [p, text] of repo.files) files.set(p, text.length > limits.maxFileBytes ? text.slice(0, limits.maxFileBytes) : text);

  const ids = new IdAllocator(["internet", "dmz", "internal", "third-party", "browser"]);
  const title = clean(projectName(files, "") ?? repo.name) || DEFAULT_TITLE;
  const rules = ownerRules(files);

  // Processes: the root app, each service folder, then CODEOWNERS folders carved out of them.
  const units: Unit[] = [];
  if (layout.rootApp) {
    const r = layout.rootApp;
    const shown = [...r.folders.map((f) => `${f}/`), ...r.files];
    units.push({
      id: ids.take("app"),
      name: title,
      kind: "root",
      roots: r.folders,
      files: [...new Set([...r.files, ...r.manifests])],
      excludes: [],
      scope: "",
      source: `the root app in ${shown.slice(0, 4).join(", ")}${shown.length > 4 ? ` (+${shown.length - 4} more)` : ""}`,
      facts: [],
      listed: 0,
    });
  }
  for (const s of layout.services) {
    const base = basename(s.root);
    const id = ids.take(slug(base), slug(s.root.replace(/\//g, "-")));
    const manifestName = s.manifest !== undefined ? projectName(files, s.root) : undefined;
    units.push({ id, name: clean(manifestName ?? "") || id, kind: "service", roots: [s.root], files: [], excludes: [], scope: s.root, source: s.source, facts: [], listed: 0 });
  }
  addCodeownersUnits(units, rules, layout, ids);

  // The component a path belongs to: the one with the deepest folder holding it.
  const byFile = new Map<string, Unit>();
  const byRoot = new Map<string, Unit>();
  for (const u of units) {
    for (const f of u.files) byFile.set(f, u);
    for (const r of u.roots) byRoot.set(r, u);
  }
  const unitOf = (path: string): Unit | undefined => {
    const direct = byFile.get(path);
    if (direct) return direct;
    for (let d = dirname(path); d !== ""; d = dirname(d)) {
      const u = byRoot.get(d);
      if (u) return u;
    }
    return undefined;
  };

  // Read the code: routes, calls and datastore use, per component.
  for (const p of layout.code) {
    const u = unitOf(p);
    if (!u) continue;
    u.listed++;
    const text = files.get(p);
    if (text !== undefined) u.facts.push(scanFile(p, text));
  }

  // Datastores.
  const stores = mergeStores(storeSources(layout, files));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const scopeUnit = new Map(units.filter((u) => u.kind === "service").map((u) => [u.scope, u]));
  const storeIds = stores.map((d) => {
    const word = d.family === "sql" ? "db" : d.family === "mongo" ? "mongodb" : d.family;
    if (d.compose !== undefined) return ids.take(slug(d.compose), `${slug(d.compose)}-${word}`);
    const owner = scopeUnit.get(d.scope);
    if (owner) return ids.take(`${owner.id}-${word}`);
    return ids.take(d.family === "sql" ? "database" : word);
  });

  // Flows from each process to the datastores its code uses (or that live in its folder).
  interface StoreUse {
    unit: Unit;
    store: number;
    refs: { ref: StoreRef; file: string }[];
    inside: string[];
  }
  const uses: StoreUse[] = [];
  for (const u of units) {
    const byFamily = new Map<StoreFamily, { ref: StoreRef; file: string }[]>();
    for (const f of u.facts) {
      // Migrations use the database's own library; they are its schema, not a flow to it.
      if (MIGRATIONS.test(f.path)) continue;
      for (const ref of f.refs) byFamily.set(ref.family, [...(byFamily.get(ref.family) ?? []), { ref, file: f.path }]);
    }
    const targets = new Map<number, StoreUse>();
    for (const [family, refs] of byFamily) {
      let candidates = stores.map((d, i) => ({ d, i })).filter(({ d }) => d.family === family && d.scope === u.scope);
      if (candidates.length === 0) candidates = stores.map((d, i) => ({ d, i })).filter(({ d }) => d.family === family && d.scope === "");
      for (const { i } of candidates) targets.set(i, { unit: u, store: i, refs, inside: [] });
    }
    stores.forEach((d, i) => {
      const inside = [...d.folders, ...d.files].filter((p) => unitOf(d.folders.includes(p) ? `${p}/x` : p) === u);
      if (inside.length === 0) return;
      const use = targets.get(i) ?? { unit: u, store: i, refs: [], inside: [] };
      use.inside = inside;
      targets.set(i, use);
    });
    uses.push(...[...targets.values()].sort((a, b) => a.store - b.store));
  }
  // A database whose engine no config names takes the one its users' code names.
  const engineFrom = new Map<number, string>();
  stores.forEach((d, i) => {
    if (d.engine !== undefined) return;
    const counts = new Map<string, { n: number; label: string; file: string }>();
    for (const use of uses.filter((x) => x.store === i)) {
      for (const { ref, file } of use.refs) {
        if (ref.engine === undefined || ENGINES[ref.engine]?.family !== d.family) continue;
        const c = counts.get(ref.engine) ?? { n: 0, label: ref.label, file };
        c.n++;
        counts.set(ref.engine, c);
      }
    }
    const best = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || cmp(a[0], b[0]))[0];
    if (best) {
      d.engine = best[0];
      engineFrom.set(i, `${best[1].label} in ${best[1].file}`);
    }
  });

  // Hosts the code calls.
  const skipped: SkippedHost[] = [];
  const skippedHosts = new Set<string>();
  interface Site {
    unit: Unit;
    file: string;
    line: number;
    scheme: string;
    url: string;
  }
  const externals = new Map<string, Site[]>();
  const internalCalls: { unit: Unit; target: Unit; sites: Site[] }[] = [];
  for (const u of units) {
    for (const f of u.facts) {
      for (const call of f.calls) {
        const v = call.verdict;
        const site: Site = { unit: u, file: f.path, line: call.line, scheme: v.kind === "skipped" ? "https" : v.scheme, url: call.url };
        if (v.kind === "external") {
          externals.set(v.host, [...(externals.get(v.host) ?? []), site]);
          continue;
        }
        const target = v.kind === "internal-name" ? unitById.get(v.host) : undefined;
        if (target && target !== u) {
          const entry = internalCalls.find((c) => c.unit === u && c.target === target);
          if (entry) entry.sites.push(site);
          else internalCalls.push({ unit: u, target, sites: [site] });
          continue;
        }
        if (skippedHosts.has(v.host) || target === u) continue;
        skippedHosts.add(v.host);
        const reason = v.kind === "skipped" ? v.reason : "a single-label host name: a service on the local network, not a third party";
        skipped.push({ host: v.host, reason, file: f.path, line: call.line });
      }
    }
  }
  const hosts = [...externals.keys()].sort(cmp);
  const hostIds = new Map(hosts.map((h) => [h, ids.take(slug(h))]));

  // The model.
  const guesses: Guess[] = [];
  const zones: TrustZone[] = [
    { id: "internet", name: "Internet", trust: 0, parent: null, paths: [] },
    { id: "dmz", name: "Edge (DMZ)", trust: 40, parent: null, paths: edgePaths(layout, (p) => unitOf(p) !== undefined) },
    { id: "internal", name: "Internal network", trust: 80, parent: null, paths: [] },
    { id: "third-party", name: "Third-party services", trust: 20, parent: null, paths: [] },
  ];
  const dmz = zones[1]!;
  guesses.push(
    { kind: "zone", id: "internet", reason: "default zone: anyone on the internet" },
    {
      kind: "zone",
      id: "dmz",
      reason: `default zone: what the internet reaches directly${dmz.paths.length > 0 ? `; its edge guessed from ${dmz.paths.map(unglob).join(", ")}` : "; add the paths of the config that defines its edge (ingress, proxy, firewall)"}`,
    },
    { kind: "zone", id: "internal", reason: "default zone: services and datastores the internet cannot reach directly" },
    { kind: "zone", id: "third-party", reason: "default zone: services run by others that the code calls" },
  );

  const components: Component[] = [];
  const flows: DataFlow[] = [];
  const component = (c: Omit<Component, "data" | "owners" | "name"> & { name?: string; owners?: string[] }, reason: string) => {
    components.push({ id: c.id, name: c.name ?? c.id, type: c.type, zone: c.zone, paths: c.paths, data: [], owners: c.owners ?? [] });
    guesses.push({ kind: "component", id: c.id, reason });
  };

  component({ id: "browser", name: "User's browser", type: "actor", zone: "internet", paths: [] }, "default actor: the people who use the web-facing services, from the internet");

  const routesOf = (u: Unit) => u.facts.flatMap((f) => f.routes.map((line) => ({ file: f.path, line })));
  for (const u of units) {
    const routes = routesOf(u);
    const calls = hosts.filter((h) => externals.get(h)!.some((s) => s.unit === u));
    const owners = unitOwners(rules, u.roots, u.files);
    const details = [routes.length > 0 ? plural(routes.length, "route") : "no routes found: internal"];
    if (calls.length > 0) details.push(`calls ${calls.length <= 2 ? calls.join(" and ") : `${calls.slice(0, 2).join(" and ")} (+${calls.length - 2} more)`}`);
    if (owners.length > 0) details.push("owners from CODEOWNERS");
    if (u.facts.length < u.listed) details.push(`${u.facts.length} of ${u.listed} code files read`);
    const reason = `guessed from ${u.kind === "codeowners" ? `CODEOWNERS ${u.source}` : u.source} (${details.join(", ")})`;
    const paths = [...u.roots.map((r) => `${globEscape(r)}/**`), ...u.excludes.map((e) => `!${globEscape(e)}/**`), ...fileGlobs(u.files)];
    component({ id: u.id, name: u.name, type: "process", zone: routes.length > 0 ? "dmz" : "internal", paths, owners }, reason);
  }

  stores.forEach((d, i) => {
    const id = storeIds[i]!;
    const engine = d.engine !== undefined ? ENGINES[d.engine] : undefined;
    const owner = scopeUnit.get(d.scope);
    const what = d.family === "sql" ? `${engine?.name ?? "SQL"} database` : (engine?.name ?? d.family);
    const name = d.compose !== undefined ? `${what} (compose service ${d.compose})` : owner ? `${what} of ${owner.id}` : what;
    const paths = [...folderGlobs(d.folders, d.scope), ...d.files.map(globEscape)];
    // A folder's owners own the datastore; a shared file (a compose file) says less.
    const owners = unitOwners(rules, d.folders.length > 0 ? d.folders : d.files, []);
    const from = engineFrom.get(i);
    const reason = `guessed from ${list(d.evidence, 3)}${from !== undefined ? `; ${engine?.name ?? d.engine} from ${from}` : ""}${owners.length > 0 ? "; owners from CODEOWNERS" : ""}`;
    component({ id, name: clean(name), type: "datastore", zone: "internal", paths, owners }, reason);
  });

  for (const h of hosts) {
    const sites = externals.get(h)!;
    const files = unique(sites.map((s) => s.file));
    const at = sites.map((s) => `${s.file}:${s.line}`);
    component(
      { id: hostIds.get(h)!, name: h, type: "external", zone: "third-party", paths: compactPaths(files, []) },
      `guessed from ${sites.length === 1 ? "a call" : `${sites.length} calls`} to ${h} in ${list(at, 2)}; paths: the code that calls it`,
    );
  }

  const flow = (f: Omit<DataFlow, "id" | "name" | "data">, reason: string) => {
    const id = ids.take(`${f.source}-to-${f.destination}`);
    flows.push({ id, name: id, source: f.source, destination: f.destination, ...(f.protocol !== undefined && { protocol: f.protocol }), data: [], paths: f.paths });
    guesses.push({ kind: "flow", id, reason });
  };
  for (const u of units) {
    const routes = routesOf(u);
    if (routes.length === 0) continue;
    const files = unique(routes.map((r) => r.file));
    flow({ source: "browser", destination: u.id, protocol: "https", paths: compactPaths(files, u.roots.map((r) => `${globEscape(r)}/**`)) }, `guessed from ${plural(routes.length, "route")} in ${list(files, 3)}`);
  }
  for (const u of units) {
    for (const use of uses.filter((x) => x.unit === u)) {
      const d = stores[use.store]!;
      const protocol = d.engine !== undefined ? ENGINES[d.engine]!.protocol : d.family === "sql" ? "sql" : d.family;
      const files = unique(use.refs.map((r) => r.file));
      const labels = unique(use.refs.map((r) => r.ref.label));
      const reason =
        files.length > 0
          ? `guessed from ${list(labels, 3)} in ${list(files, 3)}`
          : `guessed from ${list(use.inside.map((p) => (d.folders.includes(p) ? `${p}/` : p)), 3)} inside ${u.roots.map((r) => `${r}/`).join(", ")}`;
      flow({ source: u.id, destination: storeIds[use.store]!, protocol, paths: compactPaths(files, []) }, reason);
    }
    for (const h of hosts) {
      const sites = externals.get(h)!.filter((s) => s.unit === u);
      if (sites.length === 0) continue;
      const files = unique(sites.map((s) => s.file));
      flow(
        { source: u.id, destination: hostIds.get(h)!, protocol: protocolOf(sites[0]!.scheme), paths: compactPaths(files, []) },
        `guessed from ${sites.length === 1 ? "a call" : `${sites.length} calls`} to ${h} in ${list(sites.map((s) => `${s.file}:${s.line}`), 2)}`,
      );
    }
    for (const call of internalCalls.filter((c) => c.unit === u)) {
      const files = unique(call.sites.map((s) => s.file));
      flow(
        { source: u.id, destination: call.target.id, protocol: protocolOf(call.sites[0]!.scheme), paths: compactPaths(files, []) },
        `guessed from a call to ${call.sites[0]!.url} in ${call.sites[0]!.file}:${call.sites[0]!.line}`,
      );
    }
  }

  const model: ThreatModel = { version: 1, title, champions: [], trust_zones: zones, components, data_assets: [], data_flows: flows, threats: [] };
  const read = units.reduce((n, u) => n + u.facts.length, 0);
  const listed = units.reduce((n, u) => n + u.listed, 0);
  return { model, guesses, skipped, yaml: renderProposal(model, guesses), codeFiles: { read, listed } };
}

/** Folders named in CODEOWNERS become components of their own, carved out of the one they sit in. */
function addCodeownersUnits(units: Unit[], rules: readonly OwnerRule[], layout: Layout, ids: IdAllocator): void {
  const folders = new Map<string, OwnerRule>();
  for (const r of rules) if (r.folder !== null) folders.set(r.folder, r);
  const hasCode = (folder: string) => layout.code.some((p) => isUnder(p, folder) && p !== folder);
  let added = 0;
  for (const [folder, rule] of [...folders].sort((a, b) => cmp(a[0], b[0]))) {
    if (added >= MAX_CODEOWNERS_COMPONENTS) break;
    if (!layout.folders.has(folder) || isNotApp(`${folder}/x`) || !hasCode(folder)) continue;
    if (units.some((u) => u.roots.some((r) => isUnder(r, folder)))) continue; // already a component, or a parent of some
    if (folder.split("/").some((s) => DATASTORE_DIRS.has(s.toLowerCase()))) continue;
    let parent: Unit | undefined;
    let depth = -1;
    for (const u of units) {
      for (const r of u.roots) {
        if (isUnder(folder, r) && r.length > depth) {
          parent = u;
          depth = r.length;
        }
      }
    }
    if (!parent) continue;
    parent.excludes.push(folder);
    const id = ids.take(slug(basename(folder)), slug(folder.replace(/\//g, "-")));
    units.push({ id, name: id, kind: "codeowners", roots: [folder], files: [], excludes: [], scope: parent.scope, source: rule.pattern, facts: [], listed: 0 });
    added++;
  }
  for (const u of units) u.excludes.sort(cmp);
}

function ownerRules(files: ReadonlyMap<string, string>): OwnerRule[] {
  for (const p of CODEOWNERS_PATHS) {
    const text = files.get(p);
    if (text !== undefined) return parseCodeowners(text);
  }
  return [];
}

function unitOwners(rules: readonly OwnerRule[], folders: readonly string[], files: readonly string[]): string[] {
  if (rules.length === 0) return [];
  const out: string[] = [];
  for (const p of [...folders, ...files]) for (const o of ownersOf(rules, p)) if (!out.includes(o)) out.push(o);
  return out.slice(0, MAX_OWNERS);
}

/** Root-level files one by one, or by extension when there are many (`*.php` matches at the root only). */
function fileGlobs(files: readonly string[]): string[] {
  if (files.length <= MAX_LISTED_FILES) return files.map(globEscape);
  const byExtension = new Set<string>();
  for (const f of files) {
    const dot = f.lastIndexOf(".");
    byExtension.add(dot > 0 ? `*${globEscape(f.slice(dot))}` : globEscape(f));
  }
  return [...byExtension].sort(cmp).slice(0, MAX_LISTED_FILES);
}

/** Folders one by one, or, when there are many (a Django app's migrations each), one glob per folder name. */
function folderGlobs(folders: readonly string[], scope: string): string[] {
  if (folders.length <= MAX_LISTED_FILES) return folders.map((f) => `${globEscape(f)}/**`);
  const names = unique(folders.map(basename)).sort(cmp);
  return names.map((n) => `${scope === "" ? "" : `${globEscape(scope)}/`}**/${globEscape(n)}/**`);
}

/** The project's name from its manifest in `folder` ("" for the root). */
function projectName(files: ReadonlyMap<string, string>, folder: string): string | undefined {
  const at = (name: string) => files.get(folder === "" ? name : `${folder}/${name}`);
  const pkg = at("package.json");
  if (pkg !== undefined) {
    try {
      const name = (JSON.parse(pkg) as { name?: unknown }).name;
      if (typeof name === "string" && name.trim() !== "") return name.trim();
    } catch {
      // not JSON: try the others
    }
  }
  const py = at("pyproject.toml");
  const pyName = py !== undefined ? /^\[(?:project|tool\.poetry)\][^[]*?^\s*name\s*=\s*["']([^"'\n]+)["']/m.exec(py)?.[1] : undefined;
  if (pyName) return pyName;
  const cargo = at("Cargo.toml");
  const cargoName = cargo !== undefined ? /^\[package\][^[]*?^\s*name\s*=\s*["']([^"'\n]+)["']/m.exec(cargo)?.[1] : undefined;
  if (cargoName) return cargoName;
  const gomod = at("go.mod");
  const module = gomod !== undefined ? /^\s*module\s+(\S+)/m.exec(gomod)?.[1] : undefined;
  if (module) return module.split("/").pop();
  const composer = at("composer.json");
  if (composer !== undefined) {
    try {
      const name = (JSON.parse(composer) as { name?: unknown }).name;
      if (typeof name === "string" && name.trim() !== "") return name.trim();
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** Edge configuration: folders named for the edge, or proxy config files, outside the app's own code. */
function edgePaths(layout: Layout, inComponent: (path: string) => boolean): string[] {
  const out = new Set<string>();
  const EDGE_DIR = /^(?:edge|ingress|ingresses|nginx|traefik|caddy|haproxy|envoy|gateway|load-balancer|lb|waf|cdn)$/i;
  const EDGE_FILE = /^(?:nginx[\w.-]*\.conf|Caddyfile|traefik\.ya?ml|haproxy\.cfg|envoy\.ya?ml|ingress[\w.-]*\.ya?ml)$/i;
  for (const p of layout.paths) {
    if (isNotApp(p)) continue;
    const parts = p.split("/");
    // Only in infrastructure: never inside a component's own folder.
    if (inComponent(p)) continue;
    const dirIndex = parts.slice(0, -1).findIndex((s) => EDGE_DIR.test(s));
    if (dirIndex >= 0) out.add(`${globEscape(parts.slice(0, dirIndex + 1).join("/"))}/**`);
    else if (EDGE_FILE.test(parts[parts.length - 1]!)) out.add(globEscape(p));
    if (out.size >= MAX_LISTED_PATHS) break;
  }
  const globs = [...out].sort(cmp);
  return globs.filter((g) => !globs.some((o) => o !== g && o.endsWith("/**") && g.startsWith(o.slice(0, -2))));
}

/** Files as globs: each file when there are few, else their folders. */
function compactPaths(files: readonly string[], fallback: readonly string[]): string[] {
  const sorted = unique(files).sort(cmp);
  if (sorted.length === 0) return [...fallback];
  if (sorted.length <= MAX_LISTED_PATHS) return sorted.map(globEscape);
  const dirs = unique(sorted.map(dirname)).sort(cmp);
  if (dirs.length <= MAX_LISTED_PATHS && !dirs.includes("")) {
    const top = dirs.filter((d) => !dirs.some((o) => o !== d && isUnder(d, o)));
    return top.map((d) => `${globEscape(d)}/**`);
  }
  return fallback.length > 0 ? [...fallback] : sorted.slice(0, MAX_LISTED_PATHS).map(globEscape);
}

/** A path as a glob matching exactly it: minimatch's special characters escaped. */
export function globEscape(path: string): string {
  return path.replace(/[*?[\]{}()!+@,]/g, (c) => `\\${c}`);
}

function unglob(glob: string): string {
  return glob.replace(/\/\*\*$/, "/").replace(/\\(.)/g, "$1");
}

/** An element id from any text: lower case, `[a-z0-9._-]`, starting with a letter or digit. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 60)
    .replace(/[^a-z0-9]+$/, "");
  return s === "" ? "component" : s;
}

class IdAllocator {
  private readonly taken: Set<string>;
  constructor(reserved: readonly string[]) {
    this.taken = new Set(reserved);
  }
  /** The first free of `preferred` and `alternative`, else `preferred-2`, `-3`... */
  take(preferred: string, alternative?: string): string {
    for (const c of [preferred, alternative]) {
      if (c !== undefined && !this.taken.has(c)) {
        this.taken.add(c);
        return c;
      }
    }
    for (let n = 2; ; n++) {
      const c = `${preferred}-${n}`;
      if (!this.taken.has(c)) {
        this.taken.add(c);
        return c;
      }
    }
  }
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, 200);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function list(items: readonly string[], max: number): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} (+${items.length - max} more)`;
}

export type { Datastore };
