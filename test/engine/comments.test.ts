/**
 * Telling comments from code is what stops a signal from firing on prose, and what a
 * hostile change would abuse to hide code: these cases hold both sides.
 */
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/engine/signals/catalog.js";
import { commentGuesses, scanSignals } from "../../src/engine/signals/run.js";
import { httpRoute } from "../../src/engine/signals/http-route.js";
import type { ChangedFile } from "../../src/engine/changes/types.js";
import { patchOf } from "../helpers/signal-cases.js";

const routes = (file: ChangedFile) => scanSignals([file], [httpRoute]).hits.map((h) => h.line);
const ts = (added: string[], extra: Partial<ChangedFile> = {}): ChangedFile => ({ path: "src/server.ts", status: "modified", patch: patchOf(added), ...extra });

describe("code that only looks like a comment boundary", () => {
  it("a regex containing */ after a route does not hide the route", () => {
    expect(routes(ts(['app.post("/evil", h);', "const re = /a*/;"]))).toEqual([1]);
  });

  it("a regex literal containing /* does not open a comment", () => {
    expect(routes(ts(["const re = /\\/*/;", 'app.post("/evil", h);']))).toEqual([2]);
  });

  it("a template literal holding /* over two lines does not open a comment", () => {
    const lines = ["const u = `", "/*`;", 'app.post("/evil", h);'];
    expect(routes(ts(lines, { content: lines.join("\n") }))).toEqual([3]);
    expect(routes(ts(lines))).toEqual([3]);
  });

  it("a Python triple-quoted string holding # is a string", () => {
    const file: ChangedFile = { path: "app.py", status: "modified", patch: patchOf(['doc = """', "# not a comment", '"""', "@app.route('/evil')"]) };
    expect(scanSignals([file], [httpRoute]).hits.map((h) => h.line)).toEqual([4]);
  });

  it("a division is not a regex", () => {
    expect(routes(ts(["const half = total / 2; // app.post('/x', h)", 'app.post("/y", h);']))).toEqual([2]);
  });
});

describe("hunks that start inside a doc comment", () => {
  const jsdoc = ["@@ -10,3 +10,4 @@", "  * Registers the routes.", "+ * router.post('/login', login)", "  */", " export {};"].join("\n");

  it("are read as comment when only the hunk is known, and named as a guess worth fetching", () => {
    const file: ChangedFile = { path: "src/server.ts", status: "modified", patch: jsdoc };
    expect(routes(file)).toEqual([]);
    expect(commentGuesses([file], CATALOG)).toEqual(["src/server.ts"]);
  });

  it("with guessing off, the same lines are code", () => {
    expect(routes({ path: "src/server.ts", status: "modified", patch: jsdoc, guessComments: false })).toEqual([11]);
  });

  it("with the whole file, the truth decides either way", () => {
    const asComment = ["a", "b", "c", "c", "c", "c", "c", "c", "/**", " * Registers the routes.", " * router.post('/login', login)", " */", "export {};"].join("\n");
    expect(routes({ path: "src/server.ts", status: "modified", patch: jsdoc, content: asComment })).toEqual([]);
    const asCode = ["const total = base", "", "", "", "", "", "", "", "", " * factor", " * router.post('/login', login)", " */ 1", "export {};"].join("\n");
    expect(routes({ path: "src/server.ts", status: "modified", patch: jsdoc, content: asCode })).toEqual([11]);
  });

  it("prose in a doc comment is not a guess worth a fetch", () => {
    const prose = ["@@ -10,2 +10,3 @@", "  * Registers the routes.", "+ * Only logged-in users may call them.", "  */"].join("\n");
    expect(commentGuesses([{ path: "src/server.ts", status: "modified", patch: prose }], CATALOG)).toEqual([]);
  });

  it("a line that merely contains */ mid-code does not make the hunk a comment", () => {
    const hunk = ["@@ -1,1 +1,3 @@", " const x = 1;", '+app.post("/evil", h);', "+const glob = 'src/*/x';"].join("\n");
    expect(routes({ path: "src/server.ts", status: "modified", patch: hunk })).toEqual([2]);
  });
});
