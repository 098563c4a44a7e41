import { resolve } from "node:path";
import { DEFAULT_MODEL_PATH, formatDiagnostic, parseModel } from "../engine/index.js";
import { formatSize, MiB, readCapped } from "./files.js";
import { CliError, type Io } from "./main.js";

/** Validate a model file: errors and warnings as file:line:column; exit 0 when valid, 2 otherwise. */
export async function runValidate(path: string | undefined, io: Io): Promise<number> {
  const shown = path ?? DEFAULT_MODEL_PATH;
  const content = await readModelFile(resolve(io.cwd, shown), shown);
  const result = parseModel({ path: shown, content });
  for (const w of result.warnings) io.stderr(`${formatDiagnostic(w)}\n`);
  if (!result.ok) {
    for (const e of result.errors) io.stderr(`${formatDiagnostic(e)}\n`);
    io.stderr(`${shown}: ${result.errors.length} error${result.errors.length === 1 ? "" : "s"}\n`);
    return 2;
  }
  const m = result.model;
  const noPaths = m.components.filter((c) => c.paths.length === 0 && c.type === "process").map((c) => c.id);
  for (const id of noPaths) io.stderr(`${shown}: warning: component "${id}" has no paths, so no change will ever map to it\n`);
  io.stdout(
    `${shown}: valid (${m.trust_zones.length} zones, ${m.components.length} components, ${m.data_flows.length} flows, ${m.data_assets.length} data assets, ${m.threats.length} threats)\n`,
  );
  return 0;
}

/** Read a model the user named, refusing anything that is not a reasonably sized file. */
export async function readModelFile(absolute: string, shown: string): Promise<Uint8Array> {
  // The parser reports oversize files itself, with the limit; avoid reading gigabytes to say so.
  return readUserFile(absolute, shown, "the limit for a model is 1 MiB");
}

/** Read a file the user named: a regular file of at most 64 MiB, else a one-line reason. */
export async function readUserFile(absolute: string, shown: string, whenTooLarge: string): Promise<Uint8Array> {
  const read = await readCapped(absolute, shown, USER_FILE_LIMIT);
  if (read.over) throw new CliError(`${shown}: the file is ${formatSize(read.size)}; ${whenTooLarge}`);
  return read.bytes;
}

const USER_FILE_LIMIT = 64 * MiB;
