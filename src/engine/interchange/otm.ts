/**
 * Open Threat Model (OTM) 0.2: import from JSON or YAML, export to JSON.
 *
 * What OTM has no field for travels in `attributes` under keys prefixed `tmr.`, and numbers
 * OTM requires that we lack are written as 50 and listed in `tmr.defaulted`, so that export
 * then import gives back the same model. docs/interchange.md has the whole mapping.
 */
import type { SourceFile } from "../model/parse.js";
import {
  COMPONENT_TYPES,
  THREAT_STATUSES,
  type Classification,
  type Component,
  type ComponentType,
  type DataAsset,
  type DataFlow,
  type Rating,
  type Threat,
  type ThreatModel,
  type ThreatStatus,
  type TrustZone,
} from "../model/types.js";
import type { PathSegment } from "../source/yaml.js";
import { OUTSIDE, breakParentLoops, optional, outsideZone } from "./build.js";
import { IdSpace, toId } from "./ids.js";
import {
  CONFIDENTIALITY_SCORE,
  DEFAULT_SCORE,
  RATING_SCORE,
  asDate,
  asPrincipal,
  classificationFromConfidentiality,
  exactPathGlob,
  isGlob,
  leastSettled,
  otmComponentType,
  otmState,
  ratingFromScore,
  score,
  strideCategory,
} from "./mapping.js";
import { NotCarried, firstById, Problems, asObj, fields, readSource, show, strings, text, unique, type Obj } from "./source.js";
import type { ImportResult, PathTarget } from "./types.js";

export const OTM_VERSION = "0.2.0";
/** The one representation export writes: components' globs as code representations. */
const CODE_REPRESENTATION = "code";

// =========================================================================================
// Import

interface Raw {
  o: Obj;
  id: string;
  path: PathSegment[];
}

interface Instance {
  threat: string;
  state: string;
  mitigations: { mitigation: string; state: string | null }[];
  element: Raw;
  path: PathSegment[];
}

export function importOtm(file: SourceFile): ImportResult {
  const read = readSource(file, "auto");
  if (!read.ok) return read;
  const { doc } = read;
  const p = new Problems(doc);
  const root = asObj(doc.value);
  if (!root || typeof root["otmVersion"] !== "string") {
    p.error(root ? ["otmVersion"] : [], "not an Open Threat Model (OTM) document: it has no otmVersion");
    return { ok: false, errors: p.errors };
  }
  const project = p.map(root, "project", []);

  const entries = (key: string): Raw[] =>
    p.list(root, key, []).flatMap((v, i) => {
      const e = p.entry(v, [key, i]);
      return e ? [{ ...e, path: [key, i] }] : [];
    });
  const zonesRaw = entries("trustZones");
  const compsRaw = entries("components");
  const flowsRaw = entries("dataflows");
  const assetsRaw = entries("assets");
  const threatsRaw = entries("threats");
  const mitigationsRaw = entries("mitigations");
  const repsRaw = entries("representations");
  if (p.errors.length > 0) return { ok: false, errors: p.errors };

  const report = new NotCarried();
  const zoneBy = firstById(zonesRaw);
  const compBy = firstById(compsRaw);
  const threatBy = firstById(threatsRaw);
  const mitigationBy = firstById(mitigationsRaw);

  // --- document and project ---
  for (const f of fields(root, ["otmVersion", "project", "representations", "assets", "trustZones", "components", "dataflows", "threats", "mitigations"])) {
    report.add("document", f);
  }
  const projectAttrs = attributes(project, report, "project");
  const projectName = text(project["name"], report, "project", "name", false);
  const projectId = typeof project["id"] === "string" || typeof project["id"] === "number" ? String(project["id"]) : undefined;
  if (projectId !== undefined && projectId !== (toId(projectName ?? "") || "threat-model")) report.add("project", `id ${show(projectId)}`);
  const projectFields = fields(project, ["name", "id", "description", "attributes"]);
  if (projectFields.length > 0) report.add("project", projectFields.join(", "));

  // --- representations: code ones give paths; the others (diagrams) are layout only ---
  const codeReps = new Set<string>();
  for (const r of repsRaw) {
    const type = typeof r.o["type"] === "string" ? r.o["type"] : "";
    if (type.toLowerCase() === CODE_REPRESENTATION) {
      codeReps.add(r.id);
      const url = asObj(r.o["repository"])?.["url"];
      if (typeof url === "string" && url !== "") report.add(`representation ${r.id}`, `repository url ${show(url)} (paths are read relative to this repository)`);
    } else {
      report.add(`representation ${r.id}`, `${type || "untyped"} representation${typeof r.o["name"] === "string" ? ` ${show(r.o["name"])}` : ""} (positions and sizes of its elements)`);
    }
    const rest = fields(r.o, ["id", "name", "type", "description", "repository", "size", "attributes"]);
    if (rest.length > 0) report.add(`representation ${r.id}`, rest.join(", "));
  }

  // --- which flows and threats survive (decided on source ids) ---
  const flowsKept = flowsRaw.filter((f) => {
    const bad = (["source", "destination"] as const).filter((end) => !compBy.has(refString(f.o[end])));
    if (bad.length === 0) return true;
    const why = bad
      .map((end) => {
        const ref = refString(f.o[end]);
        return zoneBy.has(ref) ? `${end} ${show(ref)} is a trust zone, not a component` : `${end} ${show(ref)} names no component`;
      })
      .join("; ");
    report.add(`dataflow ${f.id}`, `the whole flow (${why})`);
    return false;
  });

  const instances = new Map<string, Instance[]>();
  const usedMitigations = new Set<string>();
  const collect = (r: Raw, element: string) => {
    p.list(r.o, "threats", r.path).forEach((v, i) => {
      const t = asObj(v);
      const ref = refString(t?.["threat"]);
      if (!t || !threatBy.has(ref)) {
        report.add(element, `threat instance ${show(ref || v)} (names no threat)`);
        return;
      }
      const mitigations = (Array.isArray(t["mitigations"]) ? t["mitigations"] : []).flatMap((m) => {
        const mo = asObj(m);
        const mref = refString(mo?.["mitigation"]);
        if (!mo || !mitigationBy.has(mref)) {
          report.add(element, `mitigation instance ${show(mref || m)} of threat ${ref} (names no mitigation)`);
          return [];
        }
        usedMitigations.add(mref);
        return [{ mitigation: mref, state: typeof mo["state"] === "string" ? mo["state"] : null }];
      });
      const list = instances.get(ref) ?? [];
      list.push({ threat: ref, state: typeof t["state"] === "string" ? t["state"] : "", mitigations, element: r, path: [...r.path, "threats", i] });
      instances.set(ref, list);
    });
  };
  // Element labels use source ids here; the report is about the source.
  for (const c of compsRaw) collect(c, `component ${c.id}`);
  for (const f of flowsKept) collect(f, `dataflow ${f.id}`);

  // A threat is imported when an element carries it, or when its tmr.targets name elements.
  const flowSourceIds = new Set(flowsKept.map((f) => f.id));
  const listedTargets = (r: Raw): string[] | null => {
    const listed = asObj(r.o["attributes"])?.["tmr.targets"];
    if (listed === undefined) return null;
    const list = Array.isArray(listed) ? listed : [];
    const ok = list.length > 0 && list.every((t) => typeof t === "string" && (zoneBy.has(t) || compBy.has(t) || flowSourceIds.has(t)));
    if (!ok) {
      report.add(`threat ${r.id}`, `attributes.tmr.targets ${show(listed)} (names elements that are not in the model; targets taken from the threat instances)`);
      return null;
    }
    return list as string[];
  };
  const threatsKept: { r: Raw; listed: string[] | null }[] = [];
  for (const r of threatsRaw) {
    if (threatBy.get(r.id) !== r) {
      report.add(`threat ${r.id}`, "the whole threat (a second threat with this id; instances name the first)");
      continue;
    }
    const listed = listedTargets(r);
    if ((instances.get(r.id) ?? []).length === 0 && listed === null) {
      report.add(`threat ${r.id}`, "the whole threat (no component or dataflow carries it)");
      continue;
    }
    threatsKept.push({ r, listed });
  }

  // --- ids ---
  // One batch, so that an id the source already has valid is never taken by one that changed.
  const ids = new IdSpace();
  const kinds: [string, Raw[]][] = [
    ["trust zone", zonesRaw],
    ["component", compsRaw],
    ["asset", assetsRaw],
    ["dataflow", flowsKept],
    ["threat", threatsKept.map((t) => t.r)],
  ];
  const claimed = ids.claim(kinds.flatMap(([kind, list]) => list.map((r) => ({ kind, source: r.id, fallback: kind.split(" ").pop()! }))));
  let taken = 0;
  const [zoneIds, compIds, assetIds, flowIds, threatIds] = kinds.map(([, list]) => claimed.slice(taken, (taken += list.length))) as [
    string[],
    string[],
    string[],
    string[],
    string[],
  ];
  const newZone = new Map<string, string>();
  zonesRaw.forEach((r, i) => newZone.has(r.id) || newZone.set(r.id, zoneIds[i]!));
  const newComp = new Map<string, string>();
  compsRaw.forEach((r, i) => newComp.has(r.id) || newComp.set(r.id, compIds[i]!));
  const newAsset = new Map<string, string>();
  assetsRaw.forEach((r, i) => newAsset.has(r.id) || newAsset.set(r.id, assetIds[i]!));
  const newFlow = new Map<string, string[]>();
  const flowNew = new Map<Raw, string[]>();
  const compNew = new Map<Raw, string>(compsRaw.map((r, i) => [r, compIds[i]!]));

  const assetRefs = (list: unknown, element: string, field: string): string[] =>
    unique(
      strings(list).flatMap((a) => {
        const id = newAsset.get(a);
        if (id === undefined) report.add(element, `${field} ${show(a)} (names no asset)`);
        return id === undefined ? [] : [id];
      }),
    );

  // --- data assets ---
  const dataAssets: DataAsset[] = assetsRaw.map((r, i) => {
    const id = assetIds[i]!;
    const el = `asset ${id}`;
    const attrs = attributes(r.o, report, el);
    const risk = asObj(r.o["risk"]) ?? {};
    const defaulted = strings(attrs.tmr.get("tmr.defaulted"));
    let classification: Classification = "internal";
    const c = score(risk["confidentiality"]);
    if (c.ok) classification = classificationFromConfidentiality(c.value);
    else report.add(el, `risk.confidentiality ${show(risk["confidentiality"])} ${c.why} (imported as internal)`);
    const rest = [
      ...fields(risk, ["confidentiality", ...defaulted.filter((d) => d.startsWith("risk.")).map((d) => d.slice(5))], "risk."),
      ...fields(r.o, ["id", "name", "description", "risk", "attributes"]),
    ];
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: text(r.o["name"], report, el, "name", false) ?? id,
      ...optional("description", text(r.o["description"], report, el, "description", false)),
      classification,
    };
  });

  // --- trust zones ---
  const zones: TrustZone[] = zonesRaw.map((r, i) => {
    const id = zoneIds[i]!;
    const el = `trust zone ${id}`;
    const attrs = attributes(r.o, report, el);
    const defaulted = strings(attrs.tmr.get("tmr.defaulted"));
    const risk = asObj(r.o["risk"]) ?? {};
    let trust: number | undefined;
    if (risk["trustRating"] === undefined || risk["trustRating"] === null) {
      if (!defaulted.includes("risk.trustRating")) report.add(el, "has no risk.trustRating: the zone's trust is left unset");
    } else if (!defaulted.includes("risk.trustRating")) {
      const s = score(risk["trustRating"]);
      if (!s.ok) report.add(el, `risk.trustRating ${show(risk["trustRating"])} ${s.why}`);
      else {
        trust = Math.round(s.value);
        if (trust !== s.value) report.add(el, `risk.trustRating ${s.value} (rounded to ${trust})`);
      }
    }
    const rest = [...fields(risk, ["trustRating"], "risk."), ...fields(r.o, ["id", "name", "description", "risk", "parent", "representations", "attributes"])];
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: text(r.o["name"], report, el, "name", false) ?? id,
      ...optional("description", text(r.o["description"], report, el, "description", false)),
      ...optional("trust", trust),
      parent: null,
      paths: [...representationPaths(r, codeReps, report, el, p), ...globList(attrs.tmr.get("tmr.paths"), report, el)],
    };
  });

  // --- components: the zone is the parent trust zone, or the parent component's zone ---
  const zoneOfComp = new Map<Raw, string | null>();
  const resolveZone = (start: Raw): string | null => {
    const chain: Raw[] = [];
    let zone: string | null = null;
    for (let at: Raw | undefined = start; at !== undefined; ) {
      const known = zoneOfComp.get(at);
      if (known !== undefined) {
        zone = known;
        break;
      }
      if (chain.includes(at)) break;
      chain.push(at);
      const parent: Obj = asObj(at.o["parent"]) ?? {};
      const tz = parent["trustZone"];
      const pc: unknown = parent["component"];
      if (typeof tz === "string") {
        zone = newZone.get(tz) ?? null;
        break;
      }
      at = typeof pc === "string" ? compBy.get(pc) : undefined;
    }
    for (const c of chain) zoneOfComp.set(c, zone);
    return zone;
  };
  let needOutside = zones.length === 0;
  const compZone = compsRaw.map((r, i) => {
    const el = `component ${compIds[i]!}`;
    const parent = asObj(r.o["parent"]) ?? {};
    const zone = resolveZone(r);
    const parentComp = parent["component"];
    if (typeof parent["trustZone"] === "string" && !zoneBy.has(parent["trustZone"])) {
      report.add(el, `parent trust zone ${show(parent["trustZone"])} (names no trust zone; placed in zone ${OUTSIDE})`);
    } else if (typeof parentComp === "string" && typeof parent["trustZone"] !== "string") {
      if (!compBy.has(parentComp)) report.add(el, `parent component ${show(parentComp)} (names no component; placed in zone ${OUTSIDE})`);
      else if (zone === null) report.add(el, `parent component ${newComp.get(parentComp)} (the parents form a loop or have no zone; placed in zone ${OUTSIDE})`);
      else report.add(el, `parent component ${newComp.get(parentComp)} (placed in its zone, ${zone})`);
    } else if (typeof parent["trustZone"] !== "string") {
      report.add(el, `no parent (placed in zone ${OUTSIDE})`);
    }
    if (zone === null) needOutside = true;
    return zone;
  });
  const outside = needOutside ? ids.derive("trust zone", OUTSIDE, OUTSIDE) : null;

  // Zone parents, now that component zones are known.
  zonesRaw.forEach((r, i) => {
    const el = `trust zone ${zoneIds[i]!}`;
    const parent = asObj(r.o["parent"]);
    if (!parent) return;
    const tz = parent["trustZone"];
    const pc = parent["component"];
    if (typeof tz === "string") {
      if (zoneBy.has(tz) && newZone.get(tz) !== zoneIds[i]) zones[i]!.parent = newZone.get(tz)!;
      else report.add(el, `parent trust zone ${show(tz)} (names no other trust zone)`);
    } else if (typeof pc === "string") {
      const z = compBy.has(pc) ? resolveZone(compBy.get(pc)!) : null;
      if (z && z !== zoneIds[i]) {
        zones[i]!.parent = z;
        report.add(el, `parent component ${newComp.get(pc)} (nested in its zone, ${z})`);
      } else report.add(el, `parent component ${show(pc)} (no zone to nest in)`);
    }
  });
  breakParentLoops(zones, report, (id) => `trust zone ${id}`);

  const components: Component[] = compsRaw.map((r, i) => {
    const id = compIds[i]!;
    const el = `component ${id}`;
    const attrs = attributes(r.o, report, el);
    const rawType = typeof r.o["type"] === "string" ? r.o["type"] : "";
    let type: ComponentType;
    if ((COMPONENT_TYPES as readonly string[]).includes(rawType)) type = rawType as ComponentType;
    else {
      type = otmComponentType(rawType);
      report.add(el, rawType === "" ? `no type (imported as ${type})` : `type ${show(rawType)} (imported as ${type})`);
    }
    const assets = asObj(r.o["assets"]) ?? {};
    const data = unique([...assetRefs(assets["processed"], el, "processed asset"), ...assetRefs(assets["stored"], el, "stored asset")]);
    const owners = strings(attrs.tmr.get("tmr.owners")).flatMap((o) => {
      const principal = asPrincipal(o);
      if (principal === null) report.add(el, `attributes.tmr.owners ${show(o)} (not a GitHub login or team)`);
      return principal === null ? [] : [principal];
    });
    const reviewed = date(attrs.tmr.get("tmr.reviewed_at"), report, el);
    const rest = [...fields(assets, ["processed", "stored"], "assets."), ...fields(r.o, ["id", "name", "description", "type", "parent", "representations", "assets", "threats", "attributes"])];
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: text(r.o["name"], report, el, "name", false) ?? id,
      ...optional("description", text(r.o["description"], report, el, "description", false)),
      type,
      zone: compZone[i] ?? outside!,
      paths: unique([...representationPaths(r, codeReps, report, el, p), ...globList(attrs.tmr.get("tmr.paths"), report, el)]),
      data,
      owners: unique(owners),
      ...optional("reviewed_at", reviewed),
    };
  });

  // --- data flows; a bidirectional one becomes <id> and <id>-reverse ---
  const flows: DataFlow[] = [];
  const pathTargets: PathTarget[] = [];
  flowsKept.forEach((r, i) => {
    const id = flowIds[i]!;
    const el = `dataflow ${id}`;
    const attrs = attributes(r.o, report, el);
    const name = text(r.o["name"], report, el, "name", false) ?? id;
    const protocol = tmrText(attrs.tmr.get("tmr.protocol"), report, el, "tmr.protocol");
    const authentication = tmrText(attrs.tmr.get("tmr.authentication"), report, el, "tmr.authentication");
    const encrypted = attrs.tmr.get("tmr.encrypted");
    if (encrypted !== undefined && typeof encrypted !== "boolean") report.add(el, `attributes.tmr.encrypted ${show(encrypted)} (not true or false)`);
    const reviewed = date(attrs.tmr.get("tmr.reviewed_at"), report, el);
    const flow: DataFlow = {
      id,
      name,
      ...optional("description", text(r.o["description"], report, el, "description", false)),
      source: newComp.get(refString(r.o["source"]))!,
      destination: newComp.get(refString(r.o["destination"]))!,
      ...optional("protocol", protocol),
      data: assetRefs(r.o["assets"], el, "asset"),
      ...optional("authentication", authentication),
      ...optional("encrypted", typeof encrypted === "boolean" ? encrypted : undefined),
      paths: globList(attrs.tmr.get("tmr.paths"), report, el),
      ...optional("reviewed_at", reviewed),
    };
    const rest = fields(r.o, ["id", "name", "description", "bidirectional", "source", "destination", "assets", "threats", "attributes"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    flows.push(flow);
    const made = [id];
    if (r.o["bidirectional"] === true) {
      const reverseId = ids.derive("dataflow", `${id}-reverse`, `${id}-reverse`);
      flows.push({ ...flow, id: reverseId, name: name === id ? reverseId : `${name} (reverse)`, source: flow.destination, destination: flow.source });
      report.add(el, `bidirectional (imported as two flows, ${id} and ${reverseId})`);
      made.push(reverseId);
    }
    flowNew.set(r, made);
    if (!newFlow.has(r.id)) newFlow.set(r.id, made);
    pathTargets.push({ kind: "flow", ids: made, keys: [id, r.id, ...(typeof r.o["name"] === "string" ? [r.o["name"]] : [])] });
  });

  // --- threats: targets are the elements that carry an instance ---
  const mitigationName = new Map<string, string>();
  for (const r of mitigationsRaw) {
    if (mitigationName.has(r.id)) continue;
    const el = `mitigation ${r.id}`;
    const attrs = attributes(r.o, report, el);
    const defaulted = strings(attrs.tmr.get("tmr.defaulted"));
    mitigationName.set(r.id, text(r.o["name"], report, el, "name", false) ?? r.id);
    const rest = fields(r.o, ["id", "name", "attributes", ...(defaulted.includes("riskReduction") ? ["riskReduction"] : [])]);
    if (rest.length > 0) report.add(el, rest.join(", "));
  }

  const whereOf = (inst: Instance) =>
    inst.path[0] === "components" ? `component ${compNew.get(inst.element)}` : `dataflow ${flowNew.get(inst.element)?.[0]}`;

  const threats: Threat[] = threatsKept.map(({ r, listed }, i) => {
    const id = threatIds[i]!;
    const el = `threat ${id}`;
    const attrs = attributes(r.o, report, el);
    const defaulted = strings(attrs.tmr.get("tmr.defaulted"));
    const risk = asObj(r.o["risk"]) ?? {};
    const rating = (key: "likelihood" | "impact"): Rating | undefined => {
      const v = risk[key];
      if (defaulted.includes(`risk.${key}`) || v === null || v === undefined) return undefined;
      const s = score(v);
      if (!s.ok) report.add(el, `risk.${key} ${show(v)} ${s.why}`);
      return s.ok ? ratingFromScore(s.value) : undefined;
    };
    const categories = strings(r.o["categories"]);
    let category: Threat["category"];
    const otherCategories: string[] = [];
    for (const c of categories) {
      const s = strideCategory(c);
      if (s && category === undefined) category = s;
      else otherCategories.push(c);
    }
    if (otherCategories.length > 0) report.add(el, `categories ${show(otherCategories)}${category ? ` (kept ${category})` : " (no STRIDE category)"}`);

    // Status: the instances' states; several different ones give the least settled.
    const found = instances.get(r.id) ?? [];
    const fromInstances = unique(
      found.flatMap((inst) => (inst.path[0] === "components" ? [compNew.get(inst.element)!] : flowNew.get(inst.element) ?? [])),
    );
    const fromList = (listed ?? []).map((t) => newZone.get(t) ?? newComp.get(t) ?? newFlow.get(t)![0]!);
    const targets = [...fromList, ...fromInstances.filter((t) => !fromList.includes(t))];
    const states = found.map((inst) => {
      const mapped = otmState(inst.state);
      const where = whereOf(inst);
      if (mapped === null) report.add(el, `state ${show(inst.state)} on ${where} (imported as open)`);
      return { status: mapped ?? "open", where };
    });
    let status: ThreatStatus;
    if (states.length === 0) {
      const listed = attrs.tmr.get("tmr.status");
      status = typeof listed === "string" && (THREAT_STATUSES as readonly string[]).includes(listed) ? (listed as ThreatStatus) : "open";
      if (listed !== undefined && status !== listed) report.add(el, `attributes.tmr.status ${show(listed)} (imported as open)`);
    } else {
      status = leastSettled(states.map((s) => s.status));
      if (new Set(states.map((s) => s.status)).size > 1) {
        report.add(el, `different states on its elements (${states.map((s) => `${s.where}: ${s.status}`).join(", ")}); imported as ${status}, the least settled`);
      }
    }

    const mitigations: string[] = [];
    const expected = status === "mitigated" ? "implemented" : "recommended";
    for (const inst of found) {
      for (const m of inst.mitigations) {
        const name = mitigationName.get(m.mitigation)!;
        if (!mitigations.includes(name)) mitigations.push(name);
        if (m.state !== null && m.state.trim().toLowerCase() !== expected) {
          report.add(el, `state ${show(m.state)} of mitigation ${m.mitigation} on ${whereOf(inst)}`);
        }
      }
    }
    const ticket = tmrText(attrs.tmr.get("tmr.ticket"), report, el, "tmr.ticket");
    const rest = [
      ...fields(risk, ["likelihood", "impact", ...defaulted.filter((d) => d.startsWith("risk.")).map((d) => d.slice(5))], "risk."),
      ...fields(r.o, ["id", "name", "description", "categories", "risk", "attributes"]),
    ];
    if (rest.length > 0) report.add(el, rest.join(", "));
    const likelihood = rating("likelihood");
    const impact = rating("impact");
    return {
      id,
      title: text(r.o["name"], report, el, "name", false) ?? id,
      ...optional("description", text(r.o["description"], report, el, "description", false)),
      ...optional("category", category),
      targets,
      ...optional("likelihood", likelihood),
      ...optional("impact", impact),
      status,
      mitigations,
      ...optional("ticket", ticket),
    };
  });
  for (const r of mitigationsRaw) {
    if (mitigationBy.get(r.id) === r && !usedMitigations.has(r.id)) report.add(`mitigation ${r.id}`, "the whole mitigation (no threat instance uses it)");
  }

  // --- the model ---
  const champions = strings(projectAttrs.tmr.get("tmr.champions")).flatMap((c) => {
    const principal = asPrincipal(c);
    if (principal === null) report.add("project", `attributes.tmr.champions ${show(c)} (not a GitHub login or team)`);
    return principal === null ? [] : [principal];
  });
  const reviewed = date(projectAttrs.tmr.get("tmr.reviewed_at"), report, "project");
  if (outside !== null) zones.push(outsideZone(outside));

  const model: ThreatModel = {
    version: 1,
    title: projectName ?? "Threat model",
    ...optional("description", text(project["description"], report, "project", "description", false)),
    ...optional("reviewed_at", reviewed),
    champions: unique(champions),
    trust_zones: zones,
    components,
    data_assets: dataAssets,
    data_flows: flows,
    threats,
  };
  zonesRaw.forEach((r, i) => pathTargets.push({ kind: "zone", ids: [zoneIds[i]!], keys: keysOf(zoneIds[i]!, r) }));
  if (outside !== null) pathTargets.push({ kind: "zone", ids: [outside], keys: [outside] });
  compsRaw.forEach((r, i) => pathTargets.push({ kind: "component", ids: [compIds[i]!], keys: keysOf(compIds[i]!, r) }));
  // Lists read late (representations, threat instances) may have been of the wrong type.
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  return { ok: true, model, notCarried: report.lines, idChanges: ids.changes, pathTargets };
}

function keysOf(id: string, r: Raw): string[] {
  return unique([id, r.id, ...(typeof r.o["name"] === "string" ? [r.o["name"]] : [])]);
}

function refString(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

/** Our `tmr.` attributes, and a report line for every other attribute. */
function attributes(o: Obj, report: NotCarried, element: string): { tmr: Map<string, unknown> } {
  const attrs = asObj(o["attributes"]) ?? {};
  const tmr = new Map<string, unknown>();
  const other: string[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("tmr.") && TMR_KEYS.has(k)) tmr.set(k, v);
    else if (v !== null && v !== undefined && v !== "") other.push(`attributes.${k} ${show(v)}`);
  }
  if (other.length > 0) report.add(element, other.join(", "));
  return { tmr };
}

const TMR_KEYS = new Set([
  "tmr.champions",
  "tmr.reviewed_at",
  "tmr.paths",
  "tmr.owners",
  "tmr.protocol",
  "tmr.authentication",
  "tmr.encrypted",
  "tmr.ticket",
  "tmr.targets",
  "tmr.status",
  "tmr.defaulted",
]);

function tmrText(v: unknown, report: NotCarried, element: string, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.trim() === "") {
    report.add(element, `attributes.${key} ${show(v)} (not a text)`);
    return undefined;
  }
  return text(v, report, element, `attributes.${key}`, false);
}

function date(v: unknown, report: NotCarried, element: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const d = asDate(v);
  if (d === null) report.add(element, `attributes.tmr.reviewed_at ${show(v)} (not an ISO date)`);
  return d ?? undefined;
}

function globList(v: unknown, report: NotCarried, element: string): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((g) => {
    if (isGlob(g)) return [g];
    report.add(element, `attributes.tmr.paths ${show(g)} (not a valid glob)`);
    return [];
  });
}

/** Globs from an element's code representations: `file` as an exact path (ours verbatim). */
function representationPaths(r: Raw, codeReps: Set<string>, report: NotCarried, element: string, p: Problems): string[] {
  const out: string[] = [];
  p.list(r.o, "representations", r.path).forEach((v) => {
    const rep = asObj(v);
    if (!rep) return;
    const file = rep["file"];
    const rest = fields(rep, ["representation", "id", "name", "position", "size", "file", "line", "attributes"]);
    if (typeof file === "string" && file.trim() !== "") {
      const ours = asObj(rep["attributes"])?.["tmr.glob"] === true;
      const glob = ours ? (isGlob(file) ? file : null) : exactPathGlob(file);
      if (glob === null) report.add(element, `code file ${show(file)} (${ours ? "not a valid glob" : "not a repository-relative path"})`);
      else out.push(glob);
      if (typeof rep["line"] === "number") report.add(element, `line ${rep["line"]} of code file ${show(file)} (paths name whole files)`);
    } else if (codeReps.has(refString(rep["representation"]))) {
      report.add(element, `code representation ${show(refString(rep["id"]))} without a file`);
    }
    if (rest.length > 0) report.add(element, `representation ${show(refString(rep["id"]))}: ${rest.join(", ")}`);
  });
  return out;
}

// =========================================================================================
// Export

/** The model as an OTM 0.2 document. The same model always gives the same document. */
export function toOtm(model: ThreatModel): Obj {
  const componentIds = new Set(model.components.map((c) => c.id));
  const flowIds = new Set(model.data_flows.map((f) => f.id));
  const attrs = (entries: [string, unknown][]): { attributes?: Obj } => {
    const kept = entries.filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
    return kept.length === 0 ? {} : { attributes: Object.fromEntries(kept) };
  };
  const description = (d: string | undefined) => (d === undefined ? {} : { description: d });

  // Threat instances go on the components and flows a threat targets.
  const instancesOn = new Map<string, Obj[]>();
  for (const t of model.threats) {
    const state = t.status;
    const mitigationState = t.status === "mitigated" ? "implemented" : "recommended";
    for (const target of unique(t.targets)) {
      if (!componentIds.has(target) && !flowIds.has(target)) continue;
      const list = instancesOn.get(target) ?? [];
      list.push({
        threat: t.id,
        state,
        ...(t.mitigations.length > 0 && { mitigations: t.mitigations.map((_, i) => ({ mitigation: mitigationId(t.id, i), state: mitigationState })) }),
      });
      instancesOn.set(target, list);
    }
  }
  const threatsOf = (id: string) => (instancesOn.has(id) ? { threats: instancesOn.get(id)! } : {});

  const hasCode = model.components.some((c) => c.paths.length > 0);
  return {
    otmVersion: OTM_VERSION,
    project: {
      name: model.title,
      id: toId(model.title) || "threat-model",
      ...description(model.description),
      ...attrs([
        ["tmr.champions", model.champions],
        ["tmr.reviewed_at", model.reviewed_at],
      ]),
    },
    ...(hasCode && { representations: [{ name: "Code", id: CODE_REPRESENTATION, type: CODE_REPRESENTATION }] }),
    assets: model.data_assets.map((d) => ({
      name: d.name,
      id: d.id,
      ...description(d.description),
      risk: { confidentiality: CONFIDENTIALITY_SCORE[d.classification], integrity: DEFAULT_SCORE, availability: DEFAULT_SCORE },
      attributes: { "tmr.defaulted": ["risk.integrity", "risk.availability"] },
    })),
    trustZones: model.trust_zones.map((z) => ({
      id: z.id,
      name: z.name,
      ...description(z.description),
      risk: { trustRating: z.trust ?? DEFAULT_SCORE },
      ...(z.parent !== null && { parent: { trustZone: z.parent } }),
      ...attrs([
        ["tmr.paths", z.paths],
        ["tmr.defaulted", z.trust === undefined ? ["risk.trustRating"] : undefined],
      ]),
    })),
    components: model.components.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      ...description(c.description),
      parent: { trustZone: c.zone },
      ...(c.paths.length > 0 && {
        representations: c.paths.map((glob, i) => ({
          representation: CODE_REPRESENTATION,
          id: `${c.id}-code-${i + 1}`,
          file: glob,
          attributes: { "tmr.glob": true },
        })),
      }),
      ...(c.data.length > 0 && { assets: { processed: [...c.data] } }),
      ...threatsOf(c.id),
      ...attrs([
        ["tmr.owners", c.owners],
        ["tmr.reviewed_at", c.reviewed_at],
      ]),
    })),
    dataflows: model.data_flows.map((f) => ({
      id: f.id,
      name: f.name,
      ...description(f.description),
      source: f.source,
      destination: f.destination,
      ...(f.data.length > 0 && { assets: [...f.data] }),
      ...threatsOf(f.id),
      ...attrs([
        ["tmr.protocol", f.protocol],
        ["tmr.authentication", f.authentication],
        ["tmr.encrypted", f.encrypted],
        ["tmr.paths", f.paths],
        ["tmr.reviewed_at", f.reviewed_at],
      ]),
    })),
    threats: model.threats.map((t) => {
      // Import reads targets from the instances: components first, then flows, in model order.
      const onInstances = [...model.components.filter((c) => t.targets.includes(c.id)), ...model.data_flows.filter((f) => t.targets.includes(f.id))].map((e) => e.id);
      const sameTargets = onInstances.length === t.targets.length && onInstances.every((id, i) => id === t.targets[i]);
      return {
        id: t.id,
        name: t.title,
        ...description(t.description),
        ...(t.category !== undefined && { categories: [t.category] }),
        risk: {
          likelihood: t.likelihood === undefined ? null : RATING_SCORE[t.likelihood],
          impact: t.impact === undefined ? DEFAULT_SCORE : RATING_SCORE[t.impact],
        },
        ...attrs([
          ["tmr.ticket", t.ticket],
          ["tmr.targets", sameTargets ? undefined : [...t.targets]],
          ["tmr.status", onInstances.length === 0 ? t.status : undefined],
          ["tmr.defaulted", t.impact === undefined ? ["risk.impact"] : undefined],
        ]),
      };
    }),
    mitigations: model.threats.flatMap((t) =>
      t.mitigations.map((m, i) => ({
        id: mitigationId(t.id, i),
        name: m,
        riskReduction: DEFAULT_SCORE,
        attributes: { "tmr.defaulted": ["riskReduction"] },
      })),
    ),
  };
}

/** OTM 0.2 JSON, two-space indented, ending with a newline; no timestamps. */
export function exportOtm(model: ThreatModel): string {
  return `${JSON.stringify(toOtm(model), null, 2)}\n`;
}

function mitigationId(threatId: string, index: number): string {
  return `${threatId}-m${index + 1}`;
}
