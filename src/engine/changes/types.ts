/** What a pull request (or a git range) changed, as the doors hand it to the engine. */

export const CHANGE_STATUSES = ["added", "modified", "removed", "renamed", "copied", "changed", "unchanged"] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export interface ChangedFile {
  /** Repository-relative path in the new tree (the old path for a removed file). */
  path: string;
  status: ChangeStatus;
  /** The old path of a renamed or copied file. */
  previousPath?: string;
  /** Unified diff hunks as GitHub's `patch` field holds them; absent for binary or very large files. */
  patch?: string;
  /** The whole new file, when the door has it cheaply: lets comment detection see above a hunk. */
  content?: string;
  /**
   * False: without `content`, never guess that a hunk starts inside a block comment (lines
   * are read as code). The App sets it for files it could not fetch whole.
   */
  guessComments?: boolean;
  /** Why there is no patch, when the door knows (GitHub lists patches for 3,000 files only). */
  unscannedReason?: string;
}
