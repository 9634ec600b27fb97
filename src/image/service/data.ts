/**
 * Image data: upload (`PUT /file`), staging (`PUT /stage`) and download
 * (`GET /file`). Bytes stream from the request to the store and from the
 * store to the response; nothing here holds an image in memory.
 *
 * An upload is the two-phase action of STYLE.md: check and claim the image
 * (`queued` → `saving` by compare-and-swap, with a lease the uploading
 * process renews), stream to the store, then in one transaction reserve the
 * quota and move `saving` → `active` with the size and hashes. Any failure
 * removes the data and puts the image back to `queued` (Glance v2's
 * `_restore`; it no longer kills images), so the upload can be retried. A
 * process that dies mid-upload stops renewing; `releaseExpiredUploads`
 * then returns the image to `queued` as well.
 */
import type { Readable } from 'node:stream';
import { Gone, QuotaExceeded } from '../../core/errors.js';
import { nowIso } from '../../core/time.js';
import {
  StoreFull,
  StoreObjectNotFound,
  StoreSizeLimitExceeded,
  StoreSizeMismatch,
  StoreUnavailable,
  StoreWriteDenied,
  type ByteRange,
  type ImageStore,
  type StoredObject,
} from '../drivers/index.js';
import * as store from '../store/index.js';
import type { Image, ImageStatus } from '../store/index.js';
import { publishImageEvent } from './notifications.js';
import { ImagePolicy } from './authorize.js';
import { resolveRange, type RangeHeaders } from './byte-range.js';
import type { ImageContext } from './context.js';
import type { ImageDeps } from './deps.js';
import type { ImageOps } from './images.js';
import { MIB, overLimit, quotaMib, withinQuota } from './quotas.js';
import { imageErrors } from '../errors.js';
import { uploadThroughFaults } from './upload-fault.js';

/**
 * How long an uploading process vouches for its upload without renewing:
 * three renewals, so a crashed upload is back to `queued` (and its temporary
 * gone) within two minutes of the crash.
 */
export const UPLOAD_LEASE_MS = 90_000;
const UPLOAD_RENEW_MS = 30_000;

export type ImageData = Readable | AsyncIterable<Uint8Array>;

export interface UploadOptions {
  /** The size the client announced, if any. */
  size: number | null;
  /** A store id (`x-image-meta-store`); the default store when absent. */
  store?: string | undefined;
}

export interface Download {
  image: Image;
  /** Null when the image has no data (Glance answers 204). */
  data: Readable | null;
  /** The bytes sent, when a range was asked for. */
  range: ByteRange | null;
  /** The whole image's size. */
  size: number;
}

export class ImageDataOps {
  constructor(
    private readonly deps: ImageDeps,
    private readonly images: ImageOps,
  ) {}

  async upload(ctx: ImageContext, id: string, data: ImageData, options: UploadOptions): Promise<void> {
    const target = this.#store(options.store);
    const image = await this.images.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce('upload_image');
    policy.requireMutable();
    const limits = await this.#sizeLimits(image.owner, options.size);
    await this.#claim(image, 'saving', UPLOAD_LEASE_MS);

    const renew = setInterval(() => {
      store
        .updateImage(this.deps.db, id, { upload_lease_until: leaseUntil() }, ['saving'])
        .catch((err: unknown) => this.deps.log.warn({ err, imageId: id }, 'upload lease renewal failed'));
    }, UPLOAD_RENEW_MS);
    renew.unref();
    try {
      let stored: StoredObject;
      try {
        stored = await target.write(id, uploadThroughFaults(this.deps.faults, data, options.size), { expectedSize: options.size, maxSize: limits.maxSize });
      } catch (error) {
        await this.#restore(id, 'saving');
        throw dataError(error, limits);
      }
      try {
        await this.activate(image, 'saving', target, stored);
      } catch (error) {
        await target.delete(stored.location).catch((err: unknown) => this.deps.log.warn({ err, imageId: id }, 'uploaded data not removed'));
        if (!(error instanceof Gone)) await this.#restore(id, 'saving');
        throw error;
      }
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Streams data into the staging area for a later `glance-direct` import:
   * `queued` → `uploading`, with the staged size recorded.
   */
  async stage(ctx: ImageContext, id: string, data: ImageData, options: { size: number | null }): Promise<void> {
    if (!this.deps.options.enabledImportMethods.includes('glance-direct')) {
      throw imageErrors.glanceDirectUnavailable();
    }
    const image = await this.images.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce('modify_image');
    policy.requireMutable();
    const staging = this.deps.stores.staging;
    await this.#claim(image, 'uploading', null);
    let stored: StoredObject;
    try {
      stored = await staging.write(id, data, { expectedSize: options.size, maxSize: this.deps.options.imageSizeCap });
    } catch (error) {
      await this.#restore(id, 'uploading');
      throw dataError(error, { maxSize: this.deps.options.imageSizeCap, byQuota: false });
    }
    if (!(await store.updateImage(this.deps.db, id, { size: stored.size, updated_at: nowIso() }, ['uploading']))) {
      await staging.delete(stored.location);
      throw imageErrors.deletedDuringStaging(id);
    }
  }

  async download(ctx: ImageContext, id: string, headers: RangeHeaders = {}): Promise<Download> {
    const image = await this.images.find(ctx, id);
    if (image.status === 'deactivated' && !ctx.isAdmin) {
      throw imageErrors.deactivatedDownload();
    }
    new ImagePolicy(this.deps, ctx, image).enforce('download_image');
    const source = image.store === null ? undefined : this.deps.stores.get(image.store);
    if (image.location === null || source === undefined) return { image, data: null, range: null, size: 0 };
    const size = image.size ?? (await source.size(image.location)) ?? 0;
    const range = resolveRange(headers, size);
    // An explicit end lets the stream finish with its last chunk instead of
    // after one more read, so the response is complete as soon as the client has it.
    const bytes = range ?? (size > 0 ? { start: 0, end: size - 1 } : undefined);
    try {
      return { image, data: await source.read(image.location, bytes), range, size };
    } catch (error) {
      if (error instanceof StoreObjectNotFound) return { image, data: null, range: null, size: 0 };
      throw dataError(error, { maxSize: null, byQuota: false });
    }
  }

  /**
   * Makes `stored` the image's data: reserves its size against the owner's
   * quota and moves `from` → `active`, in one transaction. Gone when the
   * image was deleted meanwhile, Conflict when it left `from`.
   */
  async activate(image: Image, from: ImageStatus, target: ImageStore, stored: StoredObject, extra?: (trx: store.ImageDb) => Promise<void>): Promise<void> {
    const mib = quotaMib(stored.size);
    await this.deps.db.transaction().execute(async (trx) => {
      if (image.owner !== null) {
        const owner = image.owner;
        await withinQuota(owner, () => this.deps.quota.reserve(trx, owner, { image_size_total: mib }));
      }
      const changed = await store.updateImage(
        trx,
        image.id,
        {
          status: 'active',
          size: stored.size,
          checksum: stored.checksum,
          os_hash_algo: stored.multihash.algo,
          os_hash_value: stored.multihash.value,
          store: target.id,
          location: stored.location,
          quota_mib: mib,
          upload_lease_until: null,
          updated_at: nowIso(),
        },
        [from],
      );
      if (!changed) {
        const now = await store.getImage(trx, image.id);
        if (!now) {
          throw imageErrors.deletedDuringUpload(image.id);
        }
        throw imageErrors.transitionConflict(now.status, 'active');
      }
      await extra?.(trx);
    });
    publishImageEvent(this.deps.events, 'image.upload', image, 'active', stored.size);
  }

  /** The store an upload names, or the default one. */
  #store(id: string | undefined): ImageStore {
    if (id === undefined) return this.deps.stores.default;
    const found = this.deps.stores.get(id);
    if (!found) throw imageErrors.unknownStore(id);
    return found;
  }

  /**
   * The most bytes the upload may bring: the owner's remaining
   * image_size_total, and Glance's image_size_cap. An announced size already
   * over the quota is refused before reading anything (413).
   */
  async #sizeLimits(owner: string | null, declared: number | null): Promise<SizeLimits> {
    const cap = this.deps.options.imageSizeCap;
    if (owner === null) return { maxSize: cap, byQuota: false };
    const limit = (await this.deps.quota.getLimits(owner)).image_size_total;
    if (limit === -1) return { maxSize: cap, byQuota: false };
    const inUse = (await this.deps.quota.getUsage(owner)).image_size_total;
    const wanted = quotaMib(declared ?? 0);
    if (inUse + wanted > limit) throw overLimit(new QuotaExceeded('image_size_total', limit, inUse, wanted), owner);
    const remaining = Math.max(0, limit - inUse) * MIB;
    return remaining < cap ? { maxSize: remaining, byQuota: true } : { maxSize: cap, byQuota: false };
  }

  /**
   * `queued` → `to` by compare-and-swap. Another state is Glance's
   * InvalidImageStatusTransition (409); missing formats its ValueError (400).
   */
  async #claim(image: Image, to: ImageStatus, leaseMs: number | null): Promise<void> {
    if (image.status !== 'queued') throw imageErrors.transitionConflict(image.status, to);
    const missing = (['disk_format', 'container_format'] as const).filter((k) => !image[k]);
    if (missing.length > 0) throw imageErrors.propertiesRequired(missing);
    const claimed = await store.updateImage(
      this.deps.db,
      image.id,
      { status: to, upload_lease_until: leaseMs === null ? null : leaseUntil(), updated_at: nowIso() },
      ['queued'],
    );
    if (!claimed) {
      const now = await store.getImage(this.deps.db, image.id);
      if (!now) throw imageErrors.imageNotFound(image.id);
      throw imageErrors.transitionConflict(now.status, to);
    }
  }

  /** Back to `queued` after a failed upload or stage (Glance's `_restore` and `_unstage`). */
  async #restore(id: string, from: ImageStatus): Promise<void> {
    try {
      await store.updateImage(this.deps.db, id, { status: 'queued', size: null, virtual_size: null, upload_lease_until: null, updated_at: nowIso() }, [from]);
      if (from === 'uploading') await this.deps.stores.staging.delete(this.deps.stores.staging.locate(id));
    } catch (err) {
      this.deps.log.error({ err, imageId: id }, 'could not restore the image to queued after a failed upload');
    }
  }
}

interface SizeLimits {
  maxSize: number | null;
  /** Whether `maxSize` is the quota (rather than the size cap). */
  byQuota: boolean;
}

function leaseUntil(): string {
  return new Date(Date.now() + UPLOAD_LEASE_MS).toISOString();
}

/** Store failures as Glance answers them (image_data.py). */
function dataError(error: unknown, limits: SizeLimits): unknown {
  if (error instanceof StoreSizeLimitExceeded) {
    return limits.byQuota ? imageErrors.overStorageQuota(limits.maxSize) : imageErrors.imageTooLarge();
  }
  if (error instanceof StoreSizeMismatch) return imageErrors.sizeMismatch(error.message);
  if (error instanceof StoreFull) return imageErrors.storageFull(error.message);
  if (error instanceof StoreWriteDenied) return imageErrors.storeWriteDenied(error.message);
  if (error instanceof StoreUnavailable) return imageErrors.storeUnavailable(error.message);
  return error;
}
