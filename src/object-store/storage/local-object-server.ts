/**
 * The object server of a device on this host: `<device>/objects/<partition>/<hash>/`
 * holds `<ts>.data` (bytes and metadata, see object-file.ts), `<ts>.meta` (a
 * POST's metadata) and `<ts>.ts` (a deletion), as Swift's diskfile does. A
 * write lands in `<device>/tmp/`, is fsynced and renamed into place; older
 * files of the same hash are removed once a newer one is durable.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetadataUpdate, ObjectHandle, ObjectMetadata, ObjectServer, ObjectState, ObjectWriter } from './contract.js';
import { encodeTrailer, readObjectFile, verifyObjectFile } from './object-file.js';

interface HashDirFiles {
  data: string | null;
  meta: string | null;
  tombstone: string | null;
}

export class LocalObjectServer implements ObjectServer {
  constructor(
    readonly device: string,
    private readonly root: string,
  ) {}

  private hashDir(partition: number, hash: string): string {
    return join(this.root, 'objects', String(partition), hash);
  }

  /** A new file in `<device>/tmp/`, making the dir only when it is missing (not a mkdir per write). */
  private async openTemp(): Promise<{ temp: string; file: FileHandle }> {
    const tmpDir = join(this.root, 'tmp');
    const temp = join(tmpDir, randomUUID());
    try {
      return { temp, file: await open(temp, 'wx', 0o600) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(tmpDir, { recursive: true });
      return { temp, file: await open(temp, 'wx', 0o600) };
    }
  }

  async createWriter(partition: number, hash: string): Promise<ObjectWriter> {
    const { temp, file } = await this.openTemp();
    const dir = this.hashDir(partition, hash);
    let done = false;
    return {
      write: async (chunk) => {
        await file.write(chunk);
      },
      commit: async (metadata) => {
        await file.write(encodeTrailer(metadata));
        await file.sync();
        await file.close();
        done = true;
        await this.install(dir, temp, `${metadata.timestamp}.data`);
      },
      abort: async () => {
        if (done) return;
        done = true;
        await file.close().catch(() => undefined);
        await rm(temp, { force: true });
      },
    };
  }

  async open(partition: number, hash: string): Promise<ObjectState> {
    const dir = this.hashDir(partition, hash);
    const files = await this.currentFiles(dir);
    if (files.tombstone !== null && (files.data === null || stamp(files.tombstone) >= stamp(files.data))) {
      const content = await readFile(join(dir, files.tombstone), 'utf8').catch(() => '');
      const path = content ? ((JSON.parse(content) as { path?: string }).path ?? null) : null;
      return { kind: 'deleted', timestamp: stamp(files.tombstone), path };
    }
    if (files.data === null) return { kind: 'missing' };
    let file: FileHandle;
    try {
      file = await open(join(dir, files.data), 'r');
    } catch (error) {
      // Replaced by a newer version between the listing and the open: look again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.open(partition, hash);
      throw error;
    }
    try {
      const { metadata, body } = await readObjectFile(file);
      let changedAt = metadata.timestamp;
      if (files.meta !== null && stamp(files.meta) > metadata.timestamp) {
        const update = JSON.parse(await readFile(join(dir, files.meta), 'utf8')) as MetadataUpdate;
        metadata.headers = update.headers;
        metadata.contentType = update.contentType;
        changedAt = update.timestamp;
      }
      if (body === null) return { kind: 'object', handle: fileHandle(file, metadata, changedAt) };
      // Read whole: the descriptor is not needed any longer.
      await file.close();
      return { kind: 'object', handle: bufferHandle(body, metadata, changedAt) };
    } catch (error) {
      await file.close().catch(() => undefined);
      throw error;
    }
  }

  async post(partition: number, hash: string, update: MetadataUpdate): Promise<boolean> {
    const state = await this.open(partition, hash);
    if (state.kind !== 'object') return false;
    await state.handle.close();
    const temp = await this.writeTemp(Buffer.from(JSON.stringify(update)));
    await this.install(this.hashDir(partition, hash), temp, `${update.timestamp}.meta`);
    return true;
  }

  async delete(partition: number, hash: string, timestamp: string, path: string | null): Promise<void> {
    // The tombstone names the object so the replicator can bring its listing in line.
    const temp = await this.writeTemp(Buffer.from(path === null ? '' : JSON.stringify({ path })));
    await this.install(this.hashDir(partition, hash), temp, `${timestamp}.ts`);
  }

  async partitions(): Promise<number[]> {
    const names = await readdir(join(this.root, 'objects')).catch(() => [] as string[]);
    return names.filter((n) => /^\d+$/.test(n)).map(Number);
  }

  async hashes(partition: number): Promise<string[]> {
    return readdir(join(this.root, 'objects', String(partition))).catch(() => [] as string[]);
  }

  async remove(partition: number, hash: string): Promise<void> {
    await rm(this.hashDir(partition, hash), { recursive: true, force: true });
  }

  async audit(partition: number, hash: string): Promise<boolean> {
    const dir = this.hashDir(partition, hash);
    const files = await this.currentFiles(dir);
    if (files.data === null) return true;
    if (await verifyObjectFile(join(dir, files.data))) return true;
    const quarantine = join(this.root, 'quarantined', 'objects');
    await mkdir(quarantine, { recursive: true });
    await rename(join(dir, files.data), join(quarantine, `${hash}-${files.data}`)).catch(() => undefined);
    return false;
  }

  async sweep(ageMs: number): Promise<number> {
    const tmpDir = join(this.root, 'tmp');
    const names = await readdir(tmpDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const info = await stat(join(tmpDir, name)).catch(() => null);
      if (info && Date.now() - info.mtimeMs > ageMs) {
        await rm(join(tmpDir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private async writeTemp(content: Buffer): Promise<string> {
    const { temp, file } = await this.openTemp();
    try {
      await file.write(content);
      await file.sync();
    } finally {
      await file.close();
    }
    return temp;
  }

  /** Renames a durable temporary into the hash dir, fsyncs the dir, then drops what it supersedes. */
  private async install(dir: string, temp: string, name: string): Promise<void> {
    try {
      await rename(temp, join(dir, name));
    } catch (error) {
      // A new hash dir: make it only then, not with a mkdir on every write.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      await rename(temp, join(dir, name));
    }
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.cleanup(dir);
  }

  /** The newest .data, .meta and .ts; older versions are removed (Swift's hash_cleanup_listdir). */
  private async cleanup(dir: string): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const keep = new Set(Object.values(pickCurrent(names)).filter((n): n is string => n !== null));
    for (const name of names) if (!keep.has(name)) await rm(join(dir, name), { force: true });
  }

  private async currentFiles(dir: string): Promise<HashDirFiles> {
    return pickCurrent(await readdir(dir).catch(() => [] as string[]));
  }
}

function stamp(name: string): string {
  return name.slice(0, name.lastIndexOf('.'));
}

/** The newest of each kind, ignoring a .meta or .data older than the newest deletion. */
function pickCurrent(names: string[]): HashDirFiles {
  const newest = (suffix: string) =>
    names
      .filter((n) => n.endsWith(suffix))
      .sort()
      .at(-1) ?? null;
  const tombstone = newest('.ts');
  let data = newest('.data');
  let meta = newest('.meta');
  if (tombstone !== null && data !== null && stamp(data) <= stamp(tombstone)) data = null;
  if (meta !== null && (data === null || stamp(meta) <= stamp(data))) meta = null;
  return { data, meta, tombstone: data === null ? tombstone : null };
}

function bufferHandle(body: Buffer, metadata: ObjectMetadata, changedAt: string): ObjectHandle {
  return {
    metadata,
    changedAt,
    bytes: body,
    stream: (start, end) => Readable.from([body.subarray(start, end + 1)]),
    close: async () => undefined,
  };
}

function fileHandle(file: FileHandle, metadata: ObjectMetadata, changedAt: string): ObjectHandle {
  let closed = false;
  return {
    metadata,
    changedAt,
    bytes: null,
    stream: (start, end) => createReadStream('', { fd: file.fd, start, end, autoClose: false, highWaterMark: 1024 * 1024 }),
    close: async () => {
      if (closed) return;
      closed = true;
      await file.close();
    },
  };
}
