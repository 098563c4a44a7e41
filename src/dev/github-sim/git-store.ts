/**
 * One simulated repository's git objects: a real bare repository in a temporary directory.
 * Writes go through `git fast-import` (one process per commit, however many files); reads
 * are cached by what makes them immutable: trees and commits by sha, blobs by sha, diffs by
 * (base sha, head sha). At most a few git processes run at once, whatever the request load.
 */
import { spawn } from "node:child_process";
import { changedFiles, git, resolveCommit } from "../../cli/git.js";
import { Memo, type Limiter } from "./limiter.js";
import type { CommitRecord, FileChange, Person } from "./types.js";

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Bytes, for blobs. */
  size: number | null;
}

export interface TreeListing {
  entries: TreeEntry[];
  byPath: Map<string, TreeEntry>;
  /** Entries directly under a folder ("" is the root). */
  children: Map<string, TreeEntry[]>;
}

export type DiffStatus = "added" | "modified" | "removed" | "renamed" | "copied" | "changed";

export interface DiffFile {
  filename: string;
  status: DiffStatus;
  previousFilename?: string;
  /** GitHub's bare hunks, whole (the size limits apply when it is shown). */
  patch?: string;
  additions: number;
  deletions: number;
  /** The blob on the head side (the base side for a removed file). */
  sha: string;
  binary: boolean;
}

export const EMPTY_SHA = "0".repeat(40);
const SHA = /^[0-9a-f]{40}$/;
const BLOB_CACHE_BYTES = 256 * 1024 * 1024;

export class GitStore {
  private readonly commits = new Memo<string, CommitRecord | null>();
  private readonly listings = new Memo<string, TreeListing>(2_000);
  private readonly diffs = new Memo<string, DiffFile[]>(2_000);
  private readonly bases = new Memo<string, string | null>();
  private readonly blobs = new Map<string, Buffer>();
  private blobBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly limiter: Limiter,
  ) {}

  static async init(dir: string, defaultBranch: string, limiter: Limiter): Promise<GitStore> {
    await git(dir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
    await git(dir, ["config", "gc.auto", "0"]);
    return new GitStore(dir, limiter);
  }

  /** Commit `files` on top of `parent` (null: a root commit) and point `ref` at it. */
  async writeCommit(input: { ref: string; parent: string | null; files: Record<string, FileChange>; message: string; author: Person }): Promise<string> {
    const parts: Buffer[] = [];
    const line = (s: string) => parts.push(Buffer.from(`${s}\n`, "utf8"));
    const data = (bytes: Buffer) => {
      line(`data ${bytes.length}`);
      parts.push(bytes, Buffer.from("\n"));
    };
    const who = `${clean(input.author.name)} <${clean(input.author.email)}> ${Math.floor(Date.parse(input.author.date) / 1000)} +0000`;
    line(`commit ${input.ref}`);
    line(`author ${who}`);
    line(`committer ${who}`);
    data(Buffer.from(input.message, "utf8"));
    if (input.parent) line(`from ${input.parent}`);
    for (const [path, content] of Object.entries(input.files)) {
      checkPath(path);
      if (content === null) {
        line(`D ${quote(path)}`);
      } else {
        line(`M 100644 inline ${quote(path)}`);
        data(typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content));
      }
    }
    line("");
    await this.limiter.run(() => run(this.dir, ["fast-import", "--quiet", "--force"], { input: Buffer.concat(parts) }));
    const { stdout } = await git(this.dir, ["rev-parse", "--verify", input.ref]);
    return stdout.toString("utf8").trim();
  }

  async updateRef(ref: string, sha: string): Promise<void> {
    await git(this.dir, ["update-ref", ref, sha]);
  }

  /** A commit with a tree merged from two commits, or null when they conflict. */
  async mergeCommit(base: string, head: string, message: string, person: Person): Promise<string | null> {
    const merged = await this.limiter.run(() => run(this.dir, ["merge-tree", "--write-tree", "--no-messages", base, head]));
    if (merged.code !== 0) return null;
    const tree = merged.stdout.toString("utf8").split("\n")[0]!.trim();
    const env = {
      GIT_AUTHOR_NAME: person.name,
      GIT_AUTHOR_EMAIL: person.email,
      GIT_AUTHOR_DATE: `${Math.floor(Date.parse(person.date) / 1000)} +0000`,
      GIT_COMMITTER_NAME: person.name,
      GIT_COMMITTER_EMAIL: person.email,
      GIT_COMMITTER_DATE: `${Math.floor(Date.parse(person.date) / 1000)} +0000`,
    };
    const made = await run(this.dir, ["commit-tree", tree, "-p", base, "-p", head, "-m", message], { env });
    if (made.code !== 0) throw new Error(`git commit-tree failed: ${made.stderr}`);
    return made.stdout.toString("utf8").trim();
  }

  /** The commit, or null when `sha` names none. */
  commit(sha: string): Promise<CommitRecord | null> {
    if (!SHA.test(sha)) return Promise.resolve(null);
    return this.commits.get(sha, async () => {
      const { stdout, code } = await this.limiter.run(() => git(this.dir, ["cat-file", "commit", sha], { allowFail: true }));
      return code === 0 ? parseCommit(sha, stdout.toString("utf8")) : null;
    });
  }

  /** A sha, short sha, tag or ref name, to a commit sha (null when it names none). */
  async resolve(ref: string): Promise<string | null> {
    if (SHA.test(ref)) return (await this.commit(ref)) ? ref : null;
    if (!/^[\w./-]+$/.test(ref) || ref.startsWith("-")) return null;
    try {
      return await this.limiter.run(() => resolveCommit(this.dir, ref));
    } catch {
      return null;
    }
  }

  async objectType(sha: string): Promise<string | null> {
    if (!SHA.test(sha)) return null;
    const { stdout, code } = await git(this.dir, ["cat-file", "-t", sha], { allowFail: true });
    return code === 0 ? stdout.toString("utf8").trim() : null;
  }

  /** Every entry of a tree, recursively (folders included). */
  listing(treeSha: string): Promise<TreeListing> {
    return this.listings.get(treeSha, async () => {
      const { stdout } = await this.limiter.run(() => git(this.dir, ["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", treeSha]));
      const entries: TreeEntry[] = [];
      for (const row of stdout.toString("utf8").split("\0")) {
        const m = /^(\d+) (blob|tree|commit) ([0-9a-f]+) +(\S+)\t([\s\S]*)$/.exec(row);
        if (!m) continue;
        entries.push({ mode: m[1]!, type: m[2] as TreeEntry["type"], sha: m[3]!, size: m[4] === "-" ? null : Number(m[4]), path: m[5]! });
      }
      const byPath = new Map(entries.map((e) => [e.path, e]));
      const children = new Map<string, TreeEntry[]>([["", []]]);
      for (const e of entries) {
        const slash = e.path.lastIndexOf("/");
        const dir = slash < 0 ? "" : e.path.slice(0, slash);
        let list = children.get(dir);
        if (!list) children.set(dir, (list = []));
        list.push(e);
      }
      return { entries, byPath, children };
    });
  }

  /** The tree of a commit. */
  async listingAt(commitSha: string): Promise<TreeListing> {
    const commit = await this.commit(commitSha);
    if (!commit) throw new Error(`no commit ${commitSha}`);
    return this.listing(commit.tree);
  }

  async blob(sha: string): Promise<Buffer> {
    const hit = this.blobs.get(sha);
    if (hit) {
      this.blobs.delete(sha);
      this.blobs.set(sha, hit);
      return hit;
    }
    const { stdout } = await this.limiter.run(() => git(this.dir, ["cat-file", "blob", sha]));
    this.blobs.set(sha, stdout);
    this.blobBytes += stdout.length;
    while (this.blobBytes > BLOB_CACHE_BYTES && this.blobs.size > 1) {
      const [oldest, bytes] = this.blobs.entries().next().value as [string, Buffer];
      this.blobs.delete(oldest);
      this.blobBytes -= bytes.length;
    }
    return stdout;
  }

  mergeBase(a: string, b: string): Promise<string | null> {
    return this.bases.get(`${a}..${b}`, async () => {
      const { stdout, code } = await this.limiter.run(() => git(this.dir, ["merge-base", a, b], { allowFail: true }));
      return code === 0 ? stdout.toString("utf8").trim() : null;
    });
  }

  /** Commits reachable from `to` and not from `from`, oldest first. */
  async revList(from: string | null, to: string): Promise<string[]> {
    const range = from ? [`^${from}`, to] : [to];
    const { stdout } = await this.limiter.run(() => git(this.dir, ["rev-list", "--reverse", ...range]));
    return stdout.toString("utf8").split("\n").filter(Boolean);
  }

  /**
   * The files changed from the merge base of `base` and `head` to `head` (what a pull
   * request or a three-dot compare shows), with git's renames, through the CLI's own diff.
   */
  diff(base: string, head: string): Promise<DiffFile[]> {
    return this.diffs.get(`${base}...${head}`, async () => {
      const [files, mergeBase, headCommit] = await Promise.all([
        this.limiter.run(() => changedFiles(this.dir, base, head)),
        this.mergeBase(base, head),
        this.commit(head),
      ]);
      const after = await this.listing(headCommit!.tree);
      const before = mergeBase ? await this.listingAt(mergeBase) : null;
      return files.map((f): DiffFile => {
        const binary = f.patch === undefined;
        const patch = f.patch === "" ? undefined : f.patch;
        let additions = 0;
        let deletions = 0;
        for (const row of patch?.split("\n") ?? []) {
          if (row.startsWith("+")) additions++;
          else if (row.startsWith("-")) deletions++;
        }
        const status = (f.status === "unchanged" ? "changed" : f.status) as DiffStatus;
        const sha = (status === "removed" ? before?.byPath.get(f.path)?.sha : after.byPath.get(f.path)?.sha) ?? EMPTY_SHA;
        return {
          filename: f.path,
          status,
          ...(f.previousPath !== undefined && { previousFilename: f.previousPath }),
          ...(patch !== undefined && { patch }),
          additions,
          deletions,
          sha,
          binary,
        };
      });
    });
  }
}

function parseCommit(sha: string, text: string): CommitRecord {
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? "" : text.slice(split + 2).replace(/\n$/, "");
  let tree = "";
  const parents: string[] = [];
  let author: Person = { name: "", email: "", date: new Date(0).toISOString() };
  let committer = author;
  for (const row of head.split("\n")) {
    const [key, ...rest] = row.split(" ");
    const value = rest.join(" ");
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = person(value);
    else if (key === "committer") committer = person(value);
  }
  return { sha, tree, parents, message, author, committer };
}

function person(value: string): Person {
  const m = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(value);
  if (!m) return { name: value, email: "", date: new Date(0).toISOString() };
  return { name: m[1]!, email: m[2]!, date: new Date(Number(m[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") };
}

function clean(s: string): string {
  return s.replace(/[<>\n]/g, "").trim() || "unknown";
}

function checkPath(path: string): void {
  if (path === "" || path.startsWith("/") || path.endsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === ".." || s === ".git") || path.includes("\0")) {
    throw new Error(`not a path git can store: ${JSON.stringify(path)}`);
  }
}

/** fast-import's C-style quoting, always applied. */
function quote(path: string): string {
  return `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

function run(cwd: string, args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env: { ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (args[0] === "fast-import" && code !== 0) return reject(new Error(`git fast-import failed: ${stderr.trim().split("\n")[0]}`));
      resolve({ stdout: Buffer.concat(out), stderr, code: code ?? -1 });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}
