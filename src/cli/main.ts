/**
 * threat-model-review: the command-line door into the engine.
 * Exit codes: 0 pass or no model, 1 revisit, 2 invalid model, usage or runtime error.
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

export class UsageError extends Error {}
/** An error whose message is the whole story: print it, no stack. */
export class CliError extends Error {}

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

Exit codes: 0 pass (or no model), 1 the model needs revisiting, 2 invalid model, usage or runtime error.
Docs: README.md and docs/ in the threat-model-review repository.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  cwd: string;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
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
        io.stdout(USAGE);
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
      io.stderr(`threat-model-review: ${e.message} (see threat-model-review --help)\n`);
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
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, "") : String(e));
  }
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
