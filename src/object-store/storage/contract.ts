/**
 * The contract between the proxy and the storage devices, as Swift's proxy
 * speaks to object servers: the proxy never touches a device's files, so a
 * device on another host can implement the same interface over HTTP later.
 *
 * Terms: an object is addressed on a device by its ring partition and the
 * hash of its path; every state change carries a Swift timestamp and the
 * newest timestamp wins (a write older than what the device holds is kept
 * aside and never shown), which is what lets replicas be repaired by copying.
 */
import type { Readable } from 'node:stream';

/** What a device stores with an object's bytes. */
export interface ObjectMetadata {
  /** `/account/container/object`, for audits and listings rebuilt from devices. */
  path: string;
  /** Swift timestamp of the PUT that made the data (`1700000000.12345`). */
  timestamp: string;
  contentType: string;
  /** md5 of the bytes, hex. */
  etag: string;
  size: number;
  /** Headers a POST replaces: X-Object-Meta-*, Content-Disposition, Content-Encoding, X-Delete-At, X-Object-Manifest. */
  headers: Record<string, string>;
  /** Headers fixed at PUT (X-Static-Large-Object, sysmeta): a POST keeps them. */
  system: Record<string, string>;
}

/** A POST's metadata: replaces `headers` and the content type of the current data. */
export interface MetadataUpdate {
  timestamp: string;
  contentType: string;
  headers: Record<string, string>;
}

/** An open object: the bytes stay readable until close(), whatever writes follow. */
export interface ObjectHandle {
  readonly metadata: ObjectMetadata;
  /** Timestamp of the newest change (the PUT, or a later POST). */
  readonly changedAt: string;
  /** The whole object when it was small enough to be read at open (no stream needed), else null. */
  readonly bytes: Buffer | null;
  /** Bytes start..end inclusive. */
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

export type ObjectState =
  | { kind: 'object'; handle: ObjectHandle }
  | { kind: 'deleted'; timestamp: string; /** `/account/container/object`, when the tombstone recorded it. */ path: string | null }
  | { kind: 'missing' };

/** Receives an upload's bytes; nothing is visible until commit() returns. */
export interface ObjectWriter {
  write(chunk: Buffer): Promise<void>;
  /** Makes the object durable and visible (fsync, rename) with its metadata. */
  commit(metadata: ObjectMetadata): Promise<void>;
  /** Drops the temporary; safe after a failed write, a no-op after commit. */
  abort(): Promise<void>;
}

/** One device's object server. Every method is safe to retry. */
export interface ObjectServer {
  readonly device: string;
  createWriter(partition: number, hash: string): Promise<ObjectWriter>;
  open(partition: number, hash: string): Promise<ObjectState>;
  /** Applies a POST; false when the device holds no live object. */
  post(partition: number, hash: string, update: MetadataUpdate): Promise<boolean>;
  /** Records a deletion (a tombstone naming `path`) at `timestamp`; idempotent. */
  delete(partition: number, hash: string, timestamp: string, path: string | null): Promise<void>;
  /** Partitions with anything stored, and their object hashes (for the replicator). */
  partitions(): Promise<number[]>;
  hashes(partition: number): Promise<string[]>;
  /** Drops a hash dir the device should not hold (after a handoff was copied home). */
  remove(partition: number, hash: string): Promise<void>;
  /**
   * Re-reads the data and compares it with the stored md5; a mismatch moves the
   * file to quarantine and answers false, so the replicator copies a good replica.
   */
  audit(partition: number, hash: string): Promise<boolean>;
  /** Removes temporaries older than `ageMs` (uploads a crash cut short). */
  sweep(ageMs: number): Promise<number>;
}

/** Listing parameters as Swift's container and account servers take them. */
export interface ListingQuery {
  prefix: string;
  delimiter: string | null;
  marker: string;
  endMarker: string;
  limit: number;
  reverse: boolean;
}

export interface ObjectRow {
  name: string;
  /** Timestamp of the version listed. */
  createdAt: string;
  size: number;
  contentType: string;
  etag: string;
}

export interface ContainerRow {
  name: string;
  objectCount: number;
  bytesUsed: number;
  putTimestamp: string;
}

/** A listing entry: a row, or a `subdir` rolled up by the delimiter. */
export type Listed<Row> = { row: Row } | { subdir: string };

/** Metadata as Swift keeps it in its databases: header name (lower case) to value. */
export type DbMetadata = Record<string, string>;

export interface ContainerInfo {
  createdAt: string;
  putTimestamp: string;
  objectCount: number;
  bytesUsed: number;
  metadata: DbMetadata;
}

export interface AccountInfo {
  createdAt: string;
  containerCount: number;
  objectCount: number;
  bytesUsed: number;
  metadata: DbMetadata;
}

/**
 * Quota room an upload in flight holds (Swift's container_quotas and
 * account_quotas, made atomic): the check and the hold are one transaction
 * in the container's (then the account's) database, so concurrent uploads
 * never together pass a quota. A hold is released when its upload commits or
 * fails; one whose request died (kill -9) stops counting at `expiresAt`.
 */
export interface HoldRequest {
  /** The upload's hold: asking again with the same id replaces it (growth, refresh). */
  id: string;
  object: string;
  /** Bytes the upload has or must have (refused below this). */
  minBytes: number;
  /** Bytes it expects to need: the grant is as much of this as the quotas leave. */
  wantBytes: number;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A hold on the account's quotas, crediting what the upload replaces (an overwrite counts as its delta). */
export interface AccountHoldRequest extends HoldRequest {
  container: string;
  replacedBytes: number;
  replacedCount: number;
}

/** Bytes granted; Infinity when no quota applies (nothing is held); null when a quota refuses. */
export type HoldGrant = number | null;

/**
 * The container databases' server: one database per container, holding the
 * object rows (deleted ones as tombstones, so an older update cannot revive
 * an object) and the container metadata.
 */
export interface ContainerServer {
  /** Creates or revives the container; false when it already existed (Swift's 202). */
  create(account: string, container: string, timestamp: string, metadata: DbMetadata): Promise<boolean>;
  info(account: string, container: string): Promise<ContainerInfo | null>;
  /** Sets metadata; an empty value removes the key. False when the container does not exist. */
  updateMetadata(account: string, container: string, metadata: DbMetadata): Promise<boolean>;
  /** 'not-empty' leaves the container as it was. */
  delete(account: string, container: string, timestamp: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  /** Records an object version; ignored when the database holds a newer one. */
  putObject(account: string, container: string, row: ObjectRow): Promise<void>;
  deleteObject(account: string, container: string, name: string, timestamp: string): Promise<void>;
  list(account: string, container: string, query: ListingQuery): Promise<Array<Listed<ObjectRow>>>;
  /** Holds room under the container's and then the account's quotas. */
  reserve(account: string, container: string, request: HoldRequest): Promise<HoldGrant>;
  /** Drops the hold in the container and the account; a missing hold is fine. */
  release(account: string, container: string, id: string): Promise<void>;
  /** Rows (tombstones too) recorded after the timestamp `after`, oldest first: container sync's walk. */
  changes(account: string, container: string, after: string, limit: number): Promise<RowChange[]>;
  /** The timestamp of the row (live or deleted) the container holds for `name`, null when none. */
  version(account: string, container: string, name: string): Promise<string | null>;
  /** The live containers whose metadata names an `X-Container-Sync-To` (Swift's container-sync daemon walks the databases). */
  syncing(): Promise<SyncingContainer[]>;
  close(): Promise<void>;
}

export interface RowChange {
  row: ObjectRow;
  deleted: boolean;
}

export interface SyncingContainer {
  account: string;
  container: string;
  metadata: DbMetadata;
}

/** The account databases' server: the containers of an account, their counts, and its metadata. */
export interface AccountServer {
  info(account: string): Promise<AccountInfo | null>;
  updateMetadata(account: string, metadata: DbMetadata): Promise<void>;
  /** A container's current stats (or its deletion when `deleted`), as the container server reports them. */
  reportContainer(account: string, row: ContainerRow, deleted: boolean): Promise<void>;
  list(account: string, query: ListingQuery): Promise<Array<Listed<ContainerRow>>>;
  reserve(account: string, request: AccountHoldRequest): Promise<HoldGrant>;
  release(account: string, id: string): Promise<void>;
  close(): Promise<void>;
}
