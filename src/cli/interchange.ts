/**
 * `threat-model-review import` and `export`: the files and the terminal around the engine's
 * interchange code. Exit codes: 0 when a model (or an OTM document) was written, 2 for a usage
 * error, a source that cannot be read or imported, or an invalid model to export.
 */
import { resolve } from "node:path";
import { DEFAULT_MODEL_PATH, formatDiagnostic, parseModel, type Diagnostic } from "../engine/index.js";
import { exportOtm, formatIdChange, importModel, isImportFormat, IMPORT_FORMATS } from "../engine/interchange/index.js";
import { outTarget, sameFile, writeAtomically, type OutTarget } from "./files.js";
import { CliError, UsageError, type Io } from "./main.js";
import { readModelFile, readUserFile } from "./validate.js";

export interface ImportOptions {
  from?: string;
  paths?: string;
  out?: string;
  force?: boolean;
  /** The source file: exactly one. */
  positionals?: readonly string[];
}

export interface ExportOptions {
  to?: string;
  model?: string;
  out?: string;
  positionals?: readonly string[];
}

export async function runImport(options: ImportOptions, io: Io): Promise<number> {
  const from = options.from;
  if (from === undefined) throw new UsageError(`import needs --from ${IMPORT_FORMATS.join("|")}`);
  if (!isImportFormat(from)) throw new UsageError(`--from must be one of ${IMPORT_FORMATS.join(", ")}, not "${from}"`);
  const files = options.positionals ?? [];
  if (files.length !== 1) throw new UsageError(files.length === 0 ? "import needs the file to import" : "import takes one file");
  const shown = files[0]!;
  let out: OutTarget | null = null;
  if (options.out !== undefined) {
    // Refuse early, before any work: --out is one of the inputs (through symlinks too), or exists.
    out = await outTarget(resolve(io.cwd, options.out), options.out);
    if (await sameFile(out, resolve(io.cwd, shown))) throw new CliError(`--out ${options.out} is the file being imported; name another file`);
    if (options.paths !== undefined && (await sameFile(out, resolve(io.cwd, options.paths)))) {
      throw new CliError(`--out ${options.out} is the --paths mapping; name another file`);
    }
    checkOut(out, options.out, options.force === true);
  }

  const content = await readUserFile(resolve(io.cwd, shown), shown, "too large to import");
  const mapping = options.paths === undefined ? undefined : { path: options.paths, content: await readUserFile(resolve(io.cwd, options.paths), options.paths, "too large for a path mapping") };
  const result = importModel(from, { path: shown, content }, mapping);
  if (!result.ok) {
    printDiagnostics(result.errors, io);
    return 2;
  }
  for (const c of result.idChanges) io.stderr(`${formatIdChange(c)}\n`);
  for (const line of result.notCarried) io.stderr(`${line}\n`);
  if (options.out === undefined) {
    io.stdout(result.yaml);
    return 0;
  }
  await writeAtomically(out!, options.out, result.yaml, { replace: options.force === true, exists: existsMessage(options.out) });
  const m = result.model;
  io.stdout(
    `wrote ${options.out} (${m.trust_zones.length} zones, ${m.components.length} components, ${m.data_flows.length} flows, ${m.data_assets.length} data assets, ${m.threats.length} threats)\n`,
  );
  return 0;
}

export async function runExport(options: ExportOptions, io: Io): Promise<number> {
  if (options.to === undefined) throw new UsageError("export needs --to otm");
  if (options.to !== "otm") throw new UsageError(`--to must be otm, not "${options.to}"`);
  if ((options.positionals ?? []).length > 0) throw new UsageError("export takes no file argument; name the model with --model PATH");
  const shown = options.model ?? DEFAULT_MODEL_PATH;
  const out = options.out !== undefined ? await outTarget(resolve(io.cwd, options.out), options.out) : null;
  if (out) {
    if (await sameFile(out, resolve(io.cwd, shown))) throw new CliError(`--out ${options.out} is the model itself; name another file`);
    if (out.existing?.isDirectory()) throw new CliError(`--out ${options.out} is a directory; name a file`);
  }
  const content = await readModelFile(resolve(io.cwd, shown), shown);
  const parsed = parseModel({ path: shown, content });
  if (!parsed.ok) {
    for (const w of parsed.warnings) io.stderr(`${formatDiagnostic(w)}\n`);
    printDiagnostics(parsed.errors, io);
    io.stderr(`${shown}: ${parsed.errors.length} error${parsed.errors.length === 1 ? "" : "s"}; nothing exported\n`);
    return 2;
  }
  const json = exportOtm(parsed.model);
  if (options.out === undefined) {
    io.stdout(json);
    return 0;
  }
  await writeAtomically(out!, options.out, json, { replace: true });
  io.stdout(`wrote ${options.out} (OTM 0.2)\n`);
  return 0;
}

function printDiagnostics(list: readonly Diagnostic[], io: Io): void {
  for (const d of list) io.stderr(`${formatDiagnostic(d)}\n`);
}

/** Refuse early, before any work, when --out is a directory, or exists and --force was not given. */
function checkOut(out: OutTarget, shown: string, force: boolean): void {
  if (!out.existing) return;
  if (out.existing.isDirectory()) throw new CliError(`--out ${shown} is a directory; name a file`);
  if (!force) throw new CliError(existsMessage(shown));
}

function existsMessage(shown: string): string {
  return `${shown} already exists; pass --force to overwrite it`;
}
