/**
 * Which path lists decide for a file. Each list (a component's, a flow's, a zone's
 * `paths`, or `ignore`) is read in order and the last pattern that matches decides;
 * a "!" pattern excludes.
 *
 * Testing every file against every pattern is too slow for monorepos (thousands of
 * components and changed files), so patterns are filed in a trie under their literal
 * leading folders: `apps/web/**` is only tried on files under `apps/web/`. Patterns that
 * start with a wildcard sit at the root and are tried on every file.
 */
import type { Minimatch } from "minimatch";
import { parseGlob } from "./glob.js";

interface Entry {
  owner: number;
  order: number;
  negate: boolean;
  matcher: Minimatch;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  entries: Entry[];
}

const newNode = (): TrieNode => ({ children: new Map(), entries: [] });

export interface PathList<T> {
  owner: T;
  patterns: readonly string[];
}

export class PathIndex<T> {
  private readonly root: TrieNode = newNode();
  private readonly owners: T[] = [];

  /** `lists` must hold only globs that passed `globProblem`. */
  constructor(lists: Iterable<PathList<T>>) {
    for (const list of lists) {
      const owner = this.owners.length;
      this.owners.push(list.owner);
      list.patterns.forEach((pattern, order) => {
        const glob = parseGlob(pattern);
        for (const matcher of glob.alternatives) {
          const parts = matcher.set[0] ?? [];
          let node = this.root;
          // File the pattern under its literal leading folders (never its last part).
          for (let i = 0; i < parts.length - 1; i++) {
            const part = parts[i];
            if (typeof part !== "string") break;
            let child = node.children.get(part);
            if (!child) {
              child = newNode();
              node.children.set(part, child);
            }
            node = child;
          }
          node.entries.push({ owner, order, negate: glob.negate, matcher });
        }
      });
    }
  }

  get size(): number {
    return this.owners.length;
  }

  /** The owners whose list decides for `path`, in the order the lists were given. */
  decide(path: string): T[] {
    const best = new Map<number, Entry>();
    const consider = (entries: Entry[]) => {
      for (const e of entries) {
        const current = best.get(e.owner);
        if (current && current.order >= e.order) continue;
        if (e.matcher.match(path)) best.set(e.owner, e);
      }
    };
    let node: TrieNode | undefined = this.root;
    consider(node.entries);
    let from = 0;
    while (node && from <= path.length) {
      const slash = path.indexOf("/", from);
      const segment = slash === -1 ? path.slice(from) : path.slice(from, slash);
      node = node.children.get(segment);
      if (!node) break;
      consider(node.entries);
      if (slash === -1) break;
      from = slash + 1;
    }
    const decided: number[] = [];
    for (const [owner, entry] of best) if (!entry.negate) decided.push(owner);
    decided.sort((a, b) => a - b);
    return decided.map((i) => this.owners[i]!);
  }

  /** True when some list decides for `path`. */
  matches(path: string): boolean {
    return this.decide(path).length > 0;
  }
}
