/**
 * What `threat-model-review init` works from and what it returns. The door lists the
 * repository's files, asks `filesToRead` which ones it should read, reads those (bounded) and
 * hands everything to `proposeModel`; nothing here touches the filesystem.
 */
import type { ThreatModel } from "../model/types.js";

export interface RepositoryDescription {
  /** The repository folder's name: the title when no manifest names the project. */
  name: string;
  /** Repository-relative file paths, "/"-separated (git ls-files, or a directory walk). */
  paths: readonly string[];
  /**
   * The text of the files `filesToRead` asked for (any subset of them; a file not given is
   * simply not read). CODEOWNERS, manifests, ORM config, compose files and code live here.
   */
  files: ReadonlyMap<string, string>;
}

export interface InitLimits {
  /** Paths looked at; a longer listing is cut (the door says so). */
  maxPaths: number;
  /** Files read, configuration first, then code shared fairly between the components. */
  maxFiles: number;
  /** A larger file is not read (a door should not even open it). */
  maxFileBytes: number;
  /** All files read together. */
  maxTotalBytes: number;
}

export const INIT_LIMITS: InitLimits = {
  maxPaths: 200_000,
  maxFiles: 3_000,
  maxFileBytes: 256 * 1024,
  maxTotalBytes: 24 * 1024 * 1024,
};

export type GuessKind = "zone" | "component" | "flow";

/** One guessed element and what it was guessed from: the `# review:` comment above it. */
export interface Guess {
  kind: GuessKind;
  /** The element's id. */
  id: string;
  reason: string;
}

/** An outbound host that was seen and deliberately not proposed, with why. */
export interface SkippedHost {
  host: string;
  reason: string;
  file: string;
  line: number;
}

export interface InitProposal {
  model: ThreatModel;
  /** Every guess, in the order the model lists the elements. */
  guesses: Guess[];
  /** Outbound hosts left out (localhost, example domains, schema and documentation links...). */
  skipped: SkippedHost[];
  /** threat-model.yml: the model with a `# review:` comment above every guess. */
  yaml: string;
  /** Code files the proposal could read, against the code files listed. */
  codeFiles: { read: number; listed: number };
}
