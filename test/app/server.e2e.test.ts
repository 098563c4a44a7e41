/**
 * The real server, as `npm start` runs it (probot run under the hood), on loopback, talking
 * to a fake GitHub through GHE_HOST, with signed deliveries. No nock here: it would block
 * loopback too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SHOP_MODEL } from "../helpers/models.js";
import { APP_ID, OWNER, REPO, pullRequestEvent } from "./harness.js";
import { FakeGitHub } from "./fake-github.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const KEY = fileURLToPath(new URL("../fixtures/test-key.pem", import.meta.url));
const SECRET = "e2e-webhook-secret";
const BASE = "b".repeat(40);
const HEAD = "a".repeat(40);

let gh: FakeGitHub;
let ghServer: Server;
let app: ChildProcess;
let appPort: number;
let output = "";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function startServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["dist/app/start.js"], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"] ?? "", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return child;
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ping`);
      if ((await res.text()) === "PONG") return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not answer /ping:\n${output}`);
}

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function deliver(payload: unknown, opts: { signature?: string; event?: string; id?: string } = {}): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`http://127.0.0.1:${appPort}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": opts.event ?? "pull_request",
      "x-github-delivery": opts.id ?? `e2e-${Math.random()}`,
      "x-hub-signature-256": opts.signature ?? sign(body),
    },
    body,
  });
}

beforeAll(async () => {
  gh = new FakeGitHub(OWNER, REPO, APP_ID);
  gh.config = "mode: enforce\n";
  gh.commit(BASE, { "threat-model.yml": SHOP_MODEL }).commit(HEAD, { "threat-model.yml": SHOP_MODEL });
  gh.branches.set("main", BASE);
  gh.files = [{ filename: "apps/web/src/routes/refunds.ts", status: "added", patch: "@@ -0,0 +1,2 @@\n+import { router } from \"./router\";\n+router.post(\"/refunds\", refund);" }];
  const listening = await gh.listen();
  ghServer = listening.server;
  appPort = await freePort();
  app = startServer({
    APP_ID: String(APP_ID),
    PRIVATE_KEY_PATH: KEY,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: `127.0.0.1:${listening.port}`,
    GHE_PROTOCOL: "http",
    PORT: String(appPort),
    HOST: "127.0.0.1",
  });
  await waitForPing(appPort);
}, 30_000);

afterAll(async () => {
  app?.kill("SIGTERM");
  await new Promise<void>((r) => ghServer?.close(() => r()));
});

afterEach(() => {
  gh.requests.length = 0;
});

describe("the real server", () => {
  it("answers /ping with PONG", async () => {
    const res = await fetch(`http://127.0.0.1:${appPort}/ping`);
    expect(await res.text()).toBe("PONG");
  });

  it("refuses a delivery with a bad signature: 400 and not one API call", async () => {
    const res = await deliver(pullRequestEvent({ head: HEAD, base: BASE }), { signature: sign("something else") });
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(gh.requests).toEqual([]);
  });

  it("refuses an unsigned delivery", async () => {
    const res = await deliver(pullRequestEvent({ head: HEAD, base: BASE }), { signature: "" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(gh.requests).toEqual([]);
  });

  it("reviews a signed pull request delivery end to end, through GHE_HOST", async () => {
    const res = await deliver(pullRequestEvent({ head: HEAD, base: BASE }));
    expect(res.status).toBe(200);
    const runs = [...gh.checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ head_sha: HEAD, status: "completed", conclusion: "action_required" });
    expect(gh.comments).toHaveLength(1);
    expect(gh.reviews).toHaveLength(1);
    // Installation token, then REST only.
    expect(gh.requests[0]).toMatchObject({ method: "POST", path: expect.stringMatching(/^\/app\/installations\/\d+\/access_tokens$/) });
  });
});

describe("start-up checks", () => {
  it("refuses to start in production without WEBHOOK_SECRET", async () => {
    const port = await freePort();
    let log = "";
    const child = spawn(process.execPath, ["dist/app/start.js"], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY_PATH: KEY, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(1);
    expect(log).toContain("WEBHOOK_SECRET is not set");
  });
});
