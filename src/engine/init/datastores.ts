/**
 * Datastores from what a repository keeps about them: migration folders, ORM configuration
 * (Prisma, knex, TypeORM, Rails, Django, Alembic) and the database services of a compose file.
 */
import { loadYaml } from "../source/yaml.js";
import { cmp } from "../compare.js";
import { DATASTORE_DIRS, basename, dirname, isNotApp, isUnder, scopeOf, type Layout } from "./layout.js";
import type { StoreFamily } from "./scan.js";

export interface StoreSource {
  family: StoreFamily;
  engine?: string;
  /** The service folder it belongs to, "" for the repository as a whole. */
  scope: string;
  /** Folders (written `folder/**`) and files it is made of. */
  folders: string[];
  files: string[];
  /** What it was guessed from, for the review comment. */
  evidence: string;
  /** A compose service: merged into the one other datastore of its family, else its own. */
  compose?: string;
}

export const ENGINES: Record<string, { family: StoreFamily; name: string; protocol: string }> = {
  postgres: { family: "sql", name: "PostgreSQL", protocol: "postgres" },
  mysql: { family: "sql", name: "MySQL", protocol: "mysql" },
  mariadb: { family: "sql", name: "MariaDB", protocol: "mysql" },
  sqlite: { family: "sql", name: "SQLite", protocol: "sqlite" },
  mssql: { family: "sql", name: "SQL Server", protocol: "tds" },
  oracle: { family: "sql", name: "Oracle", protocol: "oracle" },
  cockroach: { family: "sql", name: "CockroachDB", protocol: "postgres" },
  mongo: { family: "mongo", name: "MongoDB", protocol: "mongodb" },
  redis: { family: "redis", name: "Redis", protocol: "redis" },
  memcached: { family: "memcached", name: "Memcached", protocol: "memcached" },
  elasticsearch: { family: "elasticsearch", name: "Elasticsearch", protocol: "https" },
};

/** Words a config uses for an engine (Prisma providers, knex clients, Rails adapters, Django backends). */
const ENGINE_WORDS: Record<string, string> = {
  postgres: "postgres", postgresql: "postgres", pg: "postgres", postgis: "postgres", "postgresql_psycopg2": "postgres",
  mysql: "mysql", mysql2: "mysql", trilogy: "mysql", mariadb: "mariadb",
  sqlite: "sqlite", sqlite3: "sqlite", "better-sqlite3": "sqlite",
  sqlserver: "mssql", mssql: "mssql", oracle: "oracle", oracledb: "oracle", cockroachdb: "cockroach", cockroach: "cockroach",
  mongodb: "mongo", mongo: "mongo",
};

/** Compose images: the last part of the image name, without registry or tag. */
const IMAGES: readonly [RegExp, string][] = [
  [/^(?:postgres|postgresql|postgis|timescaledb(?:-ha)?|pgvector)$/, "postgres"],
  [/^(?:mysql|mysql-server|percona|percona-server)$/, "mysql"],
  [/^mariadb$/, "mariadb"],
  [/^(?:mongo|mongodb|mongodb-community-server)$/, "mongo"],
  [/^(?:redis|redis-stack|redis-stack-server|valkey|keydb)$/, "redis"],
  [/^memcached$/, "memcached"],
  [/^(?:elasticsearch|opensearch)$/, "elasticsearch"],
  [/^cockroach$/, "cockroach"],
];

const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;
const PRISMA = /\.prisma$/;
const KNEXFILE = /(?:^|\/)knexfile\.[cm]?[jt]s$/;
const ORMCONFIG = /(?:^|\/)ormconfig\.(?:json|[cm]?[jt]s|ya?ml)$/;
const RAILS_DATABASE = /(?:^|\/)config\/database\.yml$/;
const DJANGO_SETTINGS = /(?:^|\/)settings(?:\.py|\/[\w-]+\.py)$/;
const ALEMBIC_INI = /(?:^|\/)alembic\.ini$/;
const DJANGO_MODELS = /(?:^|\/)models(?:\.py|\/[\w-]+\.py)$/;

/** Configuration files a datastore can be guessed from; the door reads them. */
export function isStoreConfig(path: string): boolean {
  return !isNotApp(path) && [COMPOSE_FILE, PRISMA, KNEXFILE, ORMCONFIG, RAILS_DATABASE, DJANGO_SETTINGS].some((re) => re.test(path));
}

/** Every datastore source the paths and files show, in a stable order. */
export function storeSources(layout: Layout, files: ReadonlyMap<string, string>): StoreSource[] {
  const services = layout.services;
  const out: StoreSource[] = [];
  const scope = (p: string) => scopeOf(p, services);
  const known = (word: string | undefined) => (word === undefined ? undefined : ENGINE_WORDS[word.toLowerCase()]);

  // Folders: migrations anywhere; db/ and database/ at a scope's root or under its src/; alembic/.
  const storeFolders = new Map<string, number>();
  for (const p of layout.paths) {
    if (isNotApp(p)) continue;
    const parts = p.split("/");
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!.toLowerCase();
      if (!DATASTORE_DIRS.has(name) || name === "prisma") continue;
      const folder = parts.slice(0, i + 1).join("/");
      const parent = parts.slice(0, i).join("/");
      const s = scope(folder);
      const atRoot = parent === s || parent === (s === "" ? "src" : `${s}/src`);
      if ((name === "db" || name === "database") && !atRoot) continue;
      storeFolders.set(folder, (storeFolders.get(folder) ?? 0) + 1);
      break;
    }
  }
  for (const [folder, count] of [...storeFolders].sort((a, b) => cmp(a[0], b[0]))) {
    const s = scope(folder);
    const rails = layout.paths.some((p) => p === `${folder}/schema.rb` || p.startsWith(`${folder}/migrate/`));
    out.push({ family: "sql", scope: s, folders: [folder], files: [], evidence: `${folder}/ (${count} file${count === 1 ? "" : "s"}${rails ? ", Rails" : ""})` });
  }

  for (const p of layout.paths) {
    if (isNotApp(p)) continue;
    const text = files.get(p);
    if (PRISMA.test(p)) {
      if (text === undefined && basename(p) !== "schema.prisma") continue;
      const provider = /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"(\w+)"/s.exec(text ?? "")?.[1];
      const engine = known(provider);
      const dir = dirname(p);
      const ownFolder = dir !== scope(p) && basename(dir) === "prisma";
      out.push({
        family: engine !== undefined ? ENGINES[engine]!.family : "sql",
        ...(engine !== undefined && { engine }),
        scope: scope(p),
        folders: ownFolder ? [dir] : [],
        files: ownFolder ? [] : [p],
        evidence: `${p}${provider !== undefined ? ` (provider ${provider})` : ""}`,
      });
    } else if (KNEXFILE.test(p) || ORMCONFIG.test(p)) {
      const word = /\b(?:client|type)['"]?\s*[:=]\s*['"]([\w-]+)['"]/.exec(text ?? "")?.[1];
      const engine = known(word);
      out.push({ family: engine !== undefined ? ENGINES[engine]!.family : "sql", ...(engine !== undefined && { engine }), scope: scope(p), folders: [], files: [p], evidence: `${p}${word !== undefined ? ` (${word})` : ""}` });
    } else if (RAILS_DATABASE.test(p)) {
      const word = /^\s*adapter:\s*['"]?([\w-]+)/m.exec(text ?? "")?.[1];
      const engine = known(word);
      out.push({ family: engine !== undefined ? ENGINES[engine]!.family : "sql", ...(engine !== undefined && { engine }), scope: scope(p), folders: [], files: [p], evidence: `${p}${word !== undefined ? ` (adapter ${word})` : ""}` });
    } else if (ALEMBIC_INI.test(p)) {
      out.push({ family: "sql", scope: scope(p), folders: [], files: [p], evidence: p });
    } else if (DJANGO_SETTINGS.test(p) && text !== undefined && /\bDATABASES\s*=/.test(text)) {
      const backend = /django\.db\.backends\.(\w+)/.exec(text)?.[1];
      const engine = known(backend);
      const s = scope(p);
      const models = layout.paths.filter((m) => DJANGO_MODELS.test(m) && scope(m) === s && !isNotApp(m));
      if (models.length === 0) continue;
      const modelFiles = models.length <= 10 ? models : [];
      out.push({
        family: engine !== undefined ? ENGINES[engine]!.family : "sql",
        ...(engine !== undefined && { engine }),
        scope: s,
        folders: [],
        files: [p, ...modelFiles],
        evidence: `Django settings ${p}${backend !== undefined ? ` (${backend})` : ""} and ${models.length} models file${models.length === 1 ? "" : "s"}`,
      });
    } else if (COMPOSE_FILE.test(p) && text !== undefined) {
      out.push(...composeStores(p, text, scope(p)));
    }
  }
  return out;
}

function composeStores(path: string, text: string, scope: string): StoreSource[] {
  const loaded = loadYaml(path, text);
  if (!loaded.ok) return [];
  const services = (loaded.yaml.value as { services?: unknown } | null)?.services;
  if (services === null || typeof services !== "object" || Array.isArray(services)) return [];
  const out: StoreSource[] = [];
  for (const name of Object.keys(services).sort(cmp)) {
    const image = (services as Record<string, { image?: unknown } | null>)[name]?.image;
    if (typeof image !== "string") continue;
    const engine = engineOfImage(image);
    if (engine === undefined) continue;
    out.push({ family: ENGINES[engine]!.family, engine, scope, folders: [], files: [path], evidence: `${path} service ${name} (${image})`, compose: name });
  }
  return out;
}

export function engineOfImage(image: string): string | undefined {
  if (/(?:^|\/)mssql\/server(?::|@|$)/.test(image)) return "mssql";
  const last = image.replace(/[@:][^/]*$/, "").split("/").pop()?.toLowerCase() ?? "";
  return IMAGES.find(([re]) => re.test(last))?.[1];
}

export interface Datastore {
  family: StoreFamily;
  engine?: string;
  scope: string;
  folders: string[];
  files: string[];
  evidence: string[];
  /** The compose service name, when the datastore comes from a compose file alone. */
  compose?: string;
}

/**
 * One datastore per scope and family (migrations, an ORM config and a schema of one service
 * are one database); a compose service joins the one datastore of its family when there is
 * exactly one, and stands alone otherwise.
 */
export function mergeStores(sources: readonly StoreSource[]): Datastore[] {
  const merged = new Map<string, Datastore>();
  for (const s of sources.filter((x) => x.compose === undefined)) {
    const key = `${s.scope}\u0000${s.family}`;
    const d = merged.get(key) ?? { family: s.family, scope: s.scope, folders: [], files: [], evidence: [] };
    if (d.engine === undefined && s.engine !== undefined) d.engine = s.engine;
    addAll(d, s);
    merged.set(key, d);
  }
  const stores = [...merged.values()];
  const composed: Datastore[] = [];
  for (const s of sources.filter((x) => x.compose !== undefined)) {
    const sameFamily = stores.filter((d) => d.family === s.family);
    const composeSiblings = sources.filter((x) => x.compose !== undefined && x.family === s.family);
    if (sameFamily.length === 1 && composeSiblings.length === 1) {
      const d = sameFamily[0]!;
      if (d.engine === undefined && s.engine !== undefined) d.engine = s.engine;
      addAll(d, s);
    } else {
      const d: Datastore = { family: s.family, scope: s.scope, folders: [], files: [], evidence: [], compose: s.compose! };
      if (s.engine !== undefined) d.engine = s.engine;
      addAll(d, s);
      composed.push(d);
    }
  }
  return [...stores, ...composed];
}

function addAll(d: Datastore, s: StoreSource): void {
  for (const f of s.folders) if (!d.folders.includes(f) && !d.folders.some((g) => isUnder(f, g))) d.folders.push(f);
  d.folders = d.folders.filter((f) => !d.folders.some((g) => g !== f && isUnder(f, g)));
  for (const f of s.files) if (!d.files.includes(f) && !d.folders.some((g) => isUnder(f, g))) d.files.push(f);
  d.evidence.push(s.evidence);
}
