import { excerpt } from "./run.js";
import type { ChangeView, FileScan, SignalDefinition, SignalHit } from "./types.js";
import { TEST_PATH, foldedArguments } from "./source-text.js";

/**
 * Unsafe deserialization (formats that rebuild arbitrary objects or run code while parsing)
 * and code injection (eval and its relatives fed something other than a fixed literal).
 * Labels say which of the two fired.
 */

/** Tests round-trip and eval fixtures on purpose; they never parse an attacker's bytes. */

/** The first argument after the call's opening parenthesis, as written (spaces and quote style dropped). */
/**
 * What a call introduces: the callee and what it is fed. An edited line that still feeds the
 * same input to the same call (a renamed result, an added option) is a rewrite, not new.
 */
const callIdentity = (m: RegExpExecArray): string => `${m[0].replace(/\s+/g, "")}${foldedArguments(m)}`;

/** A plain string literal as first argument: `eval("1 + 1")`, `setTimeout("tick()", 10)`. */
const LITERAL = String.raw`\s*(?:"[^"\\]*"|'[^'\\]*'|` + "`[^`$\\\\]*`" + String.raw`)\s*`;
const literalCall = (callee: string, extra = "", end = "[,)]") =>
  new RegExp(`${callee}\\s*\\(${LITERAL}${end}${extra ? `|${extra}` : ""}`);

const CODE = "code injection";
const UNSAFE = "unsafe deserialization";

// ---------------------------------------------------------------------------------------
// Python's yaml.load is safe only with a safe Loader, which is often on a later line.

const YAML_LOAD = /\byaml\s*\.\s*load(?:_all)?\s*\(/;
const SAFE_LOADER = /\bLoader\s*=\s*(?:yaml\s*\.\s*)?(?:C?SafeLoader|BaseLoader)\b/;
const LABEL_YAML = `yaml.load without SafeLoader (${UNSAFE})`;

/** The call's text from its line on, over the following visible lines until its parentheses close. */
function callText(file: FileScan, line: number, code: string, start: number): string {
  let text = code.slice(start);
  let depth = 0;
  const balance = (s: string) => {
    for (const ch of s) {
      if (ch === "(") depth++;
      else if (ch === ")") depth--;
    }
  };
  balance(text);
  if (depth <= 0) return text;
  const at = file.visible.findIndex((l) => l.line === line);
  for (let i = at + 1; at >= 0 && i < file.visible.length && i <= at + 10 && depth > 0; i++) {
    const next = file.visible[i]!;
    if (next.line !== file.visible[i - 1]!.line + 1) break;
    text += `\n${next.code}`;
    balance(next.code);
  }
  return text;
}

function yamlLoads(file: FileScan, lines: FileScan["added"]): { line: number; text: string; identity: string }[] {
  const out: { line: number; text: string; identity: string }[] = [];
  for (const l of lines) {
    const m = YAML_LOAD.exec(l.code);
    if (!m) continue;
    if (SAFE_LOADER.test(callText(file, l.line, l.code, m.index))) continue;
    out.push({ line: l.line, text: l.text, identity: callIdentity(m) });
  }
  return out;
}

const removedYaml = new WeakMap<readonly FileScan[], Set<string>>();
function scanYamlLoad(file: FileScan, change: ChangeView): Omit<SignalHit, "signal" | "file">[] {
  if (file.language !== "python" || TEST_PATH.test(file.path)) return [];
  let removed = removedYaml.get(change.files);
  if (!removed) {
    removed = new Set();
    for (const f of change.files) {
      if (f.language !== "python" || TEST_PATH.test(f.path)) continue;
      for (const r of yamlLoads(f, f.removed)) removed.add(r.identity);
    }
    removedYaml.set(change.files, removed);
  }
  const seen = removed;
  return yamlLoads(file, file.added)
    .filter((h) => !seen.has(h.identity))
    .map((h) => ({ line: h.line, label: LABEL_YAML, removed: false, excerpt: excerpt(h.text) }));
}

// ---------------------------------------------------------------------------------------

export const deserialization: SignalDefinition = {
  id: "deserialization",
  title: "Unsafe deserialization or code injection",
  stride: ["tampering", "elevation-of-privilege"],
  severity: "high",
  question:
    "Can anyone outside this service influence the data being deserialized or the code being evaluated here, and can it use a data-only format (JSON, a safe loader, an allow-list of types) or no eval at all instead?",
  detects:
    "Unsafe deserialization: Python pickle/cPickle/dill/shelve/marshal/jsonpickle and yaml.load without a safe Loader; Java ObjectInputStream and readObject, XMLDecoder, XStream fromXML, SnakeYAML without SafeConstructor, Jackson default typing; .NET BinaryFormatter and TypeNameHandling; PHP unserialize; Ruby Marshal.load, YAML.load and Oj object mode; node-serialize; Go gob decoding straight from a connection or request body. Code injection: eval/exec, new Function, Node vm, setTimeout/setInterval with a built string, Ruby eval/instance_eval with a string, Java ScriptEngine eval, PHP eval/create_function, when fed anything but a fixed literal.",
  falsePositives:
    "Deserializing data the service wrote itself and keeps out of reach (a local cache file, a trusted model artefact); eval of a value that is built only from constants; YAML.load on Ruby 3.1+ (Psych 4), where it is safe_load; SnakeYAML 2.x, where Yaml() refuses global tags. JSON.parse, json.loads, yaml.safe_load, ast.literal_eval, model.eval(), RegExp exec, SQL execute, round-trips through pickle/Marshal dumps and tests do not fire.",
  flows: "inbound",
  rules: [
    // Python
    {
      label: `pickle load (${UNSAFE})`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:c?[Pp]ickle|_pickle|dill|cloudpickle)\s*\.\s*(?:loads?|Unpickler)\s*\(|\bread_pickle\s*\(/,
      unless: /\bloads\s*\(\s*(?:c?pickle|dill|cloudpickle)\s*\.\s*dumps\s*\(/,
      identity: callIdentity,
    },
    {
      label: `shelve or marshal load (${UNSAFE})`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bshelve\s*\.\s*open\s*\(|\bmarshal\s*\.\s*loads?\s*\(/,
      identity: callIdentity,
    },
    {
      label: `unsafe YAML loader (${UNSAFE})`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\byaml\s*\.\s*(?:unsafe_load|full_load)(?:_all)?\s*\(|\bYAML\s*\(\s*typ\s*=\s*["']unsafe["']/,
      identity: callIdentity,
    },
    {
      label: `jsonpickle decode (${UNSAFE})`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /\bjsonpickle\s*\.\s*(?:decode|loads)\s*\(/,
      identity: callIdentity,
    },
    {
      label: `eval/exec of input (${CODE})`,
      languages: ["python"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w.$])(?:eval|exec)\s*\(/,
      unless: literalCall(String.raw`(?<![\w.$])(?:eval|exec)`, String.raw`\bdef\s+(?:eval|exec)\b`),
      identity: callIdentity,
    },
    // JavaScript / TypeScript
    {
      label: `eval of input (${CODE})`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$.])eval\s*\(|\b(?:window|globalThis|global|self)\s*\.\s*eval\s*\(|,\s*eval\s*\)\s*\(/,
      unless: literalCall(String.raw`\beval`, String.raw`\bfunction\s+eval\b`),
      identity: callIdentity,
    },
    {
      label: `new Function from input (${CODE})`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*[\w"'`]/,
      // The body is the last argument: only a lone literal is fixed code.
      unless: literalCall(String.raw`\bFunction`, "", String.raw`\)`),
      identity: callIdentity,
    },
    {
      label: `vm script from input (${CODE}: vm is not a sandbox)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\bvm\s*\.\s*(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(|\bnew\s+vm\s*\.\s*Script\s*\(|(?<![\w$.])(?:runInNewContext|runInThisContext)\s*\(/,
      unless: literalCall(String.raw`(?:runInNewContext|runInThisContext|runInContext|compileFunction|Script)`),
      identity: callIdentity,
    },
    {
      label: `string passed to setTimeout/setInterval (${CODE})`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$.])(?:(?:window|globalThis|self)\s*\.\s*)?set(?:Timeout|Interval)\s*\(\s*["'`]/,
      unless: literalCall(String.raw`set(?:Timeout|Interval)`),
      identity: callIdentity,
    },
    {
      label: `node-serialize unserialize (${UNSAFE}: runs functions in the payload)`,
      languages: ["js"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:serialize|serializer|nodeSerialize|serialijse)\s*\.\s*unserialize\s*\(|(?<![\w$.])unserialize\s*\(\s*[A-Za-z_]/,
      identity: callIdentity,
    },
    // Java, Kotlin, Groovy
    {
      label: `Java ObjectInputStream (${UNSAFE})`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\bObjectInputStream\s*\(/,
      identity: callIdentity,
    },
    {
      label: `Java readObject (${UNSAFE})`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\.\s*read(?:Object|Unshared)\s*\(\s*\)|\bSerializationUtils\s*\.\s*deserialize\s*\(/,
      identity: (m) => m[0].replace(/\s+/g, "") + m.input.slice(0, m.index).replace(/\s+/g, "").slice(-40),
    },
    {
      label: `XMLDecoder or XStream fromXML (${UNSAFE})`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\bXMLDecoder\s*\(|\.\s*fromXML\s*\(/,
      identity: callIdentity,
    },
    {
      label: `SnakeYAML Yaml() without SafeConstructor (${UNSAFE} before SnakeYAML 2.0)`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$.])(?:new\s+)?Yaml\s*\(/,
      unless: /\bSafeConstructor\b|\bfun\s+Yaml\b|\bclass\s+Yaml\b/,
      identity: callIdentity,
    },
    {
      label: `Jackson default typing (${UNSAFE})`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:enableDefaultTyping|activateDefaultTyping(?:AsProperty)?)\s*\(|\bJsonTypeInfo\s*\.\s*Id\s*\.\s*(?:CLASS|MINIMAL_CLASS)\b/,
    },
    {
      label: `ScriptEngine eval of input (${CODE})`,
      languages: ["java"],
      skipPaths: TEST_PATH,
      pattern: /\b\w*[Ee]ngine\s*\.\s*eval\s*\(/,
      unless: literalCall(String.raw`\.\s*eval`),
      identity: callIdentity,
    },
    // C#
    {
      label: `.NET BinaryFormatter or type-name handling (${UNSAFE})`,
      languages: ["csharp"],
      skipPaths: TEST_PATH,
      pattern: /\bnew\s+(?:BinaryFormatter|NetDataContractSerializer|SoapFormatter|LosFormatter|ObjectStateFormatter)\s*\(|\bTypeNameHandling\s*=\s*TypeNameHandling\s*\.\s*(?:All|Auto|Objects|Arrays)\b/,
    },
    // PHP
    {
      label: `PHP unserialize (${UNSAFE})`,
      languages: ["php"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$>:\\])unserialize\s*\(/,
      unless: /["']allowed_classes["']\s*=>\s*false\b|\bfunction\s+unserialize\b/,
      identity: callIdentity,
    },
    {
      label: `PHP eval or create_function (${CODE})`,
      languages: ["php"],
      skipPaths: TEST_PATH,
      pattern: /(?<![\w$>:\\])(?:eval|create_function)\s*\(/,
      unless: literalCall(String.raw`\beval`, String.raw`\bfunction\s+(?:eval|create_function)\b`),
      identity: callIdentity,
    },
    // Ruby
    {
      label: `Ruby Marshal.load (${UNSAFE})`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /\bMarshal\s*\.\s*(?:load|restore)\b/,
      unless: /\bMarshal\s*\.\s*(?:load|restore)\s*\(?\s*Marshal\s*\.\s*dump\b/,
    },
    {
      label: `Ruby YAML.load (${UNSAFE} before Psych 4 / Ruby 3.1)`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /\b(?:YAML|Psych)\s*\.\s*(?:unsafe_load(?:_file)?|load(?:_stream|_documents)?)\b/,
      unless: /\bpermitted_classes\s*:/,
    },
    {
      label: `Oj object mode (${UNSAFE})`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /\bOj\s*\.\s*object_load\b|\bOj\s*\.\s*load\b[^;]*?\bmode(?::|\s*=>)\s*:object\b/,
    },
    {
      label: `Ruby eval of input (${CODE})`,
      languages: ["ruby"],
      skipPaths: TEST_PATH,
      pattern: /(?:(?<![\w.:@$])(?:Kernel\s*\.\s*)?eval|\b(?:instance|class|module)_eval)(?:\s*\(\s*|\s+)(?!["'&{=]|do\b|<<|\))\S/,
      unless: /\bdef\s+(?:self\s*\.\s*)?\w*eval\b/,
    },
    // Go
    {
      label: `gob decoding of network input (${UNSAFE}: no size or type limits)`,
      languages: ["go"],
      skipPaths: TEST_PATH,
      pattern: /\bgob\s*\.\s*NewDecoder\s*\(\s*(?:\w*[Cc]onn\w*|\w+\s*\.\s*Body|stream|\w*[Ss]ocket|\w*[Ss]tream)\s*\)/,
      identity: callIdentity,
    },
  ],
  scan: scanYamlLoad,
};
