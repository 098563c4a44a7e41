/**
 * What one code file shows: its HTTP routes, the hosts of the absolute URLs it passes to
 * outbound calls, and the datastores it uses. Routes and calls are the review's own signals
 * (http-route, outbound-call, data-store), run on the whole file as if it were just added,
 * so `init` recognises exactly what `check` would prompt about.
 */
import { languageOf } from "../changes/languages.js";
import type { ChangedFile } from "../changes/types.js";
import { dataStore } from "../signals/data-store.js";
import { httpRoute } from "../signals/http-route.js";
import { outboundCall } from "../signals/outbound-call.js";
import { scanSignals } from "../signals/run.js";
import { URL_LITERAL, classifyUrl, type HostVerdict } from "./hosts.js";

export interface CallSite {
  line: number;
  url: string;
  verdict: Exclude<HostVerdict, { kind: "none" }>;
}

/** Datastore families: what a datastore is, for matching code that uses one to the one guessed. */
export type StoreFamily = "sql" | "mongo" | "redis" | "memcached" | "elasticsearch";

export interface StoreRef {
  family: StoreFamily;
  /** The database engine when the evidence names one ("postgres"). */
  engine?: string;
  /** What was seen: "pg", "SQL query". */
  label: string;
  line: number;
}

export interface FileFacts {
  path: string;
  /** Lines of HTTP routes and handlers. */
  routes: number[];
  calls: CallSite[];
  refs: StoreRef[];
}

interface RefRule {
  family: StoreFamily;
  engine?: string;
  /** The first capture group, if any, is the label; else `label`. */
  pattern: RegExp;
  label?: string;
}

const IMPORT = String.raw`(?:\bfrom\s+|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]`;
const js = (modules: string) => new RegExp(`${IMPORT}(${modules})['"]`);

/** Imports and connection strings that say which datastore code uses. */
const REFERENCES: readonly RefRule[] = [
  // JavaScript and TypeScript
  { family: "sql", engine: "postgres", pattern: js(String.raw`pg|pg-promise|pg-pool|postgres|@neondatabase/serverless|@vercel/postgres|@databases/pg`) },
  { family: "sql", engine: "mysql", pattern: js(String.raw`mysql2?(?:/promise)?|mariadb|@planetscale/database`) },
  { family: "sql", engine: "sqlite", pattern: js(String.raw`sqlite3?|better-sqlite3|@libsql/client`) },
  { family: "sql", pattern: js(String.raw`knex|sequelize|typeorm|@prisma/client|drizzle-orm(?:/[\w-]+)*|kysely|objection|@mikro-orm/[\w-]+`) },
  { family: "mongo", engine: "mongo", pattern: js(String.raw`mongodb|mongoose`) },
  { family: "redis", engine: "redis", pattern: js(String.raw`redis|ioredis|@redis/client|@upstash/redis`) },
  { family: "memcached", engine: "memcached", pattern: js(String.raw`memjs|memcached`) },
  { family: "elasticsearch", engine: "elasticsearch", pattern: js(String.raw`@elastic/elasticsearch|@opensearch-project/opensearch`) },
  // Python
  { family: "sql", engine: "postgres", pattern: /^\s*(?:import|from)\s+(psycopg2?|asyncpg)\b/ },
  { family: "sql", engine: "mysql", pattern: /^\s*(?:import|from)\s+(pymysql|MySQLdb|mysql\.connector|aiomysql)\b/ },
  { family: "sql", engine: "sqlite", pattern: /^\s*(?:import|from)\s+(sqlite3|aiosqlite)\b/ },
  { family: "sql", pattern: /^\s*(?:import|from)\s+(sqlalchemy|django\.db|peewee|tortoise|sqlmodel|databases)\b/ },
  { family: "mongo", engine: "mongo", pattern: /^\s*(?:import|from)\s+(pymongo|motor|mongoengine|beanie)\b/ },
  { family: "redis", engine: "redis", pattern: /^\s*(?:import|from)\s+(redis|aioredis)\b/ },
  { family: "memcached", engine: "memcached", pattern: /^\s*(?:import|from)\s+(pymemcache|memcache)\b/ },
  { family: "elasticsearch", engine: "elasticsearch", pattern: /^\s*(?:import|from)\s+(elasticsearch|opensearchpy)\b/ },
  // Go
  { family: "sql", engine: "postgres", pattern: /"(github\.com\/jackc\/pgx[\w/]*|github\.com\/lib\/pq)"/ },
  { family: "sql", engine: "mysql", pattern: /"(github\.com\/go-sql-driver\/mysql)"/ },
  { family: "sql", pattern: /"(database\/sql|gorm\.io\/gorm|github\.com\/jmoiron\/sqlx)"/ },
  { family: "mongo", engine: "mongo", pattern: /"(go\.mongodb\.org\/mongo-driver[\w/]*)"/ },
  { family: "redis", engine: "redis", pattern: /"(github\.com\/(?:go-redis|redis)\/go-redis[\w/]*|github\.com\/redis\/rueidis)"/ },
  // JVM
  { family: "sql", pattern: /^\s*import\s+(java\.sql|javax\.persistence|jakarta\.persistence|org\.springframework\.jdbc|org\.hibernate|org\.jooq)\./ },
  { family: "mongo", engine: "mongo", pattern: /^\s*import\s+(com\.mongodb|org\.springframework\.data\.mongodb)\./ },
  { family: "redis", engine: "redis", pattern: /^\s*import\s+(redis\.clients\.jedis|io\.lettuce|org\.springframework\.data\.redis|org\.redisson)\./ },
  // Ruby, PHP, .NET
  { family: "sql", pattern: /<\s*(ApplicationRecord|ActiveRecord::Base)\b/ },
  { family: "sql", engine: "postgres", pattern: /^\s*require\s+['"](pg)['"]/ },
  { family: "redis", engine: "redis", pattern: /^\s*require\s+['"](redis)['"]|\b(Redis\.new)\b/ },
  { family: "mongo", engine: "mongo", pattern: /^\s*require\s+['"](mongo|mongoid)['"]/ },
  { family: "sql", pattern: /\bnew\s+(PDO)\s*\(|\b(mysqli_connect)\s*\(/ },
  { family: "sql", pattern: /^\s*using\s+(Microsoft\.EntityFrameworkCore|Npgsql|Dapper|System\.Data\.SqlClient|Microsoft\.Data\.SqlClient)\b/ },
  // Connection strings, in any language
  { family: "sql", engine: "postgres", pattern: /\b(postgres(?:ql)?):\/\//, label: "a postgres:// URL" },
  { family: "sql", engine: "mysql", pattern: /\b(mysql):\/\//, label: "a mysql:// URL" },
  { family: "sql", pattern: /\b(jdbc):[a-z]+:/, label: "a JDBC URL" },
  { family: "mongo", engine: "mongo", pattern: /\b(mongodb(?:\+srv)?):\/\//, label: "a mongodb:// URL" },
  { family: "redis", engine: "redis", pattern: /\b(rediss?):\/\//, label: "a redis:// URL" },
];

const SQL_LABEL = /SQL|JDBC|JPA|Jdbc|prepared statement/;

const SIGNALS = [httpRoute, outboundCall, dataStore];

/** Assignments and object keys that give a name to a URL literal: `const API = "https://..."`. */
const URL_NAME = /([A-Za-z_$][\w$]*)['"]?\s*(?::\s*[\w$.<>[\]| ]{1,80})?\s*(?::=|=(?![=>])|:)/g;

export function scanFile(path: string, text: string): FileFacts {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const facts: FileFacts = { path, routes: [], calls: [], refs: [] };
  if (lines.length === 0) return facts;

  const change: ChangedFile = {
    path,
    status: "added",
    patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`,
    content: lines.join("\n"),
  };
  const { hits } = scanSignals([change], SIGNALS);
  const urlNames = namedUrls(lines);
  const seenCalls = new Set<string>();
  for (const hit of hits) {
    if (hit.signal === "http-route") {
      facts.routes.push(hit.line);
    } else if (hit.signal === "outbound-call") {
      for (const url of callUrls(lines, hit.line - 1, urlNames)) {
        const verdict = classifyUrl(url);
        if (verdict.kind === "none") continue;
        const key = `${hit.line}\u0000${verdict.host}`;
        if (seenCalls.has(key)) continue;
        seenCalls.add(key);
        facts.calls.push({ line: hit.line, url, verdict });
      }
    } else if (hit.signal === "data-store") {
      if (SQL_LABEL.test(hit.label)) facts.refs.push({ family: "sql", label: hit.label, line: hit.line });
      else if (hit.label === "Redis write") facts.refs.push({ family: "redis", engine: "redis", label: hit.label, line: hit.line });
    }
  }
  if (CODE_FOR_REFS.test(languageOf(path))) {
    lines.forEach((line, i) => {
      if (line.length > 2_000 || !MAYBE_REFERENCE.test(line)) return;
      for (const rule of REFERENCES) {
        const m = rule.pattern.exec(line);
        if (!m) continue;
        facts.refs.push({ family: rule.family, ...(rule.engine !== undefined && { engine: rule.engine }), label: rule.label ?? m[1] ?? m[2] ?? m[0].trim(), line: i + 1 });
      }
    });
  }
  facts.refs.sort((a, b) => a.line - b.line);
  return facts;
}

const CODE_FOR_REFS = /^(?:js|python|go|java|ruby|php|csharp|rust)$/;
/** A cheap test first: every reference rule needs one of these words. */
const MAYBE_REFERENCE = /\b(?:import|from|require|using|PDO|mysqli_connect|Redis|ApplicationRecord|ActiveRecord|jdbc)\b|:\/\/|"[\w.-]+\/[\w./-]*"/;

/** URLs named in the file: each name, the URL literals on the right of its assignment. */
function namedUrls(lines: readonly string[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const line of lines) {
    if (line.length > 2_000 || !line.includes("://")) continue;
    const urls = line.match(URL_LITERAL);
    if (!urls) continue;
    URL_NAME.lastIndex = 0;
    const m = URL_NAME.exec(line);
    if (!m || m.index > line.indexOf("://")) continue;
    const list = names.get(m[1]!) ?? [];
    for (const u of urls) if (!list.includes(u)) list.push(u);
    names.set(m[1]!, list);
  }
  return names;
}

/** The URLs a call on line `i` is given: on its line, on the next when wrapped, or through a named URL. */
function callUrls(lines: readonly string[], i: number, named: ReadonlyMap<string, string[]>): string[] {
  const line = (lines[i] ?? "").slice(0, 2_000);
  const direct = line.match(URL_LITERAL);
  if (direct) return [...direct];
  const next = (lines[i + 1] ?? "").slice(0, 2_000);
  const wrapped = next.match(URL_LITERAL);
  if (wrapped && /[(,]\s*$/.test(line)) return [...wrapped];
  const out: string[] = [];
  for (const text of [line, /[(,]\s*$/.test(line) ? next : ""]) {
    for (const word of text.match(/[A-Za-z_$][\w$]*/g) ?? []) {
      for (const u of named.get(word) ?? []) if (!out.includes(u)) out.push(u);
    }
  }
  return out;
}
