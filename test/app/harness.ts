/* eslint-disable @typescript-eslint/no-explicit-any -- webhook payloads are edited as plain JSON here; their shapes come from GitHub's published examples. */
/**
 * Building a test App the way stack.md says works on this machine: throttling and retries
 * off (unless a test turns retries on), a throwaway key, and real webhook payloads from
 * @octokit/webhooks-examples adapted to the scenario.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/app/index.js";
import { MemoryCoordinator } from "../../src/app/coordinator.js";

export const APP_ID = 123;
export const OWNER = "acme";
export const REPO = "shop";
export const TODAY = "2026-11-27";
export const STATE_KEY = "test-state-key";
const privateKey = readFileSync(new URL("../fixtures/test-key.pem", import.meta.url), "utf8");

export function testProbot(options: { retries?: number } = {}): { probot: Probot; coordinator: MemoryCoordinator; ready: Promise<void> } {
  const retry = options.retries ? { enabled: true, retries: options.retries, retryAfterBaseValue: 1 } : { enabled: false };
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry,
      throttle: { ...(o["throttle"] as object), enabled: false },
    })),
  });
  const coordinator = new MemoryCoordinator();
  const ready = probot.load(createApp({ appId: APP_ID, stateKey: STATE_KEY, coordinator, today: () => TODAY, now: () => new Date(`${TODAY}T12:00:00Z`) }));
  return { probot, coordinator, ready };
}

type Example = { name: string; examples: Record<string, unknown>[] };
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Example[];

/** A published example payload for `event`.`action`, with an installation, deep-copied. */
export function example(event: string, action?: string): Record<string, any> {
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find((e) => (action === undefined || e["action"] === action) && e["installation"]);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found) as Record<string, any>;
}

export interface PullRequestShape {
  action?: string;
  number?: number;
  head: string;
  base: string;
  updatedAt?: string;
  changedFiles?: number;
  draft?: boolean;
  fork?: boolean;
  sender?: string;
}

export function pullRequestEvent(shape: PullRequestShape): Record<string, any> {
  const payload = example("pull_request", "opened");
  payload["action"] = shape.action ?? "opened";
  const pr = payload["pull_request"];
  const number = shape.number ?? 7;
  payload["number"] = number;
  pr.number = number;
  pr.state = "open";
  pr.draft = shape.draft ?? false;
  pr.head.sha = shape.head;
  pr.base.sha = shape.base;
  pr.base.ref = "main";
  pr.updated_at = shape.updatedAt ?? "2026-11-27T10:00:00Z";
  pr.changed_files = shape.changedFiles ?? 1;
  payload["repository"].name = REPO;
  payload["repository"].full_name = `${OWNER}/${REPO}`;
  payload["repository"].owner.login = OWNER;
  pr.base.repo.name = REPO;
  pr.base.repo.owner.login = OWNER;
  pr.base.repo.default_branch = "main";
  payload["repository"].default_branch = "main";
  if (shape.fork) {
    pr.head.repo = { ...pr.base.repo, name: REPO, full_name: `mallory/${REPO}`, owner: { ...pr.base.repo.owner, login: "mallory" }, fork: true };
    pr.user.login = "mallory";
  }
  if (shape.sender) payload["sender"].login = shape.sender;
  return payload;
}

let deliveries = 0;
export function deliveryId(): string {
  deliveries++;
  return `delivery-${deliveries}-${Date.now()}`;
}
