import { describe, expect, it } from "vitest";
import { LiteralGate, requiredLiterals } from "./literal-gate.js";

describe("requiredLiterals", () => {
  it("spells out small groups of alternatives next to a literal", () => {
    expect(requiredLiterals(/\bcreate(?:Cipheriv|Decipheriv)\s*\(/)).toEqual(["createcipheriv", "createdecipheriv"]);
  });

  it("takes one word from each alternative of the pattern", () => {
    expect(requiredLiterals(/\bhasRole\s*\(|\.permissions\s*\.\s*includes/)).toEqual(["hasrole", ".permissions"]);
  });

  it("gives no gate when one alternative needs no word", () => {
    expect(requiredLiterals(/\bjwt\.verify\(|\w+\s*=\s*\d+/)).toBeNull();
  });

  it("gives no gate when the only words are too short to be worth looking for", () => {
    expect(requiredLiterals(/\bdb\s*\./)).toBeNull();
  });

  it("does not count what a negative lookaround or an optional part holds", () => {
    expect(requiredLiterals(/(?<!testing)(?:secure)?\s*=\s*0/)).toBeNull();
    expect(requiredLiterals(/(?!mock)fetch\(/)).toEqual(["fetch("]);
  });

  it("uses a positive lookahead's words, since they sit on the same line", () => {
    expect(requiredLiterals(/^(?=.*\bpassword\b).*=\s*\S/)).toEqual(["password"]);
  });

  it("lower-cases, so one gate serves case-sensitive and case-insensitive rules", () => {
    expect(requiredLiterals(/MD5|Sha1/i)).toEqual(["md5", "sha1"]);
  });

  it("keeps only the shorter of two words where one holds the other", () => {
    expect(requiredLiterals(/hasRole\(|Role\(/)).toEqual(["role("]);
  });

  it("leaves rules with letters outside ASCII ungated", () => {
    expect(requiredLiterals(/contraseña/)).toBeNull();
  });
});

describe("LiteralGate", () => {
  const gate = new LiteralGate([/hasRole/, /role\b/, /\bsrole/, /createHash/]);

  it("finds every word, including ones that overlap or sit inside another", () => {
    expect([...gate.present("if (user.hasRoles())")].sort()).toEqual(["hasrole", "role", "srole"]);
  });

  it("ignores letter case", () => {
    expect([...gate.present("CRYPTO.CREATEHASH('md5')")]).toEqual(["createhash"]);
  });

  it("does not join words across characters outside ASCII", () => {
    expect(gate.present("has\u00e9Role").has("hasrole")).toBe(false);
    expect(gate.present("has\u00e9Role").has("role")).toBe(true);
  });

  it("reads the long s and the Kelvin sign as a case-insensitive regex with the u flag does", () => {
    const folded = new LiteralGate([/session/iu, /token/iu]);
    expect(/session/iu.test("\u017Fession")).toBe(true);
    expect(folded.present("\u017Fession").has("session")).toBe(true);
    expect(folded.present("to\u212Aen").has("token")).toBe(true);
  });

  it("finds nothing in a text without the words", () => {
    expect(gate.present("const x = 1;").size).toBe(0);
  });
});
