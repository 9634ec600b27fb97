/**
 * Image quotas through the core quota engine, named as Glance's unified
 * limits: `image_count_total` (images a project owns) and `image_size_total`
 * (MiB of image data it owns). Unlimited by default, as Glance without
 * `use_keystone_limits`. Usage is reserved in the transaction that creates
 * or activates the image and released in the one that deletes it.
 *
 * Each image holds its size rounded up to whole MiB (kept in the row as
 * `quota_mib`, so a release gives back exactly what was taken); Glance
 * compares the byte total divided by 1 MiB, which can differ by less than
 * 1 MiB per image.
 */
import { PayloadTooLarge, QuotaExceeded } from '../../core/errors.js';
import type { QuotaEngine, ServiceQuota } from '../../core/quota/index.js';
import { imageErrors } from '../errors.js';

export const MIB = 1024 * 1024;

export const IMAGE_QUOTA_DEFAULTS = { image_count_total: -1, image_size_total: -1 };
export type ImageQuotaResource = keyof typeof IMAGE_QUOTA_DEFAULTS;
export type ImageQuota = ServiceQuota<ImageQuotaResource>;

export function registerImageQuotas(engine: QuotaEngine): ImageQuota {
  return engine.register('image', IMAGE_QUOTA_DEFAULTS);
}

/** MiB an image of `bytes` holds against `image_size_total`. */
export function quotaMib(bytes: number): number {
  return Math.ceil(bytes / MIB);
}

/** Glance answers an exceeded limit with 413 and oslo.limit's wording. */
export function overLimit(error: QuotaExceeded, projectId: string): PayloadTooLarge {
  return imageErrors.overLimit(projectId, error.resource, error.limit, error.inUse, error.requested);
}

/** Runs `fn`, turning a QuotaExceeded into Glance's 413. */
export async function withinQuota<T>(projectId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QuotaExceeded) throw overLimit(error, projectId);
    throw error;
  }
}
