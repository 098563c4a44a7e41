/**
 * The signal catalog, one file per signal with its tests beside it. To add a signal: write
 * src/engine/signals/<id>.ts and <id>.test.ts, add the id to SIGNAL_IDS in types.ts, list it
 * here, and run `npm run docs` to refresh docs/signals.md.
 */
import { auth } from "./auth.js";
import { ciPrivilege } from "./ci-privilege.js";
import { commandExec } from "./command-exec.js";
import { crypto } from "./crypto.js";
import { dataStore } from "./data-store.js";
import { dependency } from "./dependency.js";
import { deserialization } from "./deserialization.js";
import { httpRoute } from "./http-route.js";
import { infraExposure } from "./infra-exposure.js";
import { outboundCall } from "./outbound-call.js";
import { secret } from "./secret.js";
import { sensitiveData } from "./sensitive-data.js";
import type { SignalDefinition } from "./types.js";

export const CATALOG: readonly SignalDefinition[] = [
  httpRoute,
  outboundCall,
  dataStore,
  auth,
  crypto,
  deserialization,
  commandExec,
  secret,
  dependency,
  sensitiveData,
  infraExposure,
  ciPrivilege,
];
