import { Octokit as RestOctokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { ResponseCache, useConditionalRequests } from "../../src/github/conditional-requests.js";
import type { Octokit } from "../../src/github/octokit.js";

interface Seen {
  method: string;
  url: string;
  ifNoneMatch: string | null;
}

/** An Octokit whose requests go to a scripted server that answers 304 when the ETag matches. */
function client(cache: ResponseCache, scope: string, server: { body: unknown; etag: string | null; seen: Seen[] }): Octokit {
  const fetch = async (url: string, init: { method?: string; headers?: Record<string, string> }) => {
    const headers = new Headers(init.headers);
    const ifNoneMatch = headers.get("if-none-match");
    server.seen.push({ method: init.method ?? "GET", url, ifNoneMatch });
    const responseHeaders: Record<string, string> = { "content-type": "application/json" };
    if (server.etag) responseHeaders["etag"] = server.etag;
    if (server.etag && ifNoneMatch === server.etag) return new Response(null, { status: 304, headers: responseHeaders });
    return new Response(JSON.stringify(server.body), { status: 200, headers: responseHeaders });
  };
  const octokit = new RestOctokit({ request: { fetch } }) as unknown as Octokit;
  useConditionalRequests(octokit, cache, scope);
  return octokit;
}

const get = (octokit: Octokit) => octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "acme", repo: "shop", path: "threat-model.yml", ref: "main" });

describe("conditional requests", () => {
  it("revalidates with the ETag and answers a 304 from the copy", async () => {
    const cache = new ResponseCache();
    const server = { body: { sha: "abc", content: "dmVyc2lvbjogMQo=" }, etag: 'W/"1"', seen: [] as Seen[] };
    const octokit = client(cache, "installation:1", server);
    const first = await get(octokit);
    const second = await get(octokit);
    expect(server.seen.map((s) => s.ifNoneMatch)).toEqual([null, 'W/"1"']);
    expect(second.status).toBe(200);
    expect(second.data).toEqual(first.data);
    expect(cache.stats().revalidated).toBe(1);
  });

  it("fetches again when the content changed, and keeps the new answer", async () => {
    const cache = new ResponseCache();
    const server = { body: { sha: "abc" } as unknown, etag: 'W/"1"', seen: [] as Seen[] };
    const octokit = client(cache, "installation:1", server);
    await get(octokit);
    server.body = { sha: "def" };
    server.etag = 'W/"2"';
    expect((await get(octokit)).data).toEqual({ sha: "def" });
    expect((await get(octokit)).data).toEqual({ sha: "def" });
    expect(server.seen.map((s) => s.ifNoneMatch)).toEqual([null, 'W/"1"', 'W/"2"']);
  });

  it("never answers one installation from another's copy", async () => {
    const cache = new ResponseCache();
    const server = { body: { sha: "abc" }, etag: 'W/"1"', seen: [] as Seen[] };
    await get(client(cache, "installation:1", server));
    await get(client(cache, "installation:2", server));
    expect(server.seen.map((s) => s.ifNoneMatch)).toEqual([null, null]);
  });

  it("hands out copies: a caller that changes its answer does not change the next one", async () => {
    const cache = new ResponseCache();
    const server = { body: { files: [{ name: "a" }] }, etag: 'W/"1"', seen: [] as Seen[] };
    const octokit = client(cache, "installation:1", server);
    const first = await get(octokit);
    (first.data as unknown as { files: { name: string }[] }).files[0]!.name = "changed";
    const second = await get(octokit);
    (second.data as unknown as { files: { name: string }[] }).files.push({ name: "b" });
    expect((await get(octokit)).data).toEqual({ files: [{ name: "a" }] });
  });

  it("leaves writes and answers without an ETag alone", async () => {
    const cache = new ResponseCache();
    const server = { body: { id: 1 }, etag: null as string | null, seen: [] as Seen[] };
    const octokit = client(cache, "installation:1", server);
    await get(octokit);
    await get(octokit);
    server.etag = 'W/"1"';
    await octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "shop", name: "x", head_sha: "a".repeat(40) });
    await octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "shop", name: "x", head_sha: "a".repeat(40) });
    expect(server.seen.map((s) => s.ifNoneMatch)).toEqual([null, null, null, null]);
    expect(cache.stats().entries).toBe(0);
  });

  it("stays within its size, dropping the least recently used", async () => {
    const cache = new ResponseCache(1000, 600);
    const server = { body: { text: "x".repeat(200) } as unknown, etag: 'W/"1"', seen: [] as Seen[] };
    const octokit = client(cache, "installation:1", server);
    for (const path of ["a", "b", "c"]) await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "acme", repo: "shop", path });
    expect(cache.stats().entries).toBe(2);
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    server.body = { text: "y".repeat(400) };
    await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "acme", repo: "shop", path: "big" });
    expect(cache.stats().entries).toBe(2);
  });
});
