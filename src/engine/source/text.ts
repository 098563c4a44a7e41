/**
 * Decoding bytes the user supplied. Models and configs come from repositories we do not
 * control, so a bad byte must become a located error, never a garbled parse.
 */

export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; line: number; column: number; message: string };

/** Decode strict UTF-8; on failure, say where the first bad byte is. A leading BOM is dropped. */
export function decodeUtf8(input: Uint8Array | string): DecodeResult {
  if (typeof input === "string") return { ok: true, text: stripBom(input) };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    return { ok: true, text: stripBom(text) };
  } catch {
    const offset = firstInvalidUtf8Offset(input);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (input[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = offset - lineStart + 1;
    const byte = input[offset] ?? 0;
    return {
      ok: false,
      line,
      column,
      message: `the file is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, "0")} at offset ${offset}); save it as UTF-8`,
    };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Byte offset of the first sequence that is not well-formed UTF-8 (RFC 3629). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** Size in bytes as UTF-8, without allocating a copy. */
export function byteLength(input: Uint8Array | string): number {
  if (typeof input !== "string") return input.length;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
