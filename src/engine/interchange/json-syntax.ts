/**
 * Where a JSON text first goes wrong, for a message with a line and column. JSON.parse does
 * the parsing; this scanner runs only after it failed, because V8's messages do not always
 * say where ("Unexpected token '}'"). It keeps an explicit stack, so deep nesting cannot
 * exhaust the call stack.
 */

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

type Frame = { kind: "object"; expect: "first-key" | "key" | "after-value" } | { kind: "array"; expect: "first-value" | "after-value" };

export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const n = text.length;
  const stack: Frame[] = [];
  const skip = () => {
    while (i < n && WS.has(text[i]!)) i++;
  };
  const describe = (at: number) => (at >= n ? "the end of the file" : `${JSON.stringify(text[at])}`);

  /** A string starting at i; returns an error or null and leaves i after the closing quote. */
  const string = (): JsonSyntaxError | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return null;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: `"\\u" needs four hex digits` };
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) return { offset: i, message: `invalid escape "\\${e ?? ""}" in a string` };
        i += 2;
        continue;
      }
      if (c === "\n" || c.charCodeAt(0) < 0x20) {
        return { offset: i, message: c === "\n" ? "a string must end on the line it starts (missing closing quote?)" : "control character in a string" };
      }
      i++;
    }
    return { offset: start, message: "unterminated string (missing closing quote)" };
  };

  /** One value at i; pushes a frame for an object or array. */
  const value = (): JsonSyntaxError | null => {
    skip();
    if (i >= n) return { offset: i, message: "unexpected end of the file: expected a value" };
    const c = text[i]!;
    if (c === "{") {
      stack.push({ kind: "object", expect: "first-key" });
      i++;
      return null;
    }
    if (c === "[") {
      stack.push({ kind: "array", expect: "first-value" });
      i++;
      return null;
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0] !== "" && m[0] !== "-") {
      i += m[0].length;
      return null;
    }
    if (c === "'") return { offset: i, message: "JSON strings use double quotes, not single quotes" };
    return { offset: i, message: `unexpected ${describe(i)}: expected a value (a string, number, object, array, true, false or null)` };
  };

  let err = value();
  if (err) return err;
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top) {
      skip();
      return i < n ? { offset: i, message: `unexpected ${describe(i)} after the end of the JSON value` } : null;
    }
    skip();
    if (top.kind === "object") {
      if (top.expect === "after-value") {
        if (text[i] === ",") {
          i++;
          top.expect = "key";
          continue;
        }
        if (text[i] === "}") {
          i++;
          stack.pop();
          continue;
        }
        return { offset: i, message: `expected "," or "}" after a property value, found ${describe(i)} (missing comma?)` };
      }
      if (text[i] === "}") {
        if (top.expect === "key") return { offset: i, message: `a trailing comma before "}" is not allowed in JSON` };
        i++;
        stack.pop();
        continue;
      }
      if (text[i] !== '"') {
        return { offset: i, message: `expected a property name in double quotes, found ${describe(i)}` };
      }
      err = string();
      if (err) return err;
      skip();
      if (text[i] !== ":") return { offset: i, message: `expected ":" after the property name, found ${describe(i)}` };
      i++;
      top.expect = "after-value";
      err = value();
      if (err) return err;
      continue;
    }
    // array
    if (top.expect === "after-value") {
      if (text[i] === ",") {
        i++;
        skip();
        if (text[i] === "]") return { offset: i, message: `a trailing comma before "]" is not allowed in JSON` };
        err = value();
        if (err) return err;
        continue;
      }
      if (text[i] === "]") {
        i++;
        stack.pop();
        continue;
      }
      return { offset: i, message: `expected "," or "]" after an array element, found ${describe(i)} (missing comma?)` };
    }
    if (text[i] === "]") {
      i++;
      stack.pop();
      continue;
    }
    top.expect = "after-value";
    err = value();
    if (err) return err;
  }
}
