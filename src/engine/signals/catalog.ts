/**
 * The signal catalog, one file per signal. To add a signal: write src/engine/signals/<id>.ts
 * and its test beside it, add the id to SIGNAL_IDS in types.ts, and list it here.
 */
import { httpRoute } from "./http-route.js";
import type { SignalDefinition } from "./types.js";

export const CATALOG: readonly SignalDefinition[] = [httpRoute];
