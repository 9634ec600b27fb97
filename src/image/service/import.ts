/**
 * Interoperable image import (`POST /v2/images/{id}/import`) and its
 * discovery (`/v2/info/import`, `/v2/info/stores`).
 *
 * `glance-direct`: the data was staged (`PUT /stage`) and the import copies it
 * into the store. `web-download`: the task first fetches the request's `uri`
 * (which must pass `[import_filtering_opts]`, else 400) into staging, then
 * goes on as `glance-direct`. `copy-image` copies an active image into more
 * stores; with one store there is nowhere to copy to, so it is not offered.
 *
 * The API call checks and claims the image (`uploading` or, for
 * `web-download`, `queued` → `importing`),
 * records Glance's task row and enqueues a durable task in one transaction,
 * then answers 202. The task copies staging → store (a step: not repeated
 * once done), activates the image (reserving its size), and removes the
 * staged data; it survives a restart. If it fails for good the image goes
 * back to `queued` with `os_glance_failed_import` naming the stores, as
 * Glance's import flow reverts.
 */
import { uuid } from '../../core/ids.js';
import { PermanentTaskError, type TaskRunContext } from '../../core/tasks/index.js';
import { nowIso, nowMs } from '../../core/time.js';
import { StoreObjectNotFound, StoreSizeLimitExceeded, type StoredObject } from '../drivers/index.js';
import * as store from '../store/index.js';
import type { ImageTaskRow } from '../store/index.js';
import { enforce, ImagePolicy } from './authorize.js';
import type { ImageContext } from './context.js';
import type { ImageDataOps } from './data.js';
import { taskKinds, type ImageDeps, type ImportPayload } from './deps.js';
import type { ImageOps } from './images.js';
import { MIB } from './quotas.js';
import { openWebDownload, uriPassesFilter, WebDownloadError } from './web-download.js';
import { imageErrors } from '../errors.js';

/** The body of an import request, checked by the API for types. */
export interface ImportRequest {
  method: { name: string; [key: string]: unknown };
  stores?: string[];
  all_stores?: boolean;
  all_stores_must_succeed?: boolean;
}

export interface StoreInfo {
  id: string;
  description: string;
  default: boolean;
  type: string;
  properties: Record<string, unknown>;
}

/** Glance keeps finished tasks for `task_time_to_live` hours (48). */
const TASK_TIME_TO_LIVE_MS = 48 * 3_600_000;

export class ImportOps {
  constructor(
    private readonly deps: ImageDeps,
    private readonly images: ImageOps,
    private readonly data: ImageDataOps,
  ) {}

  methods(): readonly string[] {
    return this.deps.options.enabledImportMethods;
  }

  stores(): StoreInfo[] {
    const { stores } = this.deps;
    return stores.all.map((s) => ({
      id: s.id,
      description: s.description,
      default: s === stores.default,
      type: s.type,
      properties: {},
    }));
  }

  /** `/v2/info/stores/detail`: admins and services only. */
  storesDetail(ctx: ImageContext): StoreInfo[] {
    enforce(this.deps, ctx, 'stores_info_detail', {});
    return this.stores();
  }

  async start(ctx: ImageContext, id: string, request: ImportRequest): Promise<void> {
    const method = request.method.name;
    if (!this.methods().includes(method)) throw imageErrors.unknownImportMethod(method);
    const image = await this.images.find(ctx, id);
    if (image.status === 'active') throw imageErrors.activeImportTarget();
    const webDownload = method === 'web-download';
    if (webDownload && image.status !== 'queued') throw imageErrors.notQueuedForImport(method);
    if (!webDownload && image.status !== 'uploading') throw imageErrors.notStaged();
    if (!image.container_format) throw imageErrors.formatNeededForImport('container_format');
    if (!image.disk_format) throw imageErrors.formatNeededForImport('disk_format');
    const policy = new ImagePolicy(this.deps, ctx, image);
    policy.enforce('modify_image');
    policy.requireMutable();
    const stores = this.#targetStores(request);
    const uri = typeof request.method.uri === 'string' ? request.method.uri : undefined;
    if (webDownload && !uriPassesFilter(uri, this.deps.options.importFiltering)) throw imageErrors.uriFiltered(String(uri ?? 'None'));

    const taskId = uuid();
    const now = nowIso();
    const allStoresMustSucceed = request.all_stores_must_succeed ?? true;
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateImage(trx, id, { status: 'importing', updated_at: now }, [image.status]))) {
        throw imageErrors.importInProgress(id);
      }
      await store.insertTask(trx, {
        id: taskId,
        type: 'api_image_import',
        status: 'pending',
        owner: ctx.projectId,
        image_id: id,
        user_id: ctx.auth.userId,
        request_id: ctx.auth.requestId,
        input: JSON.stringify({ image_id: id, import_req: request, backend: stores }),
        result: null,
        message: '',
        created_at: now,
        updated_at: now,
        expires_at: null,
      });
      await store.setProperties(trx, id, { os_glance_import_task: taskId, os_glance_importing_to_stores: stores.join(','), os_glance_failed_import: '' }, []);
      await this.deps.queue.enqueue(trx, {
        kind: taskKinds(this.deps).importImage,
        payload: { imageId: id, taskId, stores, allStoresMustSucceed, ...(webDownload && { uri }) },
        resourceId: id,
      });
    });
    this.deps.queue.wake();
  }

  /** The durable task: copy the staged data into the store, activate, unstage. */
  async run(task: TaskRunContext<ImportPayload>): Promise<void> {
    const { imageId, taskId, stores } = task.payload;
    const { db } = this.deps;
    await task.step('processing', () => store.updateTask(db, taskId, { status: 'processing', updated_at: nowIso() }));
    const image = await store.getImage(db, imageId);
    if (!image) throw new PermanentTaskError(`Image ${imageId} was deleted during the import`);
    const staging = this.deps.stores.staging;
    const { uri } = task.payload;
    if (uri !== undefined) await task.step('download', () => this.#download(task, uri));
    const staged = staging.locate(imageId);
    // One store (the contract allows more); each copy is a step, so a retry does not copy twice.
    const storeId = stores[0] ?? this.deps.stores.default.id;
    const target = this.deps.stores.get(storeId);
    if (!target) throw new PermanentTaskError(`Store ${storeId} is not configured`);
    const stored = await task.step(`copy:${storeId}`, async (): Promise<StoredObject> => {
      const limit = await this.#remainingBytes(image.owner);
      let data;
      try {
        data = await staging.read(staged);
      } catch (error) {
        if (error instanceof StoreObjectNotFound) throw new PermanentTaskError(`No staged data for image ${imageId}`);
        throw error;
      }
      return target.write(imageId, data, { maxSize: limit });
    });
    await task.step('activate', async () => {
      if (image.status === 'active') return;
      try {
        await this.data.activate(image, 'importing', target, stored, async (trx) => {
          await store.setProperties(trx, imageId, { os_glance_importing_to_stores: '' }, ['os_glance_import_task']);
          const now = nowIso();
          await store.updateTask(trx, taskId, {
            status: 'success',
            result: JSON.stringify({ image_id: imageId }),
            updated_at: now,
            expires_at: new Date(nowMs() + TASK_TIME_TO_LIVE_MS).toISOString(),
          });
        });
      } catch (error) {
        await target.delete(stored.location).catch(() => undefined);
        throw new PermanentTaskError(`Import of image ${imageId} failed: ${(error as Error).message}`, { cause: error });
      }
    });
    await task.step('unstage', () => staging.delete(staged));
  }

  /** The task failed for good: the image goes back to `queued`, naming the failed stores. */
  async fail(task: TaskRunContext<ImportPayload>, error: Error): Promise<void> {
    const { imageId, taskId, stores } = task.payload;
    const { db } = this.deps;
    const now = nowIso();
    const reverted = await db.transaction().execute(async (trx) => {
      const changed = await store.updateImage(trx, imageId, { status: 'queued', size: null, virtual_size: null, updated_at: now }, ['importing']);
      if (changed) {
        await store.setProperties(trx, imageId, { os_glance_failed_import: stores.join(','), os_glance_importing_to_stores: '' }, ['os_glance_import_task']);
      }
      await store.updateTask(trx, taskId, {
        status: 'failure',
        message: error.message,
        updated_at: now,
        expires_at: new Date(nowMs() + TASK_TIME_TO_LIVE_MS).toISOString(),
      });
      return changed;
    });
    await this.deps.stores.staging.delete(this.deps.stores.staging.locate(imageId));
    if (reverted) {
      for (const id of stores) {
        const target = this.deps.stores.get(id);
        await target?.delete(target.locate(imageId));
      }
    }
  }

  /** Glance's task rows of one image the caller can see (`GET /v2/images/{id}/tasks`). */
  async tasksOf(ctx: ImageContext, imageId: string): Promise<ImageTaskRow[]> {
    await this.images.get(ctx, imageId);
    return store.listTasksOfImage(this.deps.db, imageId);
  }

  /** `GET /v2/tasks`: the tasks API is admin-only (`tasks_api_access`). */
  async listTasks(ctx: ImageContext, limit: number): Promise<ImageTaskRow[]> {
    enforce(this.deps, ctx, 'tasks_api_access', {});
    enforce(this.deps, ctx, 'get_tasks', {});
    return store.listTasks(this.deps.db, ctx.isAdmin ? { limit } : { limit, owner: ctx.projectId ?? '' });
  }

  async getTask(ctx: ImageContext, id: string): Promise<ImageTaskRow | undefined> {
    enforce(this.deps, ctx, 'tasks_api_access', {});
    enforce(this.deps, ctx, 'get_task', {});
    const task = await store.getTask(this.deps.db, id);
    return task && (ctx.isAdmin || task.owner === ctx.projectId) ? task : undefined;
  }

  /** `POST /v2/tasks`: legacy import tasks are not offered; the import API replaces them. */
  createTask(ctx: ImageContext): never {
    enforce(this.deps, ctx, 'tasks_api_access', {});
    enforce(this.deps, ctx, 'add_task', {});
    throw imageErrors.tasksUnsupported();
  }

  /** `web-download`'s first half: the URI's data into staging, within the size cap. A failed fetch fails the import. */
  async #download(task: TaskRunContext<ImportPayload>, uri: string): Promise<StoredObject> {
    const { options, stores } = this.deps;
    try {
      const data = await openWebDownload(uri, options.importFiltering, task.signal);
      return await stores.staging.write(task.payload.imageId, data, { maxSize: options.imageSizeCap, signal: task.signal });
    } catch (error) {
      if (error instanceof WebDownloadError || error instanceof StoreSizeLimitExceeded) throw new PermanentTaskError(error.message, { cause: error });
      throw error;
    }
  }

  #targetStores(request: ImportRequest): string[] {
    const { stores } = this.deps;
    if (request.all_stores && request.stores !== undefined) {
      throw imageErrors.allStoresWithStores();
    }
    if (request.all_stores) return stores.all.map((s) => s.id);
    if (request.stores === undefined) return [stores.default.id];
    for (const id of request.stores) {
      if (!stores.get(id)) throw imageErrors.unknownScheme(id);
    }
    return [...new Set(request.stores)];
  }

  async #remainingBytes(owner: string | null): Promise<number> {
    const cap = this.deps.options.imageSizeCap;
    if (owner === null) return cap;
    const limit = (await this.deps.quota.getLimits(owner)).image_size_total;
    if (limit === -1) return cap;
    const inUse = (await this.deps.quota.getUsage(owner)).image_size_total;
    return Math.min(cap, Math.max(0, limit - inUse) * MIB);
  }
}
