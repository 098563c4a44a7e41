/**
 * The HTTP side: every request is recorded, authenticated, given to a fault if one takes
 * it, checked against the rate limit, routed, and answered with GitHub's headers
 * (x-github-request-id, x-ratelimit-*, etag on GETs, Link on pages). A GET whose
 * If-None-Match matches is answered 304 and not charged. Paths work with and without the
 * /api/v3 prefix of GitHub Enterprise Server; /_sim/* is the simulator's own control API.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthError, bucketKey, type Identity } from "./auth.js";
import { handleControl } from "./control.js";
import type { Fault } from "./faults.js";
import { HttpError, type SimResponse } from "./respond.js";
import { match, type RouteContext } from "./router.js";
import { ROUTES } from "./routes/index.js";
import type { RequestRecord, SimState } from "./state.js";

const BODY_LIMIT = 64 * 1024 * 1024;
const PREFIX = "/api/v3";

export class SimServer {
  private server: Server | null = null;
  /** After close, requests still in flight (slow faults) fail quietly: their repositories are gone. */
  private closed = false;

  constructor(
    private readonly state: SimState,
    private readonly log: (message: string) => void,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((req, res) => {
      res.on("error", () => undefined);
      this.handle(req, res).catch((e: unknown) => {
        if (!this.closed) this.log(`github-sim: unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: "simulator error" }));
      });
    });
    server.keepAliveTimeout = 5_000;
    server.maxHeadersCount = 200;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.closed = true;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const prefixed = url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`);
    // Decoded once, so a contents path reads the same whether or not the client encoded its slashes.
    let path = decodePath(prefixed ? url.pathname.slice(PREFIX.length) || "/" : url.pathname);
    if (path.length > 1) path = path.replace(/\/+$/, "");
    const method = (req.method ?? "GET").toUpperCase();
    const raw = await readBody(req);

    if (path === "/_sim" || path.startsWith("/_sim/")) {
      const answer = raw === null ? tooLarge() : handleControl(this.state, method, path, url.searchParams, parseJson(raw ?? Buffer.alloc(0)));
      return send(res, answer.status, JSON.stringify(answer.json ?? null), { "content-type": "application/json; charset=utf-8" });
    }

    const requestId = newRequestId();
    const matched = match(ROUTES, method, path);
    const record: RequestRecord = {
      seq: this.state.seq(),
      method,
      path,
      query: url.search,
      route: matched?.route.name ?? null,
      status: 0,
      counted: false,
      installationId: null,
      body: undefined,
      fault: null,
      requestId,
      ms: 0,
    };
    this.state.requests.push(record);
    const finish = (status: number, counted: boolean) => {
      record.status = status;
      record.counted = counted;
      record.ms = Math.round(performance.now() - started);
    };
    const base: Record<string, string> = {
      "x-github-request-id": requestId,
      "x-github-api-version-selected": "2022-11-28",
      "x-github-media-type": "github.v3; format=json",
    };

    let identity: Identity;
    try {
      identity = this.state.tokens.identify(req.headers.authorization);
    } catch (e) {
      const error = new HttpError(401, e instanceof AuthError ? e.message : "Bad credentials");
      finish(401, false);
      return sendJson(res, 401, error.body(), base);
    }
    if (identity.kind === "installation") record.installationId = identity.installationId;
    // A token request is on behalf of the installation it names: count it with that installation.
    else if (matched?.params["installation_id"]) record.installationId = Number(matched.params["installation_id"]) || null;
    const bucket = bucketKey(identity);
    const limits = () => rateLimitHeaders(this.state, bucket);

    if (raw === null) {
      finish(413, false);
      return sendJson(res, 413, tooLarge().json, { ...base, ...limits() });
    }
    const parsed = raw.length > 0 ? parseJson(raw) : undefined;
    if (method !== "GET") record.body = parsed;
    if (method !== "GET" && parsed instanceof Error) {
      finish(400, false);
      return sendJson(res, 400, new HttpError(400, "Problems parsing JSON").body(), { ...base, ...limits() });
    }

    const fault = this.state.faults.take(method, path);
    if (fault) {
      record.fault = fault.kind;
      if (fault.kind === "slow") await delay(fault.ms ?? 1_000);
      if (fault.kind === "drop" && !fault.afterApply) {
        finish(0, false);
        req.socket.destroy();
        return;
      }
      if (fault.kind === "status" || fault.kind === "secondary-rate-limit") {
        const { status, body, headers } = faultAnswer(fault, requestId);
        finish(status, false);
        return sendJson(res, status, body, { ...base, ...limits(), ...headers });
      }
    }

    if (identity.kind === "anonymous" && method !== "GET" && matched) {
      finish(401, false);
      return sendJson(res, 401, new HttpError(401, "Requires authentication").body(), { ...base, ...limits() });
    }
    const free = matched?.route.name === "GET /rate_limit";
    if (!free && this.state.rateLimits.exhausted(bucket)) {
      finish(403, false);
      const who = identity.kind === "installation" ? `installation ID ${identity.installationId}` : identity.kind === "anonymous" ? "your IP address" : "this credential";
      return sendJson(res, 403, new HttpError(403, `API rate limit exceeded for ${who}.`).body(), { ...base, ...limits() });
    }

    let response: SimResponse;
    if (!matched) {
      response = { status: 404, json: new HttpError(404, `Not Found: github-sim has no route for ${method} ${path}`).body() };
    } else {
      const link = (query: URLSearchParams) => `http://${req.headers.host ?? "127.0.0.1"}${prefixed ? PREFIX : ""}${encodeURI(path)}?${query.toString()}`;
      const ctx: RouteContext = { state: this.state, method, path, params: matched.params, query: url.searchParams, body: parsed instanceof Error ? undefined : parsed, headers: req.headers, identity, link };
      try {
        response = await matched.route.handle(ctx);
      } catch (e) {
        if (e instanceof HttpError) response = { status: e.status, json: e.body() };
        else {
          if (!this.closed) this.log(`github-sim: ${method} ${path} failed: ${e instanceof Error ? e.stack : String(e)}`);
          response = { status: 500, json: new HttpError(500, `github-sim failed to serve ${method} ${path}: ${e instanceof Error ? e.message : String(e)}`).body() };
        }
      }
    }

    let bytes: Buffer = response.raw ? response.raw.body : Buffer.from(JSON.stringify(response.json ?? null), "utf8");
    const headers: Record<string, string> = {
      ...base,
      "content-type": response.raw ? response.raw.contentType : "application/json; charset=utf-8",
      ...(response.raw && { "x-github-media-type": "github.v3; param=raw" }),
      ...response.headers,
    };
    let status = response.status;
    if (method === "GET") {
      headers["cache-control"] = "private, max-age=60, s-maxage=60";
      headers["vary"] = "Accept, Authorization, Cookie, X-GitHub-OTP";
      if (status === 200) {
        const etag = `W/"${createHash("sha256").update(headers["content-type"]!).update(bytes).digest("hex")}"`;
        headers["etag"] = etag;
        if (etagMatches(req.headers["if-none-match"], etag)) {
          status = 304;
          bytes = Buffer.alloc(0);
          delete headers["content-type"];
        }
      }
    }
    const counted = status !== 304 && !free;
    if (counted) this.state.rateLimits.charge(bucket);
    Object.assign(headers, limits());

    if (fault?.kind === "drop") {
      finish(0, counted);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "apply-then-fail") {
      const failed = fault.status ?? 502;
      finish(failed, counted);
      return sendJson(res, failed, new HttpError(failed, fault.message ?? serverMessage(failed)).body(), { ...base, ...limits() });
    }
    finish(status, counted);
    send(res, status, bytes, headers);
  }
}

function faultAnswer(fault: Fault, requestId: string): { status: number; body: unknown; headers: Record<string, string> } {
  if (fault.kind === "secondary-rate-limit") {
    const status = fault.status ?? 403;
    const message =
      fault.message ??
      `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
    const retryAfter = fault.retryAfter === undefined ? 60 : fault.retryAfter;
    return { status, body: new HttpError(status, message).body(), headers: retryAfter === null ? {} : { "retry-after": String(retryAfter) } };
  }
  const status = fault.status ?? 500;
  return { status, body: new HttpError(status, fault.message ?? serverMessage(status)).body(), headers: {} };
}

function serverMessage(status: number): string {
  return { 500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" }[status] ?? `Simulated ${status}`;
}

function rateLimitHeaders(state: SimState, bucket: string): Record<string, string> {
  const r = state.rateLimits.peek(bucket);
  return {
    "x-ratelimit-limit": String(r.limit),
    "x-ratelimit-remaining": String(r.remaining),
    "x-ratelimit-used": String(r.used),
    "x-ratelimit-reset": String(r.reset),
    "x-ratelimit-resource": r.resource,
  };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

function newRequestId(): string {
  const hex = (n: number) => randomBytes(n).toString("hex").toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}

/** The body, or null when it is over the limit. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function tooLarge(): SimResponse {
  return { status: 413, json: new HttpError(413, "Request body too large").body() };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  send(res, status, Buffer.from(JSON.stringify(body), "utf8"), { ...headers, "content-type": "application/json; charset=utf-8" });
}

function send(res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (status === 304 || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(bytes);
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
