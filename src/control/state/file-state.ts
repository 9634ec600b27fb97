/**
 * The data directory's half of a state snapshot: the files each service
 * declares (`ServiceInstance.stateFiles`). Files written once are shared with
 * the snapshot by hard link (no bytes copied, and the snapshot cannot see a
 * later change, which always comes as a new file renamed over the name);
 * files changed in place are copied, keeping holes (a fresh volume is a
 * sparse file of its whole size).
 */
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeSync,
  type BigIntStats,
  type Dirent,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateFiles } from '../../core/service-module.js';

/**
 * What each live path was when the files were last the snapshot's: a
 * directory's or file's inode and times, and the names under a directory
 * worth looking at again (its subdirectories in a tree written once, where a
 * file only changes by a new name renamed over it and so changes its
 * directory's time; every name elsewhere). A path whose time of change is the
 * same has not changed since: restoring the same snapshot skips it.
 */
export type KnownFiles = Map<string, KnownPath>;

interface KnownPath {
  ino: bigint;
  ctimeNs: bigint;
  mtimeNs: bigint;
  size: bigint;
  children: string[] | null;
}

/**
 * Timestamps come from a clock that may lag by a tick: a path changed less
 * than this before it was noted could change again with the same time, so it
 * is not noted and is compared in full the next time.
 */
const SETTLED_NS = 50_000_000n;

/** Copies each declared path that exists from `fromRoot` to `toRoot` (where nothing of it exists yet); answers the live paths as copied. */
export function copyStateFiles(entries: readonly StateFiles[], fromRoot: string, toRoot: string): KnownFiles {
  const notes = new Notes();
  for (const entry of entries) {
    const from = join(fromRoot, entry.path);
    if (!existsSync(from)) continue;
    copyTree(from, join(toRoot, entry.path), entry.writeOnce, notes);
  }
  return notes.known;
}

/**
 * Makes each declared path under `liveRoot` what it is under `snapshotRoot`
 * (absent there: removed), touching only what differs: a file written once is
 * the same while it is the same inode, another while its size and time of
 * change are those of the snapshot's copy (copies take the original's time).
 * `known`: the live paths as they were when last this snapshot's (see
 * KnownFiles), or null to compare every path. Answers the paths as restored.
 */
export function restoreStateFiles(entries: readonly StateFiles[], snapshotRoot: string, liveRoot: string, known: KnownFiles | null): KnownFiles {
  const notes = new Notes();
  for (const entry of entries) syncTree(join(snapshotRoot, entry.path), join(liveRoot, entry.path), entry.writeOnce, known, notes);
  return notes.known;
}

/** The KnownFiles being gathered by one copy or restore. */
class Notes {
  readonly known: KnownFiles = new Map();
  readonly #settledBefore = BigInt(Date.now()) * 1_000_000n - SETTLED_NS;

  /** Notes `path` as it is now, if it has not changed too recently to tell a later change apart. */
  note(path: string, children: string[] | null): void {
    const stat = lstatSync(path, { bigint: true });
    if (stat.ctimeNs >= this.#settledBefore) return;
    this.known.set(path, { ino: stat.ino, ctimeNs: stat.ctimeNs, mtimeNs: stat.mtimeNs, size: stat.size, children });
  }

  /** Keeps `path` as noted before when it has not changed since; answers whether it has not. */
  keep(path: string, known: KnownFiles | null): KnownPath | null {
    const before = known?.get(path);
    if (!before) return null;
    const stat = bigStatOrNull(path);
    if (!stat || stat.ino !== before.ino || stat.ctimeNs !== before.ctimeNs || stat.mtimeNs !== before.mtimeNs || stat.size !== before.size) return null;
    this.known.set(path, before);
    return before;
  }
}

function syncTree(saved: string, live: string, writeOnce: boolean, known: KnownFiles | null, notes: Notes): void {
  const unchanged = notes.keep(live, known);
  if (unchanged) {
    for (const name of unchanged.children ?? []) syncTree(join(saved, name), join(live, name), writeOnce, known, notes);
    return;
  }
  const savedStat = statOrNull(saved);
  const liveStat = statOrNull(live);
  if (!savedStat || (liveStat && liveStat.isDirectory() !== savedStat.isDirectory())) rmSync(live, { recursive: true, force: true });
  if (!savedStat) return;
  if (savedStat.isDirectory()) {
    mkdirSync(live, { recursive: true, mode: savedStat.mode & 0o7777 });
    const entries = readdirSync(saved, { withFileTypes: true });
    const names = new Set(entries.map((e) => e.name));
    for (const name of readdirSync(live)) if (!names.has(name)) rmSync(join(live, name), { recursive: true, force: true });
    for (const name of names) syncTree(join(saved, name), join(live, name), writeOnce, known, notes);
    notes.note(live, worthRevisiting(entries, writeOnce));
    return;
  }
  if (!savedStat.isFile()) return;
  if (!liveStat || !sameFile(savedStat, liveStat, writeOnce)) {
    rmSync(live, { force: true });
    copyFile(saved, live, savedStat, writeOnce);
  }
  if (!writeOnce) notes.note(live, null);
}

/** The names under a directory that a later restore looks at when the directory itself has not changed. */
function worthRevisiting(entries: Dirent[], writeOnce: boolean): string[] {
  return entries.filter((e) => !writeOnce || e.isDirectory()).map((e) => e.name);
}

function sameFile(saved: Stats, live: Stats, writeOnce: boolean): boolean {
  if (writeOnce) return saved.ino === live.ino && saved.dev === live.dev;
  return live.isFile() && saved.size === live.size && Math.trunc(saved.mtimeMs) === Math.trunc(live.mtimeMs);
}

function bigStatOrNull(path: string): BigIntStats | null {
  try {
    return lstatSync(path, { bigint: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

function copyTree(from: string, to: string, writeOnce: boolean, notes: Notes): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true, mode: stat.mode & 0o7777 });
    const entries = readdirSync(from, { withFileTypes: true });
    for (const entry of entries) copyTree(join(from, entry.name), join(to, entry.name), writeOnce, notes);
    notes.note(from, worthRevisiting(entries, writeOnce));
    return;
  }
  // Sockets, pipes and links are a process's, not the cloud's state.
  if (!stat.isFile()) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFile(from, to, stat, writeOnce);
  if (!writeOnce) notes.note(from, null);
}

function copyFile(from: string, to: string, stat: Stats, writeOnce: boolean): void {
  if (writeOnce) return linkOrCopy(from, to);
  copyKeepingHoles(from, to, stat.size, stat.blocks);
  utimesSync(to, stat.atime, stat.mtime);
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    // Another file system, or one without hard links: the bytes are copied instead.
    if (!isErrno(error, 'EXDEV') && !isErrno(error, 'EPERM') && !isErrno(error, 'EMLINK')) throw error;
    copyFileSync(from, to, constants.COPYFILE_FICLONE);
  }
}

const CHUNK = 1 << 20;

/**
 * A clone where the file system offers one; otherwise chunks holding only
 * zeros are skipped, so that a sparse file stays sparse. A file with no
 * block allocated is a hole from end to end and needs no read at all.
 */
function copyKeepingHoles(from: string, to: string, size: number, blocks: number): void {
  try {
    copyFileSync(from, to, constants.COPYFILE_FICLONE_FORCE);
    return;
  } catch {
    // No reflink here: copied below.
  }
  const source = openSync(from, 'r');
  const target = openSync(to, 'w', fstatSync(source).mode & 0o7777);
  try {
    if (blocks > 0) {
      const buffer = Buffer.alloc(CHUNK);
      for (let position = 0; position < size;) {
        const read = readSync(source, buffer, 0, CHUNK, position);
        if (read === 0) break;
        if (!isAllZero(buffer, read)) writeSync(target, buffer, 0, read, position);
        position += read;
      }
    }
    ftruncateSync(target, size);
  } finally {
    closeSync(source);
    closeSync(target);
  }
}

const ZEROS = Buffer.alloc(CHUNK);

function isAllZero(buffer: Buffer, length: number): boolean {
  return buffer.subarray(0, length).equals(ZEROS.subarray(0, length));
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
