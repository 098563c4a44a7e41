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
  private readonly results = new Map<string, { result: ModelParseResult; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  /**
   * At most `capacity` models and `maxSourceBytes` of their source. A parse holds far more
   * than its source (about 28 MiB for a 623 KiB model: positions, indexes, diagnostics), so
   * the budget is counted in source bytes: 2 MiB keeps the cache near 100 MiB.
   */
  constructor(
    private readonly capacity = 16,
    private readonly maxSourceBytes = 2 * 1024 * 1024,
  ) {}

  /** `parseModel`, answered from the cache when the same file (path and blob) was parsed before. */
  readonly parse = (file: SourceFile): ModelParseResult => {
    const key = `${file.path}\u0000${blobSha(file.content)}\u0000${file.declaredSize ?? ""}`;
    const known = this.results.get(key);
    if (known) {
      this.hits++;
      this.results.delete(key);
      this.results.set(key, known);
      return known.result;
    }
    this.misses++;
    const result = deepFreeze(parseModel(file));
    const bytes = typeof file.content === "string" ? Buffer.byteLength(file.content) : file.content.byteLength;
    if (bytes > this.maxSourceBytes) return result;
    this.results.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.results) {
      if (this.results.size <= this.capacity && this.bytes <= this.maxSourceBytes) break;
      this.results.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return result;
  };

  /** How many models are kept, and how many bytes of source they came from. */
  get size(): { models: number; sourceBytes: number } {
    return { models: this.results.size, sourceBytes: this.bytes };
  }
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
