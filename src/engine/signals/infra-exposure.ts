import type { Language } from "../changes/languages.js";
import { excerpt } from "./run.js";
import type { FileScan, ScanLine, SignalDefinition, SignalHit } from "./types.js";
import { codeLines } from "./source-text.js";

/**
 * Network and access exposure in infrastructure code: Terraform/HCL, Kubernetes and
 * CloudFormation YAML, JSON policies and templates, docker-compose. Application code is never
 * read: `0.0.0.0` as a bind address in a server is not infrastructure, and a Dockerfile
 * EXPOSE only documents a container port.
 *
 * Line-local settings live in the rule table. Open CIDRs, NSG sources, IAM wildcards and
 * public principals need their surroundings (ingress or egress block, an Effect of Deny, a
 * Condition, a route table), which `scan()` reads by indentation from the whole file when
 * supplied, else from the lines the hunk shows.
 */

const IAC: readonly Language[] = ["terraform", "yaml", "json"];
const COMPOSE = /(^|\/)(?:docker-)?compose[^/]*\.ya?ml$/i;
/** Container ports of data stores and brokers, which a compose file should not publish to every interface. */
const DATA_PORTS = "5432|6432|3306|33060|1433|1521|27017|27018|6379|6380|9200|9300|11211|5984|9042|7000|7001|8086|26257|5672|15672|9092|2181|2379|8529|7474|7687|28015|4369|50000";

type Hit = Omit<SignalHit, "signal" | "file">;

// ---------------------------------------------------------------------------------------------
// Surroundings by indentation (terraform fmt, YAML and pretty-printed JSON all nest by it).

interface Context {
  lines: ScanLine[];
  at: Map<number, number>;
}

function contextOf(file: FileScan): Context {
  const { lines } = codeLines(file);
  return { lines, at: new Map(lines.map((l, i) => [l.line, i])) };
}

/** Leading whitespace (a tab counts two); a YAML list item counts from its dash, so it encloses its keys. */
function indentOf(code: string): number {
  return /^[ \t]*/.exec(code)![0].replace(/\t/g, "  ").length;
}

const REACH = 200;

/** Lines enclosing line i, innermost first (each less indented than the last). */
function ancestors(ctx: Context, i: number, max = 6): number[] {
  const out: number[] = [];
  let min = indentOf(ctx.lines[i]!.code);
  for (let j = i - 1; j >= 0 && j >= i - REACH && out.length < max && min > 0; j--) {
    const ind = indentOf(ctx.lines[j]!.code);
    if (ind < min) {
      out.push(j);
      min = ind;
    }
  }
  return out;
}

/**
 * Lines at line i's indentation inside the same enclosing block, i included. A YAML list item
 * has no siblings: the items beside it are other elements (another policy statement).
 */
function siblings(ctx: Context, i: number): number[] {
  const ind = indentOf(ctx.lines[i]!.code);
  const out = [i];
  if (/^\s*-\s/.test(ctx.lines[i]!.code)) return out;
  for (let j = i - 1; j >= 0 && j >= i - REACH; j--) {
    const d = indentOf(ctx.lines[j]!.code);
    if (d < ind) break;
    if (d === ind) out.push(j);
  }
  for (let j = i + 1; j < ctx.lines.length && j <= i + REACH; j++) {
    const d = indentOf(ctx.lines[j]!.code);
    if (d < ind) break;
    if (d === ind) out.push(j);
  }
  return out;
}

/**
 * The first line matching one of `marks` in the block of line i or the blocks enclosing it
 * (up to `levels` levels), the nearest level first; a YAML list item (`- Effect: Deny`) that
 * opens the enclosing block is read too.
 */
function nearestMark(ctx: Context, i: number, marks: readonly RegExp[], levels = 3): { mark: number; line: string } | null {
  const chain = [i, ...ancestors(ctx, i, levels)];
  for (let k = 0; k < Math.min(levels, chain.length); k++) {
    const lines = [...siblings(ctx, chain[k]!)];
    const parent = chain[k + 1];
    if (parent !== undefined && /^\s*-\s/.test(ctx.lines[parent]!.code)) lines.push(parent);
    for (const j of lines) {
      const code = ctx.lines[j]!.code;
      const mark = marks.findIndex((m) => m.test(code));
      if (mark >= 0) return { mark, line: code };
    }
  }
  return null;
}

/** `key: value`, `"key": value`, `key = value`; not `"s3:*"` (a colon inside a scalar). */
const KEY = /^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*(?:=|:(?=\s|$|["'{[]))/;
const keyOf = (code: string) => KEY.exec(code)?.[1] ?? null;

/** The line that names the key of line i: itself, or the `key = [` / `key:` it is a list item of. */
function keyLine(ctx: Context, i: number): number {
  const code = ctx.lines[i]!.code;
  if (keyOf(code) !== null && !/^\s*["'][^"']*["']\s*,?\s*$/.test(code)) return i;
  const parent = ancestors(ctx, i, 1)[0];
  return parent ?? i;
}

// ---------------------------------------------------------------------------------------------
// Open CIDRs, NSG sources, IAM wildcards, public principals, wildcard Gateway hosts.

/** 0.0.0.0/0 or ::/0 as a whole value: not inside a sentence. */
const OPEN_CIDR = /(?:^|[\s:=[,(-])(["']?)(?:0\.0\.0\.0\/0|::\/0)\1\s*(?:[\]),}]|$)/;
const PROSE_KEY = /description|comment|note|summary|message|title|help|^name$|^sid$/i;
const VALIDATION = /\bcontains\s*\(|[!=]=|\bcan\s*\(|\bcondition\s*=|error_message|cidrhost|cidrsubnet/;
const ROUTE_KEY = /destination_(?:ipv6_)?cidr_block|Destination(?:Ipv6)?CidrBlock|^dest_range$|next_hop|^address_prefix$/i;
const ROUTE_BLOCK = /^\s*route\s*\{|resource\s+"(?:aws_route|aws_route_table|google_compute_route|azurerm_route(?:_table)?)"|AWS::EC2::Route\b/;
const SINGLE_CIDR_KEY = /^(?:cidr_block|CidrBlock|ipv6_cidr_block|Ipv6CidrBlock)$/;

const EGRESS_MARKS = [/\b(?:type|direction)["']?\s*[:=]\s*["']?(?:egress|outbound)\b/i, /\begress["']?\s*[:=]\s*["']?true\b/i, /AWS::EC2::SecurityGroupEgress\b/];
const INGRESS_MARKS = [/\b(?:type|direction)["']?\s*[:=]\s*["']?(?:ingress|inbound)\b/i, /\begress["']?\s*[:=]\s*["']?false\b/i, /AWS::EC2::SecurityGroupIngress\b/];
const DENY_MARKS = [/\b(?:access|rule_?action|action|effect)["']?\s*[:=]\s*["']?deny\b/i, /^\s*deny\s*\{/];
const CONDITION_MARKS = [/^\s*(?:-\s+)?["']?condition["']?\s*(?:[:{]|\{)/i];

type Direction = "ingress" | "egress" | "lb" | "route" | null;

function direction(ctx: Context, home: number): Direction {
  const key = keyOf(ctx.lines[home]!.code) ?? "";
  if (/loadBalancerSourceRanges/i.test(key)) return "lb";
  if (ROUTE_KEY.test(key)) return "route";
  if (/egress|destination/i.test(key)) return "egress";
  if (/ingress|source/i.test(key)) return "ingress";
  for (const a of ancestors(ctx, home)) {
    const code = ctx.lines[a]!.code;
    if (/loadBalancerSourceRanges/i.test(code)) return "lb";
    if (ROUTE_BLOCK.test(code)) return "route";
    if (/ingress/i.test(code)) return "ingress";
    if (/egress/i.test(code)) return "egress";
  }
  const mark = nearestMark(ctx, home, [...EGRESS_MARKS, ...INGRESS_MARKS]);
  if (mark) return mark.mark < EGRESS_MARKS.length ? "egress" : "ingress";
  return null;
}

/** A description, or a line of the free text a description opens (`description: |`, `<<EOT`). */
function isProse(ctx: Context, i: number): boolean {
  if (PROSE_KEY.test(keyOf(ctx.lines[i]!.code) ?? "")) return true;
  return ancestors(ctx, i, 2).some((j) => {
    const code = ctx.lines[j]!.code;
    return PROSE_KEY.test(keyOf(code) ?? "") && /[:=]\s*(?:[|>][-+]?|<<-?\s*\w+)\s*$/.test(code);
  });
}

function openCidr(ctx: Context, i: number): string | null {
  const code = ctx.lines[i]!.code;
  if (!OPEN_CIDR.test(code) || VALIDATION.test(code) || isProse(ctx, i)) return null;
  const home = keyLine(ctx, i);
  const key = keyOf(ctx.lines[home]!.code) ?? "";
  if (nearestMark(ctx, home, DENY_MARKS)) return null;
  const dir = direction(ctx, home);
  if (dir === "route") return null;
  if (dir === "lb") return "LoadBalancer source ranges open to the internet";
  if (dir === "egress") return "egress open to the internet (lower risk)";
  if (dir === "ingress") return "ingress open to the internet";
  // A lone `cidr_block` is a VPC, subnet or route far more often than a firewall rule.
  return SINGLE_CIDR_KEY.test(key) ? null : "CIDR open to the internet";
}

const ANY_SOURCE = /\bsource_?address_?prefix(?:es)?["']?\s*[:=]\s*\[?\s*["'](?:\*|Internet|Any)["']/i;

function nsgSource(ctx: Context, i: number): string | null {
  if (!ANY_SOURCE.test(ctx.lines[i]!.code)) return null;
  if (nearestMark(ctx, i, DENY_MARKS)) return null;
  const dir = nearestMark(ctx, i, [/\bdirection["']?\s*[:=]\s*["']?outbound\b/i, /\bdirection["']?\s*[:=]\s*["']?inbound\b/i]);
  if (dir?.mark === 0) return null;
  return dir ? "ingress open to the internet" : "NSG rule open to any source";
}

const STAR_ACTION = /\b(?:actions?|Action)["']?\s*[:=]\s*\[?\s*["']\*["']/;
const SERVICE_STAR = /["'][a-z0-9-]+:\*["']|^\s*-\s*[a-z0-9-]+:\*\s*$/i;
const STAR_ITEM = /^\s*(?:-\s*)?["']\*["']\s*,?\s*$/;
const NOT_ACTION = /not_?actions?|NotAction/i;

function wildcardAction(ctx: Context, i: number): string | null {
  const code = ctx.lines[i]!.code;
  const home = keyLine(ctx, i);
  const key = keyOf(ctx.lines[home]!.code) ?? "";
  const listOfActions = home !== i && /^(?:actions?|Action)$/.test(key);
  if (!(STAR_ACTION.test(code) || SERVICE_STAR.test(code) || (STAR_ITEM.test(code) && listOfActions))) return null;
  if (NOT_ACTION.test(code) || NOT_ACTION.test(key)) return null;
  if (nearestMark(ctx, home, DENY_MARKS)) return null;
  return "wildcard IAM action";
}

const PRINCIPAL_STAR = [
  /\bPrincipal["']?\s*[:=]\s*["']\*["']/,
  /\bPrincipal["']?\s*[:=]\s*\{\s*["']?AWS["']?\s*[:=]\s*\[?\s*["']\*["']/,
  /^\s*["']?AWS["']?\s*[:=]\s*\[?\s*["']\*["']/,
  /^\s*identifiers\s*=\s*\[\s*"\*"\s*\]/,
  /^\s*principal\s*=\s*"\*"/,
];

function publicPrincipal(ctx: Context, i: number): string | null {
  const code = ctx.lines[i]!.code;
  if (!PRINCIPAL_STAR.some((p) => p.test(code))) return null;
  if (nearestMark(ctx, i, DENY_MARKS) || nearestMark(ctx, i, CONDITION_MARKS)) return null;
  return "public principal (*)";
}

const KIND_GATEWAY = /^\s*kind\s*:\s*["']?Gateway["']?\s*$/;

function gatewayAnyHost(ctx: Context, i: number, file: FileScan): string | null {
  const code = ctx.lines[i]!.code;
  const listItem = /^\s*-\s*["']\*["']\s*$/.test(code);
  const inline = /^\s*hosts\s*:\s*\[\s*["']\*["']\s*\]/.test(code);
  if (!listItem && !inline) return null;
  if (listItem && keyOf(ctx.lines[keyLine(ctx, i)]!.code) !== "hosts") return null;
  // A whole new Gateway already fires on its `kind:` line.
  if (file.added.some((l) => KIND_GATEWAY.test(l.code))) return null;
  return ctx.lines.some((l) => KIND_GATEWAY.test(l.code)) ? "Gateway accepting any host" : null;
}

function allowAllIngress(ctx: Context, i: number): string | null {
  if (!/^\s*-\s*\{\s*\}\s*$/.test(ctx.lines[i]!.code)) return null;
  return keyOf(ctx.lines[keyLine(ctx, i)]!.code) === "ingress" ? "NetworkPolicy allows all ingress" : null;
}

function scanExposure(file: FileScan): Hit[] {
  if (!IAC.includes(file.language) || file.added.length === 0) return [];
  const ctx = contextOf(file);
  const hits: Hit[] = [];
  for (const l of file.added) {
    let i = ctx.at.get(l.line);
    // The whole file may disagree with the patch (a stale door): read the line alone.
    const own = i === undefined || ctx.lines[i]!.code !== l.code;
    const local: Context = own ? { lines: [l], at: new Map([[l.line, 0]]) } : ctx;
    if (own) i = 0;
    const label =
      openCidr(local, i!) ??
      nsgSource(local, i!) ??
      wildcardAction(local, i!) ??
      publicPrincipal(local, i!) ??
      (file.language === "yaml" ? (gatewayAnyHost(local, i!, file) ?? allowAllIngress(local, i!)) : null);
    if (label) hits.push({ line: l.line, label, removed: false, excerpt: excerpt(l.text) });
  }
  return hits;
}

export const infraExposure: SignalDefinition = {
  id: "infra-exposure",
  title: "Infrastructure exposed to the network or the public",
  stride: ["information-disclosure", "denial-of-service", "elevation-of-privilege"],
  severity: "high",
  question:
    "What does this expose to the internet or to any principal, is that intended, and what (source ranges, authentication, a WAF, a private endpoint) limits who can reach it?",
  detects:
    "Terraform, CloudFormation, ARM and Kubernetes exposure: firewall and security-group rules open to 0.0.0.0/0 or ::/0 (ingress, egress labelled apart as lower risk, LoadBalancer source ranges), Azure NSG sources `*`/Internet, public bucket ACLs and disabled public-access blocks, allUsers members, public blob access, publicly accessible databases, public IPs, internet-facing load balancers and public cluster endpoints, wildcard IAM actions and `*` principals (not in Deny statements; principals not under a Condition), LoadBalancer/NodePort Services, Ingresses, Gateways and wildcard Gateway hosts, hostNetwork/hostPort/externalIPs, allow-all NetworkPolicy ingress, wildcard RBAC verbs, and docker-compose ports published on 0.0.0.0 or a data-store port published on every interface.",
  falsePositives:
    "Where the hunk does not show the enclosing block and the whole file is not supplied, an open CIDR is labelled without a direction, and a Deny or a Condition that sits outside the shown lines is missed; variable defaults and locals holding 0.0.0.0/0 fire where they are defined, not where used. Not read: application code binding 0.0.0.0, Dockerfile EXPOSE, private CIDRs, ClusterIP Services, descriptions and validation conditions mentioning 0.0.0.0/0, route tables, a lone cidr_block whose block is unseen, compose ports bound to 127.0.0.1 or web ports published on all interfaces.",
  flows: "inbound",
  rules: [
    // Storage and public access
    {
      label: "public bucket ACL",
      languages: IAC,
      pattern: /^\s*(?:acl|canned_acl|predefined_acl)\s*=\s*"(?:public-read|public-read-write|authenticated-read|publicRead|publicReadWrite)"|\bAccessControl["']?\s*:\s*["']?(?:PublicRead|PublicReadWrite|AuthenticatedRead)\b/,
    },
    {
      label: "public access block disabled",
      languages: IAC,
      pattern: /^\s*(?:block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)\s*=\s*false\b|\b(?:BlockPublicAcls|BlockPublicPolicy|IgnorePublicAcls|RestrictPublicBuckets)["']?\s*:\s*["']?false\b/,
    },
    {
      label: "granted to allUsers",
      languages: IAC,
      pattern: /["'](?:[A-Z]+:)?all(?:Authenticated)?Users["']|^\s*(?:-\s*|members?\s*:\s*)(?:[A-Z]+:)?all(?:Authenticated)?Users\s*$/,
      unless: /description|error_message|condition|contains\s*\(|[!=]=/,
    },
    {
      label: "public blob access",
      languages: IAC,
      pattern: /^\s*(?:allow_nested_items_to_be_public|allow_blob_public_access)\s*=\s*true\b|^\s*container_access_type\s*=\s*"(?:blob|container)"|"allowBlobPublicAccess"\s*:\s*true\b/,
    },
    {
      label: "public network access enabled",
      languages: IAC,
      pattern: /^\s*public_network_access_enabled\s*=\s*true\b|"publicNetworkAccess"\s*:\s*"Enabled"/,
    },
    // Compute, databases, load balancers
    {
      label: "publicly accessible database",
      languages: IAC,
      pattern: /^\s*publicly_accessible\s*=\s*true\b|\bPubliclyAccessible["']?\s*:\s*["']?true\b/,
    },
    {
      label: "public IP address",
      languages: IAC,
      pattern: /^\s*(?:associate_public_ip_address|map_public_ip_on_launch|ipv4_enabled)\s*=\s*true\b|\b(?:AssociatePublicIpAddress|MapPublicIpOnLaunch)["']?\s*:\s*["']?true\b|^\s*access_config\s*\{/,
    },
    {
      label: "public cluster endpoint",
      languages: ["terraform"],
      pattern: /^\s*(?:endpoint_public_access|enable_public_endpoint)\s*=\s*true\b|^\s*(?:enable_private_endpoint|private_cluster_enabled)\s*=\s*false\b/,
    },
    {
      label: "internet-facing load balancer",
      languages: IAC,
      pattern: /^\s*internal\s*=\s*false\b|^\s*load_balancing_scheme\s*=\s*"EXTERNAL(?:_MANAGED)?"|\bscheme["']?\s*[:=]\s*["']?internet-facing\b/i,
    },
    // Kubernetes
    {
      label: "LoadBalancer Service",
      languages: ["yaml", "terraform"],
      pattern: /^\s*type\s*[:=]\s*["']?LoadBalancer["']?\s*$/,
    },
    {
      label: "NodePort Service",
      languages: ["yaml", "terraform"],
      pattern: /^\s*type\s*[:=]\s*["']?NodePort["']?\s*$/,
    },
    {
      label: "Ingress",
      languages: ["yaml"],
      pattern: /^\s*kind\s*:\s*["']?(?:Ingress|IngressRoute)["']?\s*$/,
    },
    {
      label: "Gateway",
      languages: ["yaml"],
      pattern: KIND_GATEWAY,
    },
    {
      label: "pod on the host network",
      languages: ["yaml", "terraform"],
      pattern: /^\s*(?:hostNetwork\s*:|host_network\s*=)\s*true\b/,
    },
    {
      label: "hostPort",
      languages: ["yaml"],
      skipPaths: COMPOSE,
      pattern: /^\s*(?:-\s*)?hostPort\s*:\s*\d/,
    },
    {
      label: "Service externalIPs",
      languages: ["yaml"],
      pattern: /^\s*externalIPs\s*:/,
    },
    {
      label: "NetworkPolicy allows all ingress",
      languages: ["yaml"],
      pattern: /^\s*ingress\s*:\s*\[\s*\{\s*\}\s*\]/,
    },
    {
      label: "wildcard RBAC verbs",
      languages: ["yaml"],
      pattern: /^\s*verbs\s*:\s*\[\s*["']\*["']\s*\]/,
    },
    // docker-compose
    {
      label: "port published on 0.0.0.0",
      languages: ["yaml"],
      paths: COMPOSE,
      pattern: /^\s*-\s*["']?0\.0\.0\.0:\d|^\s*host_ip\s*:\s*["']?0\.0\.0\.0["']?\s*$/,
    },
    {
      label: "data-store port published on every interface",
      languages: ["yaml"],
      paths: COMPOSE,
      pattern: new RegExp(`^\\s*-\\s*["']?\\d{1,5}:(?:${DATA_PORTS})(?:/tcp)?["']?\\s*$`),
    },
    {
      label: "container on the host network",
      languages: ["yaml"],
      paths: COMPOSE,
      pattern: /^\s*network_mode\s*:\s*["']?host["']?\s*$/,
    },
  ],
  scan: scanExposure,
};
