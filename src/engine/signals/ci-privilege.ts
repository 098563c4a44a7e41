import { excerpt } from "./run.js";
import type { FileScan, Rule, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { codeLines, indentOf } from "./source-text.js";

/**
 * Privilege in GitHub Actions (workflows and action.yml). Triggers, token permissions,
 * self-hosted runners and unsafe commands are line-local and live in the rule table.
 * `scan()` reads what needs the workflow's structure: whether the file runs privileged
 * (pull_request_target, workflow_run, issue_comment) and checks out the PR head, whether an
 * expression sits in a `run:`/`script:` body or in an env/with value, and protections the
 * change removes. GitLab CI and CircleCI are not read.
 */

type Hit = Omit<SignalHit, "signal" | "file">;

/** `on: x`, `on: [a, x]`, `  x:` under `on:`, `  - x` in an `on:` list. */
function trigger(name: string): RegExp {
  return new RegExp(`^\\s*(?:["']?on["']?\\s*:\\s*(?:\\[[^\\]]*?)?|-\\s*)?["']?${name}["']?\\s*(?::|,|\\]|$)`);
}
const PULL_REQUEST_TARGET = trigger("pull_request_target");
const WORKFLOW_RUN = trigger("workflow_run");
const PRIVILEGED_TRIGGERS = [PULL_REQUEST_TARGET, WORKFLOW_RUN, trigger("issue_comment")];

const WRITE_SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;

const writeRules: Rule[] = WRITE_SCOPES.map((scope) => ({
  label: `${scope}: write permission`,
  languages: ["workflow"],
  pattern: new RegExp(`(?:^\\s*|[{,]\\s*)${scope}\\s*:\\s*["']?write\\b`),
  identity: () => scope,
}));

// ---------------------------------------------------------------------------------------------
// Structure by indentation

interface Context {
  lines: ScanLine[];
  at: Map<number, number>;
}

function contextOf(file: FileScan): Context {
  const { lines } = codeLines(file);
  return { lines, at: new Map(lines.map((l, i) => [l.line, i])) };
}


/** The nearest enclosing line (less indented), or undefined when the shown lines hold none. */
function parentOf(ctx: Context, i: number): number | undefined {
  const ind = indentOf(ctx.lines[i]!.code);
  for (let j = i - 1; j >= 0 && j >= i - 400; j--) if (indentOf(ctx.lines[j]!.code) < ind) return j;
  return undefined;
}

/** Keys of the same mapping as line i (same indentation, same block), i included. */
function siblings(ctx: Context, i: number): number[] {
  const ind = indentOf(ctx.lines[i]!.code);
  const out = [i];
  for (let j = i - 1; j >= 0 && indentOf(ctx.lines[j]!.code) >= ind; j--) if (indentOf(ctx.lines[j]!.code) === ind) out.push(j);
  for (let j = i + 1; j < ctx.lines.length && indentOf(ctx.lines[j]!.code) >= ind; j++) if (indentOf(ctx.lines[j]!.code) === ind) out.push(j);
  return out;
}

const KEY = /^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*:(?=\s|$)/;
const keyOf = (code: string) => KEY.exec(code)?.[1] ?? null;
const SCRIPT_KEY = /^(?:run|script)$/;

/** Whether line i is shell or JavaScript source: a `run:`/`script:` value or a line of its body. */
function inScript(ctx: Context, i: number): boolean {
  const key = keyOf(ctx.lines[i]!.code);
  if (key !== null) return SCRIPT_KEY.test(key);
  const parent = parentOf(ctx, i);
  if (parent === undefined) return true; // a body line whose key the hunk does not show: most are run: bodies
  const pkey = keyOf(ctx.lines[parent]!.code);
  return pkey === null || SCRIPT_KEY.test(pkey);
}

// ---------------------------------------------------------------------------------------------
// Expressions

const EXPRESSION = /\$\{\{([^}]*)\}\}/g;

/** Values an outside contributor chooses: PR, issue and comment text, branch names, commit messages. */
const UNTRUSTED =
  /\bgithub\.(?:head_ref\b|event\.(?:pull_request\.(?:title|body|head\.(?:ref|label)|head\.repo\.(?:name|full_name|description))\b|issue\.(?:title|body)\b|comment\.body\b|review\.body\b|review_comment\.body\b|discussion\.(?:title|body)\b|discussion_comment\.body\b|head_commit\.(?:message|author\.(?:name|email))\b|commits\[[^\]]*\]\.(?:message|author\.(?:name|email))\b|workflow_run\.(?:head_branch|display_title|head_commit\.message)\b|pages\[[^\]]*\]\.page_name\b))/;
const SECRET = /\bsecrets\.[\w-]+|\bgithub\.token\b/;

function expressions(code: string, which: RegExp): string[] {
  const out: string[] = [];
  EXPRESSION.lastIndex = 0;
  for (let m = EXPRESSION.exec(code); m; m = EXPRESSION.exec(code)) {
    const found = which.exec(m[1]!);
    if (found) out.push(found[0]);
  }
  return out;
}

/** Checking out or fetching the pull request's own code. */
const HEAD_CHECKOUT =
  /^\s*(?:-\s+)?(?:ref|repository)\s*:\s*["']?\$\{\{\s*github\.(?:event\.pull_request\.head\.(?:sha|ref|repo\.full_name)|head_ref|event\.workflow_run\.head_(?:sha|branch))\s*\}\}|\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|checkout|pull)\b[^\n]*(?:refs\/pull\/|\bpull\/\S*\/head\b|\$\{\{\s*github\.(?:event\.pull_request\.head\.(?:sha|ref)|head_ref)\s*\}\})|\brefs\/pull\/\$\{\{/;
const WORKFLOW_RUN_HEAD = /github\.event\.workflow_run\.head_(?:sha|branch)/;
const REMOTE_USES = /^\s*(?:-\s+)?uses\s*:\s*["']?[\w.-]+\/[\w./-]+@/;

/** A `with:` input of a step that uses a published action: the secret reaches the action, not PR code. */
function givenToRemoteAction(ctx: Context, i: number): boolean {
  const parent = parentOf(ctx, i);
  if (parent === undefined || keyOf(ctx.lines[parent]!.code) !== "with") return false;
  const step = [...siblings(ctx, parent)];
  const item = parentOf(ctx, parent);
  if (item !== undefined) step.push(item);
  return step.some((j) => REMOTE_USES.test(ctx.lines[j]!.code));
}

function scanWorkflow(file: FileScan): Hit[] {
  if (file.language !== "workflow") return [];
  const ctx = contextOf(file);
  const all = [...ctx.lines, ...file.added];
  const privileged = all.some((l) => PRIVILEGED_TRIGGERS.some((t) => t.test(l.code)));
  const runsPrCode = privileged && all.some((l) => HEAD_CHECKOUT.test(l.code));
  const removedUntrusted = new Set(file.removed.flatMap((l) => expressions(l.code, UNTRUSTED)));
  const removedSecrets = new Set(file.removed.flatMap((l) => expressions(l.code, SECRET)));
  const hits: Hit[] = [];
  const push = (l: ScanLine, label: string, removed = false) => hits.push({ line: l.line, label, removed, excerpt: excerpt(l.text) });

  for (const l of file.added) {
    let i = ctx.at.get(l.line);
    const own = i === undefined || ctx.lines[i]!.code !== l.code;
    const local: Context = own ? { lines: [l], at: new Map([[l.line, 0]]) } : ctx;
    if (own) i = 0;
    const script = inScript(local, i!);
    const untrusted = expressions(l.code, UNTRUSTED);
    const secrets = expressions(l.code, SECRET);

    if (HEAD_CHECKOUT.test(l.code) && (privileged || WORKFLOW_RUN_HEAD.test(l.code))) {
      push(l, "checkout of the PR head in a privileged workflow");
    } else if (script && untrusted.some((e) => !removedUntrusted.has(e))) {
      push(l, "untrusted input in a script (injection)");
    } else if (secrets.length > 0 && secrets.some((e) => !removedSecrets.has(e))) {
      if (runsPrCode && !givenToRemoteAction(local, i!)) push(l, "secret exposed to PR code in a privileged workflow");
      else if (script) push(l, "secret interpolated into a script");
    }
  }

  // Protections taken away (not when the whole workflow is deleted).
  if (file.visible.length > 0) {
    // Another permissions block still there (or written anew) keeps the token scoped.
    const stillPermissions =
      file.content !== undefined ? /^\s*permissions\s*:/m.test(file.content) : file.visible.some((l) => /^\s*permissions\s*:/.test(l.code));
    // A checkout step removed whole takes its persist-credentials with it.
    const checkoutRemoved = file.removed.some((l) => /^\s*(?:-\s+)?uses\s*:\s*["']?actions\/checkout@/.test(l.code));
    file.removed.forEach((r, k) => {
      if (/^\s*persist-credentials\s*:\s*["']?false\b/.test(r.code) && !checkoutRemoved) push(r, "persist-credentials: false removed", true);
      const p = /^\s*permissions\s*:\s*(.*)$/.exec(r.code);
      if (!p || stillPermissions) return;
      const value = p[1]!.trim();
      let readOnly = value === "read-all" || (value.startsWith("{") && !/write/.test(value));
      if (value === "") {
        const ind = indentOf(r.code);
        const children: string[] = [];
        for (let j = k + 1; j < file.removed.length && indentOf(file.removed[j]!.code) > ind; j++) children.push(file.removed[j]!.code);
        readOnly = children.length > 0 && !children.some((c) => /:\s*["']?write\b/.test(c));
      }
      if (readOnly) push(r, "read-only permissions removed", true);
    });
  }
  return hits;
}

export const ciPrivilege: SignalDefinition = {
  id: "ci-privilege",
  title: "CI privilege or untrusted code in CI",
  stride: ["elevation-of-privilege", "tampering", "information-disclosure"],
  severity: "high",
  question:
    "Can a pull request from a fork, or text an outsider writes, run code in this workflow, and what can that code reach (token write scopes, secrets, cloud credentials, the runner)?",
  detects:
    "GitHub Actions: pull_request_target and workflow_run triggers; checkout of the PR head in a privileged workflow (pull_request_target, workflow_run, issue_comment); `permissions: write-all` and each write scope; self-hosted runners; ACTIONS_ALLOW_UNSECURE_COMMANDS; PR titles, bodies, branch names, comments and commit messages interpolated into `run:`/`script:` (script injection); secrets interpolated into scripts, or handed to PR code in a privileged workflow that checks out the PR head; and, on removed lines, `persist-credentials: false` and a read-only `permissions:` block taken away.",
  falsePositives:
    "A `run:` body line whose key the hunk does not show is taken as script, so an expression in a multi-line `body:` or `message:` value can fire without the whole file; whether a workflow is privileged and checks out the PR head is judged from the whole file when supplied, else from the lines shown, so a privileged trigger far above a hunk is missed without it. Not fired: pull_request and push triggers, read-only or empty permissions, expressions passed through env or with values (the safe pattern), secrets given to a published action's `with:` even in privileged workflows, explicit `persist-credentials: true` (the default already), rewritten lines whose expressions were already there. GitLab CI and CircleCI are not read.",
  flows: "none",
  rules: [
    {
      label: "pull_request_target trigger",
      languages: ["workflow"],
      pattern: PULL_REQUEST_TARGET,
      identity: () => "pull_request_target",
    },
    {
      label: "workflow_run trigger",
      languages: ["workflow"],
      pattern: WORKFLOW_RUN,
      identity: () => "workflow_run",
    },
    {
      label: "permissions: write-all",
      languages: ["workflow"],
      pattern: /^\s*permissions\s*:\s*["']?write-all["']?\s*$/,
      identity: () => "write-all",
    },
    ...writeRules,
    {
      label: "self-hosted runner",
      languages: ["workflow"],
      pattern: /^\s*(?:runs-on|labels)\s*:[^#]*\bself-hosted\b|^\s*-\s*["']?self-hosted["']?\s*$/,
      identity: () => "self-hosted",
    },
    {
      label: "ACTIONS_ALLOW_UNSECURE_COMMANDS",
      languages: ["workflow"],
      pattern: /\bACTIONS_ALLOW_UNSECURE_COMMANDS["']?\s*[:=]\s*["']?true\b/i,
    },
  ],
  scan: scanWorkflow,
};
