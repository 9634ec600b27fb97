/**
 * Image records: create, show, list, JSON-patch update, delete,
 * deactivate/reactivate and tags. Data (upload, download, import) is in
 * `data.ts`, sharing in `members.ts`.
 */
import { uuid } from '../../core/ids.js';
import type { Page } from '../../core/pagination/index.js';
import { nowIso } from '../../core/time.js';
import * as store from '../store/index.js';
import type { Image, ImageListQuery, ImageStatus, ImageUpdate, Visibility } from '../store/index.js';
import { publishImageEvent } from './notifications.js';
import { checkCount, checkNotNegative, checkPropertyName, isWritableAttribute, VISIBILITIES, type WritableAttribute } from './attributes.js';
import { enforce, ImagePolicy, allowed } from './authorize.js';
import { imageErrors } from '../errors.js';
import type { ImageContext } from './context.js';
import { taskKinds, type ImageDeps } from './deps.js';
import { MIB, withinQuota } from './quotas.js';

/** What a create request asks for, already checked against the image schema. */
export interface NewImage {
  id?: string;
  name?: string | null;
  visibility?: Visibility;
  protected?: boolean;
  os_hidden?: boolean;
  min_disk?: number;
  min_ram?: number;
  /** Absent: the caller's project. */
  owner?: string | null;
  disk_format?: string | null;
  container_format?: string | null;
  tags?: string[];
  /** Extra properties (string values). */
  properties?: Record<string, string>;
}

/** One JSON-patch operation, its pointer already decoded into path segments. */
export interface ImageChange {
  op: 'add' | 'replace' | 'remove';
  path: string[];
  value?: unknown;
  /** 4 for `application/openstack-images-v2.0-json-patch`, 10 for v2.1. */
  jsonSchemaVersion: 4 | 10;
}

export type ImageListRequest = Omit<ImageListQuery, 'viewer'>;

/** Attributes being changed by a patch, applied together at the end. */
interface Draft {
  attributes: Partial<Record<Exclude<WritableAttribute, 'tags'>, unknown>>;
  tags: string[] | null;
  properties: Record<string, string>;
}

export class ImageOps {
  constructor(private readonly deps: ImageDeps) {}

  async create(ctx: ImageContext, input: NewImage): Promise<Image> {
    const { options } = this.deps;
    const owner = input.owner === undefined ? ctx.projectId : input.owner;
    const visibility = input.visibility ?? 'shared';
    const target = { project_id: owner, owner, visibility };
    if (!allowed(this.deps, ctx, 'add_image', target)) {
      if (owner !== ctx.projectId) throw imageErrors.ownerRefusedByPolicy(owner);
      throw imageErrors.notAuthorized('add_image');
    }
    if (visibility === 'public') enforce(this.deps, ctx, 'publicize_image', target);
    if (visibility === 'community') enforce(this.deps, ctx, 'communitize_image', target);
    if (!ctx.isAdmin && owner !== ctx.projectId) throw imageErrors.ownerRefused(owner);

    if (!VISIBILITIES.includes(visibility)) throw imageErrors.visibilityInvalid();
    checkFormat('container_format', input.container_format, options.containerFormats);
    checkFormat('disk_format', input.disk_format, options.diskFormats);
    for (const name of ['min_disk', 'min_ram'] as const) checkNotNegative(name, input[name] ?? 0);
    const properties = input.properties ?? {};
    for (const name of Object.keys(properties)) checkPropertyName(name);
    const tags = uniqueSorted(input.tags ?? []);
    checkCount('properties', Object.keys(properties).length, options.imagePropertyQuota);
    checkCount('tags', tags.length, options.imageTagQuota);

    const id = input.id ?? uuid();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      if (owner !== null) await withinQuota(owner, () => this.deps.quota.reserve(trx, owner, { image_count_total: 1 }));
      await store.insertImage(
        trx,
        {
          id,
          name: input.name ?? null,
          disk_format: input.disk_format ?? null,
          container_format: input.container_format ?? null,
          size: null,
          virtual_size: null,
          status: 'queued',
          visibility,
          checksum: null,
          os_hash_algo: null,
          os_hash_value: null,
          min_disk: input.min_disk ?? 0,
          min_ram: input.min_ram ?? 0,
          owner,
          protected: input.protected ?? false,
          os_hidden: input.os_hidden ?? false,
          store: null,
          location: null,
          quota_mib: 0,
          upload_lease_until: null,
          created_at: now,
          updated_at: now,
        },
        properties,
        tags,
      );
    });
    return this.#load(id);
  }

  /** The image, if the caller may see it (404 otherwise, never 403). */
  async get(ctx: ImageContext, id: string): Promise<Image> {
    const image = await this.find(ctx, id);
    new ImagePolicy(this.deps, ctx, image).enforce('get_image');
    return image;
  }

  /**
   * The image if it exists and the caller can see it (Glance's
   * `is_image_visible`): admins see all; others their own images, public and
   * community ones, and shared ones they are a member of, in any status.
   */
  async find(ctx: ImageContext, id: string): Promise<Image> {
    const image = id.length <= 36 ? await store.getImage(this.deps.db, id) : undefined;
    if (!image || !(await this.#visible(ctx, image))) throw imageErrors.imageNotFound(id);
    return image;
  }

  async list(ctx: ImageContext, request: ImageListRequest): Promise<Page<Image>> {
    enforce(this.deps, ctx, 'get_images', { project_id: ctx.projectId });
    const page = await store.listImages(this.deps.db, { ...request, viewer: { projectId: ctx.projectId, isAdmin: ctx.isAdmin } });
    // As Glance: the page is what the database gave, less what the policy hides.
    return { ...page, rows: page.rows.filter((image) => new ImagePolicy(this.deps, ctx, image).check('get_image')) };
  }

  /** Applies JSON-patch changes in order, all or nothing (Glance's `update`). */
  async update(ctx: ImageContext, id: string, changes: readonly ImageChange[]): Promise<Image> {
    const image = await this.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    const draft: Draft = { attributes: {}, tags: null, properties: { ...image.properties } };
    for (const change of changes) this.#apply(ctx, policy, image, draft, change);
    if (changes.length === 0) return image;

    const { options } = this.deps;
    const removed = Object.keys(image.properties).filter((name) => !(name in draft.properties));
    const setProps = Object.fromEntries(Object.entries(draft.properties).filter(([name, value]) => image.properties[name] !== value));
    if (Object.keys(setProps).length > 0) checkCount('properties', Object.keys(draft.properties).length, options.imagePropertyQuota);
    if (draft.tags !== null) checkCount('tags', draft.tags.length, options.imageTagQuota);

    const columns: ImageUpdate = { ...(draft.attributes as ImageUpdate), updated_at: nowIso() };
    const newOwner = 'owner' in draft.attributes ? (draft.attributes.owner as string | null) : image.owner;
    await this.deps.db.transaction().execute(async (trx) => {
      if (newOwner !== image.owner) {
        // The image's usage moves with it to its new owner.
        if (image.owner !== null) await this.deps.quota.release(trx, image.owner, { image_count_total: 1, image_size_total: image.quota_mib });
        if (newOwner !== null) {
          await withinQuota(newOwner, () => this.deps.quota.reserve(trx, newOwner, { image_count_total: 1, image_size_total: image.quota_mib }));
        }
      }
      if (!(await store.updateImage(trx, id, columns))) throw imageErrors.imageNotFound(id);
      await store.setProperties(trx, id, setProps, removed);
      if (draft.tags !== null) await store.replaceTags(trx, id, draft.tags);
    });
    return this.#load(id);
  }

  async delete(ctx: ImageContext, id: string): Promise<void> {
    const image = await this.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce('delete_image');
    policy.requireMutable();
    if (image.protected) throw imageErrors.protectedImage(id);
    const locations = this.#dataLocations(image);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.deleteImage(trx, id))) throw imageErrors.imageNotFoundToDelete(id);
      if (image.owner !== null) {
        await this.deps.quota.release(trx, image.owner, { image_count_total: 1, image_size_total: image.quota_mib });
      }
      // Durable, so a crash right after the commit still frees the data.
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).purgeData, payload: { imageId: id, locations }, resourceId: id });
    });
    this.deps.queue.wake();
    publishImageEvent(this.deps.events, 'image.delete', image, 'deleted', image.size);
    // Freed now as well, so the space is back when the request returns; the task finds nothing left.
    await this.purgeData(locations).catch((err: unknown) => this.deps.log.warn({ err, imageId: id }, 'image data not removed yet; the purge task retries'));
  }

  /**
   * The caller's project's usage against Glance's four limits
   * (`/v2/info/usage`); the two Nimbus enforces carry their limit, the
   * others are unlimited (-1).
   */
  async usage(ctx: ImageContext): Promise<Record<string, { limit: number; usage: number }>> {
    const project = ctx.projectId ?? '';
    const [limits, used, uploads] = await Promise.all([
      this.deps.quota.getLimits(project),
      this.deps.quota.getUsage(project),
      store.uploadUsage(this.deps.db, project),
    ]);
    return {
      image_size_total: { limit: limits.image_size_total, usage: used.image_size_total },
      image_stage_total: { limit: -1, usage: Math.floor(uploads.stagedBytes / MIB) },
      image_count_total: { limit: limits.image_count_total, usage: used.image_count_total },
      image_count_uploading: { limit: -1, usage: uploads.uploading },
    };
  }

  /** Removes data objects; idempotent (the purge task's step). */
  async purgeData(locations: ReadonlyArray<{ store: string; location: string }>): Promise<void> {
    for (const { store: storeId, location } of locations) {
      const target = storeId === this.deps.stores.staging.id ? this.deps.stores.staging : this.deps.stores.get(storeId);
      await target?.delete(location);
    }
  }

  /** `active` → `deactivated`; a no-op when already deactivated (Glance's `deactivate`). */
  async deactivate(ctx: ImageContext, id: string): Promise<void> {
    await this.#toggle(ctx, id, 'deactivate', 'active', 'deactivated');
  }

  /** `deactivated` → `active`; a no-op when already active. */
  async reactivate(ctx: ImageContext, id: string): Promise<void> {
    await this.#toggle(ctx, id, 'reactivate', 'deactivated', 'active');
  }

  async addTag(ctx: ImageContext, id: string, tag: string): Promise<void> {
    const image = await this.#mutable(ctx, id);
    if (image.tags.includes(tag)) return;
    checkCount('tags', image.tags.length + 1, this.deps.options.imageTagQuota);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.addTag(trx, id, tag);
      await store.updateImage(trx, id, { updated_at: nowIso() });
    });
  }

  async removeTag(ctx: ImageContext, id: string, tag: string): Promise<void> {
    await this.#mutable(ctx, id);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.removeTag(trx, id, tag))) throw imageErrors.resourceNotFound();
      await store.updateImage(trx, id, { updated_at: nowIso() });
    });
  }

  /** The image after `modify_image` and the owner check passed. */
  async #mutable(ctx: ImageContext, id: string): Promise<Image> {
    const image = await this.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce('modify_image');
    policy.requireMutable();
    return image;
  }

  async #toggle(ctx: ImageContext, id: string, action: 'deactivate' | 'reactivate', from: ImageStatus, to: ImageStatus): Promise<void> {
    const image = await this.find(ctx, id);
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce(action);
    policy.requireMutable();
    if (image.status === to) return;
    if (image.status !== from) throw imageErrors.wrongStatusFor(action, image.status);
    if (!(await store.updateImage(this.deps.db, id, { status: to, updated_at: nowIso() }, [from]))) {
      const now = await store.getImage(this.deps.db, id);
      if (!now) throw imageErrors.imageNotFound(id);
      if (now.status !== to) throw imageErrors.transitionRefused(now.status, to);
    }
  }

  /** One patch operation onto the draft (Glance's `_do_add`, `_do_replace`, `_do_remove`). */
  #apply(ctx: ImageContext, policy: ImagePolicy, image: Image, draft: Draft, change: ImageChange): void {
    const [root = ''] = change.path;
    if (root === 'locations') {
      policy.enforce(change.op === 'remove' ? 'delete_image_location' : 'set_image_location');
      const verb = { add: 'add', replace: 'update', remove: 'remove' }[change.op];
      throw imageErrors.locationsInvisible(verb);
    }
    if (change.op === 'replace' && root === 'owner' && !ctx.isAdmin) throw imageErrors.ownerChangeNeedsAdmin();
    // Glance's `update_property`: the visibility rule first, then modify_image and the owner check.
    if (root === 'visibility') policy.enforceVisibility(change.value);
    policy.enforce('modify_image');
    policy.requireMutable();

    const isAttribute = isWritableAttribute(root);
    const exists = isAttribute || root in draft.properties;
    switch (change.op) {
      case 'replace':
        if (!exists) throw imageErrors.propertyMissing(root);
        break;
      case 'add':
        if (exists && change.jsonSchemaVersion === 4) throw imageErrors.propertyPresent(root);
        break;
      case 'remove':
        if (isAttribute) throw imageErrors.notRemovable(root);
        if (!exists) throw imageErrors.propertyMissing(root);
        delete draft.properties[root];
        return;
    }
    if (isAttribute) this.#setAttribute(image, draft, root, change.value);
    else {
      checkPropertyName(root);
      draft.properties[root] = change.value as string;
    }
  }

  /** Sets a base attribute, with the domain's own checks (Glance's `Image` setters). */
  #setAttribute(image: Image, draft: Draft, name: WritableAttribute, value: unknown): void {
    const { options } = this.deps;
    switch (name) {
      case 'tags':
        draft.tags = uniqueSorted(value as string[]);
        return;
      case 'container_format':
      case 'disk_format':
        if (image.status !== 'queued' && image.status !== 'importing') {
          throw imageErrors.queuedOnly(name);
        }
        checkFormat(name, value as string | null, name === 'container_format' ? options.containerFormats : options.diskFormats);
        break;
      case 'min_disk':
      case 'min_ram':
        checkNotNegative(name, value as number);
        break;
      case 'visibility':
        if (!VISIBILITIES.includes(value as Visibility)) {
          throw imageErrors.visibilityInvalid();
        }
        break;
    }
    draft.attributes[name] = value;
  }

  /** Every place data of this image may be: its location, and where a crashed write could have left it. */
  #dataLocations(image: Image): Array<{ store: string; location: string }> {
    const { stores } = this.deps;
    const found = [...stores.all, stores.staging].map((s) => ({ store: s.id, location: s.locate(image.id) }));
    if (image.store !== null && image.location !== null && !found.some((l) => l.location === image.location)) {
      found.push({ store: image.store, location: image.location });
    }
    return found;
  }

  async #visible(ctx: ImageContext, image: Image): Promise<boolean> {
    if (ctx.isAdmin || image.owner === null) return true;
    if (image.visibility === 'public' || image.visibility === 'community') return true;
    if (ctx.projectId === null) return false;
    if (image.owner === ctx.projectId) return true;
    return image.visibility === 'shared' && (await store.getMember(this.deps.db, image.id, ctx.projectId)) !== undefined;
  }

  async #load(id: string): Promise<Image> {
    const image = await store.getImage(this.deps.db, id);
    if (!image) throw imageErrors.imageNotFound(id);
    return image;
  }
}

function checkFormat(name: string, value: string | null | undefined, allowedValues: readonly string[]): void {
  if (value === null || value === undefined || allowedValues.includes(value)) return;
  throw imageErrors.valueNotAllowed(name, value, allowedValues);
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
