/**
 * `npm start`: Probot's `run` with this App, after the checks Probot does not do itself.
 * Probot reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST,
 * GHE_PROTOCOL, PORT, HOST, LOG_LEVEL, LOG_FORMAT and REDIS_URL from the environment.
 */
import { run } from "probot";
import app from "./index.js";

if (process.env["NODE_ENV"] === "production" && !process.env["WEBHOOK_SECRET"]) {
  process.stderr.write("threat-model-review: WEBHOOK_SECRET is not set; refusing to start in production (Probot would accept deliveries signed with \"development\").\n");
  process.exit(1);
}

run(app).catch((e: unknown) => {
  process.stderr.write(`threat-model-review: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
