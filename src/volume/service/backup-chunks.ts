/**
 * How a backup lies in the object store, in the spirit of Cinder's chunked
 * backup driver: the volume's raw bytes cut into fixed-size chunks, each
 * stored as an object named after the backup that wrote it, and a manifest
 * listing every chunk with its SHA-256. An incremental backup stores only
 * the chunks whose hash differs from its parent's and points at the parent's
 * objects for the rest; all-zero chunks are not stored at all.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BackupObjectStore } from '../drivers/index.js';
import type { Backup } from '../store/index.js';

export const CHUNK_SIZE = 32 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK_SIZE);

export interface ChunkEntry {
  offset: number;
  length: number;
  sha256: string;
  /** The object holding the bytes; null for a chunk of zeros. */
  object: string | null;
}

export interface Manifest {
  version: 1;
  chunkSize: number;
  length: number;
  chunks: ChunkEntry[];
  /** The volume's metadata when it was backed up (absent in backups made before it was kept). */
  volumeMetadata?: Record<string, string>;
}

/** `ownerId`: the id the backup's objects are named after (its own, or the exported backup's for an imported record). */
export const manifestName = (ownerId: string) => `backup_${ownerId}/manifest.json`;
export const objectPrefix = (ownerId: string) => `backup_${ownerId}/`;

/** Whose objects hold a backup's data: its own, or (an imported record) those of the backup it was exported from. */
export function objectOwner(backup: Backup): { prefix: string; projectId: string } {
  return { prefix: backup.object_prefix ?? backup.id, projectId: backup.object_project_id ?? backup.project_id };
}

/** The backup's manifest; `BackendObjectNotFound` when the store has none (never finished, or an import of nothing). */
export async function readManifest(store: BackupObjectStore, backup: Backup): Promise<Manifest> {
  return JSON.parse((await store.get(backup.container, manifestName(objectOwner(backup).prefix))).toString()) as Manifest;
}

/** Cuts `data` into chunks and stores the new ones; returns the manifest (not yet stored) and how many objects were written. */
export async function writeChunks(
  store: BackupObjectStore,
  container: string,
  backupId: string,
  data: Readable,
  parent: Manifest | null,
): Promise<{ manifest: Manifest; written: number }> {
  const chunks: ChunkEntry[] = [];
  let written = 0;
  let offset = 0;
  for await (const chunk of fixedChunks(data)) {
    const sha256 = createHash('sha256').update(chunk).digest('hex');
    const index = chunks.length;
    const inherited = parent?.chunks[index];
    let object: string | null;
    if (chunk.length === CHUNK_SIZE && chunk.equals(ZEROS)) object = null;
    else if (inherited && inherited.sha256 === sha256 && inherited.length === chunk.length) object = inherited.object;
    else {
      object = `${objectPrefix(backupId)}chunk-${String(index).padStart(6, '0')}`;
      await store.put(container, object, chunk);
      written++;
    }
    chunks.push({ offset, length: chunk.length, sha256, object });
    offset += chunk.length;
  }
  return { manifest: { version: 1, chunkSize: CHUNK_SIZE, length: offset, chunks }, written };
}

/** The backup's raw bytes, chunk by chunk, each checked against its hash. */
export function readChunks(store: BackupObjectStore, container: string, manifest: Manifest): Readable {
  return Readable.from(
    (async function* () {
      for (const entry of manifest.chunks) {
        const bytes = entry.object === null ? Buffer.alloc(entry.length) : await store.get(container, entry.object);
        if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
          throw new Error(`Backup chunk at offset ${entry.offset} does not match its checksum.`);
        }
        yield bytes;
      }
    })(),
  );
}

async function* fixedChunks(data: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const piece of data) {
    let buffer = piece as Buffer;
    while (buffer.length > 0) {
      const take = Math.min(CHUNK_SIZE - size, buffer.length);
      pending.push(buffer.subarray(0, take));
      size += take;
      buffer = buffer.subarray(take);
      if (size === CHUNK_SIZE) {
        yield Buffer.concat(pending, size);
        pending = [];
        size = 0;
      }
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}
