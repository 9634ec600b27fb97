/**
 * The image store contract: where Glance keeps image bytes.
 *
 * Vocabulary:
 * - An *object* is the bytes of one image in one store. The service names it
 *   with a *key* (the image id); the store answers with a *location*, its own
 *   URL for the object (`file:///var/lib/nimbus/images/<id>`, later
 *   `swift+http://…/glance/<id>`). A location is opaque outside the driver:
 *   the service keeps it in the image row and hands it back to read or delete.
 * - A write is *committed* once `write` resolves: from then on readers see the
 *   whole object, before then they see nothing (never a prefix). A write cut
 *   short (the client went away, a size check failed, the process was
 *   killed) leaves no object and, once `sweep` ran, no leftovers.
 *
 * Every byte passes through the driver exactly once on the way in, so the
 * driver measures it: size, md5 `checksum` and the sha512 multihash Glance
 * reports as `os_hash_algo`/`os_hash_value`. A remote store that computes its
 * own ETag still returns these.
 *
 * Memory stays flat whatever the object size: implementations stream, with
 * backpressure, and never hold more than a few chunks.
 */
import type { Readable } from 'node:stream';

/** The hash algorithm of `StoredObject.multihash` (Glance's default `hashing_algorithm`). */
export const MULTIHASH_ALGORITHM = 'sha512';

/** What a committed write produced. JSON-safe: tasks record it between attempts. */
export interface StoredObject {
  /** The store's URL for the object; give it back to `read` and `delete`. */
  location: string;
  /** Bytes written. */
  size: number;
  /** md5 of the bytes, 32 hex digits (Glance's `checksum`). */
  checksum: string;
  multihash: { algo: typeof MULTIHASH_ALGORITHM; value: string };
}

export interface WriteOptions {
  /**
   * The size the client announced (Content-Length, `x-openstack-image-size`).
   * When set, data of any other length fails with `StoreSizeMismatch`.
   */
  expectedSize?: number | null;
  /**
   * The most bytes the object may have (remaining quota, image size cap).
   * The write fails with `StoreSizeLimitExceeded` as soon as the data goes
   * past it, without reading the rest.
   */
  maxSize?: number | null;
  /** Aborting fails the write with the signal's reason and leaves nothing. */
  signal?: AbortSignal;
}

/** An inclusive byte range, `start <= end < size`, as HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Optional features; all false unless the store says otherwise. */
export interface StoreCapabilities {
  /** `read` honours a range without reading the bytes before it. */
  rangeRead: boolean;
  /** The store keeps objects on this host's disks (the staging area must be such a store). */
  local: boolean;
}

export interface ImageStore {
  /** The store identifier clients see in `stores` and `/v2/info/stores` (e.g. `file`). */
  readonly id: string;
  /** The driver kind, Glance's store type name: `file`, `swift`, ... */
  readonly type: string;
  readonly description: string;
  capabilities(): StoreCapabilities;

  /**
   * Streams `data` into the object `key` and resolves once it is committed.
   *
   * End state: the object holds exactly the bytes of `data`; an object the
   * key held before is replaced in one step (readers see the old or the new
   * bytes, never a mix), so a write retried after a crash simply rewrites it.
   *
   * On failure (`data` errored, `StoreSizeMismatch`, `StoreSizeLimitExceeded`,
   * `StoreFull`, `StoreWriteDenied`, `StoreUnavailable`, the signal's reason)
   * nothing was committed and the partial bytes are already removed; an
   * object the key held before is untouched. A crash mid-write leaves at most
   * a temporary that `sweep` removes. Undo: `delete`.
   */
  write(key: string, data: Readable | AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<StoredObject>;

  /**
   * The object's bytes, or those of `range` (which the caller has checked
   * against the object's size). Throws `StoreObjectNotFound` before any byte
   * is sent when the object is missing, so the caller can still choose its
   * answer. The stream must be consumed or destroyed.
   */
  read(location: string, range?: ByteRange): Promise<Readable>;

  /**
   * Removes the object. Idempotent: a missing object is not an error, so a
   * delete retried after a crash succeeds. Throws `StoreUnavailable` (retry
   * later) or `StoreWriteDenied`.
   */
  delete(location: string): Promise<void>;

  /**
   * The location `write(key)` gives, without writing: lets the service clean
   * up an object whose write committed but whose image row was never updated
   * (a crash in between).
   */
  locate(key: string): string;

  /** The object's size, or null when it is missing. */
  size(location: string): Promise<number | null>;

  /**
   * Removes what writes cut short by a crash left behind (temporaries older
   * than `olderThanMs`, so a write still in progress in another process is
   * spared), only those of writes to `key` when it is given. Returns how
   * many it removed. Safe to run at any time.
   */
  sweep(olderThanMs: number, key?: string): Promise<number>;
}
