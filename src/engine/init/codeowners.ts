/**
 * CODEOWNERS, read the way GitHub reads it: one pattern and its owners per line, gitignore
 * pattern rules, and the last matching line decides. Owners that are not GitHub logins or
 * teams (e-mail addresses) are left out: a model's `owners` holds logins and teams only.
 */

/** Where GitHub looks for CODEOWNERS, in its order: the first one found is used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

export interface OwnerRule {
  /** The pattern as written. */
  pattern: string;
  owners: string[];
  /** The folder the pattern names, when it names exactly one ("src/payments"); else null. */
  folder: string | null;
  matches: (path: string) => boolean;
}

const USER = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_RULES = 2_000;
const MAX_WILDCARDS = 6;

/** A login or team as the model stores it: `alice`, `@org/team`; null for anything else. */
export function principal(owner: string): string | null {
  if (TEAM.test(owner)) return owner;
  if (owner.startsWith("@") && USER.test(owner)) return owner.slice(1);
  return null;
}

export function parseCodeowners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const [pattern, ...rest] = line.split(/\s+/);
    // Many wildcards make a backtracking regex; no real CODEOWNERS line needs more than a few.
    if (pattern === undefined || pattern.startsWith("!") || pattern.length > 500 || (pattern.match(/\*+|\?/g) ?? []).length > MAX_WILDCARDS) continue;
    const owners = [...new Set(rest.map(principal).filter((o): o is string => o !== null))];
    const matcher = compile(pattern);
    if (matcher === null) continue;
    rules.push({ pattern, owners, folder: folderOf(pattern), matches: matcher });
    if (rules.length >= MAX_RULES) break;
  }
  return rules;
}

/** Owners of a path (a file, or a folder and everything in it): the last matching rule's. */
export function ownersOf(rules: readonly OwnerRule[], path: string): string[] {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.matches(path)) return rules[i]!.owners;
  return [];
}

/** `/src/payments/`, `src/payments/**`, `/src/payments` -> "src/payments"; a glob -> null. */
function folderOf(pattern: string): string | null {
  const body = pattern.replace(/^\//, "").replace(/\/\*\*?$/, "").replace(/\/$/, "");
  if (body === "" || /[*?[\]\\!]/.test(body)) return null;
  // Without a slash a pattern matches a name at any depth: not one folder.
  if (!pattern.startsWith("/") && !body.includes("/")) return null;
  return body;
}

/** gitignore-style: anchored when it has a slash before its end; matches a path or anything under it. */
function compile(pattern: string): ((path: string) => boolean) | null {
  const trimmed = pattern.replace(/\/$/, "");
  const anchored = trimmed.startsWith("/") || trimmed.includes("/");
  const body = trimmed.replace(/^\//, "");
  if (body === "") return null;
  let re = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "*" && body[i + 1] === "*") {
      const slashAfter = body[i + 2] === "/";
      re += slashAfter ? "(?:.*/)?" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (ch === "*") {
      re += "[^/]*";
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "\\" && i + 1 < body.length) {
      re += escape(body[++i]!);
    } else {
      re += escape(ch);
    }
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${re}(?:/.*)?$`);
  } catch {
    return null;
  }
  return (path) => regex.test(path);
}

function escape(ch: string): string {
  return /[.+^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch;
}
