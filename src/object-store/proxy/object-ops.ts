/**
 * Object operations behind the API: store (stream to the replicas, then the
 * container row), open (with expiry), remove, and the quotas a write must
 * respect (Swift's container_quotas and account_quotas middleware).
 */
import { PayloadTooLarge, Unprocessable } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import type { AccountServer, ContainerInfo, ContainerServer, ObjectHandle, ObjectMetadata } from '../storage/contract.js';
import { checkSize } from './constraints.js';
import type { ObjectLocation, ReplicatedObjects } from './replicated-objects.js';
import { newTimestamp } from './timestamp.js';

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
  /** Bytes the account and container quotas still allow; null when unlimited. */
  bytesAllowed: number | null;
}

export class ObjectOps {
  constructor(
    readonly objects: ReplicatedObjects,
    readonly containers: ContainerServer,
    readonly accounts: AccountServer,
  ) {}

  async store(request: StoreRequest): Promise<ObjectMetadata> {
    const timestamp = newTimestamp();
    const { where } = request;
    const overQuota = () => new PayloadTooLarge('Upload exceeds quota.');
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
      (written) => {
        if (request.expectedEtag !== null && request.expectedEtag.replace(/^"(.*)"$/, '$1').toLowerCase() !== written.etag) {
          throw new Unprocessable(STANDARD_BODY);
        }
      },
      (bytes) => {
        checkSize(bytes);
        if (request.bytesAllowed !== null && bytes > request.bytesAllowed) throw overQuota();
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

  async remove(where: ObjectLocation): Promise<void> {
    const timestamp = newTimestamp();
    await this.objects.delete(where, timestamp);
    await this.containers.deleteObject(where.account, where.container, where.object, timestamp);
  }

  /**
   * Checks the count quota now and returns how many bytes the byte quotas
   * leave for this upload (null: no byte quota), or throws 413.
   */
  async quotaRoom(where: ObjectLocation, container: ContainerInfo, contentLength: number | null): Promise<number | null> {
    const rooms: number[] = [];
    const countQuota = container.metadata['x-container-meta-quota-count'];
    if (countQuota !== undefined && container.objectCount + 1 > Number(countQuota)) throw new PayloadTooLarge('Upload exceeds quota.');
    const bytesQuota = container.metadata['x-container-meta-quota-bytes'];
    if (bytesQuota !== undefined) rooms.push(Number(bytesQuota) - container.bytesUsed);
    const account = await this.accounts.info(where.account);
    const accountQuota = account?.metadata['x-account-meta-quota-bytes'];
    if (accountQuota !== undefined && account) rooms.push(Number(accountQuota) - account.bytesUsed);
    if (rooms.length === 0) return null;
    const room = Math.min(...rooms);
    if (contentLength !== null && contentLength > room) throw new PayloadTooLarge('Upload exceeds quota.');
    return room;
  }
}

export function isExpired(headers: Record<string, string>, now = Date.now() / 1000): boolean {
  const deleteAt = headers['x-delete-at'];
  return deleteAt !== undefined && Number(deleteAt) <= now;
}
