/**
 * The real App server, started the way a deployment starts it (`node dist/app/start.js`,
 * which is what `npm start` runs), pointed at a local GitHub through GHE_HOST, with a
 * throwaway key and secret. Used by the demo and the reliability suite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcessOptions {
  /** host:port of the GitHub to talk to (served over http). */
  githubHost: string;
  appId?: number;
  secret?: string;
  redisUrl?: string;
  logLevel?: string;
  env?: Record<string, string>;
}

export interface AppProcess {
  url: string;
  webhookUrl: string;
  secret: string;
  appId: number;
  pid: number;
  /** Everything the server logged. */
  log(): string;
  /** Peak resident memory so far, in bytes (Linux /proc), or null where unknown. */
  peakMemory(): number | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let key: string | undefined;
/** One throwaway RSA key per process: the App signs its JWTs with it; the local GitHub does not check them. */
function throwawayKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return key;
}

export async function startApp(options: AppProcessOptions): Promise<AppProcess> {
  const port = await freePort();
  const appId = options.appId ?? 4242;
  const secret = options.secret ?? `secret-${Math.random().toString(36).slice(2)}`;
  let output = "";
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "/tmp",
    NO_SMEE_SETUP: "true",
    APP_ID: String(appId),
    PRIVATE_KEY: throwawayKey(),
    WEBHOOK_SECRET: secret,
    GHE_HOST: options.githubHost,
    GHE_PROTOCOL: "http",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel ?? "warn",
    LOG_FORMAT: "json",
    ...(options.redisUrl && { REDIS_URL: options.redisUrl }),
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, ["dist/app/start.js"], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on("exit", () => (exited = true));
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      /* gone, or not Linux */
    }
  };
  const sampler = setInterval(sample, 200);
  sampler.unref();

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`the App server exited while starting:\n${output}`);
    try {
      const res = await fetch(`${url}/ping`);
      if ((await res.text()) === "PONG") break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the App server did not answer /ping within 20 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    secret,
    appId,
    pid: child.pid!,
    log: () => output,
    peakMemory: () => {
      sample();
      return peak > 0 ? peak : null;
    },
    stop: async () => {
      clearInterval(sampler);
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
