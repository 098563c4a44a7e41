/**
 * OWASP Threat Dragon v2 JSON: actors, processes and stores become components, flows become
 * data flows, boundary boxes become zones. Membership is geometric: a cell belongs to the
 * smallest box that contains its whole bounding box, and a box nests in the smallest larger
 * box that contains it. Boundary curves have no inside, so they make no zone. Cell ids are
 * kept; several diagrams merge into one model. docs/interchange.md has the whole mapping.
 */
import type { SourceFile } from "../model/parse.js";
import type { Component, ComponentType, DataFlow, Threat, ThreatStatus, TrustZone } from "../model/types.js";
import type { PathSegment } from "../source/yaml.js";
import { OUTSIDE, optional, outsideZone } from "./build.js";
import { IdSpace } from "./ids.js";
import { strideCategory, threatDragonStatus } from "./mapping.js";
import { NotCarried, Problems, asObj, fields, readSource, show, text, unique, type Obj } from "./source.js";
import type { ImportResult, PathTarget } from "./types.js";

const NODE_TYPES: Record<string, ComponentType> = { "tm.Actor": "actor", "tm.Process": "process", "tm.Store": "datastore" };

/** Keys of a cell's `data` that the import reads (or that only repeat what it reads). */
const DATA_HANDLED: Record<string, string[]> = {
  "tm.Actor": ["type", "name", "description", "threats", "hasOpenThreats"],
  "tm.Process": ["type", "name", "description", "threats", "hasOpenThreats"],
  "tm.Store": ["type", "name", "description", "threats", "hasOpenThreats"],
  "tm.Flow": ["type", "name", "description", "threats", "hasOpenThreats", "protocol", "isEncrypted", "isBidirectional"],
  "tm.BoundaryBox": ["type", "name", "description", "isTrustBoundary", "hasOpenThreats"],
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Cell {
  o: Obj;
  data: Obj;
  id: string;
  type: string;
  diagram: number;
  /** Order in the whole file, for ties. */
  order: number;
  box: Box | null;
  path: PathSegment[];
}

interface RawThreat {
  o: Obj;
  cell: Cell;
  /** The threat's own id, when it has one. */
  id: string | null;
  path: PathSegment[];
}

export function importThreatDragon(file: SourceFile): ImportResult {
  const read = readSource(file, "json");
  if (!read.ok) return read;
  const { doc } = read;
  const p = new Problems(doc);
  const root = asObj(doc.value);
  const detail = asObj(root?.["detail"]);
  if (!root || !detail || !Array.isArray(detail["diagrams"])) {
    p.error(root && detail ? ["detail"] : root ? [] : [], "not a Threat Dragon v2 model: it has no detail.diagrams");
    return { ok: false, errors: p.errors };
  }
  const summary = p.map(root, "summary", []);

  const cells: Cell[] = [];
  const diagrams = p.list(detail, "diagrams", ["detail"]);
  diagrams.forEach((d, di) => {
    const dpath: PathSegment[] = ["detail", "diagrams", di];
    const diagram = asObj(d);
    if (!diagram) {
      p.error(dpath, `detail.diagrams[${di}]: expected a mapping`);
      return;
    }
    p.list(diagram, "cells", dpath).forEach((c, ci) => {
      const path = [...dpath, "cells", ci];
      const o = asObj(c);
      if (!o) {
        p.error(path, `diagram ${di}, cell ${ci}: expected a mapping`);
        return;
      }
      const data = asObj(o["data"]);
      if (!data) {
        if (typeof o["type"] === "string" && o["type"].startsWith("tm.")) {
          p.error(path, "this is a Threat Dragon v1 model (its cells have no data); open it in Threat Dragon 2, save it, and import that file");
        } else p.error(path, `diagram ${di}, cell ${ci}: no data (a Threat Dragon v2 cell has data.type)`);
        return;
      }
      const id = typeof o["id"] === "string" && o["id"] !== "" ? o["id"] : null;
      if (id === null) {
        p.error(path, `diagram ${di}, cell ${ci}: missing "id" (a string)`);
        return;
      }
      cells.push({ o, data, id, type: typeof data["type"] === "string" ? data["type"] : "", diagram: di, order: cells.length, box: boundsOf(o), path });
    });
  });
  if (p.errors.length > 0) return { ok: false, errors: p.errors };

  const report = new NotCarried();
  const label = (c: Cell) => `${c.type.replace(/^tm\./, "").toLowerCase() || "cell"} ${c.id}`;

  // --- model-level fields ---
  for (const f of fields(root, ["version", "summary", "detail"])) report.add("model", f);
  const summaryRest = fields(summary, ["title", "description", "id"]);
  if (summaryRest.length > 0) report.add("model", `summary: ${summaryRest.join(", ")}`);
  const contributors = (Array.isArray(detail["contributors"]) ? detail["contributors"] : []).map((c) => asObj(c)?.["name"] ?? c).filter((n) => typeof n === "string" && n !== "");
  if (contributors.length > 0) report.add("model", `contributors ${show(contributors)}`);
  const detailRest = fields(detail, ["diagrams", "contributors", "diagramTop", "threatTop"]);
  if (detailRest.length > 0) report.add("model", detailRest.join(", "));
  diagrams.forEach((d, di) => {
    const diagram = asObj(d) ?? {};
    const title = typeof diagram["title"] === "string" && diagram["title"] !== "" ? ` ${show(diagram["title"])}` : "";
    const type = typeof diagram["diagramType"] === "string" ? `, diagram type ${show(diagram["diagramType"])}` : "";
    report.add(`diagram ${di}${title}`, `the layout (positions, sizes, styles)${type}${diagrams.length > 1 ? "; its cells are merged with the other diagrams' into one model" : ""}`);
  });

  // --- sort the cells ---
  const nodes = cells.filter((c) => c.type in NODE_TYPES);
  const boxes = cells.filter((c) => c.type === "tm.BoundaryBox");
  const flowCells = cells.filter((c) => c.type === "tm.Flow");
  for (const c of cells) {
    if (c.type === "tm.Boundary") {
      const name = typeof c.data["name"] === "string" && c.data["name"] !== "" ? ` ${show(c.data["name"])}` : "";
      report.add(`boundary ${c.id}${name}`, "a boundary curve has no inside, so it makes no zone");
    } else if (c.type === "tm.Text") {
      report.add(`text ${c.id}`, `the text block ${show(c.data["name"] ?? "")}`);
    } else if (!(c.type in NODE_TYPES) && c.type !== "tm.BoundaryBox" && c.type !== "tm.Flow") {
      report.add(`cell ${c.id}`, `the whole cell (type ${show(c.type)} is not an actor, process, store, flow or boundary)`);
    }
  }
  for (const b of boxes) if (!b.box) report.add(label(b), "its position and size are missing, so nothing is inside it");

  // Flows need an actor, process or store of their own diagram at both ends.
  const nodeIn = new Map<string, Cell>();
  for (const n of nodes) if (!nodeIn.has(`${n.diagram}\u0000${n.id}`)) nodeIn.set(`${n.diagram}\u0000${n.id}`, n);
  const endOf = (c: Cell, end: "source" | "target"): Cell | undefined => {
    const ref = asObj(c.o[end])?.["cell"];
    return typeof ref === "string" ? nodeIn.get(`${c.diagram}\u0000${ref}`) : undefined;
  };
  const flowsKept = flowCells.filter((f) => {
    const missing = (["source", "target"] as const).filter((end) => !endOf(f, end));
    if (missing.length === 0) return true;
    report.add(label(f), `the whole flow (its ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not an actor, process or store)`);
    return false;
  });

  // --- threats, on components and kept flows ---
  const rawThreats: RawThreat[] = [];
  for (const c of [...nodes, ...flowsKept]) {
    const list = c.data["threats"];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      p.error([...c.path, "data", "threats"], `${label(c)}: data.threats: expected a list`);
      continue;
    }
    list.forEach((t, ti) => {
      const path = [...c.path, "data", "threats", ti];
      const o = asObj(t);
      if (!o) {
        p.error(path, `${label(c)}: threat ${ti}: expected a mapping`);
        return;
      }
      const id = typeof o["id"] === "string" && o["id"] !== "" ? o["id"] : typeof o["id"] === "number" ? String(o["id"]) : null;
      rawThreats.push({ o, cell: c, id, path });
    });
  }
  for (const f of flowCells.filter((f) => !flowsKept.includes(f))) {
    const n = Array.isArray(f.data["threats"]) ? f.data["threats"].length : 0;
    if (n > 0) report.add(label(f), `its ${n} threat${n === 1 ? "" : "s"} (the flow is not carried)`);
  }
  if (p.errors.length > 0) return { ok: false, errors: p.errors };

  // --- ids ---
  const ids = new IdSpace();
  const withId = rawThreats.filter((t) => t.id !== null);
  const kinds: [string, string[]][] = [
    ["boundary box", boxes.map((c) => c.id)],
    ["cell", nodes.map((c) => c.id)],
    ["flow", flowsKept.map((c) => c.id)],
    ["threat", withId.map((t) => t.id!)],
  ];
  const claimed = ids.claim(kinds.flatMap(([kind, list]) => list.map((source) => ({ kind, source, fallback: kind.split(" ").pop()! }))));
  let taken = 0;
  const [boxIds, nodeIds, flowIds, threatIdList] = kinds.map(([, list]) => claimed.slice(taken, (taken += list.length))) as [string[], string[], string[], string[]];
  const newId = new Map<Cell, string>();
  boxes.forEach((c, i) => newId.set(c, boxIds[i]!));
  nodes.forEach((c, i) => newId.set(c, nodeIds[i]!));
  flowsKept.forEach((c, i) => newId.set(c, flowIds[i]!));
  const threatId = new Map<RawThreat, string>();
  withId.forEach((t, i) => threatId.set(t, threatIdList[i]!));

  // --- zones: boxes, nested geometrically ---
  const area = (b: Box) => b.w * b.h;
  const smallestBoxAround = (c: Cell, eligible: (b: Cell) => boolean): Cell | undefined => {
    let best: Cell | undefined;
    for (const b of boxes) {
      if (b === c || b.diagram !== c.diagram || !b.box || !c.box || !contains(b.box, c.box) || !eligible(b)) continue;
      if (!best || area(b.box) < area(best.box!) || (area(b.box) === area(best.box!) && b.order < best.order)) best = b;
    }
    return best;
  };
  const zones: TrustZone[] = boxes.map((b) => {
    const el = label(b);
    const parent = smallestBoxAround(b, (other) => area(other.box!) > area(b.box!) || (area(other.box!) === area(b.box!) && other.order < b.order));
    const rest = fields(b.data, DATA_HANDLED["tm.BoundaryBox"]!);
    if (rest.length > 0) report.add(el, rest.join(", "));
    const id = newId.get(b)!;
    return {
      id,
      name: text(b.data["name"], report, el, "name") ?? id,
      ...optional("description", text(b.data["description"], report, el, "description")),
      parent: parent ? newId.get(parent)! : null,
      paths: [],
    };
  });
  const zoneOf = new Map<Cell, string | null>(nodes.map((n) => [n, smallestBoxAround(n, () => true) ?? null] as const).map(([n, b]) => [n, b ? newId.get(b)! : null]));
  const needOutside = zones.length === 0 || nodes.some((n) => zoneOf.get(n) === null);
  const outside = needOutside ? ids.derive("trust zone", OUTSIDE, OUTSIDE) : null;
  if (outside !== null) zones.push(outsideZone(outside));
  for (const n of nodes) if (!n.box) report.add(label(n), `its position and size are missing (placed in zone ${outside})`);

  // --- components ---
  const components: Component[] = nodes.map((n) => {
    const id = newId.get(n)!;
    const el = label(n);
    const rest = fields(n.data, DATA_HANDLED[n.type]!);
    if (rest.length > 0) report.add(el, rest.join(", "));
    return {
      id,
      name: nameOf(n, report, el) ?? id,
      ...optional("description", text(n.data["description"], report, el, "description")),
      type: NODE_TYPES[n.type]!,
      zone: zoneOf.get(n) ?? outside!,
      paths: [],
      data: [],
      owners: [],
    };
  });

  // --- flows; a bidirectional one becomes <id> and <id>-reverse ---
  const flows: DataFlow[] = [];
  const flowTargets = new Map<Cell, string[]>();
  for (const f of flowsKept) {
    const id = newId.get(f)!;
    const el = label(f);
    const rest = fields(f.data, DATA_HANDLED["tm.Flow"]!);
    if (rest.length > 0) report.add(el, rest.join(", "));
    const name = nameOf(f, report, el) ?? id;
    const encrypted = f.data["isEncrypted"];
    const flow: DataFlow = {
      id,
      name,
      ...optional("description", text(f.data["description"], report, el, "description")),
      source: newId.get(endOf(f, "source")!)!,
      destination: newId.get(endOf(f, "target")!)!,
      ...optional("protocol", text(f.data["protocol"], report, el, "protocol")),
      data: [],
      ...optional("encrypted", typeof encrypted === "boolean" ? encrypted : undefined),
      paths: [],
    };
    flows.push(flow);
    const made = [id];
    if (f.data["isBidirectional"] === true) {
      const reverseId = ids.derive("flow", `${id}-reverse`, `${id}-reverse`);
      flows.push({ ...flow, id: reverseId, name: name === id ? reverseId : `${name} (reverse)`, source: flow.destination, destination: flow.source });
      report.add(el, `bidirectional (imported as two flows, ${id} and ${reverseId})`);
      made.push(reverseId);
    }
    flowTargets.set(f, made);
  }

  // --- threats ---
  const counters = new Map<Cell, number>();
  const threats: Threat[] = rawThreats.map((t) => {
    const n = (counters.get(t.cell) ?? 0) + 1;
    counters.set(t.cell, n);
    const cellId = newId.get(t.cell)!;
    const id = threatId.get(t) ?? ids.derive("threat", `${cellId}-threat-${n}`, `${cellId}-threat-${n}`);
    const el = `threat ${id}`;
    const rawStatus = t.o["status"];
    let status: ThreatStatus = "open";
    const mapped = typeof rawStatus === "string" ? threatDragonStatus(rawStatus) : null;
    if (mapped) status = mapped;
    else if (rawStatus !== undefined && rawStatus !== null && rawStatus !== "") report.add(el, `status ${show(rawStatus)} (imported as open)`);
    const rawType = t.o["type"];
    const category = typeof rawType === "string" ? strideCategory(rawType) : null;
    if (category === null && typeof rawType === "string" && rawType.trim() !== "") report.add(el, `type ${show(rawType)} (not a STRIDE category)`);
    const rest = fields(t.o, ["id", "title", "description", "status", "type", "mitigation", "modelType", "number"]);
    if (rest.length > 0) report.add(el, rest.join(", "));
    const mitigation = text(t.o["mitigation"], report, el, "mitigation");
    return {
      id,
      title: text(t.o["title"], report, el, "title") ?? id,
      ...optional("description", text(t.o["description"], report, el, "description")),
      ...optional("category", category ?? undefined),
      targets: t.cell.type === "tm.Flow" ? flowTargets.get(t.cell)! : [cellId],
      status,
      mitigations: mitigation === undefined ? [] : [mitigation],
    };
  });

  const pathTargets: PathTarget[] = [
    ...boxes.map((b): PathTarget => ({ kind: "zone", ids: [newId.get(b)!], keys: keys(newId.get(b)!, b) })),
    ...(outside !== null ? [{ kind: "zone", ids: [outside], keys: [outside] } satisfies PathTarget] : []),
    ...nodes.map((n): PathTarget => ({ kind: "component", ids: [newId.get(n)!], keys: keys(newId.get(n)!, n) })),
    ...flowsKept.map((f): PathTarget => ({ kind: "flow", ids: flowTargets.get(f)!, keys: keys(newId.get(f)!, f) })),
  ];
  return {
    ok: true,
    model: {
      version: 1,
      title: text(summary["title"], report, "model", "summary.title") ?? "Threat model",
      ...optional("description", text(summary["description"], report, "model", "summary.description")),
      champions: [],
      trust_zones: zones,
      components,
      data_assets: [],
      data_flows: flows,
      threats,
    },
    notCarried: report.lines,
    idChanges: ids.changes,
    pathTargets,
  };
}

function keys(id: string, c: Cell): string[] {
  const name = typeof c.data["name"] === "string" ? c.data["name"] : undefined;
  return unique([id, c.id, ...(name !== undefined && name.trim() !== "" ? [name] : [])]);
}

/** The cell's name: data.name, else the label drawn on it. */
function nameOf(c: Cell, report: NotCarried, element: string): string | undefined {
  const fromData = text(c.data["name"], report, element, "name");
  if (fromData !== undefined) return fromData;
  const drawn = asObj(asObj(c.o["attrs"])?.["text"])?.["text"];
  return text(drawn, report, element, "name");
}

function boundsOf(o: Obj): Box | null {
  const pos = asObj(o["position"]);
  const size = asObj(o["size"]);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const x = num(pos?.["x"]);
  const y = num(pos?.["y"]);
  const w = num(size?.["width"] ?? o["width"]);
  const h = num(size?.["height"] ?? o["height"]);
  if (x === null || y === null || w === null || h === null || w < 0 || h < 0) return null;
  return { x, y, w, h };
}

/** True when `outer` contains the whole of `inner` (edges may touch). */
function contains(outer: Box, inner: Box): boolean {
  return outer.x <= inner.x && outer.y <= inner.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}
