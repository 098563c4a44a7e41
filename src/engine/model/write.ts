/**
 * Writing a ThreatModel as threat-model.yml, version 1: keys in the order of
 * docs/model-format.md, defaults left out (a name equal to the id, status open, empty lists,
 * a null parent), short lists of ids and globs on one line. The same model always gives the
 * same text, and parseModel reads it back as the same model.
 */
import { Document, isMap, isPair, isScalar, isSeq, visit } from "yaml";
import type { Component, DataAsset, DataFlow, Threat, ThreatModel, TrustZone } from "./types.js";

export const DEFAULT_TITLE = "Threat model";

/** Lists written on one line (`data: [card, session]`); mitigations are not among them. */
const FLOW_LISTS = new Set(["champions", "paths", "data", "owners", "targets"]);
const SECTIONS = ["trust_zones", "components", "data_assets", "data_flows", "threats"];

type Entry = Record<string, unknown>;

export interface WriteOptions {
  /** Comment lines written above the model (without "# "). */
  header?: readonly string[];
}

export function writeModel(model: ThreatModel, options: WriteOptions = {}): string {
  const root: Entry = { version: 1 };
  set(root, "title", model.title === DEFAULT_TITLE ? undefined : model.title);
  set(root, "description", model.description);
  set(root, "reviewed_at", model.reviewed_at);
  list(root, "champions", model.champions);
  root["trust_zones"] = model.trust_zones.map(zone);
  list(root, "components", model.components.map(component));
  list(root, "data_assets", model.data_assets.map(dataAsset));
  list(root, "data_flows", model.data_flows.map(flow));
  list(root, "threats", model.threats.map(threat));

  const doc = new Document(root);
  visit(doc, {
    Seq(_key, node, path) {
      const parent = path[path.length - 1];
      if (!isPair(parent) || !isScalar(parent.key)) return;
      const key = String(parent.key.value);
      if (FLOW_LISTS.has(key)) node.flow = true;
      // Globs are quoted, as docs/model-format.md writes them.
      if (key === "paths") for (const item of node.items) if (isScalar(item)) item.type = "QUOTE_DOUBLE";
    },
  });
  // Top-level sections start after a blank line, as in docs/model-format.md.
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && SECTIONS.includes(String(pair.key.value)) && isSeq(pair.value)) pair.key.spaceBefore = true;
    }
  }
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: true });
  // eslint-disable-next-line no-control-regex
  const header = (options.header ?? []).map((l) => l.replace(/[\u0000-\u001f\u007f]+/g, " ")).map((l) => (l === "" ? "#\n" : `# ${l}\n`)).join("");
  return `${header}${body}`;
}

function set(o: Entry, key: string, value: unknown): void {
  if (value !== undefined && value !== null) o[key] = value;
}

function list(o: Entry, key: string, value: readonly unknown[]): void {
  if (value.length > 0) o[key] = [...value];
}

function named(o: Entry, e: { id: string; name: string; description?: string }): void {
  o["id"] = e.id;
  if (e.name !== e.id) o["name"] = e.name;
  set(o, "description", e.description);
}

function zone(z: TrustZone): Entry {
  const o: Entry = {};
  named(o, z);
  set(o, "trust", z.trust);
  set(o, "parent", z.parent);
  list(o, "paths", z.paths);
  return o;
}

function component(c: Component): Entry {
  const o: Entry = {};
  named(o, c);
  o["type"] = c.type;
  o["zone"] = c.zone;
  list(o, "paths", c.paths);
  list(o, "data", c.data);
  list(o, "owners", c.owners);
  set(o, "reviewed_at", c.reviewed_at);
  return o;
}

function dataAsset(d: DataAsset): Entry {
  const o: Entry = {};
  named(o, d);
  o["classification"] = d.classification;
  return o;
}

function flow(f: DataFlow): Entry {
  const o: Entry = {};
  named(o, f);
  o["source"] = f.source;
  o["destination"] = f.destination;
  set(o, "protocol", f.protocol);
  list(o, "data", f.data);
  set(o, "authentication", f.authentication);
  set(o, "encrypted", f.encrypted);
  list(o, "paths", f.paths);
  set(o, "reviewed_at", f.reviewed_at);
  return o;
}

function threat(t: Threat): Entry {
  const o: Entry = { id: t.id };
  if (t.title !== t.id) o["title"] = t.title;
  set(o, "description", t.description);
  set(o, "category", t.category);
  o["targets"] = [...t.targets];
  set(o, "likelihood", t.likelihood);
  set(o, "impact", t.impact);
  if (t.status !== "open") o["status"] = t.status;
  list(o, "mitigations", t.mitigations);
  set(o, "ticket", t.ticket);
  return o;
}
