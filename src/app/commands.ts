/**
 * Commands people write in pull request comments:
 *   /threat-model ack <reason>   a champion accepts the open findings without a model change
 *   /threat-model recheck        review the pull request again now
 *   /threat-model explain        post the full report, with questions for every touched flow
 * Only a line that starts with `/threat-model` counts, and only the first one; comments are
 * read up to their first 4,000 characters, so a 100 KB comment costs nothing more.
 */

export type ParsedCommand =
  | { kind: "ack"; reason: string }
  | { kind: "ack-without-reason" }
  | { kind: "recheck" }
  | { kind: "explain" }
  | { kind: "help" }
  | { kind: "unknown"; word: string };

const READ = 4_000;
// Control characters in a reason would be written into the summary comment.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
const REASON_MAX = 500;

export function parseCommand(body: string): ParsedCommand | null {
  const head = body.slice(0, READ);
  const line = head.split(/\r?\n/).map((l) => l.trim()).find((l) => /^\/threat-model(\s|$)/i.test(l));
  if (line === undefined) return null;
  const rest = line.slice("/threat-model".length).trim();
  const [word = ""] = rest.split(/\s+/);
  const argument = rest.slice(word.length).trim();
  switch (word.toLowerCase()) {
    case "ack":
    case "acknowledge": {
      const reason = argument.replace(CONTROL, " ").trim();
      if (reason === "") return { kind: "ack-without-reason" };
      return { kind: "ack", reason: reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 1)}…` : reason };
    }
    case "recheck":
      return { kind: "recheck" };
    case "explain":
      return { kind: "explain" };
    case "":
    case "help":
      return { kind: "help" };
    default:
      return { kind: "unknown", word: word.slice(0, 40) };
  }
}

export const HELP = [
  "**threat-model-review** understands these commands in a pull request comment:",
  "",
  "- `/threat-model ack <reason>`: a security champion accepts the open findings without a model change (a reason is required).",
  "- `/threat-model recheck`: review this pull request again now.",
  "- `/threat-model explain`: post the full report, with the questions for every touched flow.",
].join("\n");
