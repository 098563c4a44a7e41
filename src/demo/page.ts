/**
 * demo-output/index.html: the pull request as GitHub would show it after the demo, for a
 * browser: the conversation (the summary comment, the review with its inline prompts, the
 * champion's approval), and the check run with its summary. Markdown is rendered the way
 * GitHub renders comments, with Mermaid diagrams drawn as SVG offline.
 */
import MarkdownIt from "markdown-it";
import { svgOf } from "../cli/diagram.js";

export interface PageCheckRun {
  name: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  headSha: string;
}

export interface PageEntry {
  kind: "comment" | "review" | "approval" | "push" | "note";
  author: string;
  when: string;
  markdown: string;
  /** Inline comments of a review: file, line, markdown. */
  inline?: { path: string; line: number | null; markdown: string }[];
}

export interface Page {
  title: string;
  repo: string;
  number: number;
  entries: PageEntry[];
  checks: PageCheckRun[];
}

const md = new MarkdownIt({ html: true, linkify: false });
const defaultFence = md.renderer.rules.fence!;
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (token.info.trim() === "mermaid") {
    try {
      return `<div class="mermaid-svg">${svgOf(token.content)}</div>`;
    } catch (e) {
      return `<pre class="error">diagram could not be drawn: ${escapeHtml(String(e))}</pre>`;
    }
  }
  return defaultFence(tokens, idx, options, env, self);
};

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Hidden state lines are HTML comments: GitHub does not show them, nor does this page. */
function render(markdown: string): string {
  return md.render(markdown.replace(/<!--[\s\S]*?-->/g, ""));
}

const ICON: Record<string, string> = { success: "✅", action_required: "⚠️", failure: "❌", neutral: "➖" };

export function pageHtml(page: Page): string {
  const entries = page.entries
    .map((e) => {
      const inline = (e.inline ?? [])
        .map((c) => `<div class="inline"><div class="where">${escapeHtml(c.path)}${c.line !== null ? `:${c.line}` : ""}</div>${render(c.markdown)}</div>`)
        .join("");
      return `<div class="entry ${e.kind}"><div class="head"><b>${escapeHtml(e.author)}</b> <span>${escapeHtml(kindText(e.kind))}</span> <time>${escapeHtml(e.when)}</time></div><div class="body">${render(e.markdown)}${inline}</div></div>`;
    })
    .join("\n");
  const checks = page.checks
    .map((c) => `<details class="check" ${c === page.checks[page.checks.length - 1] ? "open" : ""}><summary>${ICON[c.conclusion ?? ""] ?? "⏳"} <b>${escapeHtml(c.name)}</b> on <code>${escapeHtml(c.headSha.slice(0, 7))}</code>: ${escapeHtml(c.conclusion ?? "in progress")} · ${escapeHtml(c.title ?? "")}</summary><div class="body">${render(c.summary ?? "")}</div></details>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 1100px; margin: 24px auto; padding: 0 16px; }
h1 { font-weight: 400; } h1 small { color: #59636e; }
.entry { border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; }
.entry .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; }
.entry .head span, .entry .head time { color: #59636e; }
.entry.push, .entry.note { border: none; } .entry.push .head, .entry.note .head { background: none; border: none; }
.body { padding: 8px 16px; overflow-x: auto; }
.inline { border: 1px solid #d1d9e0; border-radius: 6px; margin: 8px 0; padding: 0 12px; }
.inline .where { font-family: ui-monospace, monospace; color: #59636e; padding-top: 6px; }
table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 4px 10px; }
code { background: #eff1f3; padding: 0 4px; border-radius: 4px; font-size: 90%; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow-x: auto; }
.check { border: 1px solid #d1d9e0; border-radius: 6px; margin: 12px 0; padding: 8px 16px; }
.mermaid-svg { overflow-x: auto; }
.mermaid-svg svg { max-width: none; height: auto; display: block; }
</style></head>
<body>
<h1>${escapeHtml(page.title)} <small>${escapeHtml(page.repo)}#${page.number}</small></h1>
<h2>Conversation</h2>
${entries}
<h2>Checks</h2>
${checks}
</body></html>
`;
}

function kindText(kind: PageEntry["kind"]): string {
  return { comment: "commented", review: "reviewed", approval: "approved these changes", push: "pushed", note: "" }[kind];
}
