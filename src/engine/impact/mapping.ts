/**
 * Which changed files the review looks at, and what each one belongs to. Mapping uses the
 * trusted model (the base); the head model only maps files the base maps nowhere, so a
 * component a pull request adds for its new code is reported as touched, while nothing a
 * pull request writes can take a file away from an existing component.
 */
import type { ChangedFile } from "../changes/types.js";
import type { ModelIndex, Mapping } from "../model/model-index.js";
import { isEmpty } from "../model/model-index.js";
import { PathIndex } from "../paths/path-index.js";

export interface MappedFile {
  file: ChangedFile;
  /** The names the file is known by: its path, and its old path after a rename. */
  names: string[];
  mapping: Mapping;
  /** Which model decided: the trusted one, the head proposal, or neither. */
  mappedBy: "trusted" | "head" | null;
}

export interface FileSelection {
  reviewed: ChangedFile[];
  ignored: ChangedFile[];
}

/** Leave out ignored files (a rename only when both names are ignored) and the model and config themselves. */
export function selectFiles(
  changes: readonly ChangedFile[],
  ignore: readonly string[],
  policyFiles: readonly string[],
): FileSelection {
  const ignoreIndex = new PathIndex([{ owner: "ignore", patterns: ignore }]);
  const policy = new Set(policyFiles);
  const reviewed: ChangedFile[] = [];
  const ignored: ChangedFile[] = [];
  for (const file of changes) {
    const names = namesOf(file);
    if (names.some((n) => policy.has(n))) continue;
    if (names.every((n) => ignoreIndex.matches(n))) ignored.push(file);
    else reviewed.push(file);
  }
  return { reviewed, ignored };
}

export function namesOf(file: ChangedFile): string[] {
  return file.previousPath && file.previousPath !== file.path ? [file.path, file.previousPath] : [file.path];
}

export function mapFiles(files: readonly ChangedFile[], trusted: ModelIndex, head: ModelIndex | null): MappedFile[] {
  return files.map((file) => {
    const names = namesOf(file);
    const byTrusted = trusted.map(names);
    if (!isEmpty(byTrusted)) return { file, names, mapping: byTrusted, mappedBy: "trusted" };
    if (head) {
      const byHead = head.map(names);
      if (!isEmpty(byHead)) return { file, names, mapping: byHead, mappedBy: "head" };
    }
    return { file, names, mapping: byTrusted, mappedBy: null };
  });
}
