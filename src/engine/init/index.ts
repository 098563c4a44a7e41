/** `threat-model-review init`, the pure part: a first model proposed from a repository's files. */
export { filesToRead, proposeModel } from "./propose.js";
export { REVIEW_MARK } from "./render.js";
export { INIT_LIMITS, type Guess, type GuessKind, type InitLimits, type InitProposal, type RepositoryDescription, type SkippedHost } from "./types.js";
