/* eslint-disable @typescript-eslint/no-explicit-any -- webhook payloads are plain JSON. */
/**
 * A small stateful GitHub for the App's tests: every REST request the App makes is routed
 * here, recorded (method, path, body), and answered from in-memory state the test sets up:
 * config, file contents per commit, the pull request's files, comments and reviews.
 * Handler tests serve it through nock (`install`); the end-to-end test serves it over
 * HTTP on loopback (`listen`), where the real server reaches it through GHE_HOST.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";

export const API = "https://api.github.com";

export interface PullFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
}

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number } | null;
}

type Failure = { status: number; times: number; match: RegExp; method?: string; afterApplying?: boolean; message?: string };

export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly checkRuns = new Map<number, { name: string; head_sha: string; status: string; conclusion?: string; output?: { title: string; summary: string; annotations?: unknown[] }; annotations: unknown[] }>();
  readonly comments: Comment[] = [];
  readonly reviews: { commit_id: string; event: string; body: string; comments: { path: string; line: number; side: string; body: string }[] }[] = [];
  /** path -> text at each commit sha. */
  readonly contents = new Map<string, Map<string, string>>();
  files: PullFile[] = [];
  /** What a compare of "base...head" lists, when it is not the pull request's files. */
  readonly compareFiles = new Map<string, PullFile[]>();
  config: string | null = null;
  orgConfig: string | null = null;
  trees = new Map<string, { path: string; sha: string }[]>();
  /** Pull requests by number (for pulls.get and pulls.list). */
  readonly pulls = new Map<number, { number: number; state: string; draft: boolean; updated_at: string; changed_files: number; head: { sha: string }; base: { sha: string; ref: string } }>();
  /** Reviews people submitted (the App's own COMMENT reviews are in `reviews`). */
  readonly submittedReviews: { id: number; user: { login: string; type: string }; state: string; commit_id: string; submitted_at: string }[] = [];
  /** "org/slug" -> login -> membership state. */
  readonly teamMembers = new Map<string, Map<string, "active" | "pending">>();
  readonly reviewRequests: { reviewers?: string[]; team_reviewers?: string[] }[] = [];
  readonly reactions: { comment_id: number; content: string }[] = [];
  /** A commit's first parent, for re-runs of checks on commits without a pull request. */
  readonly parents = new Map<string, string>();
  mergeBase = "";
  private nextId = 1000;
  private failures: Failure[] = [];

  constructor(readonly owner: string, readonly repo: string, readonly appId = 123) {}

  /** Set the files of a commit. */
  commit(sha: string, files: Record<string, string>): this {
    this.contents.set(sha, new Map(Object.entries(files)));
    return this;
  }

  /** Make requests whose path matches fail with `status`, `times` times (Infinity: for good). */
  fail(match: RegExp, status: number, times = 1, method?: string, message?: string): this {
    this.failures.push({ match, status, times, ...(method && { method }), ...(message && { message }) });
    return this;
  }

  /** Like `fail`, but the request takes effect before the error is answered (a write that landed). */
  failAfterApplying(match: RegExp, status: number, method: string, times = 1): this {
    this.failures.push({ match, status, times, method, afterApplying: true });
    return this;
  }

  /** Stamp a pull_request event with what GitHub would say about it now (its comment count). */
  stamp(payload: Record<string, any>): Record<string, any> {
    if (payload["pull_request"]) {
      payload["pull_request"].comments = this.comments.length;
      const base = payload["pull_request"].base as { ref?: string; sha?: string } | undefined;
      if (base?.ref && base.sha) this.branches.set(base.ref, base.sha);
    }
    return payload;
  }

  /** A branch name to the commit it points at (the base of the last pull request seen on it). */
  readonly branches = new Map<string, string>();
  /** Branches deleted since their events were sent: a ref naming one resolves to nothing. */
  readonly goneBranches = new Set<string>();

  private resolve(full: string): string {
    const ref = full.replace(/^refs\/heads\//, "");
    if (this.goneBranches.has(ref)) return full;
    if (this.contents.has(ref)) return ref;
    return this.branches.get(ref) ?? [...this.pulls.values()].find((p) => p.base.ref === ref)?.base.sha ?? ref;
  }

  /** Requests counted against the rate limit (all of them: nothing here answers 304). */
  count(): number {
    return this.requests.length;
  }

  install(): nock.Scope {
    const scope = nock(API).persist();
    const handle = (method: string) =>
      function (this: unknown, uri: string, body: unknown) {
        return self.route(method, uri, body);
      };
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    scope.get(/.*/).reply(handle("GET"));
    scope.post(/.*/).reply(handle("POST"));
    scope.patch(/.*/).reply(handle("PATCH"));
    scope.put(/.*/).reply(handle("PUT"));
    scope.delete(/.*/).reply(handle("DELETE"));
    return scope;
  }

  /** Serve over HTTP on 127.0.0.1, as GitHub Enterprise Server would (API under /api/v3). */
  async listen(): Promise<{ server: Server; port: number }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: unknown = raw;
        try {
          body = raw ? JSON.parse(raw) : "";
        } catch {
          /* keep the text */
        }
        const uri = (req.url ?? "/").replace(/^\/api\/v3/, "");
        const [status, payload, headers] = this.route(req.method ?? "GET", uri, body);
        const text = typeof payload === "string" ? payload : JSON.stringify(payload);
        res.writeHead(status, { "content-type": typeof payload === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", ...headers });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }

  route(method: string, uri: string, body: unknown): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, API);
    const path = decodeURIComponent(url.pathname);
    this.requests.push({ method, path: `${path}${url.search}`, body });
    const failure = this.failures.find((f) => f.times > 0 && f.match.test(path) && (!f.method || f.method === method));
    if (failure) {
      failure.times--;
      if (failure.afterApplying) this.apply(method, uri, body, url, path);
      return [failure.status, { message: failure.message ?? `simulated ${failure.status}` }, { "x-github-request-id": "ABCD:1234:FAKE" }];
    }
    return this.apply(method, uri, body, url, path);
  }

  private apply(method: string, _uri: string, body: unknown, url: URL, path: string): [number, unknown, Record<string, string>?] {
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpExecArray | null;

    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: "ghs_test", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} }];
    }
    // Config, raw, from the default branch (no ref) of the repository or the owner's .github.
    if (method === "GET" && path === `${repoPrefix}/contents/.github/threat-model-review.yml` && !url.searchParams.has("ref")) {
      return this.config === null ? [404, { message: "Not Found" }] : [200, this.config, { "content-type": "text/plain; charset=utf-8" }];
    }
    if (method === "GET" && path === `/repos/${this.owner}/.github/contents/.github/threat-model-review.yml`) {
      return this.orgConfig === null ? [404, { message: "Not Found" }] : [200, this.orgConfig, { "content-type": "text/plain; charset=utf-8" }];
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/contents/(.+)$`).exec(path))) {
      const ref = url.searchParams.get("ref") ?? "";
      const commit = this.contents.get(this.resolve(ref));
      if (ref.startsWith("refs/heads/") && !commit) return [404, { message: `No commit found for the ref ${ref}` }];
      const text = commit?.get(m[1]!);
      if (text === undefined) return [404, { message: "Not Found" }];
      const size = Buffer.byteLength(text);
      return [200, { type: "file", path: m[1], size, encoding: size > 1_000_000 ? "none" : "base64", content: size > 1_000_000 ? "" : Buffer.from(text).toString("base64") }];
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/pulls/(\\d+)/files$`).exec(path))) {
      return this.page(url, this.files, `${repoPrefix}/pulls/${m[1]}/files`);
    }
    if (method === "POST" && path === `${repoPrefix}/check-runs`) {
      const b = body as { name: string; head_sha: string; status?: string; conclusion?: string; output?: { title: string; summary: string; annotations?: unknown[] } };
      const id = this.nextId++;
      this.checkRuns.set(id, { name: b.name, head_sha: b.head_sha, status: b.conclusion ? "completed" : (b.status ?? "queued"), ...(b.conclusion && { conclusion: b.conclusion }), ...(b.output && { output: b.output }), annotations: [...(b.output?.annotations ?? [])] });
      return [201, { id, name: b.name, head_sha: b.head_sha }];
    }
    if (method === "PATCH" && (m = new RegExp(`^${escape(repoPrefix)}/check-runs/(\\d+)$`).exec(path))) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) return [404, { message: "Not Found" }];
      const b = body as { status?: string; conclusion?: string; output?: { title: string; summary: string; annotations?: unknown[] } };
      if (b.conclusion) {
        run.conclusion = b.conclusion;
        run.status = "completed";
      }
      if (b.output) {
        run.output = b.output;
        run.annotations.push(...(b.output.annotations ?? []));
      }
      return [200, { id: Number(m[1]) }];
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/issues/(\\d+)/comments$`).exec(path))) {
      return this.page(url, this.comments, `${repoPrefix}/issues/${m[1]}/comments`);
    }
    if (method === "POST" && new RegExp(`^${escape(repoPrefix)}/issues/\\d+/comments$`).test(path)) {
      const c: Comment = { id: this.nextId++, body: (body as { body: string }).body, user: { login: "threat-model-review[bot]", type: "Bot" }, performed_via_github_app: { id: this.appId } };
      this.comments.push(c);
      return [201, c];
    }
    if (method === "PATCH" && (m = new RegExp(`^${escape(repoPrefix)}/issues/comments/(\\d+)$`).exec(path))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { message: "Not Found" }];
      c.body = (body as { body: string }).body;
      return [200, c];
    }
    if (method === "POST" && new RegExp(`^${escape(repoPrefix)}/pulls/\\d+/reviews$`).test(path)) {
      this.reviews.push(body as FakeGitHub["reviews"][number]);
      return [200, { id: this.nextId++ }];
    }
    if (method === "GET" && new RegExp(`^${escape(repoPrefix)}/pulls/\\d+/reviews$`).test(path)) {
      const own = this.reviews.map((r, i) => ({ id: 5000 + i, user: { login: "threat-model-review[bot]", type: "Bot" }, state: "COMMENTED", body: r.body, commit_id: r.commit_id, submitted_at: "2026-11-27T00:00:00Z" }));
      return this.page(url, [...own, ...this.submittedReviews], path);
    }
    if (method === "POST" && new RegExp(`^${escape(repoPrefix)}/pulls/\\d+/requested_reviewers$`).test(path)) {
      this.reviewRequests.push(body as { reviewers?: string[]; team_reviewers?: string[] });
      return [201, {}];
    }
    if (method === "GET" && (m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path))) {
      const state = this.teamMembers.get(`${m[1]}/${m[2]}`.toLowerCase())?.get(m[3]!.toLowerCase());
      return state ? [200, { state, role: "member" }] : [404, { message: "Not Found" }];
    }
    if (method === "POST" && (m = new RegExp(`^${escape(repoPrefix)}/issues/comments/(\\d+)/reactions$`).exec(path))) {
      this.reactions.push({ comment_id: Number(m[1]), content: (body as { content: string }).content });
      return [201, { id: this.nextId++ }];
    }
    if (method === "GET" && new RegExp(`^${escape(repoPrefix)}/pulls/\\d+/comments$`).test(path)) {
      // Review comments carry no performed_via_github_app field on GitHub.
      const all = this.reviews.flatMap((r) => r.comments.map((c) => ({ ...c, user: { login: "threat-model-review[bot]", type: "Bot" } })));
      return this.page(url, all, path);
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/pulls/(\\d+)$`).exec(path))) {
      const pr = this.pulls.get(Number(m[1]));
      return pr ? [200, { ...pr, comments: this.comments.length }] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && path === `${repoPrefix}/pulls`) {
      const state = url.searchParams.get("state") ?? "open";
      return this.page(url, [...this.pulls.values()].filter((p) => state === "all" || p.state === state), path);
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/commits/(\\w+)$`).exec(path))) {
      const parent = this.parents.get(m[1]!);
      return [200, { sha: m[1], parents: parent ? [{ sha: parent }] : [] }];
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/compare/(\\w+)\\.\\.\\.(\\w+)$`).exec(path))) {
      const files = this.compareFiles.get(`${m[1]}...${m[2]}`) ?? this.files;
      return [200, { merge_base_commit: { sha: this.mergeBase || m[1] }, files: files.slice(0, 300) }];
    }
    if (method === "GET" && (m = new RegExp(`^${escape(repoPrefix)}/git/trees/(\\w+)$`).exec(path))) {
      const tree = this.trees.get(m[1]!) ?? [];
      return [200, { sha: m[1], truncated: false, tree: tree.map((t) => ({ ...t, type: "blob", mode: "100644" })) }];
    }
    return [501, { message: `nock-github has no route for ${method} ${path}` }];
  }

  private page<T>(url: URL, items: T[], path: string): [number, T[], Record<string, string>] {
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      headers["link"] = `<${API}${path}?per_page=${perPage}&page=${page + 1}>; rel="next", <${API}${path}?per_page=${perPage}&page=${last}>; rel="last"`;
    }
    return [200, items.slice((page - 1) * perPage, page * perPage), headers];
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
