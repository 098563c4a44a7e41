/**
 * threat-model.yml comes from repositories we do not control (a pull request can write
 * anything into it). Every hostile input must end in a clear error that points somewhere
 * in the file: never an exception, a stack overflow or a hang.
 *
 * No timing assertions: each test has a 10 s timeout as a hang guard (vitest also fails a
 * synchronous test that returns after its timeout).
 */
import { describe, expect, it } from "vitest";
import { parseModel, type ModelParseResult } from "../../src/engine/model/parse.js";
import type { Diagnostic } from "../../src/engine/source/diagnostic.js";

const FILE = "threat-model.yml";
const HANG_GUARD = 10_000;
const MiB = 1024 * 1024;

/** A minimal valid model (3 lines); tests append their hostile part after it. */
const VALID = "version: 1\ntrust_zones:\n  - id: z\n";

function parse(content: string | Uint8Array): ModelParseResult {
  return parseModel({ path: FILE, content });
}

/** Bytes from text and raw byte values, in order. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The result is a failure whose every error is something a person can read and act on. */
function errorsOf(result: ModelParseResult): Diagnostic[] {
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.file).toBe(FILE);
    expect(e.severity).toBe("error");
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(Number.isInteger(e.column) && e.column >= 1).toBe(true);
    expect(typeof e.message).toBe("string");
    expect(e.message.trim().length).toBeGreaterThan(10);
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toMatch(/undefined|\[object Object\]|NaN/);
    // Not a JavaScript engine error passed through as if it were a message for the author.
    expect(e.message).not.toMatch(/Maximum call stack|RangeError|TypeError|ReferenceError|^\s*at /);
  }
  return result.errors;
}

function firstError(result: ModelParseResult): Diagnostic {
  return errorsOf(result)[0]!;
}

describe("alias bombs", () => {
  it("billion laughs: nine levels of nine aliases", { timeout: HANG_GUARD }, () => {
    const names = "abcdefghi";
    let text = `${VALID}lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n`;
    for (let i = 1; i < names.length; i++) {
      text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(", ")}]\n`;
    }
    const e = firstError(parse(text));
    expect(e.message).toMatch(/alias/i);
    expect(e.message).toMatch(/limit/i);
  });

  it("an alias bomb inside the components list", { timeout: HANG_GUARD }, () => {
    let text = `${VALID}components:\n  - &c0 {id: web, type: process, zone: z, paths: [a, b, c, d, e, f, g, h, i, j]}\n`;
    for (let i = 1; i < 8; i++) text += `  - &c${i} [${Array(10).fill(`*c${i - 1}`).join(", ")}]\n`;
    const e = firstError(parse(text));
    expect(e.message).toMatch(/alias/i);
  });

  it("an alias to an anchor that does not exist is reported as such, where it is", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`version: 1\ntitle: *nope\ntrust_zones:\n  - id: z\n`));
    expect(e.message).toContain("nope");
    expect(e.message).not.toMatch(/too many alias expansions/);
    expect([e.line, e.column]).toEqual([2, 8]);
  });
});

describe("size", () => {
  it("a 5 MiB file is refused before parsing, at 1:1, with its size and the limit", { timeout: HANG_GUARD }, () => {
    const big = bytes(`${VALID}title: "`, "x".repeat(5 * MiB), '"\n');
    const e = firstError(parse(big));
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.message).toMatch(/5\.0 MiB/);
    expect(e.message).toMatch(/limit is 1\.0 MiB/);
  });

  it("a 5 MiB string (not bytes) is refused the same way", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${VALID}# ${"é".repeat(2.5 * MiB)}\n`));
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.message).toMatch(/5\.0 MiB/);
  });

  it("exactly 1 MiB is accepted", { timeout: HANG_GUARD }, () => {
    const head = `${VALID}# `;
    const text = `${head}${"x".repeat(MiB - head.length - 1)}\n`;
    expect(new TextEncoder().encode(text).length).toBe(MiB);
    const r = parse(text);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it("1 MiB + 1 byte is refused, and the message shows the file is over the limit", { timeout: HANG_GUARD }, () => {
    const head = `${VALID}# `;
    const content = bytes(head, "x".repeat(MiB - head.length), "\n");
    expect(content.length).toBe(MiB + 1);
    const e = firstError(parse(content));
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.message).toMatch(/limit/);
    // "the file is 1.0 MiB; the limit is 1.0 MiB" does not tell the author what is wrong.
    const m = /the file is (.+?); the limit is (.+?)\.(?: |$)/.exec(e.message);
    expect(m).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
  });
});

describe("invalid UTF-8", () => {
  it("a bad byte is located by line and column, with its value", { timeout: HANG_GUARD }, () => {
    // Line 3 is `description: caf` then 0xC3 0x28 (a lead byte without its continuation).
    const e = firstError(parse(bytes("version: 1\ntitle: ok\ndescription: caf", [0xc3, 0x28], "\ntrust_zones:\n  - id: z\n")));
    expect([e.line, e.column]).toEqual([3, 17]);
    expect(e.message).toContain("0xc3");
    expect(e.message).toMatch(/UTF-8/);
  });

  it.each([
    ["a lone continuation byte", bytes("version: 1\n", [0x80], "x: 1\n"), 2, 1, "0x80"],
    ["an overlong encoding", bytes("version: 1\ntitle: a", [0xc0, 0xaf], "\n"), 2, 9, "0xc0"],
    ["a UTF-16 surrogate", bytes("version: 1\ntitle: ab", [0xed, 0xa0, 0x80], "\n"), 2, 10, "0xed"],
    ["a sequence cut off at the end of the file", bytes("version: 1\ntitle: abc", [0xe2, 0x82]), 2, 11, "0xe2"],
    ["0xFF after CRLF line ends", bytes("version: 1\r\ntitle: x\r\n", [0xff], "\r\n"), 3, 1, "0xff"],
    ["a Latin-1 file", bytes("version: 1\ntitle: caf", [0xe9], "\n"), 2, 11, "0xe9"],
  ])("%s", (_name, content, line, column, byte) => {
    const e = firstError(parse(content));
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(byte);
  }, HANG_GUARD);
});

describe("nesting", () => {
  it("100,000 nested [ stop at the 65th, on its line and column", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`version: 1\nx: ${"[".repeat(100_000)}\n`));
    expect(e.message).toMatch(/nesting is deeper than 64 levels/);
    expect([e.line, e.column]).toEqual([2, 68]);
  });

  it("100,000 nested { as well", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${"{a: ".repeat(100_000)}1`));
    expect(e.message).toMatch(/nesting/);
    expect(e.line).toBe(1);
  });

  it("a deep - - - - chain on one line stops where the 65th level opens", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${VALID}x:\n  ${"- ".repeat(100_000)}a\n`));
    expect(e.message).toMatch(/nesting is deeper than 64 levels/);
    // The root mapping is level 1 and each "- " opens one more: the node after the 63rd
    // dash (column 3 + 2 * 63) is level 65.
    expect([e.line, e.column]).toEqual([5, 129]);
  });

  it("a - - - - chain that wraps onto indented lines (60 dashes a line) is capped too", { timeout: HANG_GUARD }, () => {
    let text = `${VALID}x:\n`;
    let indent = 0;
    for (let i = 0; i < 20; i++) {
      text += `${" ".repeat(indent)}${"- ".repeat(60)}\n`;
      indent += 120;
    }
    text += `${" ".repeat(indent)}a\n`;
    const e = firstError(parse(text));
    expect(e.message).toMatch(/nesting is deeper than 64 levels/);
    // The chain starts on line 5 with 60 levels; the 65th level is on line 6.
    expect(e.line).toBe(6);
  });

  it("block mappings nested one level per line, 200 deep, are capped at 64 levels", { timeout: HANG_GUARD }, () => {
    let text = `${VALID}x:\n`;
    for (let i = 0; i < 200; i++) text += `${" ".repeat(i + 1)}a:\n`;
    text += `${" ".repeat(201)}b: 1\n`;
    const e = firstError(parse(text));
    expect(e.message).toMatch(/nesting is deeper than 64 levels/);
    // Line 5 holds the first nested level; the 65th starts around line 68.
    expect(e.line).toBeGreaterThanOrEqual(64);
    expect(e.line).toBeLessThanOrEqual(70);
  });
});

describe("globs", () => {
  const componentWith = (globs: string[]) =>
    `${VALID}components:\n  - id: web\n    type: process\n    zone: z\n    paths:\n${globs.map((g) => `      - "${g}"\n`).join("")}`;

  it("a glob of 10,000 characters is refused at that glob's line", { timeout: HANG_GUARD }, () => {
    // Lines 4-9: components, id, type, zone, paths, "src/**"; the long glob is on line 10.
    const errors = errorsOf(parse(componentWith(["src/**", "a".repeat(10_000)])));
    expect(errors).toHaveLength(1);
    expect([errors[0]!.line, errors[0]!.column]).toEqual([10, 9]);
    expect(errors[0]!.message).toContain('component "web"');
    expect(errors[0]!.message).toContain("10000 characters");
    expect(errors[0]!.message).toMatch(/limit is 1000/);
  });

  it("brace-expansion bombs are refused without expanding them, each at its line", { timeout: HANG_GUARD }, () => {
    const errors = errorsOf(parse(componentWith(["src/**", "{a,b}".repeat(20), "src/{1..100000}/x.ts", "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}.ts"])));
    expect(errors.map((e) => e.line)).toEqual([10, 11, 12]);
    for (const e of errors) expect(e.message).toMatch(/braces expand to more than 64 patterns/);
  });

  it("a brace bomb in a flow's paths and in a zone's paths", { timeout: HANG_GUARD }, () => {
    const text = `version: 1
trust_zones:
  - id: z
    paths: ["{x,y}{x,y}{x,y}{x,y}{x,y}{x,y}{x,y}"]
components:
  - id: a
    type: process
    zone: z
  - id: b
    type: process
    zone: z
data_flows:
  - id: f
    source: a
    destination: b
    paths: ["{1..99999}"]
`;
    const errors = errorsOf(parse(text));
    expect(errors.map((e) => e.line)).toEqual([4, 16]);
  });
});

describe("documents of the wrong shape", () => {
  const NOT_A_MAPPING = /a threat model is a mapping/;

  it.each([
    ["a list", "- version: 1\n- trust_zones: []\n"],
    ["a scalar", "just some text\n"],
    ["a number", "42\n"],
    ["an empty file", ""],
    ["only whitespace", "   \n\n  \n"],
    ["only a comment", "# todo: write the model\n"],
    ["only a byte order mark", "\ufeff"],
  ])("%s", (_name, text) => {
    const e = firstError(parse(text));
    expect(e.message).toMatch(NOT_A_MAPPING);
    expect([e.line, e.column]).toEqual([1, 1]);
  }, HANG_GUARD);

  it("an empty byte array", { timeout: HANG_GUARD }, () => {
    expect(firstError(parse(new Uint8Array(0))).message).toMatch(NOT_A_MAPPING);
  });

  it("duplicate top-level keys are an error at the second key", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${VALID}title: a\ntitle: b\n`));
    expect([e.line, e.column]).toEqual([5, 1]);
    expect(e.message).toMatch(/unique/i);
  });

  it("duplicate keys inside an element are an error at the second key", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${VALID}components:\n  - id: web\n    type: process\n    zone: z\n    type: actor\n`));
    expect([e.line, e.column]).toEqual([8, 5]);
  });

  it("a multi-document file is an error at the second document, in words an author can act on", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse(`${VALID}---\nversion: 1\n`));
    expect([e.line, e.column]).toEqual([4, 1]);
    expect(e.message).toMatch(/document/i);
    // Advice to call a JavaScript API is for the tool's authors, not for the model's.
    expect(e.message).not.toMatch(/parseAllDocuments|YAML\./);
  });

  it("tabs in indentation are an error on their line", { timeout: HANG_GUARD }, () => {
    const e = firstError(parse("version: 1\ntrust_zones:\n\t- id: z\n"));
    expect([e.line, e.column]).toEqual([3, 1]);
    expect(e.message).toMatch(/tab/i);
  });
});

describe("many errors at once", () => {
  it("20,000 components naming a missing zone (790 KiB) end in 20,000 located errors", { timeout: HANG_GUARD }, () => {
    let text = `${VALID}components:\n`;
    for (let i = 0; i < 20_000; i++) text += `  - {id: c${i}, type: process, zone: q}\n`;
    expect(text.length).toBeLessThan(MiB);
    const errors = errorsOf(parse(text));
    expect(errors).toHaveLength(20_000);
    expect(errors[0]).toMatchObject({ line: 5, column: 35 });
    expect(errors.at(-1)).toMatchObject({ line: 20_004, column: 39 });
    expect(errors[0]!.message).toContain('zone "q" does not exist');
  });
});

describe("the nesting scan reads quotes as YAML does", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  it("brackets inside quoted scalars do not count", () => {
    const text = `version: 1\ntrust_zones: [{id: a}]\ntitle: '${"[".repeat(200)}'\ndescription: "${"{".repeat(200)}"\n`;
    expect(parseModel({ path: "m.yml", content: text }).ok).toBe(true);
  });

  it("a quote inside a plain scalar does not hide the brackets after it", () => {
    for (const text of [`a: don't ${deep(100)}\n`, `a: [x'y, ${deep(100)}]\n`, `a: [-'${deep(100)}]\n`, `a:  b'${deep(100)}\n`]) {
      const r = parseModel({ path: "m.yml", content: text });
      expect(r.ok, text.slice(0, 20)).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toMatch(/nesting|flow|mapping|expected/i);
    }
  });

  it("an escaped quote does not end a quoted scalar early", () => {
    const text = `version: 1\ntrust_zones: [{id: a}]\ntitle: "a \\" ${"[".repeat(100)}"\ndescription: 'it''s ${"[".repeat(100)}'\n`;
    expect(parseModel({ path: "m.yml", content: text }).ok).toBe(true);
  });
});
