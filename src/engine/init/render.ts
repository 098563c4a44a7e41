/**
 * The proposal as threat-model.yml: `writeModel`'s layout, then, through the yaml Document
 * API, `champions: []` with a request to fill it in and a `# review:` comment above every
 * guessed element saying what it was guessed from.
 */
import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from "yaml";
import type { ThreatModel } from "../model/types.js";
import { writeModel } from "../model/write.js";
import type { Guess } from "./types.js";

export const REVIEW_MARK = "review:";

const HEADER = [
  "Proposed by `threat-model-review init` from the repository itself: nobody has reviewed it yet.",
  `Every element marked "# ${REVIEW_MARK}" is a guess, with what it was guessed from. Check each one:`,
  "correct it or delete it, then delete its comment. Add the data each flow carries (data_assets),",
  "the threats you know of, and reviewed_at once a person has reviewed the whole model.",
  "Then run `threat-model-review validate`. The format: docs/model-format.md.",
];

const CHAMPIONS_COMMENT =
  " List the security champions who approve changes to this model: GitHub logins (alice) or teams (@org/team).";

const SECTIONS: Record<string, Guess["kind"]> = { trust_zones: "zone", components: "component", data_flows: "flow" };

export function renderProposal(model: ThreatModel, guesses: readonly Guess[]): string {
  const doc = parseDocument(writeModel(model, { header: HEADER }));
  const root = doc.contents;
  if (!isMap(root)) throw new Error("writeModel did not write a mapping");

  // champions: [] right after the title, as docs/model-format.md orders the keys.
  const champions = new YAMLSeq();
  champions.flow = true;
  const pair = doc.createPair("champions", champions);
  pair.key = doc.createNode("champions");
  if (isScalar(pair.key)) pair.key.commentBefore = CHAMPIONS_COMMENT;
  const at = root.items.findIndex((p) => isScalar(p.key) && p.key.value === "trust_zones");
  root.items.splice(at < 0 ? root.items.length : at, 0, pair as unknown as (typeof root.items)[number]);

  const reasons = new Map(guesses.map((g) => [`${g.kind}\u0000${g.id}`, g.reason]));
  for (const p of root.items) {
    if (!isScalar(p.key) || !isSeq(p.value)) continue;
    const kind = SECTIONS[String(p.key.value)];
    if (kind === undefined) continue;
    for (const item of p.value.items) {
      if (!isMap(item)) continue;
      const id = item.get("id");
      const reason = typeof id === "string" ? reasons.get(`${kind}\u0000${id}`) : undefined;
      if (reason !== undefined) item.commentBefore = ` ${REVIEW_MARK} ${oneLine(reason)}`;
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: true });
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, " ");
}
