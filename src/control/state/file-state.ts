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
  copyFileSync,
  constants,
  existsSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  rmSync,
  writeSync,
  ftruncateSync,
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

/** Makes each declared path under `liveRoot` what it is under `snapshotRoot` (absent there: removed). */
export function restoreStateFiles(entries: readonly StateFiles[], snapshotRoot: string, liveRoot: string): void {
  for (const entry of entries) {
    const live = join(liveRoot, entry.path);
    rmSync(live, { recursive: true, force: true });
    const saved = join(snapshotRoot, entry.path);
    if (existsSync(saved)) copyTree(saved, live, entry.writeOnce);
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
  if (writeOnce) linkOrCopy(from, to);
  else copyKeepingHoles(from, to, stat.size, stat.blocks);
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
