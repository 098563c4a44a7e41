/** The engine's public surface: what the doors (CLI, App, demo) may use. */
export { review, loadConfig, type ReviewInput } from "./review.js";
export { parseModel, type ModelParseResult, type SourceFile } from "./model/parse.js";
export { parseConfig, CONFIG_PATH, DEFAULT_CONFIG, DEFAULT_MODEL_PATH, DEFAULT_IGNORE, type ReviewConfig, type ConfigParseResult } from "./config/config.js";
export { diffModels, type ModelChange } from "./model/diff.js";
export { ModelIndex } from "./model/model-index.js";
export type { ThreatModel } from "./model/types.js";
export type { ChangedFile, ChangeStatus } from "./changes/types.js";
export { readPatch, type ParsedPatch } from "./changes/patch.js";
export { CATALOG } from "./signals/catalog.js";
export type { SignalDefinition, SignalId } from "./signals/types.js";
export { renderMarkdown, verdictLine, MARKDOWN_LIMIT } from "./report/markdown.js";
export { renderText } from "./report/text.js";
export { md, code } from "./report/escape.js";
export type { Report, Finding, Verdict } from "./report/types.js";
export { exitCodeFor } from "./verdict/verdict.js";
export { formatDiagnostic, type Diagnostic } from "./source/diagnostic.js";
