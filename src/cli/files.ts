/**
 * The files a user names on the command line, read and written with care: only regular files
 * are read (a FIFO, a device or /dev/zero behind a symlink is refused before it can block or
 * fill memory), never past a byte cap; --out is written to a temporary file beside the target
 * and renamed into place, so a full disk leaves the old file as it was, and --out is refused
 * when it is (through symlinks) one of the files the command reads.
 */
import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { link, lstat, open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CliError, UsageError } from "./errors.js";

export const MiB = 1024 * 1024;

/** What went wrong with a file operation, in words, with the code for searching. */
export function reasonOf(e: unknown): string {
  const code = typeof e === "object" && e !== null && "code" in e ? String((e as NodeJS.ErrnoException).code) : undefined;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return "no such file";
    case "EISDIR":
      return "not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on device (ENOSPC)";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT)";
    case "EFBIG":
      return "file too large for this file system or limit (EFBIG)";
    case "EROFS":
      return "read-only file system (EROFS)";
    case "ELOOP":
      return "too many levels of symbolic links (ELOOP)";
    case "ENAMETOOLONG":
      return "file name too long (ENAMETOOLONG)";
    case "EIO":
      return "input/output error (EIO)";
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

function codeOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as NodeJS.ErrnoException).code) : undefined;
}

export interface Capped {
  /** The bytes, when the file fits the cap; empty when it does not. */
  bytes: Uint8Array;
  /** The file holds more than the cap. */
  over: boolean;
  /** The file's size as far as it is known (at least cap + 1 when over). */
  size: number;
}

/**
 * A regular file's bytes, at most `maxBytes` of them. Anything else (missing, a directory, a
 * FIFO, a device, unreadable) is a one-line CliError: "cannot read SHOWN: reason".
 */
export async function readCapped(absolute: string, shown: string, maxBytes: number): Promise<Capped> {
  // stat first: opening a FIFO blocks until a writer comes, and opening some devices acts.
  let info: Stats;
  try {
    info = await stat(absolute);
  } catch (e) {
    throw new CliError(`cannot read ${shown}: ${reasonOf(e)}`);
  }
  if (!info.isFile()) throw new CliError(`cannot read ${shown}: not a file`);
  let handle;
  try {
    // Non-blocking, and checked again once open: the path may have been swapped meanwhile.
    handle = await open(absolute, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new CliError(`cannot read ${shown}: ${reasonOf(e)}`);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new CliError(`cannot read ${shown}: not a file`);
    if (opened.size > maxBytes) return { bytes: new Uint8Array(0), over: true, size: opened.size };
    // The size can lie (files under /proc say 0; a file can grow): read until the end or the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(64 * 1024, opened.size + 1 - total), maxBytes + 1 - total);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { bytes: new Uint8Array(0), over: true, size: total };
    }
    return { bytes: new Uint8Array(Buffer.concat(chunks, total)), over: false, size: total };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${shown}: ${reasonOf(e)}`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Whether a path names nothing at all (so an optional file is simply absent). */
export async function isMissing(absolute: string): Promise<boolean> {
  try {
    await stat(absolute);
    return false;
  } catch (e) {
    const code = codeOf(e);
    if (code === "ENOENT" || code === "ENOTDIR") {
      // A symlink pointing nowhere is there, and broken: not "absent".
      return (await lstat(absolute).catch(() => null)) === null;
    }
    return false;
  }
}

export function formatSize(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** A user-given path as the repository-relative path the model and mapping use (else as given). */
export function repoPath(root: string, cwd: string, given: string): string {
  return relativeInside(root, isAbsolute(given) ? given : resolve(cwd, given)) ?? given;
}

/**
 * A user-given path inside the repository at `root` (a real path, as git prints it), as a
 * repository-relative path; null when it is outside. Symlinks in the existing part count.
 */
export async function pathInRepo(root: string, cwd: string, given: string): Promise<string | null> {
  const absolute = resolve(cwd, given);
  const direct = relativeInside(root, absolute);
  if (direct !== null) return direct;
  const realDir = await realpath(dirname(absolute)).catch(() => null);
  return realDir === null ? null : relativeInside(root, join(realDir, basename(absolute)));
}

/**
 * The repository-relative path of a --model the user gave: from the current directory when
 * that is inside the repository, else (run from elsewhere with --repo) from the repository's
 * root. Null for a path that leaves the repository either way.
 */
export async function modelInRepo(root: string, cwd: string, given: string): Promise<string | null> {
  const fromCwd = await pathInRepo(root, cwd, given);
  if (fromCwd !== null) return fromCwd;
  return isAbsolute(given) ? null : relativeInside(root, resolve(root, given));
}

function relativeInside(root: string, absolute: string): string | null {
  const rel = relative(root, absolute).split("\\").join("/");
  if (rel === "" || rel === ".." || rel.startsWith("../") || isAbsolute(rel)) return null;
  return rel;
}

export interface OutTarget {
  /** Where the bytes really go: the target with every symlink resolved. */
  real: string;
  /** The existing file there, or null. */
  existing: Stats | null;
}

/**
 * Where `--out` really writes: the real path of an existing target (through symlinks), or the
 * real path of its directory plus its name. A directory that does not exist is named.
 */
export async function outTarget(absolute: string, shown: string): Promise<OutTarget> {
  if (shown === "") throw new UsageError("--out needs a file name");
  const entry = await lstat(absolute).catch(() => null);
  if (entry) {
    let real: string;
    try {
      real = await realpath(absolute);
    } catch (e) {
      if (entry.isSymbolicLink()) throw new CliError(`cannot write ${shown}: it is a symlink to a file that does not exist; name the file itself`);
      throw new CliError(`cannot write ${shown}: ${reasonOf(e)}`);
    }
    const existing = await stat(real).catch((e: unknown) => {
      throw new CliError(`cannot write ${shown}: ${reasonOf(e)}`);
    });
    return { real, existing };
  }
  const dir = dirname(absolute);
  const shownDir = dirname(shown) === "." ? dir : dirname(shown);
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch (e) {
    const code = codeOf(e);
    if (code === "ENOENT") throw new CliError(`cannot write ${shown}: the directory ${shownDir} does not exist; create it first`);
    if (code === "ENOTDIR") throw new CliError(`cannot write ${shown}: ${shownDir} is not a directory`);
    throw new CliError(`cannot write ${shown}: ${reasonOf(e)}`);
  }
  if (!(await stat(realDir)).isDirectory()) throw new CliError(`cannot write ${shown}: ${shownDir} is not a directory`);
  return { real: join(realDir, basename(absolute)), existing: null };
}

/** Whether `out` is the same file as `input` (through symlinks and hard links). */
export async function sameFile(out: OutTarget, input: string): Promise<boolean> {
  const real = await realpath(input).catch(() => resolve(input));
  if (real === out.real) return true;
  if (!out.existing) return false;
  const info = await stat(real).catch(() => null);
  return info !== null && info.dev === out.existing.dev && info.ino === out.existing.ino;
}

export interface WriteOptions {
  /** Replace an existing file; else a file that appeared meanwhile is left alone. */
  replace: boolean;
  /** The message when the file exists and `replace` is false. */
  exists?: string;
}

/**
 * Write `text` to the real target through a temporary file in the same directory, renamed
 * into place once complete: a failure (a full disk, a file size limit) leaves an existing
 * file untouched and creates nothing new.
 */
export async function writeAtomically(target: OutTarget, shown: string, text: string, options: WriteOptions): Promise<void> {
  const dir = dirname(target.real);
  const temp = join(dir, `.${basename(target.real)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, "wx", 0o666);
    created = true;
    try {
      // An existing file keeps its permissions.
      if (target.existing) await handle.chmod(target.existing.mode & 0o7777);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace) {
      await rename(temp, target.real);
    } else {
      await placeIfAbsent(temp, target.real, options.exists ?? `${shown} already exists`);
    }
    created = false;
  } catch (e) {
    if (created) await unlink(temp).catch(() => undefined);
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write ${shown}: ${reasonOf(e)}; nothing was written`);
  }
}

/** Move `temp` to `target` unless a file is there: a hard link fails when it exists. */
async function placeIfAbsent(temp: string, target: string, exists: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (e) {
    const code = codeOf(e);
    if (code === "EEXIST") throw new CliError(exists);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EMLINK" && code !== "EOPNOTSUPP") throw e;
    // A file system without hard links: check, then rename.
    if (await lstat(target).catch(() => null)) throw new CliError(exists);
    await rename(temp, target);
    return;
  }
  await unlink(temp).catch(() => undefined);
}
