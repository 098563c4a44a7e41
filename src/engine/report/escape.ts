/**
 * Rendering text that comes from a repository (file names, titles, descriptions) into
 * GitHub markdown without letting it become markup: no HTML, no links or images, no
 * emphasis or headings, no table breaks, and no @mention or #reference that would notify
 * someone.
 */

const ZWSP = "\u200b";

/** Text safe to place anywhere in markdown prose or a table cell. */
export function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+\-.!|~^$])/g, "\\$1")
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
    .replace(/#/g, `#${ZWSP}`);
}

/**
 * A code span: its content is never markup, mentions or references. The fence is longer
 * than any run of backticks inside; pipes are escaped because a table cell ends at one even
 * inside a code span.
 */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.startsWith(" ") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/**
 * Text inside raw HTML (a <summary>), where markdown does not apply but HTML and
 * mentions do: entities for markup, a zero-width space to break pings and references.
 */
export function html(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#/g, `#${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`);
}

/** A GitHub login or team as a mention (only for names from the trusted model). */
export function mention(principal: string): string {
  const clean = principal.replace(/^@/, "");
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(clean)) return md(principal);
  return `@${clean}`;
}

/** Plain text for a terminal: no control characters that could rewrite the screen. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?").replace(/[\r\n]+/g, " ");
}
