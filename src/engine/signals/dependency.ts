import { excerpt } from "./run.js";
import type { ChangeView, FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { codeLines, indentOf } from "./source-text.js";

/**
 * A package, module, image or action that a manifest did not name before. Identity is the
 * package name: a line whose name also leaves a manifest of the same ecosystem in the same
 * change (a version bump, a move between sections or files) is not a new dependency.
 *
 * go.mod and Ruby manifests are line-local and use the rule table. The other manifests need
 * to know which section a line sits in (package.json `dependencies` against `scripts`,
 * pyproject arrays, Cargo tables, pom `<dependency>`), or need names across formats of one
 * ecosystem (requirements.txt moving to pyproject.toml, Maven to Gradle), so `scan()` reads
 * them. Section comes from the whole file when the door supplies it, else from the hunk's
 * visible lines; where neither shows the section, a stricter shape of the line decides.
 */

type Hit = Omit<SignalHit, "signal" | "file">;
interface Entry {
  line: ScanLine;
  names: string[];
  label?: string;
}

interface Manifest {
  eco: string;
  label: string;
  path: RegExp;
  /** Every name a line could declare, section unknown: read on removed lines to spot rewrites. */
  names(code: string): string[];
  /** The added lines that declare dependencies, with the names each declares. */
  added(file: FileScan, ctx: Context): Entry[];
}

// ---------------------------------------------------------------------------------------------
// Where a line sits: the whole file when known, else the hunk lines the change shows.

interface Context {
  lines: ScanLine[];
  /** True when `lines` is the whole file (state at its first line is known). */
  whole: boolean;
}

function contextOf(file: FileScan): Context {
  return codeLines(file);
}

/** Walks context lines, resetting the state at each gap when only hunks are known. */
function walk<S>(ctx: Context, start: () => S, unknown: () => S, step: (state: S, code: string) => S): Map<number, S> {
  const at = new Map<number, S>();
  let state = ctx.whole ? start() : unknown();
  let prev = -1;
  for (const l of ctx.lines) {
    if (!ctx.whole && l.line !== prev + 1) state = unknown();
    prev = l.line;
    at.set(l.line, state);
    state = step(state, l.code);
  }
  return at;
}


/** Quoted strings on a line, in order. */
function strings(code: string): string[] {
  const out: string[] = [];
  const re = /"([^"\\]*)"|'([^'\\]*)'/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1] ?? m[2] ?? "");
  return out;
}

/** `#` comments outside strings (for files the runner reads as plain text: Pipfile, .in). */
function stripHash(code: string): string {
  let quote: string | null = null;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#") return code.slice(0, i);
  }
  return code;
}

/** Net bracket depth change on a line, strings skipped. */
function netBrackets(code: string, open: string, close: string): number {
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (open.includes(ch)) n++;
    else if (close.includes(ch)) n--;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// JSON manifests: package.json, composer.json

interface JsonState {
  /** The level at the bottom of the stack is known (the whole file was read from its start). */
  known: boolean;
  /** Object keys opened since then ("" for an unnamed object, "[" for an array). */
  stack: string[];
}

function jsonSections(ctx: Context): Map<number, JsonState> {
  return walk<JsonState>(
    ctx,
    () => ({ known: true, stack: [] }),
    () => ({ known: false, stack: [] }),
    (state, code) => {
      const stack = [...state.stack];
      let key: string | null = null;
      for (let i = 0; i < code.length; i++) {
        const ch = code[i]!;
        if (ch === '"') {
          let j = i + 1;
          while (j < code.length && code[j] !== '"') j += code[j] === "\\" ? 2 : 1;
          let k = j + 1;
          while (code[k] === " " || code[k] === "\t") k++;
          if (code[k] === ":") key = code.slice(i + 1, j);
          i = j;
        } else if (ch === "{" || ch === "[") {
          stack.push(ch === "{" ? (key ?? "") : "[");
          key = null;
        } else if (ch === "}" || ch === "]") {
          stack.pop();
        } else if (ch === ",") key = null;
      }
      return { known: state.known, stack };
    },
  );
}

/** The innermost object key a line sits in ("" at the root, "[" in an array), null when unknown. */
function sectionAt(sections: Map<number, JsonState>, line: number): string | null {
  const s = sections.get(line);
  if (!s) return null;
  if (s.stack.length > 0) return s.stack[s.stack.length - 1]!;
  return s.known ? "" : null;
}

const JSON_ENTRY = /^\s*"([^"\\]+)"\s*:\s*"([^"\\]*)"/;
const NPM_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const NPM_SECTIONS = new Set(["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]);
/** package.json keys under `engines`, `volta` and the top level that look like `"name": "1.2.3"`. */
const NPM_NOT_PACKAGES = new Set(["node", "npm", "yarn", "pnpm", "bun", "deno", "vscode", "version", "name", "type", "main", "module", "types", "typings", "browser", "license", "packageManager", "default"]);
const NPM_SPEC =
  /^(?:[\^~]\s*v?\d|(?:[<>]=?|=)?\s*v?\d+\.(?:\d|x|\*)|\*$|latest$|next$|(?:npm|workspace|file|link|git\+[a-z]+|git|github|gitlab|bitbucket|https?):)/i;
const COMPOSER_SECTIONS = new Set(["require", "require-dev"]);
const COMPOSER_SPEC = /^(?:[\^~]?\s*v?\d|[<>]=?\s*v?\d|\*$|dev-|@(?:dev|stable|beta|alpha|RC)$)/i;

function jsonManifest(eco: string, label: string, path: RegExp, decide: (name: string, spec: string, section: string | null, code: string) => boolean): Manifest {
  return {
    eco,
    label,
    path,
    names: (code) => {
      const m = JSON_ENTRY.exec(code);
      return m ? [m[1]!] : [];
    },
    added: (file, ctx) => {
      const sections = jsonSections(ctx);
      const out: Entry[] = [];
      for (const l of file.added) {
        const m = JSON_ENTRY.exec(l.code);
        if (m && decide(m[1]!, m[2]!, sectionAt(sections, l.line), l.code)) out.push({ line: l, names: [m[1]!] });
      }
      return out;
    },
  };
}

const npm = jsonManifest("npm", "new npm package", /(^|\/)package\.json$/, (name, spec, section, code) => {
  if (!NPM_NAME.test(name)) return false;
  if (section !== null) return NPM_SECTIONS.has(section);
  // Section unseen: `"name": "<version range>"` at a dependency's depth (one level into a
  // top-level object, with two- or four-space indent) that no engines/volta key explains.
  const depth = indentOf(code);
  return (depth === 4 || depth === 8) && !NPM_NOT_PACKAGES.has(name) && NPM_SPEC.test(spec.trim());
});

const composer = jsonManifest("composer", "new Composer package", /(^|\/)composer\.json$/, (name, spec, section) => {
  if (!/^[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/i.test(name)) return false;
  if (section !== null) return COMPOSER_SECTIONS.has(section);
  return COMPOSER_SPEC.test(spec.trim());
});

// ---------------------------------------------------------------------------------------------
// TOML manifests: pyproject.toml, Pipfile, Cargo.toml, Gradle version catalogs

interface TomlPos {
  /** The current [table] ("" before any), null when unknown. */
  section: string | null;
  /** The key of the multi-line array the line is inside; null when none; undefined when unknown. */
  array: string | null | undefined;
  depth: number;
}

const TOML_HEADER = /^\s*\[\[?\s*([^[\]]+)\]\]?\s*$/;
const TOML_KEY = /^\s*["']?([A-Za-z0-9_][\w.-]*)["']?\s*=/;

function tomlSection(raw: string): string {
  return raw.trim().replace(/["']/g, "").replace(/\s*\.\s*/g, ".");
}

function tomlPositions(ctx: Context): Map<number, TomlPos> {
  return walk<TomlPos>(
    ctx,
    () => ({ section: "", array: null, depth: 0 }),
    () => ({ section: null, array: undefined, depth: 0 }),
    (s, raw) => {
      const code = stripHash(raw);
      const header = TOML_HEADER.exec(code);
      if (header && !s.array) return { section: tomlSection(header[1]!), array: null, depth: 0 };
      const net = netBrackets(code, "[", "]");
      const key = TOML_KEY.exec(code);
      if (s.array) {
        const depth = s.depth + net;
        return depth <= 0 ? { ...s, array: null, depth: 0 } : { ...s, depth };
      }
      if (key && net > 0) return { ...s, array: key[1]!, depth: net };
      if (s.array === undefined && net < 0) return { ...s, array: null, depth: 0 };
      return s;
    },
  );
}

/** Version-like TOML values: `"^1.2"`, `">=2,<3"`, `"*"`, `"1.0.4"`. */
const TOML_SPEC = /^(?:\*$|[\^~<>=!]{1,3}\s*\d|\d+\.[\dx*])/;
/** Keys that carry a version without being a package: `version`, `python_version`, `edition`... */
const TOML_NOT_PACKAGE = /version$|^(?:python|requires-python|edition|resolver|name)$/i;

/** `name = "^1.2"` or `name = { version = ..., git = ... }`, for lines whose table is unknown. */
function tomlLooseEntry(code: string, tableKeys: RegExp): string | null {
  const m = /^\s*["']?([A-Za-z0-9][\w.-]*)["']?\s*=\s*(.*)$/.exec(code);
  if (!m) return null;
  const key = m[1]!;
  const value = m[2]!.trim();
  const base = key.replace(/\.(?:workspace|version|git|path)$/, "");
  if (TOML_NOT_PACKAGE.test(base)) return null;
  if (/\.workspace$/.test(key) && /^true\b/.test(value)) return base;
  if (value.startsWith("{")) return tableKeys.test(value) ? base : null;
  const s = /^["']([^"']*)["']/.exec(value);
  return s && TOML_SPEC.test(s[1]!.trim()) ? base : null;
}

const PEP508 = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@,#\\]|$)/;
/** A requirement string that pins a version: the shape only dependency lists have. */
const PEP508_PINNED = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:===?|>=|<=|~=|!=|<|>)\s*\d/;

function pep508Names(items: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of items) {
    const m = PEP508.exec(s);
    if (m && !/\.(?:whl|zip|tar\.gz)$/i.test(s)) out.push(m[1]!);
  }
  return out;
}

/** Requirement strings on a line that holds nothing else: `"httpx>=0.27",` in an unknown list. */
function pinnedListItems(code: string): string[] {
  if (!/["']/.test(code) || !/^[\s,]*$/.test(code.replace(/"[^"]*"|'[^']*'/g, ""))) return [];
  const out: string[] = [];
  for (const s of strings(code)) {
    const m = PEP508_PINNED.exec(s);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Strings after the `=` of `key = [...]`. */
const afterEquals = (code: string) => strings(code.slice(code.indexOf("=") + 1));

function isPyDepArray(section: string, key: string): boolean {
  if (section === "project") return key === "dependencies";
  if (section === "project.optional-dependencies" || section === "dependency-groups" || section === "tool.pdm.dev-dependencies") return true;
  if (section === "build-system") return key === "requires";
  if (section === "tool.uv") return key === "dev-dependencies";
  if (/^tool\.hatch\.envs\.[^.]+$/.test(section)) return key === "dependencies" || key === "extra-dependencies";
  return false;
}
const POETRY_TABLE = /^tool\.poetry\.(?:dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/;
const PY_TABLE_KEYS = /\b(?:version|git|path|url|extras|develop|editable|ref)\s*=/;

const pyproject: Manifest = {
  eco: "python",
  label: "new Python package",
  path: /(^|\/)pyproject\.toml$/,
  names: (code) => {
    const c = stripHash(code);
    const key = TOML_KEY.exec(c);
    return [...pep508Names(strings(c)), ...(key ? [key[1]!] : [])];
  },
  added: (file, ctx) => {
    const at = tomlPositions(ctx);
    const out: Entry[] = [];
    for (const l of file.added) {
      const code = stripHash(l.code);
      const pos = at.get(l.line);
      let names: string[] = [];
      if (!pos || pos.section === null) {
        names = pinnedListItems(code);
        if (names.length === 0) {
          const loose = tomlLooseEntry(code, PY_TABLE_KEYS);
          if (loose) names = [loose];
        }
      } else if (pos.array) {
        if (isPyDepArray(pos.section, pos.array)) names = pep508Names(strings(code));
      } else {
        const key = TOML_KEY.exec(code)?.[1];
        if (key && /=\s*\[/.test(code) && isPyDepArray(pos.section, key)) names = pep508Names(afterEquals(code));
        else if (key && POETRY_TABLE.test(pos.section) && key.toLowerCase() !== "python") names = [key];
      }
      if (names.length > 0) out.push({ line: l, names });
    }
    return out;
  },
};

const PIPFILE_NOT_PACKAGES = new Set(["requires", "source", "scripts", "pipenv"]);
const pipfile: Manifest = {
  eco: "python",
  label: "new Python package",
  path: /(^|\/)Pipfile$/,
  names: (code) => {
    const key = TOML_KEY.exec(stripHash(code));
    return key ? [key[1]!] : [];
  },
  added: (file, ctx) => {
    const at = tomlPositions(ctx);
    const out: Entry[] = [];
    for (const l of file.added) {
      const code = stripHash(l.code);
      if (TOML_HEADER.test(code)) continue;
      const pos = at.get(l.line);
      let name: string | null = null;
      if (!pos || pos.section === null) name = tomlLooseEntry(code, PY_TABLE_KEYS);
      else if (!PIPFILE_NOT_PACKAGES.has(pos.section) && pos.section !== "" && !pos.array) name = TOML_KEY.exec(code)?.[1] ?? null;
      if (name) out.push({ line: l, names: [name] });
    }
    return out;
  },
};

const CARGO_TABLE = /(?:^|\.)(?:dev-|build-)?dependencies$/;
const CARGO_HEADER_DEP = /(?:^|\.)(?:dev-|build-)?dependencies\.([A-Za-z0-9_-]+)$/;
const CARGO_TABLE_KEYS = /\b(?:version|git|path|workspace|registry|branch|tag|rev)\s*=/;

const cargo: Manifest = {
  eco: "cargo",
  label: "new crate",
  path: /(^|\/)Cargo\.toml$/,
  names: (code) => {
    const header = TOML_HEADER.exec(code);
    if (header) {
      const dep = CARGO_HEADER_DEP.exec(tomlSection(header[1]!));
      return dep ? [dep[1]!] : [];
    }
    const key = /^\s*["']?([A-Za-z0-9_-]+)/.exec(code);
    return key && /=/.test(code) ? [key[1]!] : [];
  },
  added: (file, ctx) => {
    const at = tomlPositions(ctx);
    const out: Entry[] = [];
    for (const l of file.added) {
      const code = stripHash(l.code);
      const header = TOML_HEADER.exec(code);
      if (header) {
        const dep = CARGO_HEADER_DEP.exec(tomlSection(header[1]!));
        if (dep) out.push({ line: l, names: [dep[1]!] });
        continue;
      }
      const pos = at.get(l.line);
      let name: string | null = null;
      if (!pos || pos.section === null) name = tomlLooseEntry(code, CARGO_TABLE_KEYS);
      else if (CARGO_TABLE.test(pos.section) && !pos.array) name = /^\s*["']?([A-Za-z0-9_-]+)["']?\s*(?:\.[\w-]+\s*)?=/.exec(code)?.[1] ?? null;
      if (name) out.push({ line: l, names: [name] });
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// Python: requirements files and setup.py

function requirementName(code: string): string | null {
  const t = stripHash(code).trim();
  if (t === "") return null;
  const egg = /#egg=([A-Za-z0-9][\w.-]*)/.exec(code);
  if (t.startsWith("-")) return /^(?:-e|--editable)\s/.test(t) && egg ? egg[1]! : null;
  if (/^[a-z][\w+.-]*:\/\//i.test(t)) return egg ? egg[1]! : null;
  if (/\.(?:whl|zip|tar\.gz)\b/i.test(t)) return null;
  return PEP508.exec(t)?.[1] ?? null;
}

const requirements: Manifest = {
  eco: "python",
  label: "new Python package",
  path: /(^|\/)(?:[^/]*(?:requirements|constraints)[^/]*|requirements\/[^/]+)\.(?:txt|in)$/,
  names: (code) => {
    const n = requirementName(code);
    return n ? [n] : [];
  },
  added: (file) => {
    // pip-compile and uv output is a lockfile: its direct dependencies live in the .in file.
    if (file.content !== undefined && /autogenerated by pip-compile|uv pip compile/i.test(file.content.slice(0, 2000))) return [];
    const out: Entry[] = [];
    for (const l of file.added) {
      if (/#\s*via\b/.test(l.text)) continue;
      const n = requirementName(l.code);
      if (n) out.push({ line: l, names: [n] });
    }
    return out;
  },
};

const SETUP_ASSIGN = /\b([A-Za-z_]\w*)\s*=\s*[[{(]/;

/** `install_requires=[`, `extras_require={`, `REQUIREMENTS = [`: where a requirement list opens. */
function setupListOpen(code: string): number {
  const m = SETUP_ASSIGN.exec(code);
  return m && /require|depend/i.test(m[1]!) && !/python_requires/i.test(m[1]!) ? m.index : -1;
}

const setupPy: Manifest = {
  eco: "python",
  label: "new Python package",
  path: /(^|\/)setup\.py$/,
  names: (code) => pep508Names(strings(code)),
  added: (file, ctx) => {
    // true: inside an install_requires/extras_require/REQUIREMENTS list; undefined: unknown.
    const at = walk<{ inList: boolean | undefined; depth: number }>(
      ctx,
      () => ({ inList: false, depth: 0 }),
      () => ({ inList: undefined, depth: 0 }),
      (s, code) => {
        const open = setupListOpen(code);
        if (open >= 0) {
          const depth = netBrackets(code.slice(open), "[{(", "]})");
          return depth > 0 ? { inList: true, depth } : { inList: false, depth: 0 };
        }
        if (s.inList) {
          const depth = s.depth + netBrackets(code, "[{(", "]})");
          return depth <= 0 ? { inList: false, depth: 0 } : { inList: true, depth };
        }
        return s;
      },
    );
    const out: Entry[] = [];
    for (const l of file.added) {
      const open = setupListOpen(l.code);
      const state = at.get(l.line)?.inList;
      let names: string[] = [];
      if (open >= 0) names = pep508Names(strings(l.code.slice(open)));
      else if (state === true) names = pep508Names(strings(l.code));
      else if (state === undefined) names = pinnedListItems(l.code);
      if (names.length > 0) out.push({ line: l, names });
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// JVM: pom.xml, Gradle build scripts and version catalogs (identity: the artifactId)

const POM_TAG = /<(\/?)(dependency|exclusion|plugin|parent|project|extension|artifactId)\b[^>]*>/g;

const pom: Manifest = {
  eco: "java",
  label: "new Maven/Gradle dependency",
  path: /(^|\/)pom\.xml$/,
  names: (code) => {
    const m = /<artifactId>\s*([^<\s]+)/.exec(code);
    return m ? [m[1]!] : [];
  },
  added: (file, ctx) => {
    const added = new Set(file.added.map((l) => l.line));
    const found = new Map<number, string[]>();
    let stack: string[] = [];
    let prev = -1;
    for (const l of ctx.lines) {
      if (!ctx.whole && l.line !== prev + 1) stack = [];
      prev = l.line;
      POM_TAG.lastIndex = 0;
      for (let m = POM_TAG.exec(l.code); m; m = POM_TAG.exec(l.code)) {
        const tag = m[2]!;
        if (tag === "artifactId") {
          if (m[1] === "" && stack[stack.length - 1] === "dependency" && added.has(l.line)) {
            const name = /^\s*([^<\s]+)/.exec(l.code.slice(POM_TAG.lastIndex))?.[1];
            if (name) found.set(l.line, [...(found.get(l.line) ?? []), name]);
          }
        } else if (m[1] === "/") {
          if (stack[stack.length - 1] === tag) stack.pop();
        } else if (!m[0].endsWith("/>")) stack.push(tag);
      }
    }
    return file.added.filter((l) => found.has(l.line)).map((l) => ({ line: l, names: found.get(l.line)! }));
  },
};

const GRADLE_CONF =
  "(?:implementation|api|compileOnly|compileOnlyApi|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|testFixturesImplementation|testFixturesApi|integrationTestImplementation|androidTestImplementation|debugImplementation|releaseImplementation|annotationProcessor|kapt|ksp|classpath|compile|testCompile|runtime|developmentOnly|coreLibraryDesugaring)";
const GRADLE_COORD = new RegExp(
  `^\\s*${GRADLE_CONF}\\s*\\(?\\s*(?:(?:platform|enforcedPlatform)\\s*\\(\\s*)?["']([\\w.-]+):([\\w.-]+)(?::[^"'\\s]*)?["']`,
);
const GRADLE_MAP = new RegExp(`^\\s*${GRADLE_CONF}\\s*\\(?\\s*group\\s*[:=]\\s*["'][\\w.-]+["']\\s*,\\s*name\\s*[:=]\\s*["']([\\w.-]+)["']`);
const GRADLE_PLUGIN = /^\s*id\s*\(?\s*["']([\w.-]+)["']\s*\)?\s*version\b/;

function gradleNames(code: string): string[] {
  const c = GRADLE_COORD.exec(code);
  if (c) return [c[2]!];
  const m = GRADLE_MAP.exec(code) ?? GRADLE_PLUGIN.exec(code);
  return m ? [m[1]!] : [];
}

const gradle: Manifest = {
  eco: "java",
  label: "new Maven/Gradle dependency",
  path: /\.gradle(?:\.kts)?$/,
  names: gradleNames,
  added: (file) => file.added.map((l) => ({ line: l, names: gradleNames(l.code) })).filter((e) => e.names.length > 0),
};

function catalogNames(raw: string): string[] {
  const code = stripHash(raw);
  const module = /\bmodule\s*=\s*"([\w.-]+):([\w.-]+)"/.exec(code);
  if (module) return [module[2]!];
  const named = /\bgroup\s*=\s*"[\w.-]+"\s*,\s*name\s*=\s*"([\w.-]+)"/.exec(code);
  if (named) return [named[1]!];
  const coord = /^\s*[\w.-]+\s*=\s*"([\w.-]+):([\w.-]+):[^"]+"/.exec(code);
  if (coord) return [coord[2]!];
  const plugin = /\bid\s*=\s*"([\w.-]+)"/.exec(code);
  return plugin ? [plugin[1]!] : [];
}

const versionCatalog: Manifest = {
  eco: "java",
  label: "new Maven/Gradle dependency",
  path: /(^|\/)[\w.-]*\.versions\.toml$/,
  names: catalogNames,
  added: (file) => file.added.map((l) => ({ line: l, names: catalogNames(l.code) })).filter((e) => e.names.length > 0),
};

// ---------------------------------------------------------------------------------------------
// Dockerfile base images and GitHub Actions: a new image or action, not a bump of one already
// used in the same file (a second stage `FROM node:20`, a second `actions/checkout`).

function imageName(ref: string): string | null {
  if (ref.includes("$") || ref.includes("{")) return null; // chosen by a build argument
  let r = ref.toLowerCase().replace(/^["']|["']$/g, "");
  const at = r.indexOf("@");
  if (at >= 0) r = r.slice(0, at);
  const colon = r.lastIndexOf(":");
  if (colon > r.lastIndexOf("/")) r = r.slice(0, colon);
  r = r.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "").replace(/^library\//, "");
  return r === "" || r === "scratch" || /^\d+$/.test(r) ? null : r;
}

/** `FROM [--platform=..] image[:tag|@digest] [AS alias]` -> image and alias. */
function fromLine(code: string): { image: string; alias: string | null } | null {
  if (!/^\s*FROM\s/i.test(code)) return null;
  const words = code.trim().split(/\s+/).slice(1).filter((w) => !w.startsWith("--"));
  if (words.length === 0) return null;
  const asAt = words.findIndex((w) => w.toLowerCase() === "as");
  return { image: words[0]!, alias: asAt > 0 ? (words[asAt + 1]?.toLowerCase() ?? null) : null };
}

function copyFrom(code: string): string | null {
  if (!/^\s*COPY\s/i.test(code)) return null;
  return /\s--from=["']?([^\s"']+)/i.exec(code)?.[1] ?? null;
}

function dockerNames(code: string): string[] {
  const ref = fromLine(code)?.image ?? copyFrom(code);
  const name = ref ? imageName(ref) : null;
  return name ? [name] : [];
}

const dockerfile: Manifest = {
  eco: "docker",
  label: "new base image",
  path: /(^|\/)(?:Dockerfile|Containerfile)(?:[.-][^/]*)?$|\.(?:dockerfile|containerfile)$/i,
  names: dockerNames,
  added: (file, ctx) => {
    const added = new Set(file.added.map((l) => l.line));
    const aliases = new Set<string>();
    const elsewhere = new Set<string>();
    for (const l of [...ctx.lines, ...file.added]) {
      const f = fromLine(l.code);
      if (f?.alias) aliases.add(f.alias);
      if (!added.has(l.line)) for (const n of dockerNames(l.code)) elsewhere.add(n);
    }
    const out: Entry[] = [];
    for (const l of file.added) {
      const from = fromLine(l.code);
      const ref = from?.image ?? copyFrom(l.code);
      if (!ref || aliases.has(ref.toLowerCase())) continue;
      // A bare word (`FROM base`, `COPY --from=builder`) names a stage unless the whole file
      // shows no stage by that name; images are nearly always written with a tag or a path.
      if (/^[\w.-]+$/.test(ref) && (!ctx.whole || !from)) continue;
      const name = imageName(ref);
      if (name && !elsewhere.has(name)) out.push({ line: l, names: [name], label: from ? "new base image" : "new image (COPY --from)" });
    }
    return out;
  },
};

const USES = /^\s*(?:-\s+)?uses\s*:\s*["']?(?:docker:\/\/([^\s"'@]+)|([\w.-]+\/[\w./-]+)@)/;

function actionNames(code: string): string[] {
  const m = USES.exec(code);
  if (!m) return [];
  if (m[1] !== undefined) {
    const image = imageName(m[1]);
    return image ? [`docker://${image}`] : [];
  }
  return [m[2]!.toLowerCase()];
}

const actions: Manifest = {
  eco: "actions",
  label: "new GitHub Action",
  path: /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)action\.ya?ml$/i,
  names: actionNames,
  added: (file, ctx) => {
    const added = new Set(file.added.map((l) => l.line));
    const elsewhere = new Set<string>();
    for (const l of ctx.lines) if (!added.has(l.line)) for (const n of actionNames(l.code)) elsewhere.add(n);
    return file.added
      .map((l) => ({ line: l, names: actionNames(l.code).filter((n) => !elsewhere.has(n)) }))
      .filter((e) => e.names.length > 0);
  },
};

const MANIFESTS: readonly Manifest[] = [npm, composer, pyproject, pipfile, requirements, setupPy, cargo, pom, gradle, versionCatalog, dockerfile, actions];

/** Names compare the way each registry does: PEP 503 for Python, case-blind elsewhere. */
function normal(eco: string, name: string): string {
  const n = name.toLowerCase();
  if (eco === "python") return n.replace(/[-_.]+/g, "-");
  if (eco === "cargo") return n.replace(/_/g, "-");
  return n;
}

function removedNames(eco: string, change: ChangeView): Set<string> {
  const out = new Set<string>();
  for (const f of change.files) {
    for (const m of MANIFESTS) {
      if (m.eco !== eco || !m.path.test(f.path)) continue;
      for (const l of f.removed) for (const n of m.names(l.code)) out.add(normal(eco, n));
    }
  }
  return out;
}

function scanManifest(file: FileScan, change: ChangeView): Hit[] {
  if (file.added.length === 0) return [];
  const manifest = MANIFESTS.find((m) => m.path.test(file.path));
  if (!manifest) return [];
  const gone = removedNames(manifest.eco, change);
  const hits: Hit[] = [];
  for (const e of manifest.added(file, contextOf(file))) {
    if (!e.names.some((n) => !gone.has(normal(manifest.eco, n)))) continue;
    hits.push({ line: e.line.line, label: e.label ?? manifest.label, removed: false, excerpt: excerpt(e.line.text) });
  }
  return hits;
}

export const dependency: SignalDefinition = {
  id: "dependency",
  title: "New third-party dependency",
  stride: ["tampering", "elevation-of-privilege"],
  severity: "low",
  question:
    "Is this new dependency maintained and trusted, is its version pinned, and what does it get access to (install scripts, build, runtime, CI secrets)?",
  detects:
    "Packages, modules, images and actions a manifest did not name before: package.json dependency sections, composer.json require, requirements*.txt/constraints*.txt, pyproject.toml (PEP 621 lists, dependency groups, build-system requires, Poetry tables), Pipfile, setup.py install_requires, go.mod require, pom.xml <dependency>, Gradle build scripts and version catalogs, Gemfile and gemspec, Cargo.toml, Dockerfile FROM and COPY --from images, GitHub workflow `uses:` actions.",
  falsePositives:
    "Where the hunk shows no section header and the whole file is not supplied, a version-like entry is taken as a dependency, so package.json overrides/resolutions and composer conflict/replace entries can fire; a go.mod exclude block looks like a require block; a package renamed with a new name fires. Version bumps, moves between sections or manifests of one ecosystem, lockfiles, go.sum, digests, image tags and action refs do not fire; nor do `// indirect` go.mod lines, pip-compile output, Gradle `libs.*` catalog references or stage aliases. Misses: an untagged bare image (`FROM ubuntu`) is only told from a stage name when the whole file is supplied; a pom.xml artifactId whose <dependency> the hunk does not show; docker-compose `image:` and setup.cfg are not read.",
  flows: "none",
  rules: [
    {
      label: "new Go module",
      languages: "any",
      paths: /(^|\/)go\.mod$/,
      pattern: /^\s*(?:require\s+)?([\w.~-]+\/[\w.~/-]+)\s+v\d/,
      unless: /=>|\/\/\s*indirect\b/,
      identity: (m) => m[1] ?? null,
    },
    {
      label: "new gem",
      languages: ["ruby"],
      paths: /(^|\/)(?:Gemfile|gems\.rb|[^/]+\.gemspec)$/,
      pattern: /^\s*(?:gem|\w+\.add_(?:runtime_|development_)?dependency)\s*\(?\s*["']([\w.-]+)["']/,
      identity: (m) => (m[1] ?? "").toLowerCase(),
    },
  ],
  scan: scanManifest,
};
