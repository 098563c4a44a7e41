/**
 * Threagile YAML: technical assets become components, their communication links flows
 * (`<source-id>-<link-title>`), trust boundaries zones (nested by trust_boundaries_nested),
 * data assets keep their ids, and risk_tracking entries become threats whose ids are the
 * tracking keys made valid. docs/interchange.md has the whole mapping.
 */
import type { SourceFile } from "../model/parse.js";
import type { Classification, Component, ComponentType, DataAsset, DataFlow, Threat, ThreatStatus, TrustZone } from "../model/types.js";
import type { PathSegment } from "../source/yaml.js";
import { OUTSIDE, breakParentLoops, optional, outsideZone } from "./build.js";
import { IdSpace, toId } from "./ids.js";
import { asDate, strideCategory, threagileClassification, threagileStatus, threagileType } from "./mapping.js";
import { NotCarried, firstById, Problems, asObj, fields, readSource, show, strings, text, unique, type Obj } from "./source.js";
import type { ImportResult, PathTarget } from "./types.js";

interface Raw {
  o: Obj;
  id: string;
  title: string;
  path: PathSegment[];
}

interface Link {
  o: Obj;
  title: string;
  source: Raw;
  target: Raw;
  path: PathSegment[];
}

const ROOT_HANDLED = [
  "threagile_version",
  "title",
  "date",
  "business_overview",
  "data_assets",
  "technical_assets",
  "trust_boundaries",
  "shared_runtimes",
  "risk_tracking",
  "individual_risk_categories",
];

/** Protocols Threagile counts as encrypted, and plain ones; others leave `encrypted` unset. */
const ENCRYPTED = new Set(["https", "wss", "ssh", "ssh-tunnel", "ftps", "sftp", "ldaps", "smtp-encrypted", "pop3-encrypted", "imap-encrypted"]);
const PLAIN = new Set([
  "http",
  "ws",
  "ftp",
  "ldap",
  "smtp",
  "pop3",
  "imap",
  "jdbc",
  "odbc",
  "sql-access-protocol",
  "nosql-access-protocol",
  "binary",
  "text",
  "smb",
  "nfs",
  "iiop",
  "jrmp",
  "reverse-proxy-web-protocol",
]);

export function threagileEncrypted(protocol: string): boolean | undefined {
  const p = protocol.trim().toLowerCase();
  if (ENCRYPTED.has(p) || p.endsWith("-encrypted")) return true;
  if (PLAIN.has(p)) return false;
  return undefined;
}

export function importThreagile(file: SourceFile): ImportResult {
  const read = readSource(file, "auto");
  if (!read.ok) return read;
  const { doc } = read;
  const p = new Problems(doc);
  const root = asObj(doc.value);
  if (!root || (root["threagile_version"] === undefined && root["technical_assets"] === undefined)) {
    p.error([], "not a Threagile model: it has neither threagile_version nor technical_assets");
    return { ok: false, errors: p.errors };
  }
  const entries = (section: string): Raw[] =>
    Object.entries(p.map(root, section, [])).flatMap(([title, v]) => {
      const e = p.entry(v, [section, title]);
      return e ? [{ ...e, title, path: [section, title] }] : [];
    });
  const dataRaw = entries("data_assets");
  const assetsRaw = entries("technical_assets");
  const boundariesRaw = entries("trust_boundaries");
  const runtimesRaw = entries("shared_runtimes");
  const tracking = p.map(root, "risk_tracking", []);
  const categories = p.map(root, "individual_risk_categories", []);
  const overview = p.map(root, "business_overview", []);
  if (p.errors.length > 0) return { ok: false, errors: p.errors };

  const report = new NotCarried();
  const assetBy = firstById(assetsRaw);
  const boundaryBy = firstById(boundariesRaw);

  for (const key of Object.keys(root)) {
    if (!ROOT_HANDLED.includes(key) && !isBlank(root[key])) report.add("model", `${key} ${show(root[key])}`);
  }
  const overviewRest = fields(overview, ["description"]);
  if (overviewRest.length > 0) report.add("model", `business_overview: ${overviewRest.join(", ")}`);
  for (const r of runtimesRaw) {
    report.add(`shared runtime ${r.id}`, `the whole runtime${strings(r.o["technical_assets_running"]).length > 0 ? ` (runs ${strings(r.o["technical_assets_running"]).join(", ")})` : ""}`);
  }
  const categoryBy = new Map<string, { title: string; stride: string | undefined }>();
  for (const [title, v] of Object.entries(categories)) {
    const c = asObj(v) ?? {};
    const id = typeof c["id"] === "string" ? c["id"] : toId(title);
    categoryBy.set(id, { title, stride: typeof c["stride"] === "string" ? c["stride"] : undefined });
    const risks = Object.keys(asObj(c["risks_identified"]) ?? {}).length;
    report.add(
      `individual risk category ${id}`,
      `the category and its ${risks} identified risk${risks === 1 ? "" : "s"} (threats come from risk_tracking entries; one for this category gets its STRIDE category)`,
    );
  }

  // --- communication links, kept when both ends are technical assets ---
  const links: Link[] = [];
  for (const a of assetsRaw) {
    for (const [title, v] of Object.entries(p.map(a.o, "communication_links", a.path))) {
      const path = [...a.path, "communication_links", title];
      const o = asObj(v);
      if (!o) {
        p.error(path, `communication link "${title}" of technical asset ${a.id}: expected a mapping`);
        continue;
      }
      const target = typeof o["target"] === "string" ? assetBy.get(o["target"]) : undefined;
      if (!target) {
        report.add(`communication link ${show(title)} of technical asset ${a.id}`, `the whole link (target ${show(o["target"])} names no technical asset)`);
        continue;
      }
      links.push({ o, title, source: a, target, path });
    }
  }
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  // Threagile names a link `<source-id>><link-title>` in risk ids; both forms reduce to one key.
  const linkKey = (sourceId: string, title: string) => toId(`${sourceId}-${title}`);

  // --- risk tracking, decided on source ids ---
  interface Tracked {
    key: string;
    o: Obj;
    category: string;
    targets: { kind: "asset" | "link" | "boundary"; ref: string | Link }[];
  }
  const linkByKey = new Map<string, Link>();
  for (const l of links) if (!linkByKey.has(linkKey(l.source.id, l.title))) linkByKey.set(linkKey(l.source.id, l.title), l);
  const tracked: Tracked[] = [];
  for (const [key, v] of Object.entries(tracking)) {
    const el = `risk tracking ${show(key)}`;
    const o = asObj(v) ?? {};
    if (key.includes("*")) {
      report.add(el, "the whole entry (a wildcard key matches risks Threagile computes; no threat is made from it)");
      continue;
    }
    const [category = "", ...parts] = key.split("@");
    const targets: Tracked["targets"] = [];
    for (const part of parts) {
      if (assetBy.has(part)) targets.push({ kind: "asset", ref: part });
      else if (boundaryBy.has(part)) targets.push({ kind: "boundary", ref: part });
      else if (part.includes(">")) {
        const [src = "", ...rest] = part.split(">");
        const link = linkByKey.get(linkKey(src, rest.join(">")));
        if (link) targets.push({ kind: "link", ref: link });
      }
    }
    if (targets.length === 0) {
      report.add(el, "the whole entry (its key names no technical asset, communication link or trust boundary of the model)");
      continue;
    }
    tracked.push({ key, o, category, targets });
  }

  // --- ids: one batch for the source's own ids, then derived link ids ---
  const ids = new IdSpace();
  const kinds: [string, string[]][] = [
    ["trust boundary", boundariesRaw.map((r) => r.id)],
    ["technical asset", assetsRaw.map((r) => r.id)],
    ["data asset", dataRaw.map((r) => r.id)],
    ["risk tracking", tracked.map((t) => t.key)],
  ];
  const claimed = ids.claim(kinds.flatMap(([kind, list]) => list.map((source) => ({ kind, source, fallback: kind.split(" ").pop()! }))));
  let taken = 0;
  const [zoneIds, compIds, dataIds, threatIds] = kinds.map(([, list]) => claimed.slice(taken, (taken += list.length))) as [string[], string[], string[], string[]];
  const newZone = new Map<string, string>();
  boundariesRaw.forEach((r, i) => newZone.has(r.id) || newZone.set(r.id, zoneIds[i]!));
  const newComp = new Map<Raw, string>();
  assetsRaw.forEach((r, i) => newComp.set(r, compIds[i]!));
  const newData = new Map<string, string>();
  dataRaw.forEach((r, i) => newData.has(r.id) || newData.set(r.id, dataIds[i]!));
  const linkIds = new Map<Link, string>();
  for (const l of links) {
    const base = `${newComp.get(l.source)!}-${l.title}`;
    linkIds.set(l, ids.derive("communication link", base, `${newComp.get(l.source)!}-link`));
  }

  const dataRefs = (list: unknown, element: string, field: string): string[] =>
    unique(
      strings(list).flatMap((d) => {
        const id = newData.get(d);
        if (id === undefined) report.add(element, `${field} ${show(d)} (names no data asset)`);
        return id === undefined ? [] : [id];
      }),
    );

  // --- data assets ---
  const dataAssets: DataAsset[] = dataRaw.map((r, i) => {
    const id = dataIds[i]!;
    const el = `data asset ${id}`;
    const raw = r.o["confidentiality"];
    let classification: Classification = "internal";
    const mapped = typeof raw === "string" ? threagileClassification(raw) : null;
    if (mapped) classification = mapped;
    else report.add(el, `confidentiality ${raw === undefined ? "missing" : show(raw)} (imported as internal)`);
    const rest = fields(r.o, ["id", "description", "confidentiality"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    return { id, name: text(r.title, report, el, "title") ?? id, ...optional("description", text(r.o["description"], report, el, "description")), classification };
  });

  // --- trust boundaries: zones, nested by trust_boundaries_nested ---
  const zones: TrustZone[] = boundariesRaw.map((r, i) => {
    const id = zoneIds[i]!;
    const el = `trust boundary ${id}`;
    const rest = fields(r.o, ["id", "description", "technical_assets_inside", "trust_boundaries_nested"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    return { id, name: text(r.title, report, el, "title") ?? id, ...optional("description", text(r.o["description"], report, el, "description")), parent: null, paths: [] };
  });
  const zoneOfAsset = new Map<string, string>();
  boundariesRaw.forEach((r, i) => {
    const el = `trust boundary ${zoneIds[i]!}`;
    for (const nested of strings(r.o["trust_boundaries_nested"])) {
      const child = boundaryBy.get(nested);
      const zone = child ? zones[boundariesRaw.indexOf(child)]! : undefined;
      if (!zone || zone.id === zoneIds[i]) report.add(el, `nested boundary ${show(nested)} (names no other trust boundary)`);
      else if (zone.parent !== null) report.add(el, `nested boundary ${zone.id} (already nested in ${zone.parent})`);
      else zone.parent = zoneIds[i]!;
    }
    for (const inside of strings(r.o["technical_assets_inside"])) {
      if (!assetBy.has(inside)) report.add(el, `technical asset inside ${show(inside)} (names no technical asset)`);
      else if (zoneOfAsset.has(inside)) report.add(el, `technical asset inside ${newComp.get(assetBy.get(inside)!)} (already inside ${zoneOfAsset.get(inside)})`);
      else zoneOfAsset.set(inside, zoneIds[i]!);
    }
  });
  breakParentLoops(zones, report, (id) => `trust boundary ${id}`);
  const needOutside = zones.length === 0 || assetsRaw.some((a) => !zoneOfAsset.has(a.id) || assetBy.get(a.id) !== a);
  const outside = needOutside ? ids.derive("trust zone", OUTSIDE, OUTSIDE) : null;
  if (outside !== null) zones.push(outsideZone(outside));

  // --- technical assets ---
  const components: Component[] = assetsRaw.map((r) => {
    const id = newComp.get(r)!;
    const el = `technical asset ${id}`;
    const raw = r.o["type"];
    let type: ComponentType = "process";
    const mapped = typeof raw === "string" ? threagileType(raw) : null;
    if (mapped) type = mapped;
    else report.add(el, `type ${raw === undefined ? "missing" : show(raw)} (imported as process)`);
    const rest = fields(r.o, ["id", "description", "type", "data_assets_processed", "data_assets_stored", "communication_links"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: text(r.title, report, el, "title") ?? id,
      ...optional("description", text(r.o["description"], report, el, "description")),
      type,
      zone: (assetBy.get(r.id) === r ? zoneOfAsset.get(r.id) : undefined) ?? outside!,
      paths: [],
      data: unique([...dataRefs(r.o["data_assets_processed"], el, "data asset processed"), ...dataRefs(r.o["data_assets_stored"], el, "data asset stored")]),
      owners: [],
    };
  });

  // --- communication links ---
  const flows: DataFlow[] = links.map((l) => {
    const id = linkIds.get(l)!;
    const el = `communication link ${id}`;
    const protocol = typeof l.o["protocol"] === "string" && l.o["protocol"].trim() !== "" ? l.o["protocol"].trim() : undefined;
    const authentication = text(l.o["authentication"], report, el, "authentication");
    const rest = fields(l.o, ["target", "description", "protocol", "authentication", "data_assets_sent", "data_assets_received"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: text(l.title, report, el, "title") ?? id,
      ...optional("description", text(l.o["description"], report, el, "description")),
      source: newComp.get(l.source)!,
      destination: newComp.get(assetBy.get(l.target.id)!)!,
      ...optional("protocol", protocol),
      data: unique([...dataRefs(l.o["data_assets_sent"], el, "data asset sent"), ...dataRefs(l.o["data_assets_received"], el, "data asset received")]),
      ...optional("authentication", authentication),
      ...optional("encrypted", protocol === undefined ? undefined : threagileEncrypted(protocol)),
      paths: [],
    };
  });

  // --- risk tracking: threats ---
  const nameOf = new Map<string, string>([
    ...components.map((c) => [c.id, c.name] as const),
    ...flows.map((f) => [f.id, f.name] as const),
    ...zones.map((z) => [z.id, z.name] as const),
  ]);
  const threats: Threat[] = tracked.map((t, i) => {
    const id = threatIds[i]!;
    const el = `risk tracking ${id}`;
    const targets = unique(
      t.targets.map((x) => (x.kind === "asset" ? newComp.get(assetBy.get(x.ref as string)!)! : x.kind === "boundary" ? newZone.get(x.ref as string)! : linkIds.get(x.ref as Link)!)),
    );
    const custom = categoryBy.get(t.category);
    const category = custom?.stride !== undefined ? strideCategory(custom.stride) : null;
    const rawStatus = t.o["status"];
    let status: ThreatStatus = "open";
    const mapped = typeof rawStatus === "string" ? threagileStatus(rawStatus) : null;
    if (mapped) status = mapped;
    else if (rawStatus !== undefined) report.add(el, `status ${show(rawStatus)} (imported as open)`);
    const rest = fields(t.o, ["status", "justification", "ticket"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    const what = custom?.title ?? prettyCategory(t.category);
    return {
      id,
      title: text(`${what} at ${targets.map((x) => nameOf.get(x) ?? x).join(", ")}`, report, el, "title")!,
      ...optional("description", text(t.o["justification"], report, el, "justification")),
      ...optional("category", category ?? undefined),
      targets,
      status,
      mitigations: [],
      ...optional("ticket", text(t.o["ticket"], report, el, "ticket")),
    };
  });

  const title = text(root["title"], report, "model", "title");
  const date = root["date"] === undefined || root["date"] === null ? null : asDate(root["date"]);
  if (root["date"] !== undefined && root["date"] !== null && date === null) report.add("model", `date ${show(root["date"])} (not an ISO date)`);

  const pathTargets: PathTarget[] = [
    ...boundariesRaw.map((r, i): PathTarget => ({ kind: "zone", ids: [zoneIds[i]!], keys: unique([zoneIds[i]!, r.id, r.title]) })),
    ...(outside !== null ? [{ kind: "zone", ids: [outside], keys: [outside] } satisfies PathTarget] : []),
    ...assetsRaw.map((r, i): PathTarget => ({ kind: "component", ids: [compIds[i]!], keys: unique([compIds[i]!, r.id, r.title]) })),
    ...links.map((l): PathTarget => ({ kind: "flow", ids: [linkIds.get(l)!], keys: unique([linkIds.get(l)!, `${l.source.id}>${l.title}`, l.title]) })),
  ];
  return {
    ok: true,
    model: {
      version: 1,
      title: title ?? "Threat model",
      ...optional("description", text(overview["description"], report, "model", "business_overview.description")),
      ...optional("reviewed_at", date ?? undefined),
      champions: [],
      trust_zones: zones,
      components,
      data_assets: dataAssets,
      data_flows: flows,
      threats,
    },
    notCarried: report.lines,
    idChanges: ids.changes,
    pathTargets,
  };
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
}

/** "unencrypted-communication" as "Unencrypted communication". */
function prettyCategory(id: string): string {
  const words = id.replace(/[-_]+/g, " ").trim();
  return words === "" ? "Risk" : `${words[0]!.toUpperCase()}${words.slice(1)}`;
}
