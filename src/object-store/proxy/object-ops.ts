/**
 * Object operations behind the API: store (stream to the replicas under a
 * quota hold, then the container row), open (with expiry) and remove. The
 * quotas are Swift's container_quotas and account_quotas, held atomically
 * (upload-hold.ts).
 */
import { PayloadTooLarge, Unprocessable } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import type { AccountServer, ContainerServer, ObjectHandle, ObjectMetadata } from '../storage/contract.js';
import { checkSize } from './constraints.js';
import type { ObjectLocation, ReplicatedObjects } from './replicated-objects.js';
import { newTimestamp } from './timestamp.js';
import { UploadHold } from './upload-hold.js';

export interface StoreRequest {
  where: ObjectLocation;
  body: AsyncIterable<Buffer> | Iterable<Buffer>;
  contentType: string;
  headers: Record<string, string>;
  system: Record<string, string>;
  /** The client's ETag header (422 when the bytes differ). */
  expectedEtag: string | null;
  /** Size and ETag the container listing shows, when not the stored bytes' (a manifest's totals). */
  listed?: (stored: ObjectMetadata) => { size: number; etag: string };
  /** The size announced before the body (Content-Length, a copy's source size); null for a chunked body. */
  declaredSize: number | null;
  /** Client uploads respect the container and account quotas; internal copies (versions) and service writes do not. */
  enforceQuotas: boolean;
  /** A cap of this upload alone (formpost's max_file_size), 413 beyond it. */
  maxBytes?: number;
  /** Work once the quota room is held, before the body is read: archiving the version it replaces. */
  prepare?: () => Promise<void>;
  /** The version's timestamp when it is a copy keeping its source's (container sync); a new one otherwise. */
  timestamp?: string;
}

export class ObjectOps {
  constructor(
    readonly objects: ReplicatedObjects,
    readonly containers: ContainerServer,
    readonly accounts: AccountServer,
  ) {}

  async store(request: StoreRequest): Promise<ObjectMetadata> {
    const timestamp = request.timestamp ?? newTimestamp();
    const { where } = request;
    const maxBytes = request.maxBytes ?? Infinity;
    if (request.declaredSize !== null) {
      checkSize(request.declaredSize);
      if (request.declaredSize > maxBytes) throw new PayloadTooLarge(STANDARD_BODY);
    }
    const hold = request.enforceQuotas ? await UploadHold.take(this.containers, where, request.declaredSize) : null;
    try {
      await request.prepare?.();
      const stored = await this.objects.put(
        where,
        request.body,
        (written) => ({
          path: `/${where.account}/${where.container}/${where.object}`,
          timestamp,
          contentType: request.contentType,
          etag: written.etag,
          size: written.size,
          headers: request.headers,
          system: request.system,
        }),
        async (written) => {
          if (request.expectedEtag !== null && request.expectedEtag.replace(/^"(.*)"$/, '$1').toLowerCase() !== written.etag) {
            throw new Unprocessable(STANDARD_BODY);
          }
          await hold?.settle(written.size);
        },
        (bytes) => {
          checkSize(bytes);
          if (bytes > maxBytes) throw new PayloadTooLarge(STANDARD_BODY);
          return hold?.progress(bytes);
        },
      );
      const listed = request.listed?.(stored) ?? { size: stored.size, etag: stored.etag };
      await this.containers.putObject(where.account, where.container, {
        name: where.object,
        createdAt: timestamp,
        size: listed.size,
        contentType: stored.contentType,
        etag: listed.etag,
      });
      return stored;
    } finally {
      // After the row: until then the hold is what keeps others from the room.
      await hold?.release();
    }
  }

  /** The live object, or null when missing, deleted or past its X-Delete-At. */
  async open(where: ObjectLocation): Promise<ObjectHandle | null> {
    const handle = await this.objects.open(where);
    if (handle && isExpired(handle.metadata.headers)) {
      await handle.close();
      return null;
    }
    return handle;
  }

  async remove(where: ObjectLocation, timestamp = newTimestamp()): Promise<void> {
    await this.objects.delete(where, timestamp);
    await this.containers.deleteObject(where.account, where.container, where.object, timestamp);
  }
}

export function isExpired(headers: Record<string, string>, now = Date.now() / 1000): boolean {
  const deleteAt = headers['x-delete-at'];
  return deleteAt !== undefined && Number(deleteAt) <= now;
}
