/**
 * The `file` store: each object is one file, `<root>/<key>`, as Glance's
 * filesystem store keeps `/var/lib/glance/images/<image id>`.
 *
 * A write goes to a temporary in the same directory (`.tmp-<key>.<random>`),
 * is fsynced, renamed over the final name and the directory fsynced: a crash
 * at any point leaves either the old object or the new one, never a torn
 * file, plus at most a temporary for `sweep`. Chunks are gathered into ~1 MiB
 * writes, and the next batch is read and hashed while the previous one is
 * being written, so the disk and the hashing overlap.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ImageStoreError, StoreFull, StoreObjectNotFound, StoreWriteDenied } from './errors.js';
import { DataMeter } from './measure.js';
import type { ByteRange, ImageStore, StoreCapabilities, StoredObject, WriteOptions } from './store.js';

const TEMP_PREFIX = '.tmp-';
const WRITE_BATCH_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 1 << 20;
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface FileStoreOptions {
  /** Store identifier (`file`, or `os_glance_staging_store` for the staging area). */
  id: string;
  /** Directory holding the objects; created (mode 0700) if missing. */
  root: string;
  description?: string;
}

export class FileStore implements ImageStore {
  readonly type = 'file';
  readonly id: string;
  readonly root: string;
  readonly description: string;

  constructor(options: FileStoreOptions) {
    this.id = options.id;
    this.root = resolve(options.root);
    this.description = options.description ?? `Image data in files under ${this.root}`;
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  capabilities(): StoreCapabilities {
    return { rangeRead: true, local: true };
  }

  locate(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`Invalid object key ${JSON.stringify(key)} for file store ${this.id}`);
    return pathToFileURL(join(this.root, key)).href;
  }

  async write(key: string, data: Readable | AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<StoredObject> {
    const location = this.locate(key);
    const meter = new DataMeter(options);
    options.signal?.throwIfAborted();
    const final = join(this.root, key);
    const temp = join(this.root, `${TEMP_PREFIX}${key}.${randomBytes(6).toString('hex')}`);
    let file: FileHandle | undefined;
    try {
      file = await open(temp, 'wx', 0o600);
      await copyInto(file, data, meter, options.signal);
      const stored = meter.finish(location);
      await file.sync();
      await file.close();
      file = undefined;
      await rename(temp, final);
      await syncDirectory(this.root);
      return stored;
    } catch (error) {
      await file?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw storeError(error);
    }
  }

  async read(location: string, range?: ByteRange): Promise<Readable> {
    const path = this.#pathOf(location);
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if (errno(error) === 'ENOENT') throw new StoreObjectNotFound(location);
      throw storeError(error);
    }
    // The stream closes the file when it ends or is destroyed.
    return file.createReadStream({ start: range?.start, end: range?.end, highWaterMark: READ_CHUNK_BYTES });
  }

  async delete(location: string): Promise<void> {
    try {
      await rm(this.#pathOf(location), { force: true });
    } catch (error) {
      throw storeError(error);
    }
  }

  async size(location: string): Promise<number | null> {
    try {
      return (await stat(this.#pathOf(location))).size;
    } catch (error) {
      if (errno(error) === 'ENOENT') return null;
      throw storeError(error);
    }
  }

  async sweep(olderThanMs: number, key?: string): Promise<number> {
    const before = Date.now() - olderThanMs;
    const prefix = key === undefined ? TEMP_PREFIX : `${TEMP_PREFIX}${key}.`;
    let removed = 0;
    for (const name of await readdir(this.root)) {
      if (!name.startsWith(prefix)) continue;
      const path = join(this.root, name);
      try {
        if ((await stat(path)).mtimeMs < before) {
          await rm(path, { force: true });
          removed++;
        }
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw storeError(error);
      }
    }
    return removed;
  }

  /** The file of a location this store gave out; anything else is a caller's bug. */
  #pathOf(location: string): string {
    let path: string;
    try {
      path = fileURLToPath(location);
    } catch {
      throw new Error(`Location ${location} is not a file URL of store ${this.id}`);
    }
    const name = basename(path);
    if (dirname(path) !== this.root || !KEY_PATTERN.test(name)) {
      throw new Error(`Location ${location} is not in file store ${this.id} (${this.root})`);
    }
    return path;
  }
}

/**
 * Reads `data` to its end into `file`: measures every chunk, gathers them
 * into batches and writes one batch while the next is being read.
 */
async function copyInto(file: FileHandle, data: Readable | AsyncIterable<Uint8Array>, meter: DataMeter, signal: AbortSignal | undefined): Promise<void> {
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let pending: Promise<void> = Promise.resolve();
  for await (const chunk of data as AsyncIterable<Uint8Array | string>) {
    signal?.throwIfAborted();
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    meter.update(bytes);
    batch.push(bytes);
    batchBytes += bytes.byteLength;
    if (batchBytes >= WRITE_BATCH_BYTES) {
      await pending;
      pending = writeAll(file, batch);
      // Awaited before the next batch or at the end; this only keeps an
      // early failure from being reported as unhandled in between.
      pending.catch(() => undefined);
      batch = [];
      batchBytes = 0;
    }
  }
  signal?.throwIfAborted();
  await pending;
  if (batch.length > 0) await writeAll(file, batch);
}

/** `writev` until every byte is written (a regular file may take fewer bytes per call). */
async function writeAll(file: FileHandle, buffers: Uint8Array[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest);
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const buffer of rest) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength;
      } else {
        next.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    rest = next;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** File system failures in the contract's terms; everything else passes through unchanged. */
function storeError(error: unknown): unknown {
  if (error instanceof ImageStoreError) return error;
  switch (errno(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StoreFull(`No space left for image data: ${(error as Error).message}`, { cause: error });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StoreWriteDenied(`Image data cannot be written: ${(error as Error).message}`, { cause: error });
    default:
      return error;
  }
}
