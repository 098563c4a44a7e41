/**
 * `threat-model-review diagram`: the model as a Mermaid flowchart (what GitHub renders), or
 * as SVG drawn offline by beautiful-mermaid (a pure-JavaScript renderer with its own
 * layout; no browser). The SVG is not pixel-identical to GitHub's Mermaid, but it is the
 * same graph.
 */
import { resolve } from "node:path";
import { renderMermaidSVG } from "beautiful-mermaid";
import { DEFAULT_MODEL_PATH, formatDiagnostic, parseModel } from "../engine/index.js";
import { mermaidDiagram } from "../engine/report/diagram.js";
import { outTarget, sameFile, writeAtomically } from "./files.js";
import { CliError, UsageError, type Io } from "./main.js";
import { readModelFile } from "./validate.js";

export interface DiagramOptions {
  model?: string;
  format?: string;
  out?: string;
  direction?: string;
}

export async function runDiagram(options: DiagramOptions, io: Io): Promise<number> {
  const format = options.format ?? "mermaid";
  if (format !== "mermaid" && format !== "svg") throw new UsageError("--format must be mermaid or svg");
  const direction = (options.direction ?? "LR").toUpperCase();
  if (direction !== "LR" && direction !== "TB") throw new UsageError("--direction must be LR or TB");
  const path = options.model ?? DEFAULT_MODEL_PATH;
  const out = options.out !== undefined ? await outTarget(resolve(io.cwd, options.out), options.out) : null;
  if (out?.existing?.isDirectory()) throw new CliError(`--out ${options.out} is a directory; name a file`);
  if (out && (await sameFile(out, resolve(io.cwd, path)))) throw new CliError(`--out ${options.out} is the model itself; name another file`);
  const parsed = parseModel({ path, content: await readModelFile(resolve(io.cwd, path), path) });
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stderr(`${formatDiagnostic(e)}\n`);
    return 2;
  }
  const mermaid = mermaidDiagram(parsed.model, { direction });
  const text = format === "svg" ? svgOf(mermaid) : `${mermaid}\n`;
  if (out) {
    await writeAtomically(out, options.out!, text, { replace: true });
  } else {
    io.stdout(text);
  }
  return 0;
}

/** SVG for a Mermaid flowchart, with no request to the network when it is opened. */
export function svgOf(mermaid: string): string {
  const svg = renderMermaidSVG(mermaid, { bg: "#ffffff", fg: "#1f2328" });
  // The renderer imports a web font; offline pages and strict CSPs do better with system fonts.
  return `${svg.replace(/@import url\([^)]*\);?/g, "")}\n`;
}
