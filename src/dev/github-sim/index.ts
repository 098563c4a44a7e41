/** The local GitHub: see sim.ts for the class, faults.ts for fault kinds, events.ts for payloads. */
export { GitHubSim, type CreateRepo, type GitHubSimOptions } from "./sim.js";
export type { SimRepo, CommitOptions, OpenPullRequest } from "./repo.js";
export type { Fault, FaultKind, FaultSpec, Faults } from "./faults.js";
export type { Payload } from "./events.js";
export type { RequestFilter } from "./observe.js";
export type { RateLimitState } from "./rate-limit.js";
export type { PatchLimits, RequestRecord, RepoRef } from "./state.js";
export type { DeliveryOptions, DeliveryResult } from "./webhooks.js";
export { signatureOf } from "./webhooks.js";
export type * from "./types.js";
