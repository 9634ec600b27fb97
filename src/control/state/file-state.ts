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
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { StateFiles } from '../../core/service-module.js';

/** Copies each declared path that exists from `fromRoot` to `toRoot` (where nothing of it exists yet). */
export function copyStateFiles(entries: readonly StateFiles[], fromRoot: string, toRoot: string): void {
  for (const entry of entries) {
    const from = join(fromRoot, entry.path);
    if (!existsSync(from)) continue;
    copyTree(from, join(toRoot, entry.path), entry.writeOnce);
  }
}

/**
 * Makes each declared path under `liveRoot` what it is under `snapshotRoot`
 * (absent there: removed), touching only what differs: a file written once is
 * the same while it is the same inode, another while its size and time of
 * change are those of the snapshot's copy (copies take the original's time).
 */
export function restoreStateFiles(entries: readonly StateFiles[], snapshotRoot: string, liveRoot: string): void {
  for (const entry of entries) syncTree(join(snapshotRoot, entry.path), join(liveRoot, entry.path), entry.writeOnce);
}

function syncTree(saved: string, live: string, writeOnce: boolean): void {
  const savedStat = statOrNull(saved);
  const liveStat = statOrNull(live);
  if (!savedStat || (liveStat && liveStat.isDirectory() !== savedStat.isDirectory())) rmSync(live, { recursive: true, force: true });
  if (!savedStat) return;
  if (savedStat.isDirectory()) {
    mkdirSync(live, { recursive: true, mode: savedStat.mode & 0o7777 });
    const names = new Set(readdirSync(saved));
    for (const name of readdirSync(live)) if (!names.has(name)) rmSync(join(live, name), { recursive: true, force: true });
    for (const name of names) syncTree(join(saved, name), join(live, name), writeOnce);
    return;
  }
  if (!savedStat.isFile() || (liveStat && sameFile(savedStat, liveStat, writeOnce))) return;
  rmSync(live, { force: true });
  copyFile(saved, live, savedStat, writeOnce);
}

function sameFile(saved: Stats, live: Stats, writeOnce: boolean): boolean {
  if (writeOnce) return saved.ino === live.ino && saved.dev === live.dev;
  return live.isFile() && saved.size === live.size && Math.trunc(saved.mtimeMs) === Math.trunc(live.mtimeMs);
}

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

function copyTree(from: string, to: string, writeOnce: boolean): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true, mode: stat.mode & 0o7777 });
    for (const name of readdirSync(from)) copyTree(join(from, name), join(to, name), writeOnce);
    return;
  }
  // Sockets, pipes and links are a process's, not the cloud's state.
  if (!stat.isFile()) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFile(from, to, stat, writeOnce);
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
