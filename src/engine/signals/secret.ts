import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { ChangeView, FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { DOCS_PATH, TEST_PATH } from "./source-text.js";

/**
 * Hard-coded credentials. Token shapes and PEM headers are table rules; assignments of a
 * literal to a credential-named key, passwords inside connection strings and Kubernetes
 * Secret values need code (placeholders, entropy, YAML parents) and live in scan(), which
 * also redacts the value from the excerpt it reports.
 */

/** Tests, fixtures and sample files hold fake credentials by design. */
const SAMPLE_PATH = /\.(example|sample|template|dist|tpl)(\.[a-z0-9]+)?$|(^|\/)[^/]*[._-](example|sample|template)\.[a-z0-9]+$/i;
const GENERIC_SKIP = new RegExp(`${TEST_PATH.source}|${SAMPLE_PATH.source}|${DOCS_PATH.source}`, "i");

/** The key a token is assigned to on its line (`AWS_KEY = "AKIA..."` -> `aws_key`), if any. */
const BEFORE_TOKEN = /([A-Za-z_$@][\w.$@-]{0,80})["']?\s*(?:===?|:=|=>|=|:)?\s*["'`]?(?:Bearer\s+)?$/;
function assignedName(m: RegExpExecArray): string | null {
  const before = m.input.slice(Math.max(0, m.index - 120), m.index);
  const n = BEFORE_TOKEN.exec(before);
  return n?.[1] ? normaliseName(n[1]) : null;
}

function normaliseName(name: string): string {
  return name.replace(/^[$@]+/, "").toLowerCase();
}

/** Credential-bearing names, compared once `_`, `-`, `.` are dropped and case is folded. */
const CREDENTIAL_SUFFIXES = [
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "secret",
  "secretkey",
  "secretkeybase",
  "apikey",
  "apitoken",
  "token",
  "privatekey",
  "accesskey",
  "signingkey",
  "encryptionkey",
  "masterkey",
  "authkey",
  "authorization",
];

export function isCredentialName(name: string): boolean {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return CREDENTIAL_SUFFIXES.some((s) => flat.endsWith(s));
}

/**
 * Text every line holding a credential name contains: each suffix above contains one of these
 * words, in any case, with the separators a name may hold (`_ . $ @ -`) anywhere inside it
 * (`pass_word`, `API-KEY`). A line without one has no credential name to read.
 */
const CREDENTIAL_WORDS = ["pass", "pwd", "secret", "key", "token", "auth"];
const CREDENTIAL_HINT = new RegExp(
  CREDENTIAL_WORDS.map((w) => [...w].map((ch) => `[${ch}${ch.toUpperCase()}]`).join("[-_.$@]*")).join("|"),
);

const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|change_?me|change-me|changeit|replace|your[_-]|redacted|fake|mock|test|todo|fixme|xxx|\*\*\*|\.\.\.|lorem|insert|foobar|notasecret|not-a-secret/i;
const REFERENCE =
  /\$\{|\{\{|\$\(|#\{|%\(|%s\b|%[A-Z_]+%|^\$[A-Za-z_{]|^@Microsoft\.KeyVault|^ENC\[|^vault:|^arn:|^op:\/\/|^ref\+|^sm:\/\/|^gcp:|^aws:|^projects\/|^secrets?\/|^env:|^file:|^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*(?:\/|$)|^[/~]|^\.\.?\/|^[!&*|>]|^<|>$|^__.*__$|\.(?:pem|key|crt|json|ya?ml|txt|env|p12|pfx|jks)$/;
const COMMON_VALUES = new Set([
  "password", "passwd", "secret", "admin", "root", "postgres", "mysql", "guest", "default", "none", "null", "nil",
  "undefined", "true", "false", "required", "optional", "string", "redis", "token", "apikey", "changeit", "letmein",
]);
const DIGEST = /^(?:sha(?:1|256|384|512)[:-]|md5[:-]|[a-z0-9]+:[a-f0-9]{32,}$)/i;

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * `auth_token_v2`, `sessionToken`, `Passwort1`: pronounceable words (each with a vowel),
 * with at most two trailing digits, or a version like `v2`. Random strings fail on a segment.
 */
function looksLikeIdentifier(value: string): boolean {
  const parts = value.split(/[._:/-]|(?=[A-Z])/).filter((p) => p !== "");
  return parts.length > 0 && parts.every((p) => /^v\d{1,3}$/.test(p) || (/^[A-Za-z][a-z]+\d{0,2}$/.test(p) && /[aeiouy]/i.test(p)));
}

function isAllCapsName(value: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(value) && value.includes("_");
}

/** A literal that is placeholder, reference or prose rather than a credential. */
export function isPlaceholder(value: string, name = ""): boolean {
  const v = value.trim();
  if (v === "") return true;
  const lower = v.toLowerCase();
  if (COMMON_VALUES.has(lower)) return true;
  if (name !== "" && lower.replace(/[^a-z0-9]/g, "") === name.toLowerCase().replace(/[^a-z0-9]/g, "")) return true;
  if (PLACEHOLDER_WORDS.test(v) || REFERENCE.test(v) || DIGEST.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  return isAllCapsName(v);
}

/** A literal of realistic length and entropy for a password, key or token. */
export function looksSecret(value: string, name = ""): boolean {
  const v = value.replace(/^(?:Bearer|Basic|Token|token)\s+/, "");
  if (v.length < 8 || v.length > 500 || /\s/.test(v)) return false;
  if (isPlaceholder(v, name) || looksLikeIdentifier(v)) return false;
  if (entropy(v) < 2.5) return false;
  const digit = /\d/.test(v);
  const letter = /[A-Za-z]/.test(v);
  const symbol = /[^A-Za-z0-9]/.test(v);
  const mixedCase = /[a-z]/.test(v) && /[A-Z]/.test(v);
  return (letter && (digit || symbol)) || (v.length >= 16 && mixedCase);
}

// ---------------------------------------------------------------------------------------
// Assignments of a literal to a credential-named key.

/** Languages read for assignments, and whether a bare (unquoted) value is a literal there. */
const ASSIGNMENT_LANGS: Partial<Record<Language, "quoted" | "bare">> = {
  js: "quoted",
  python: "quoted",
  go: "quoted",
  java: "quoted",
  ruby: "quoted",
  php: "quoted",
  csharp: "quoted",
  rust: "quoted",
  terraform: "quoted",
  json: "quoted",
  toml: "quoted",
  yaml: "bare",
  workflow: "bare",
  dockerfile: "bare",
  shell: "bare",
  text: "bare",
  other: "bare",
};
/** Files without a known language that are nothing but credentials. */
const CREDENTIAL_FILES = /(^|\/)\.(npmrc|pypirc|netrc|git-credentials|dockercfg)$|(^|\/)\.aws\/credentials$/;

/** `key = `, `key: `, `"key": `, `key => `, `key := `, `key: Type = `, `key == `. */
const KEY = /(?<![\w.$@-])([A-Za-z_$@][\w.$@-]{0,80})["']?\]?\s*(?::\s*[A-Za-z_][\w.<>[\]|?]{0,40}\s*(?==))?(===?|:=|=>|=|:)[ \t]*/g;
const DOCKER_ENV = /^\s*(?:ENV|ARG)\s+([A-Za-z_][\w.-]*)\s+([^\s=]\S*)\s*$/i;

interface Assignment {
  name: string;
  value: string;
}

/** The literal at `at` and where it ends, or null when what follows is not a literal. */
function readValue(code: string, at: number, bare: boolean): { value: string; end: number } | null {
  let i = at;
  const prefix = /^[rbuf]{1,2}(?=["'])/i.exec(code.slice(i, i + 3));
  if (prefix) i += prefix[0].length;
  const q = code[i];
  if (q === '"' || q === "'" || q === "`") {
    const end = code.indexOf(q, i + 1);
    if (end < 0) return null;
    const value = code.slice(i + 1, end);
    if (prefix && /f/i.test(prefix[0]) && value.includes("{")) return null;
    return { value, end: end + 1 };
  }
  if (!bare) return null;
  const m = /^[^\s"',;}\]]+/.exec(code.slice(i, i + 600));
  return m ? { value: m[0], end: i + m[0].length } : null;
}

function assignmentsIn(code: string, bare: boolean, language: Language): Assignment[] {
  const out: Assignment[] = [];
  if (language === "dockerfile") {
    const d = DOCKER_ENV.exec(code);
    if (d?.[1] && d[2] && isCredentialName(d[1])) out.push({ name: d[1], value: d[2].replace(/^["']|["']$/g, "") });
  }
  KEY.lastIndex = 0;
  for (let m = KEY.exec(code); m; m = KEY.exec(code)) {
    const name = m[1]!;
    const read = readValue(code, KEY.lastIndex, bare);
    if (read === null) continue;
    // The value is consumed whatever the key, so that `key: text with token: x` is one value.
    if (isCredentialName(name)) out.push({ name, value: read.value });
    KEY.lastIndex = read.end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Passwords inside URLs and connection strings.

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{1,20}):\/\/([^\s:/@"'`]{0,64}):([^\s@/"'`]{1,128})@([^\s/:"'`?#,;)]{1,253})/gi;
const QUERY_PASSWORD = /[?&;](?:password|pwd)=([^&;\s"'`]{3,128})/gi;
const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)$|(?:^|\.)example\.(?:com|org|net)$/i;

const CONNECTION_HINT = /:\/\/|[dD]=/;

function connectionPasswords(code: string): Assignment[] {
  const out: Assignment[] = [];
  URL_PASSWORD.lastIndex = 0;
  // URL_PASSWORD needs `://`; QUERY_PASSWORD needs `password=` or `pwd=` (in any case).
  if (!CONNECTION_HINT.test(code)) return out;
  const urls = code.includes("://");
  const query = code.includes("d=") || code.includes("D=");
  for (let m = urls ? URL_PASSWORD.exec(code) : null; m; m = URL_PASSWORD.exec(code)) {
    const [, scheme, user, pass, host] = m as unknown as [string, string, string, string, string];
    if (LOCAL_HOST.test(host) || pass === user || pass.length < 4 || isPlaceholder(pass)) continue;
    if (/^[{<[$%*]|^x+$/i.test(pass)) continue;
    out.push({ name: `${scheme.toLowerCase()}://${user}@${host.toLowerCase()}`, value: pass });
  }
  QUERY_PASSWORD.lastIndex = 0;
  for (let m = query ? QUERY_PASSWORD.exec(code) : null; m; m = QUERY_PASSWORD.exec(code)) {
    const pass = m[1]!;
    if (isPlaceholder(pass) || /^[{<[$%*]/.test(pass)) continue;
    out.push({ name: "connection password parameter", value: pass });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// YAML structure: the parent key of a line, and whether the file is a Kubernetes Secret.

interface YamlContext {
  kinds: Set<string>;
  parent: (line: number) => string | null;
  previous: (line: number) => string | null;
}

function yamlContext(file: FileScan): YamlContext {
  const lines = file.content !== undefined ? file.content.split(/\r?\n/) : null;
  const kindSource = lines ?? file.visible.map((l) => l.code);
  const kinds = new Set<string>();
  for (const l of kindSource) {
    const k = /^kind:\s*["']?(\w+)/.exec(l);
    if (k?.[1]) kinds.add(k[1]);
  }
  const indent = (s: string) => s.length - s.trimStart().length;
  const parentIn = (texts: readonly string[], idx: number): string | null => {
    const own = indent(texts[idx]!);
    for (let i = idx - 1; i >= 0 && idx - i <= 400; i--) {
      const t = texts[i]!;
      if (t.trim() === "" || t.trimStart().startsWith("#")) continue;
      if (indent(t) < own) {
        const key = /^\s*-?\s*([\w.-]+):/.exec(t);
        return key?.[1] ?? null;
      }
    }
    return null;
  };
  const visibleCodes = file.visible.map((l) => l.code);
  const visibleIndex = new Map(file.visible.map((l, i) => [l.line, i]));
  return {
    kinds,
    parent(line) {
      const vi = visibleIndex.get(line);
      const fromHunk = vi === undefined ? null : parentIn(visibleCodes, vi);
      if (fromHunk !== null || lines === null) return fromHunk;
      return line - 1 < lines.length ? parentIn(lines, line - 1) : null;
    },
    previous(line) {
      const vi = visibleIndex.get(line);
      if (vi !== undefined && vi > 0 && file.visible[vi - 1]!.line === line - 1) return visibleCodes[vi - 1]!;
      return lines && line >= 2 ? (lines[line - 2] ?? null) : null;
    },
  };
}

function decodeBase64(value: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return null;
  try {
    return atob(value);
  } catch {
    return null;
  }
}

const K8S_VALUE = /^\s*([\w.-]+):\s*["']?([^\s"']+)["']?\s*$/;
const ENV_NAME = /^\s*-\s*name:\s*["']?([\w.-]+)["']?\s*$/;
const ENV_VALUE = /^\s*value:\s*(\S.*)$/;

// ---------------------------------------------------------------------------------------
// The scan: candidates per line, with the identity each one introduces.

interface Candidate {
  label: string;
  name: string;
  value: string;
}

const LABEL_ASSIGNMENT = "hard-coded credential assigned in code or config";
const LABEL_CONNECTION = "password inside a connection string";
const LABEL_K8S = "Kubernetes Secret value committed in the manifest";
const LABEL_PEM = "private key committed";

/** What a file's path and language let the scan read, worked out once per file. */
interface FileReading {
  file: FileScan;
  yaml: YamlContext | null;
  /** Passwords in connection strings. */
  connections: boolean;
  /** Assignments (and YAML structure); null when the file is not read for them. */
  style: "quoted" | "bare" | null;
}

function readingOf(file: FileScan): FileReading {
  const style = ASSIGNMENT_LANGS[file.language];
  const readable = file.language !== "other" || CREDENTIAL_FILES.test(file.path);
  return {
    file,
    yaml: file.language === "yaml" || file.language === "workflow" ? yamlContext(file) : null,
    connections: !SAMPLE_PATH.test(file.path) && !DOCS_PATH.test(file.path) && !TEST_PATH.test(file.path) && file.language !== "other",
    style: style === undefined || !readable || GENERIC_SKIP.test(file.path) ? null : style,
  };
}

function candidatesFor(reading: FileReading, l: ScanLine): Candidate[] {
  const out: Candidate[] = [];
  const { file, yaml, style } = reading;
  if (reading.connections) {
    for (const c of connectionPasswords(l.code)) out.push({ label: LABEL_CONNECTION, ...c });
  }
  if (style === null) return out;

  if (yaml) {
    const parent = yaml.parent(l.line);
    if (parent === "encryptedData" || yaml.kinds.has("SealedSecret")) return out;
    if (yaml.kinds.has("Secret") && (parent === "data" || parent === "stringData" || parent === "binaryData")) {
      const kv = K8S_VALUE.exec(l.code);
      if (kv?.[1] && kv[2]) {
        const raw = kv[2];
        const decoded = parent === "stringData" ? raw : decodeBase64(raw);
        if (decoded !== null && k8sSecretValue(decoded, kv[1])) out.push({ label: LABEL_K8S, name: `secret ${kv[1]}`, value: raw });
      }
      return out;
    }
    const ev = ENV_VALUE.exec(l.code);
    const prev = ev ? yaml.previous(l.line) : null;
    const en = prev !== null ? ENV_NAME.exec(prev) : null;
    if (ev?.[1] && en?.[1] && isCredentialName(en[1])) {
      const value = ev[1].trim().replace(/^(["'])(.*)\1$/, "$2");
      if (looksSecret(value, en[1])) out.push({ label: LABEL_ASSIGNMENT, name: normaliseName(en[1]), value });
    }
  }
  if (!CREDENTIAL_HINT.test(l.code)) return out;
  for (const a of assignmentsIn(l.code, style === "bare", file.language)) {
    if (looksSecret(a.value, a.name)) out.push({ label: LABEL_ASSIGNMENT, name: normaliseName(a.name), value: a.value });
  }
  return out;
}

function k8sSecretValue(decoded: string, key: string): boolean {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(decoded)) return true;
  if (/-----BEGIN (?:CERTIFICATE|PUBLIC KEY)|^ssh-(?:rsa|ed25519) /.test(decoded)) return false;
  if (/[\n\r]/.test(decoded)) return !isPlaceholder(decoded.slice(0, 200));
  return looksSecret(decoded, key);
}

/** Identities of credentials the change removes, per change (the files array is stable). */
const removedByChange = new WeakMap<readonly FileScan[], Set<string>>();
function removedNames(change: ChangeView): Set<string> {
  const known = removedByChange.get(change.files);
  if (known) return known;
  const names = new Set<string>();
  for (const f of change.files) {
    if (f.removed.length === 0) continue;
    const reading = readingOf(f);
    for (const l of f.removed) for (const c of candidatesFor(reading, l)) names.add(`${c.label}\u0000${c.name}`);
  }
  removedByChange.set(change.files, names);
  return names;
}

function mask(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 4) out = out.split(v).join("****");
  return out;
}

/** The token rules' patterns, global, for masking (made on first use: the table is below). */
let tokenShapes: RegExp[] | undefined;

/**
 * The line with every credential this signal recognises masked, for excerpts: token shapes
 * keep their first four characters, assigned values and connection passwords become `****`.
 */
export function redactSecrets(text: string, language: Language = "other"): string {
  let out = text;
  tokenShapes ??= secret.rules.filter((rule) => rule.label !== LABEL_PEM).map((rule) => new RegExp(rule.pattern.source, "g"));
  for (const shape of tokenShapes) out = out.replace(shape, (t) => `${t.slice(0, 4)}****`);
  const style = ASSIGNMENT_LANGS[language] ?? "bare";
  const values = [...assignmentsIn(out, style === "bare", language), ...connectionPasswords(out)].map((a) => a.value);
  return mask(out, values);
}

function scanSecrets(file: FileScan, change: ChangeView): Omit<SignalHit, "signal" | "file">[] {
  if (file.added.length === 0) return [];
  const reading = readingOf(file);
  const removed = removedNames(change);
  const hits: Omit<SignalHit, "signal" | "file">[] = [];
  for (const l of file.added) {
    const found = candidatesFor(reading, l).filter((c) => !removed.has(`${c.label}\u0000${c.name}`));
    if (found.length === 0) continue;
    hits.push({ line: l.line, label: found[0]!.label, removed: false, excerpt: excerpt(redactSecrets(mask(l.text, found.map((c) => c.value)), file.language)) });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------

/** Token shapes need a digit somewhere: `ghp_abcdef...` spelled out in letters is a placeholder. */
export const secret: SignalDefinition = {
  id: "secret",
  redact: (text, language) => redactSecrets(text, language),
  title: "Hard-coded credential or private key",
  stride: ["information-disclosure", "spoofing"],
  severity: "high",
  question:
    "Is this a real credential? If so, revoke and rotate it now, remove it from history, and load it from a secret manager or the environment instead: who else can read this repository?",
  detects:
    "PEM private keys (RSA, EC, DSA, OpenSSH, PGP, PKCS#8), well-known token shapes (AWS access key ids, GitHub, GitLab, Slack, Stripe live, Google API, npm, PyPI, SendGrid, OpenAI/Anthropic keys, Slack webhooks), JWT bearer tokens assigned in code, literals of realistic length and entropy assigned to password/secret/token/api-key names in code, YAML, .env, properties, Terraform, Dockerfile ENV/ARG and Kubernetes env entries, passwords inside connection strings, and values of Kubernetes Secret data/stringData.",
  falsePositives:
    "Intentionally public keys that share a secret's shape (Firebase web API keys, Supabase anon JWTs), throwaway development passwords that look random, and keys generated for tests outside test folders. Placeholders (changeme, <your-key>, ${VAR}, {{ .Values.x }}, ${{ secrets.X }}, xxx, ***, example, dummy, test), environment and secret-manager lookups, local connection strings, content digests, sealed or SOPS-encrypted values, tests, samples and docs do not fire; a credential whose name was already assigned on a removed line is a rewrite, not a new secret.",
  flows: "outbound",
  rules: [
    {
      label: LABEL_PEM,
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----(?=\s*$|\s*(?:\\r)?\\n\s*[A-Za-z0-9+/]|\s*[A-Za-z0-9+/]{8})/,
      identity: assignedName,
    },
    {
      label: "AWS access key id",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\b(?:AKIA|ASIA)(?![A-Z0-9]*EXAMPLE)(?=[A-Z]{0,15}[0-9])[0-9A-Z]{16}\b/,
      identity: assignedName,
    },
    {
      label: "GitHub token",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\b(?:gh[pousr]_(?=[A-Za-z]{0,35}\d)[A-Za-z0-9]{36}|github_pat_(?=[A-Za-z_]{0,81}\d)[A-Za-z0-9_]{60,255})\b/,
      identity: assignedName,
    },
    {
      label: "GitLab token",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bglpat-(?=[A-Za-z_-]{0,19}\d)[A-Za-z0-9_-]{20,}/,
      identity: assignedName,
    },
    {
      label: "Slack token",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bxox[baprs]-\d{6,}-[0-9A-Za-z-]{8,200}/,
      identity: assignedName,
    },
    {
      label: "Slack webhook URL",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bhooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/(?=[A-Za-z]{0,40}\d)[A-Za-z0-9]{16,}/,
      identity: assignedName,
    },
    {
      label: "Stripe live key",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\b(?:sk|rk)_live_(?=[A-Za-z]{0,99}\d)[0-9A-Za-z]{16,100}\b/,
      identity: assignedName,
    },
    {
      label: "Google API key",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bAIza(?=[A-Za-z_-]{0,34}\d)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/,
      identity: assignedName,
    },
    {
      label: "package registry token",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bnpm_(?=[A-Za-z]{0,35}\d)[A-Za-z0-9]{36}\b|\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/,
      identity: assignedName,
    },
    {
      label: "AI or email provider API key",
      languages: "any",
      skipPaths: DOCS_PATH,
      pattern: /\bsk-(?:ant-(?:api|admin)\d\d-|proj-)(?=[A-Za-z_-]{0,39}\d)[A-Za-z0-9_-]{40,}|\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/,
      identity: assignedName,
    },
    {
      label: "bearer token (JWT) in code",
      languages: "any",
      skipPaths: GENERIC_SKIP,
      pattern: /(?:[:=]\s*["'`]?|\bBearer\s+)eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/,
      identity: assignedName,
    },
  ],
  scan: scanSecrets,
};
