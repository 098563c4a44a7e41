/** The simulator's state records. Timestamps are GitHub's ISO strings at one-second resolution. */

export type AccountType = "User" | "Bot" | "Organization";

/** A person or bot as tests name them: a login, and "User" unless said otherwise. */
export interface UserInput {
  login: string;
  type?: AccountType;
}

export interface Account {
  login: string;
  id: number;
  type: AccountType;
}

/** The GitHub App behind an installation token (or a JWT). */
export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
}

export interface Installation {
  id: number;
  account: Account;
  /** Lower-cased "owner/name" of the repositories it can reach. */
  repositories: Set<string>;
}

/** A file's new content, or null to delete it. Strings are written as UTF-8. */
export type FileChange = string | Uint8Array | null;

export interface Person {
  name: string;
  email: string;
  date: string;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: Person;
  committer: Person;
}

export interface PendingCommit {
  sha: string;
  message: string;
  date: string;
  author: { name: string; email: string };
  added: string[];
  removed: string[];
  modified: string[];
}

export interface BranchState {
  sha: string;
  /** The tip the last push event reported ("0000…" before the first one). */
  pushedTip: string;
  /** Commits made since the last push event, oldest first. */
  pending: PendingCommit[];
}

export interface PullRequestState {
  number: number;
  id: number;
  title: string;
  body: string;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  user: Account;
  head: { ref: string; sha: string; owner: string; fork: boolean };
  /** The head before the last push (a synchronize payload's `before`). */
  previousHeadSha: string | null;
  base: { ref: string; sha: string };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  /** The base before the last change of base branch (for `edited` payloads). */
  previousBase: { ref: string; sha: string } | null;
  requestedReviewers: string[];
  requestedTeams: string[];
  /** From the diff between base and head, recomputed on every push. */
  changedFiles: number;
  additions: number;
  deletions: number;
  commits: number;
}

export interface IssueComment {
  id: number;
  issueNumber: number;
  body: string;
  user: Account;
  /** Set when an App wrote it with an installation token. */
  app: AppIdentity | null;
  createdAt: string;
  updatedAt: string;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  id: number;
  number: number;
  user: Account;
  app: AppIdentity | null;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string | null;
  /** Ids of the review comments it created. */
  commentIds: number[];
}

export interface ReviewComment {
  id: number;
  reviewId: number;
  number: number;
  path: string;
  line: number | null;
  side: "LEFT" | "RIGHT";
  startLine: number | null;
  startSide: "LEFT" | "RIGHT" | null;
  position: number | null;
  body: string;
  user: Account;
  commitId: string;
  diffHunk: string;
  createdAt: string;
  updatedAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, across all updates, in order. */
  annotations: Annotation[];
  actions: CheckAction[];
  app: AppIdentity | null;
  suiteId: number;
  /** How many requests wrote to it (create plus updates). */
  writes: number;
}

export interface Reaction {
  id: number;
  commentId: number;
  content: string;
  user: Account;
  createdAt: string;
}

export interface MergeGroup {
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  headCommit: CommitRecord;
}
