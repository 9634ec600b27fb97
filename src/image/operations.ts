/**
 * What the image service offers other services in-process
 * (`deps.services.image`): Nova booting, snapshotting, shelving and
 * rescuing; Cinder creating volumes from images and uploading volumes to
 * images; Heat's image resources; the first-start images compute registers.
 * Every call takes the caller's CallerContext and goes through the same
 * service layer as the REST API under /image, so Glance's policy (404 for an
 * image the caller may not see, never 403), the owner check and the
 * image quotas hold as for an API call. Glance's own view of a caller (its
 * `ImageContext`) stays inside image/.
 *
 * Errors are core's NimbusError classes with Glance's messages (404 not
 * found, 403 denied or protected, 409 wrong status, 413 over quota).
 */
import type { Readable } from 'node:stream';
import type { CallerContext } from '../core/context.js';
import { NimbusError } from '../core/errors.js';
import { imageErrors } from './errors.js';
import type { ImageContext, ImageChange, ImageServiceOps, NewImage } from './service/index.js';
import type { ImageQuota } from './service/quotas.js';
import type { Image as StoredImage, ImageSortKey, MemberStatus, Visibility } from './store/index.js';

export type { ImageStatus, Visibility } from './store/index.js';
export type { ImageQuota } from './service/quotas.js';

/** An image as other services see it: Glance's attributes, its extra properties and tags. */
export type Image = Omit<StoredImage, 'store' | 'location' | 'quota_mib' | 'upload_lease_until'>;

/** Image bytes to upload: a stream or any async source of chunks. */
export type ImageData = Readable | AsyncIterable<Uint8Array>;

/** What a new image is: Glance's create attributes (`owner` absent: the caller's project). */
export type ImageRequest = NewImage;

/** An image that gets data at once: its formats are required. */
export type ImageRegistration = NewImage & { disk_format: string; container_format: string };

/** Which images a listing returns; every given condition must hold. */
export interface ImageQuery {
  name?: string;
  /** Glance's default when absent: community images only when owned. `all`: every visibility the caller may see. */
  visibility?: Visibility | 'all';
  /** Shared images are listed when the caller's membership has this status (default `accepted`). */
  memberStatus?: MemberStatus | 'all';
  /** Exact values of extra properties (`instance_uuid`, `image_type`, ...). */
  properties?: Record<string, string>;
  tags?: string[];
  limit?: number;
  /** The id of the last image of the previous page. */
  marker?: string;
  /** Default: newest first (`created_at` descending), as Glance. */
  sort?: Array<{ key: ImageSortKey; dir: 'asc' | 'desc' }>;
}

/**
 * A change of attributes and properties, applied all together or not at all.
 * Attributes absent stay as they are; a property set to null is removed.
 */
export interface ImageUpdate {
  name?: string | null;
  visibility?: Visibility;
  protected?: boolean;
  min_disk?: number;
  min_ram?: number;
  /** Admin only by Glance's policy, as a JSON-patch `replace /owner`. */
  owner?: string | null;
  tags?: string[];
  properties?: Record<string, string | null>;
}

export interface ImageDownload {
  image: Image;
  /** Null when the image has no data. */
  data: Readable | null;
  size: number;
}

export interface ImageOperations {
  /** The image if the caller may see it; 404 otherwise (also for a private image of another project). Read-only. */
  get(caller: CallerContext, id: string): Promise<Image>;
  /** The images the caller may see that match `query` (one page: `limit`, `marker`). Read-only. */
  list(caller: CallerContext, query?: ImageQuery): Promise<Image[]>;
  /**
   * Heat's image lookup: the image with this id, else the one image with this
   * name. 404 when none, 409 when several carry the name. Read-only.
   */
  find(caller: CallerContext, nameOrId: string): Promise<Image>;
  /** A `queued` image without data, counted against the owner's image_count_total. Not idempotent (a new id each call unless `id` is given). */
  create(caller: CallerContext, image: ImageRequest): Promise<Image>;
  /**
   * Streams `data` into a `queued` image, which becomes `active` with its
   * size and checksums. A failure (bad data, over quota, store error) puts
   * it back to `queued` with nothing stored, so the upload may be retried;
   * a second upload to an active image is a 409.
   */
  upload(caller: CallerContext, id: string, data: ImageData, size?: number | null): Promise<Image>;
  /** The image and a stream of its data (null when it has none). Refused (403) for a deactivated image unless admin. */
  download(caller: CallerContext, id: string): Promise<ImageDownload>;
  /** Changes attributes and properties (owner or admin only); nothing changes when any part is refused. Idempotent. */
  update(caller: CallerContext, id: string, update: ImageUpdate): Promise<Image>;
  /**
   * Deletes the image and releases its quota at once; its data is removed by
   * a durable task, so a crash never leaks it. Refused (403) while protected.
   * Not idempotent: a second delete is a 404.
   */
  delete(caller: CallerContext, id: string): Promise<void>;
  /**
   * Creates and uploads in one call (the default images, fixtures). On a
   * failed upload the new image is deleted again: nothing is left behind.
   */
  register(caller: CallerContext, image: ImageRegistration, data: ImageData, size?: number | null): Promise<Image>;
  /**
   * Starts the `web-download` import of a `queued` image from `uri`, as
   * `POST /v2/images/{id}/import` does: 400 when the URI does not pass the
   * import filter or the method is not enabled, 409 when the image is not
   * `queued`. The image becomes `active` when the download task is done, or
   * goes back to `queued` (with `os_glance_failed_import`) when it fails.
   */
  importFromUri(caller: CallerContext, id: string, uri: string): Promise<void>;
  /** Deactivates (`active` → `deactivated`) or reactivates an image; admin only by Glance's policy. Idempotent. */
  setActive(caller: CallerContext, id: string, active: boolean): Promise<void>;
  /** Shares an image with a project (visibility `shared`); 409 when it already is a member. */
  addMember(caller: CallerContext, id: string, memberId: string): Promise<void>;
  /** Stops sharing an image with a project; 404 when it is not a member. */
  removeMember(caller: CallerContext, id: string, memberId: string): Promise<void>;
  /** The image quotas (image_count_total, image_size_total in MiB) for an operator or a quota API; no policy of its own. */
  quota: ImageQuota;
}

/** The public operations over the image service layer (the one the REST API calls). */
export function imageOperations(service: ImageServiceOps): ImageOperations {
  const ctx = (caller: CallerContext): ImageContext => service.context(caller);
  const get = async (caller: CallerContext, id: string) => publicImage(await service.images.get(ctx(caller), id));
  const list = async (caller: CallerContext, query: ImageQuery = {}) => {
    const page = await service.images.list(ctx(caller), {
      memberStatus: query.memberStatus ?? 'accepted',
      visibility: query.visibility ?? null,
      filters: query.name === undefined ? [] : [{ field: 'name', op: 'eq', values: [query.name] }],
      tags: query.tags ?? [],
      properties: query.properties ?? {},
      params: { limit: query.limit ?? null, marker: query.marker ?? null, sort: query.sort ?? [{ key: 'created_at', dir: 'desc' }] },
    });
    return page.rows.map(publicImage);
  };
  const upload = async (caller: CallerContext, id: string, data: ImageData, size: number | null = null) => {
    await service.data.upload(ctx(caller), id, data, { size });
    return get(caller, id);
  };
  const remove = (caller: CallerContext, id: string) => service.images.delete(ctx(caller), id);
  return {
    get,
    list,
    async find(caller, nameOrId) {
      const byId = await service.images.get(ctx(caller), nameOrId).catch((error: unknown) => {
        // Not an id the caller sees: perhaps a name. Any other failure is the answer.
        if (error instanceof NimbusError && error.status === 404) return null;
        throw error;
      });
      if (byId !== null) return publicImage(byId);
      const named = await list(caller, { name: nameOrId, visibility: 'all', memberStatus: 'all', limit: 2 });
      if (named.length > 1) throw imageErrors.ambiguousName(nameOrId);
      const [image] = named;
      if (image === undefined) throw imageErrors.noImageNamed(nameOrId);
      return image;
    },
    create: async (caller, image) => publicImage(await service.images.create(ctx(caller), image)),
    upload,
    async download(caller, id) {
      const download = await service.data.download(ctx(caller), id);
      return { image: publicImage(download.image), data: download.data, size: download.size };
    },
    async update(caller, id, update) {
      const current = await service.images.get(ctx(caller), id);
      return publicImage(await service.images.update(ctx(caller), id, imageChanges(current, update)));
    },
    delete: remove,
    async register(caller, image, data, size = null) {
      const created = await service.images.create(ctx(caller), image);
      try {
        return await upload(caller, created.id, data, size);
      } catch (error) {
        await remove(caller, created.id).catch(() => undefined);
        throw error;
      }
    },
    async importFromUri(caller, id, uri) {
      await service.imports.start(ctx(caller), id, { method: { name: 'web-download', uri } });
    },
    async setActive(caller, id, active) {
      await (active ? service.images.reactivate(ctx(caller), id) : service.images.deactivate(ctx(caller), id));
    },
    async addMember(caller, id, memberId) {
      await service.members.create(ctx(caller), id, memberId);
    },
    async removeMember(caller, id, memberId) {
      await service.members.delete(ctx(caller), id, memberId);
    },
    quota: service.quota,
  };
}

/**
 * The update as JSON-patch operations (v2.1 dialect: `add` sets a property
 * whether or not it exists). Removing a property the image does not have is
 * no change, so that repeating an update is harmless.
 */
function imageChanges(current: StoredImage, update: ImageUpdate): ImageChange[] {
  const { properties = {}, ...attributes } = update;
  const change = (op: ImageChange['op'], name: string, value?: unknown): ImageChange => ({ op, path: [name], value, jsonSchemaVersion: 10 });
  return [
    ...Object.entries(attributes).map(([name, value]) => change('replace', name, value)),
    ...Object.entries(properties)
      .filter(([name, value]) => value !== null || name in current.properties)
      .map(([name, value]) => (value === null ? change('remove', name) : change('add', name, value))),
  ];
}

function publicImage(image: StoredImage): Image {
  const { store: _store, location: _location, quota_mib: _quotaMib, upload_lease_until: _lease, ...visible } = image;
  return visible;
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    image?: ImageOperations;
  }
}
