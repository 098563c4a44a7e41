/**
 * The shape of a repository from its file paths alone: which paths count at all, which are
 * application code, the service folders of a monorepo, and the root app.
 */
import { languageOf, type Language } from "../changes/languages.js";
import { DOCS_PATH, TEST_PATH } from "../signals/source-text.js";
import { cmp } from "../compare.js";

/** Folders never looked into, at any depth: dependencies, build output, tool caches. */
const SKIPPED_DIRS = new Set([
  "node_modules", "vendor", ".git", "dist", "build", "bower_components", "__pycache__", ".venv", "venv", ".tox",
  ".next", ".nuxt", ".svelte-kit", ".terraform", "coverage", ".gradle", ".idea", ".vscode",
]);

/** Folders whose code is not the application: tests, fixtures, examples, docs (at any depth). */
const NOT_APP_DIRS = new Set([
  "test", "tests", "__tests__", "spec", "specs", "e2e", "fixtures", "fixture", "__fixtures__", "testdata", "test-data",
  "examples", "example", "samples", "sample", "docs", "doc", "documentation", "__mocks__", "mocks", "stories", "cypress",
]);

/** Top-level folders that hold tooling or infrastructure, not a service. */
const TOOLING_DIRS = new Set([
  "scripts", "script", "tools", "tooling", "hack", "ci", "infra", "infrastructure", "deploy", "deployment",
  "deployments", "terraform", "k8s", "kubernetes", "helm", "charts", "ops", "ansible", "docker", "config-templates",
]);

/** Folders a datastore is guessed from; they belong to the datastore, not to the root app. */
export const DATASTORE_DIRS = new Set(["db", "database", "migrations", "migration", "prisma", "alembic"]);

/** Top-level folders whose children are services (a monorepo's apps/*, services/*...). */
export const MONOREPO_PARENTS = ["apps", "services", "packages", "cmd", "functions", "lambdas", "workers", "microservices"];

/** A project manifest directly inside a folder makes that folder a project of its own. */
const MANIFEST = /^(?:package\.json|pyproject\.toml|setup\.py|requirements\.txt|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(?:\.kts)?|Gemfile|composer\.json|mix\.exs|[^/]+\.csproj)$/;

/** Root-level code files that configure tools rather than run the app. */
const TOOL_CONFIG_FILE = /(?:^|[.-])(?:config|conf|rc)\.[a-z]+$|^(?:gulpfile|gruntfile|setup|conftest|noxfile|fabfile|tasks|webpack|rollup|vite|babel|jest|vitest|karma|eslint|prettier|tsup|postcss|tailwind|knexfile|ormconfig)\b/i;

const CODE_LANGUAGES: readonly Language[] = ["js", "python", "go", "java", "ruby", "php", "csharp", "rust"];
/** Generated or declaration-only code. */
const GENERATED = /\.min\.[cm]?js$|\.d\.[cm]?ts$|\.(?:pb|gen|generated)\.\w+$|_pb2(?:_grpc)?\.py$|\.bundle\.js$/;

export function segments(path: string): string[] {
  return path.split("/");
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** True when `path` is `folder` itself or lies under it ("" is the repository root). */
export function isUnder(path: string, folder: string): boolean {
  return folder === "" || path === folder || path.startsWith(`${folder}/`);
}

/** A path the proposal can use: sane characters, nothing skipped on the way. */
export function usablePath(path: string): boolean {
  if (path === "" || path.length > 1_000 || path.startsWith("/") || path.endsWith("/")) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  const parts = segments(path);
  if (parts.some((p) => p === "" || p === "." || p === "..")) return false;
  return !parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p));
}

/** Inside a test, fixture, example or docs folder, or a test or docs file. */
export function isNotApp(path: string): boolean {
  if (segments(path).slice(0, -1).some((p) => NOT_APP_DIRS.has(p.toLowerCase()))) return true;
  return TEST_PATH.test(path) || DOCS_PATH.test(path);
}

export function isManifest(path: string): boolean {
  return MANIFEST.test(basename(path));
}

/** Application code worth reading for routes, calls and datastore use. */
export function isCode(path: string): boolean {
  return CODE_LANGUAGES.includes(languageOf(path)) && !GENERATED.test(path) && !isNotApp(path);
}

/** A top-level folder that can hold application code (not tooling, infra, datastore or hidden). */
function appTopFolder(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith(".") && !SKIPPED_DIRS.has(lower) && !NOT_APP_DIRS.has(lower) && !TOOLING_DIRS.has(lower) && !DATASTORE_DIRS.has(lower);
}

export interface ServiceFolder {
  /** The folder, "apps/web". */
  root: string;
  /** What made it a service, for the review comment: "apps/web" or "frontend (package.json)". */
  source: string;
  /** The manifest directly inside it, if any. */
  manifest?: string;
}

export interface RootApp {
  /** Top-level folders of application code, "src". */
  folders: string[];
  /** Root-level code files that are not tool configuration, "main.go". */
  files: string[];
  /** Root-level manifests, "package.json". */
  manifests: string[];
}

export interface Layout {
  /** Usable paths, sorted. */
  paths: string[];
  /** Folders that hold at least one usable file (every ancestor of a file), "" excluded. */
  folders: Set<string>;
  services: ServiceFolder[];
  rootApp: RootApp | null;
  /** Code files, sorted. */
  code: string[];
}

export function readLayout(all: readonly string[], maxPaths: number): Layout {
  const paths = [...new Set(all.filter(usablePath))].sort(cmp).slice(0, maxPaths);
  const folders = new Set<string>();
  for (const p of paths) {
    for (let d = dirname(p); d !== "" && !folders.has(d); d = dirname(d)) folders.add(d);
  }
  const code = paths.filter(isCode);
  const codeFolders = new Set<string>();
  for (const p of code) {
    for (let d = dirname(p); d !== "" && !codeFolders.has(d); d = dirname(d)) codeFolders.add(d);
  }

  const services: ServiceFolder[] = [];
  const topFolders = [...folders].filter((f) => !f.includes("/")).sort(cmp);
  const manifests = new Map<string, string>();
  for (const p of paths) if (isManifest(p) && !manifests.has(dirname(p))) manifests.set(dirname(p), p);
  const manifestIn = (folder: string) => manifests.get(folder);
  for (const top of topFolders) {
    if (!MONOREPO_PARENTS.includes(top)) continue;
    for (const child of [...folders].filter((f) => dirname(f) === top).sort(cmp)) {
      const name = basename(child);
      if (name.startsWith(".") || NOT_APP_DIRS.has(name.toLowerCase()) || SKIPPED_DIRS.has(name.toLowerCase())) continue;
      const manifest = manifestIn(child);
      if (!codeFolders.has(child)) continue;
      services.push({ root: child, source: child, ...(manifest !== undefined && { manifest }) });
    }
  }
  const rootFolders: string[] = [];
  for (const top of topFolders) {
    if (MONOREPO_PARENTS.includes(top) || !appTopFolder(top)) continue;
    const manifest = manifestIn(top);
    if (manifest !== undefined && codeFolders.has(top)) {
      services.push({ root: top, source: `${top} (${basename(manifest)})`, manifest });
    } else if (codeFolders.has(top)) {
      rootFolders.push(top);
    }
  }
  services.sort((a, b) => cmp(a.root, b.root));
  const rootFiles = code.filter((p) => !p.includes("/") && !TOOL_CONFIG_FILE.test(p));
  const rootManifests = paths.filter((p) => !p.includes("/") && isManifest(p));
  const rootApp = rootFolders.length > 0 || rootFiles.length > 0 ? { folders: rootFolders, files: rootFiles, manifests: rootManifests } : null;
  return { paths, folders, services, rootApp, code };
}

/** The service folder a path lies in, or "" for the rest of the repository. */
export function scopeOf(path: string, services: readonly ServiceFolder[]): string {
  let best = "";
  for (const s of services) if (isUnder(path, s.root) && s.root.length > best.length) best = s.root;
  return best;
}

