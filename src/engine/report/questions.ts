/**
 * STRIDE questions for a flow that a change touches, chosen from the flow's attributes so
 * that each one is worth answering: an unauthenticated flow into a more trusted zone is
 * asked about spoofing and elevation, sensitive data in clear about disclosure, and so on.
 */
import type { StrideCategory } from "../model/types.js";
import type { ReportFlow, ReportZone } from "./types.js";

export interface StrideQuestion {
  category: StrideCategory;
  question: string;
}

const SENSITIVE = new Set(["confidential", "secret"]);

export function isUnauthenticated(authentication: string | undefined): boolean {
  return authentication !== undefined && /^\s*(none|no|anonymous|unauthenticated|public)\s*$/i.test(authentication);
}

export function flowQuestions(flow: ReportFlow, zones: ReadonlyMap<string, ReportZone>): StrideQuestion[] {
  const out: StrideQuestion[] = [];
  const from = flow.sourceZone ? zones.get(flow.sourceZone) : undefined;
  const to = flow.destinationZone ? zones.get(flow.destinationZone) : undefined;
  const trustKnown = from?.trust !== undefined && to?.trust !== undefined;
  const intoMoreTrusted = trustKnown ? to!.trust! > from!.trust! : flow.crossesBoundary;
  const noAuth = isUnauthenticated(flow.authentication);
  const authUnknown = flow.authentication === undefined;

  if (flow.crossesBoundary && intoMoreTrusted && (noAuth || authUnknown)) {
    out.push({
      category: "spoofing",
      question: noAuth
        ? "This flow enters a more trusted zone without authentication: what stops anyone from sending it, and should it now authenticate the caller?"
        : "The model does not say how this flow authenticates its caller: who can send it, and how does the destination know who they are?",
    });
    out.push({
      category: "elevation-of-privilege",
      question: "Can a caller from the less trusted side reach actions or data beyond what it should, through this flow?",
    });
  } else if (flow.crossesBoundary && intoMoreTrusted) {
    out.push({
      category: "spoofing",
      question: `Does the change keep the flow's authentication (${flow.authentication}) on every path it adds, including error and retry paths?`,
    });
  }

  if (flow.classification !== undefined && SENSITIVE.has(flow.classification) && flow.encrypted !== true) {
    out.push({
      category: "information-disclosure",
      question:
        flow.encrypted === false
          ? `This flow carries ${flow.classification} data unencrypted: who can read it on the way, and should it be encrypted?`
          : `This flow carries ${flow.classification} data and the model does not say it is encrypted: is it, end to end?`,
    });
  } else if (flow.classification !== undefined && SENSITIVE.has(flow.classification) && (intoMoreTrusted || !flow.crossesBoundary)) {
    out.push({
      category: "information-disclosure",
      question: `Could the change expose the ${flow.classification} data this flow carries (logs, errors, caches, new fields in responses)?`,
    });
  }

  if (flow.crossesBoundary && intoMoreTrusted) {
    out.push({
      category: "tampering",
      question: "Is every input arriving over this flow validated on the trusted side (type, size, allowed values) before it is used?",
    });
    out.push({
      category: "denial-of-service",
      question: "Is this flow rate limited and bounded in size and time, so a caller from the less trusted side cannot exhaust the destination?",
    });
    out.push({
      category: "repudiation",
      question: "Are the security-relevant actions this flow triggers written to an audit log with who, what and when?",
    });
  } else if (flow.crossesBoundary) {
    out.push({
      category: "information-disclosure",
      question: `This flow leaves for a less trusted zone${flow.classification && SENSITIVE.has(flow.classification) ? ` with ${flow.classification} data` : ""}: does it send only what the destination needs, and nothing from the change that should stay inside?`,
    });
    out.push({
      category: "tampering",
      question: "Is what comes back over this flow treated as untrusted input (validated, size-limited, with timeouts)?",
    });
  }
  return out;
}
