/**
 * Which outbound hosts are third-party services worth proposing. An absolute URL passed to
 * a call names a host; local and private addresses, reserved example and test domains,
 * schema and namespace URLs and documentation links are not services the code depends on.
 */

/** The URLs the outbound-call signal reads (the same schemes, the same stop characters). */
export const URL_LITERAL = /\b(?:https?|wss?|grpcs?):\/\/[^\s'"`<>()[\],;\\]+/g;

export type HostVerdict =
  | { kind: "external"; host: string; scheme: string }
  /** A single-label name such as `billing` or `db`: a service on the same network, maybe one of ours. */
  | { kind: "internal-name"; host: string; scheme: string }
  | { kind: "skipped"; host: string; reason: string }
  /** Not a host at all (a template placeholder, a malformed URL): nothing to say. */
  | { kind: "none" };

const SCHEMA_HOSTS = new Set([
  "www.w3.org", "w3.org", "json-schema.org", "schemas.xmlsoap.org", "schemas.microsoft.com", "schemas.openxmlformats.org",
  "schemas.android.com", "xmlns.com", "purl.org", "ns.adobe.com", "xml.org", "www.xml.org", "schema.org", "www.opengis.net",
  "java.sun.com", "xmlns.jcp.org", "www.springframework.org", "maven.apache.org", "json.schemastore.org", "www.schemastore.org",
]);

const DOC_HOSTS = new Set([
  "developer.mozilla.org", "learn.microsoft.com", "msdn.microsoft.com", "docs.microsoft.com", "stackoverflow.com",
  "tools.ietf.org", "datatracker.ietf.org", "www.rfc-editor.org", "rfc-editor.org", "opensource.org", "spdx.org",
  "creativecommons.org", "www.apache.org", "www.gnu.org", "semver.org", "img.shields.io", "shields.io", "www.npmjs.com",
  "npmjs.com", "pypi.org", "pkg.go.dev", "godoc.org", "crates.io", "docs.rs", "rubygems.org", "en.wikipedia.org",
  "www.youtube.com", "youtu.be", "medium.com", "keepachangelog.com", "choosealicense.com", "www.mozilla.org",
]);

const DOC_HOST = /^(?:docs?|developers?|devdocs|wiki|help|support|learn|manual|guide|blog)\./;
const DOC_PATH = /\/(?:docs?|documentation|wiki|manual|guides?)(?:\/|$)|\.(?:html?|pdf|md)$/i;
/** Pages of a code host (a file, an issue), as opposed to its API or raw downloads. */
const REPO_HOSTS = new Set(["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"]);
const REPO_PAGE = /\/(?:blob|tree|issues|pull|pulls|discussions|wiki|releases|commit|compare)(?:\/|$)/;
const SCHEMA_PATH = /\.(?:xsd|dtd|rdf|owl)$|\/XMLSchema(?:-instance)?$|\/\d{4}\/(?:xhtml|svg|xlink|XSL|xml|Atom)\b|\/draft(?:-\d+|\/\d{4}-\d{2})\/schema$/i;

/** Read the host of an absolute URL and say what it is. */
export function classifyUrl(url: string): HostVerdict {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?([^?#]*)/i.exec(url);
  if (!m) return { kind: "none" };
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase().replace(/\.$/, "");
  const path = m[4] ?? "";
  if (host === "" || !/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(host)) return { kind: "none" };
  if (host.startsWith("-") || host.includes(".-") || host.includes("-.")) return { kind: "none" };

  if (host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || host === "[::]" || /^127\./.test(host) || host === "0.0.0.0") {
    return { kind: "skipped", host, reason: "a local address" };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[")) {
    const privateIp = /^(?:10\.|192\.168\.|169\.254\.|172\.(?:1[6-9]|2\d|3[01])\.)/.test(host) || host.startsWith("[f");
    return { kind: "skipped", host, reason: privateIp ? "a private address" : "an IP address, not a named service" };
  }
  if (/^(?:example\.(?:com|net|org|edu)|.+\.example\.(?:com|net|org|edu))$/.test(host) || host === "example" || host.endsWith(".example")) {
    return { kind: "skipped", host, reason: "an example domain" };
  }
  if (/\.(?:test|invalid)$/.test(host)) return { kind: "skipped", host, reason: "a reserved test domain" };
  if (/\.(?:local|internal|lan|intranet|corp|home\.arpa|svc|cluster\.local)$/.test(host)) {
    return { kind: "skipped", host, reason: "a private network name" };
  }
  if (SCHEMA_HOSTS.has(host) || SCHEMA_PATH.test(path)) return { kind: "skipped", host, reason: "a schema or namespace URL" };
  if (DOC_HOSTS.has(host) || DOC_HOST.test(host) || host.endsWith(".readthedocs.io") || host.endsWith(".wikipedia.org") || DOC_PATH.test(path) || (REPO_HOSTS.has(host) && REPO_PAGE.test(path))) {
    return { kind: "skipped", host, reason: "a documentation link" };
  }
  if (!host.includes(".")) return { kind: "internal-name", host, scheme };
  if (!/[a-z]/.test(host.slice(host.lastIndexOf(".") + 1))) return { kind: "none" };
  return { kind: "external", host, scheme };
}

/** The protocol a flow to a host speaks, from the URL's scheme. */
export function protocolOf(scheme: string): string {
  if (scheme === "wss" || scheme === "ws") return "websocket";
  if (scheme === "grpc" || scheme === "grpcs") return "grpc";
  return scheme === "http" ? "http" : "https";
}
