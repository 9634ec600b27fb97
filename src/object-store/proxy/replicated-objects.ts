/**
 * The proxy's side of object storage: each object path goes to its ring
 * partition's primary devices. A PUT streams to every primary at once and
 * succeeds when a majority committed (Swift's quorum); reads take the first
 * primary that has the object, falling back to the others; the replicator
 * brings lagging replicas back in line.
 */
import { createHash } from 'node:crypto';
import { ServiceUnavailable } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ring } from '../ring/ring.js';
import type { MetadataUpdate, ObjectHandle, ObjectMetadata, ObjectServer, ObjectWriter } from '../storage/contract.js';

export interface ObjectLocation {
  account: string;
  container: string;
  object: string;
}

export interface WrittenObject {
  etag: string;
  size: number;
}

/** Called with the measured bytes before they commit: throws (or rejects) to refuse the upload (ETag, quota, length). */
export type UploadCheck = (written: WrittenObject) => void | Promise<void>;

/** Called with the bytes received so far, before each chunk is written: may throw to stop early (a quota crossed). */
export type UploadProgress = (bytesSoFar: number) => void | Promise<void>;

const WRITE_BATCH = 1024 * 1024;

export class ReplicatedObjects {
  constructor(
    private readonly ring: Ring,
    private readonly servers: Map<number, ObjectServer>,
    private readonly log: Logger,
  ) {}

  private place(where: ObjectLocation): { partition: number; hash: string; servers: ObjectServer[] } {
    const hash = this.ring.hashPath(where.account, where.container, where.object);
    const partition = this.ring.partition(hash);
    const servers = this.ring.primaries(partition).map((d) => this.servers.get(d.id) as ObjectServer);
    return { partition, hash, servers };
  }

  private quorum(replicas: number): number {
    return Math.floor(replicas / 2) + 1;
  }

  /**
   * Streams `body` to every primary, measuring size and md5 on the way; `check`
   * sees the totals before anything commits; `progress` sees each chunk's arrival
   * (a promise is awaited only when one is returned, to keep the hot loop cheap).
   */
  async put(
    where: ObjectLocation,
    body: AsyncIterable<Buffer> | Iterable<Buffer>,
    metadata: (written: WrittenObject) => ObjectMetadata,
    check: UploadCheck,
    progress: UploadProgress = () => undefined,
  ): Promise<ObjectMetadata> {
    const { partition, hash, servers } = this.place(where);
    const writers: ObjectWriter[] = [];
    try {
      // Opened in parallel; any failure fails the PUT, and `finally` drops the temporaries that did open.
      const opened = await Promise.allSettled(servers.map((s) => s.createWriter(partition, hash)));
      for (const r of opened) if (r.status === 'fulfilled') writers.push(r.value);
      for (const r of opened) if (r.status === 'rejected') throw r.reason;
      const md5 = createHash('md5');
      let size = 0;
      // Socket chunks (often 16-64 KiB) are gathered to WRITE_BATCH before a write: a third of the
      // thread-pool round trips per replica, with memory still bounded per upload.
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async () => {
        const chunk = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, batched);
        batch = [];
        batched = 0;
        await Promise.all(writers.map((w) => w.write(chunk)));
      };
      for await (const chunk of body) {
        md5.update(chunk);
        size += chunk.length;
        const pending = progress(size);
        if (pending) await pending;
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= WRITE_BATCH) await flush();
      }
      if (batched > 0) await flush();
      const written = { etag: md5.digest('hex'), size };
      await check(written);
      const stored = metadata(written);
      const results = await Promise.allSettled(writers.map((w) => w.commit(stored)));
      const committed = results.filter((r) => r.status === 'fulfilled').length;
      for (const [i, r] of results.entries()) {
        if (r.status === 'rejected') this.log.warn({ err: r.reason, device: servers[i]?.device }, 'object replica write failed');
      }
      if (committed < this.quorum(servers.length)) throw new ServiceUnavailable('');
      return stored;
    } finally {
      await Promise.all(writers.map((w) => w.abort()));
    }
  }

  /** The object as the first primary holding it has it; null when deleted or missing everywhere. */
  async open(where: ObjectLocation): Promise<ObjectHandle | null> {
    const { partition, hash, servers } = this.place(where);
    let failures = 0;
    for (const server of servers) {
      try {
        const state = await server.open(partition, hash);
        if (state.kind === 'object') return state.handle;
        // A newer deletion is authoritative: a stale replica must not bring the object back.
        if (state.kind === 'deleted') return null;
      } catch (err) {
        failures++;
        this.log.warn({ err, device: server.device }, 'object replica unreadable');
      }
    }
    if (failures === servers.length) throw new ServiceUnavailable('');
    return null;
  }

  async post(where: ObjectLocation, update: MetadataUpdate): Promise<boolean> {
    const { partition, hash, servers } = this.place(where);
    const results = await Promise.allSettled(servers.map((s) => s.post(partition, hash, update)));
    return results.some((r) => r.status === 'fulfilled' && r.value);
  }

  async delete(where: ObjectLocation, timestamp: string): Promise<void> {
    const { partition, hash, servers } = this.place(where);
    const path = `/${where.account}/${where.container}/${where.object}`;
    const results = await Promise.allSettled(servers.map((s) => s.delete(partition, hash, timestamp, path)));
    if (results.filter((r) => r.status === 'fulfilled').length < this.quorum(servers.length)) throw new ServiceUnavailable('');
  }
}
