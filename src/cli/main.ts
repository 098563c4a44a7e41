/**
 * threat-model-review: the command-line door into the engine.
 * Exit codes: 0 pass or no model, 1 revisit, 2 invalid model or config, usage or runtime error.
 */
import { parseArgs } from "node:util";
import { runCheck } from "./check.js";
import { runValidate } from "./validate.js";
import { runStatus } from "./status.js";
import { runDiagram } from "./diagram.js";
import { runExport, runImport } from "./interchange.js";
import { runInit } from "./init.js";
import { CATALOG } from "../engine/index.js";
import { catalogMarkdown } from "../engine/signals/describe.js";
import { CliError, UsageError } from "./errors.js";

export { CliError, UsageError };

export const USAGE = `threat-model-review: threat-model reviews of a change

Usage:
  threat-model-review check [--repo DIR] --base REF [--head REF] [--model PATH] [--config PATH]
                            [--format text|markdown|json] [--today YYYY-MM-DD]
  threat-model-review check --model PATH --changed-files FILE|- [--repo DIR] [--config PATH] [--format ...]
  threat-model-review validate [PATH]
  threat-model-review status [--repo DIR] [--model PATH] [--config PATH] [--format text|markdown|json]
  threat-model-review diagram [--model PATH] [--format mermaid|svg] [--direction LR|TB] [--out FILE]
  threat-model-review init [--repo DIR] [--out FILE] [--force]
  threat-model-review import --from otm|threagile|threat-dragon FILE [--paths MAPPING] [--out FILE] [--force]
  threat-model-review export --to otm [--model PATH] [--out FILE]
  threat-model-review signals [--format markdown|json]

check     review the changes between two git refs (base...head) against the threat model
validate  validate a threat model and print its errors as file:line:column: message
status    the model's health: stale reviews, open threats by risk, what nothing maps, and commits since each component's review
diagram   the model as a data-flow diagram: Mermaid (what GitHub renders) or SVG
init      propose a first threat-model.yml from the repository itself (never overwrites one)
import    a model from Open Threat Model, Threagile or OWASP Threat Dragon (what is not carried over goes to stderr)
export    the model as Open Threat Model (OTM 0.2) JSON
signals   list the signal catalog: what each signal detects and asks

Exit codes: 0 pass (or no model), 1 the model needs revisiting, 2 invalid model or config, usage or runtime error.
Docs: README.md and docs/ in the threat-model-review repository.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** All of stdin as UTF-8; fails (CliError) once it passes `maxBytes`. */
  readStdin: (maxBytes: number) => Promise<string>;
  cwd: string;
}

const COMMANDS = ["check", "validate", "status", "diagram", "init", "import", "export", "signals"];

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && COMMANDS.includes(command) && asksForHelp(rest)) {
      io.stdout(commandUsage(command));
      return 0;
    }
    switch (command) {
      case "check":
        return await runCheck(parse(rest, CHECK_OPTIONS, false).values, io);
      case "validate": {
        const { values, positionals } = parse(rest, {}, true);
        void values;
        if (positionals.length > 1) throw new UsageError("validate takes one model path");
        return await runValidate(positionals[0], io);
      }
      case "status":
        return await runStatus(parse(rest, STATUS_OPTIONS, false).values, io);
      case "init":
        return await runInit(parse(rest, INIT_OPTIONS, false).values, io);
      case "import": {
        const { values, positionals } = parse(rest, IMPORT_OPTIONS, true);
        return await runImport({ ...values, positionals }, io);
      }
      case "export": {
        const { values, positionals } = parse(rest, EXPORT_OPTIONS, true);
        return await runExport({ ...values, positionals }, io);
      }
      case "diagram":
        return await runDiagram(parse(rest, DIAGRAM_OPTIONS, false).values, io);
      case "signals": {
        const { values } = parse(rest, { format: { type: "string" } }, false);
        const format = values.format ?? "markdown";
        if (format === "json") {
          io.stdout(`${JSON.stringify(CATALOG.map(({ rules, scan, ...s }) => ({ ...s, rules: rules.length, structural: scan !== undefined })), null, 2)}\n`);
        } else if (format === "markdown") {
          io.stdout(catalogMarkdown(CATALOG));
        } else {
          throw new UsageError("--format must be markdown or json");
        }
        return 0;
      }
      case "help":
      case "--help":
      case "-h":
      case undefined:
        if (command === undefined) {
          io.stderr(USAGE);
          return 2;
        }
        io.stdout(rest[0] !== undefined && COMMANDS.includes(rest[0]) ? commandUsage(rest[0]) : USAGE);
        return 0;
      case "--version":
      case "version":
        io.stdout(`${await version()}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command !== undefined && COMMANDS.includes(command) ? `threat-model-review ${command} --help` : "threat-model-review --help";
      io.stderr(`threat-model-review: ${e.message} (see ${help})\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`threat-model-review: ${message}\n`);
    if (process.env["TMR_DEBUG"] && e instanceof Error && !(e instanceof CliError)) io.stderr(`${e.stack}\n`);
    return 2;
  }
}

const INIT_OPTIONS = { repo: { type: "string" }, out: { type: "string" }, force: { type: "boolean" } } as const;
const IMPORT_OPTIONS = { from: { type: "string" }, paths: { type: "string" }, out: { type: "string" }, force: { type: "boolean" } } as const;
const EXPORT_OPTIONS = { to: { type: "string" }, model: { type: "string" }, out: { type: "string" } } as const;

const DIAGRAM_OPTIONS = {
  model: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  direction: { type: "string" },
} as const;

const STATUS_OPTIONS = {
  repo: { type: "string" },
  model: { type: "string" },
  config: { type: "string" },
  format: { type: "string" },
  today: { type: "string" },
} as const;

const CHECK_OPTIONS = {
  repo: { type: "string" },
  base: { type: "string" },
  head: { type: "string" },
  model: { type: "string" },
  config: { type: "string" },
  format: { type: "string" },
  today: { type: "string" },
  "changed-files": { type: "string" },
} as const;

function parse<T extends Record<string, { type: "string" | "boolean" }>>(args: readonly string[], options: T, allowPositionals: boolean) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true, tokens: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, "") : String(e));
  }
  // parseArgs keeps the last of a repeated option; a flag given twice is a mistake to report.
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once; give it once`);
    seen.add(token.name);
  }
  return parsed;
}

/** -h or --help anywhere before a "--". */
function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "-h" || a === "--help") return true;
  }
  return false;
}

/** One command's lines of the usage, its description, and the exit codes. */
export function commandUsage(command: string): string {
  const lines = USAGE.split("\n");
  const usage: string[] = [];
  let inCommand = false;
  for (const line of lines) {
    if (line.startsWith("  threat-model-review ")) inCommand = line.startsWith(`  threat-model-review ${command} `) || line === `  threat-model-review ${command}`;
    else if (!/^ {20,}\S/.test(line)) inCommand = false;
    if (inCommand) usage.push(line);
  }
  const description = lines.find((l) => l.startsWith(`${command} `) && /^\w+ {2,}\S/.test(l));
  const out = ["Usage:", ...usage, ""];
  if (description) out.push(`${command}: ${description.slice(command.length).trim()}`, "");
  out.push(lines.find((l) => l.startsWith("Exit codes:"))!, "");
  return out.join("\n");
}

/** --today as given (a real calendar date, YYYY-MM-DD), or today in UTC. */
export function parseToday(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString().slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (year >= 1 && days !== undefined && day >= 1 && day <= days) return value;
  }
  throw new UsageError(`--today must be a real date as YYYY-MM-DD, such as 2026-11-27; "${value}" is not one`);
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
