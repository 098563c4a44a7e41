/**
 * Parsed models, kept by git blob id. A large model takes a good part of a second to parse
 * and validate, and most events of a repository read the same model: it is parsed once and
 * the result (frozen, so no reader can change it for the next) is reused while it is among
 * the most recently used.
 */
import { createHash } from "node:crypto";
import { parseModel, type ModelParseResult, type SourceFile } from "../engine/index.js";

/** Git's id for a blob with this content: what the contents API calls the file's `sha`. */
export function blobSha(content: Uint8Array | string): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

export class ParsedModels {
  private readonly results = new Map<string, ModelParseResult>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 16) {}

  /** `parseModel`, answered from the cache when the same file (path and blob) was parsed before. */
  readonly parse = (file: SourceFile): ModelParseResult => {
    const key = `${file.path}\u0000${blobSha(file.content)}\u0000${file.declaredSize ?? ""}`;
    const known = this.results.get(key);
    if (known) {
      this.hits++;
      this.results.delete(key);
      this.results.set(key, known);
      return known;
    }
    this.misses++;
    const result = deepFreeze(parseModel(file));
    this.results.set(key, result);
    if (this.results.size > this.capacity) this.results.delete(this.results.keys().next().value!);
    return result;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        deepFreeze(k);
        deepFreeze(v);
      }
    } else {
      for (const v of Object.values(value)) deepFreeze(v);
    }
  }
  return value;
}
