/**
 * The backend half of every two-phase volume operation, run by durable
 * tasks. Each step is idempotent (the driver contract says so) and recorded,
 * so a task cut short by a crash resumes where it stopped; the final state
 * change is a compare-and-swap from the transitional status. A task that
 * fails for good leaves the resource in an error status with the reason.
 */
import { Readable } from 'node:stream';
import { NimbusError } from '../../core/errors.js';
import { PermanentTaskError, type TaskRunContext } from '../../core/tasks/index.js';
import { nowIso } from '../../core/time.js';
import { BackendFailed, BackendObjectNotFound, BackendUnsupported, ImageTooLarge, type VolumeDriver } from '../drivers/index.js';
import * as store from '../store/index.js';
import type { Volume } from '../store/index.js';
import { serviceCaller } from '../../core/context.js';
import type { CreatePayload, ExtendPayload, SnapshotPayload, UploadPayload, VolumePayload, VolumeDeps } from './deps.js';
import type { QuotaOps } from './quotas.js';
import { publishSnapshotEvent, publishVolumeEvent } from './notifications.js';
import type { Scheduler } from './scheduler.js';
import type { TypeOps } from './types.js';
import { createFailureMessage, EXTEND_FAILED, NoValidBackend, UPLOAD_FAILED, type FailureMessage } from './failure-messages.js';
import type { MessageOps } from './messages.js';

export class VolumeWorker {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly scheduler: Scheduler,
    private readonly types: TypeOps,
    private readonly quotas: QuotaOps,
    private readonly messages: MessageOps,
  ) {}

  async create(task: TaskRunContext<CreatePayload>): Promise<void> {
    const { volumeId, source } = task.payload;
    const volume = await this.#volume(volumeId);
    if (volume.status !== 'creating') return;
    const host = await task.step('schedule', () => this.#schedule(volume, source));
    const driver = this.#driver(host);
    await task.step('make', () =>
      permanentOnBackendErrors(async () => {
        switch (source.kind) {
          case 'blank':
            return driver.createVolume(volumeId, volume.size);
          case 'snapshot':
            return driver.createVolumeFromSnapshot(volumeId, source.snapshotId, volume.size);
          case 'volume':
            return driver.cloneVolume(volumeId, source.volumeId, volume.size);
          case 'image':
            return driver.copyImageToVolume(volumeId, await this.#image(volume, source.imageId), volume.size);
        }
      }),
    );
    if (await store.updateVolume(this.deps.db, volumeId, { status: 'available', launched_at: nowIso(), updated_at: nowIso() }, ['creating']))
      publishVolumeEvent(this.deps.events, 'volume.create.end', volume, 'available');
  }

  async delete(task: TaskRunContext<VolumePayload>): Promise<void> {
    const volume = await store.getVolume(this.deps.db, task.payload.volumeId);
    if (!volume) return;
    const backend = this.scheduler.byHost(volume.host);
    for (const snapshot of await store.snapshotsOfVolume(this.deps.db, volume.id)) {
      publishSnapshotEvent(this.deps.events, 'snapshot.delete.start', snapshot, volume, snapshot.status);
      if (backend) await task.step(`snapshot:${snapshot.id}`, () => backend.driver.deleteSnapshot(snapshot.id));
      await this.deps.db.transaction().execute(async (trx) => {
        await store.deleteSnapshot(trx, snapshot.id);
        await this.quotas.release(trx, snapshot.project_id, { snapshots: 1, gigabytes: snapshot.size }, volume.volume_type_id);
      });
      // Cinder's cascade deletes each snapshot through delete_snapshot, which notifies.
      publishSnapshotEvent(this.deps.events, 'snapshot.delete.end', snapshot, volume, snapshot.status);
    }
    if (backend) await task.step('delete', () => backend.driver.deleteVolume(volume.id));
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteVolume(trx, volume.id);
      await this.quotas.release(trx, volume.project_id, { volumes: 1, gigabytes: volume.size }, volume.volume_type_id);
    });
    publishVolumeEvent(this.deps.events, 'volume.delete.end', volume, volume.status);
  }

  async extend(task: TaskRunContext<ExtendPayload>): Promise<void> {
    const { volumeId, size, restoreStatus } = task.payload;
    const volume = await this.#volume(volumeId);
    await task.step('extend', () => permanentOnBackendErrors(() => this.#driver(volume.host).extendVolume(volumeId, size)));
    await store.updateVolume(this.deps.db, volumeId, { size, status: restoreStatus, updated_at: nowIso() }, ['extending']);
  }

  async upload(task: TaskRunContext<UploadPayload>): Promise<void> {
    const { volumeId, imageId, diskFormat, restoreStatus } = task.payload;
    const volume = await this.#volume(volumeId);
    const images = this.deps.images();
    if (!images) throw new PermanentTaskError('The image service is not available.');
    await task.step('upload', async () => {
      const data = await permanentOnBackendErrors(() => this.#driver(volume.host).copyVolumeToImage(volumeId, diskFormat));
      await permanentOnRefusal(() => images.upload(serviceCaller('nimbus-volume', { id: volume.project_id }), imageId, data));
    });
    await store.updateVolume(this.deps.db, volumeId, { status: restoreStatus, updated_at: nowIso() }, ['uploading']);
  }

  async createSnapshot(task: TaskRunContext<SnapshotPayload>): Promise<void> {
    const snapshot = await store.getSnapshot(this.deps.db, task.payload.snapshotId);
    if (!snapshot || snapshot.status !== 'creating') return;
    const volume = await this.#volume(snapshot.volume_id);
    publishSnapshotEvent(this.deps.events, 'snapshot.create.start', snapshot, volume, snapshot.status);
    await task.step('snapshot', () => permanentOnBackendErrors(() => this.#driver(volume.host).createSnapshot(snapshot.id, volume.id)));
    if (await store.updateSnapshot(this.deps.db, snapshot.id, { status: 'available', progress: '100%', updated_at: nowIso() }, ['creating']))
      publishSnapshotEvent(this.deps.events, 'snapshot.create.end', snapshot, volume, 'available');
  }

  async deleteSnapshot(task: TaskRunContext<SnapshotPayload>): Promise<void> {
    const snapshot = await store.getSnapshot(this.deps.db, task.payload.snapshotId);
    if (!snapshot) return;
    const volume = await store.getVolume(this.deps.db, snapshot.volume_id);
    publishSnapshotEvent(this.deps.events, 'snapshot.delete.start', snapshot, volume, snapshot.status);
    const backend = this.scheduler.byHost(volume?.host ?? null);
    if (backend) await task.step('delete', () => backend.driver.deleteSnapshot(snapshot.id));
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteSnapshot(trx, snapshot.id);
      await this.quotas.release(trx, snapshot.project_id, { snapshots: 1, gigabytes: snapshot.size }, volume?.volume_type_id ?? null);
    });
    publishSnapshotEvent(this.deps.events, 'snapshot.delete.end', snapshot, volume, snapshot.status);
  }

  /** After the last failed attempt: the volume goes to `status` with the reason. */
  async failVolume(volumeId: string, status: string, error: Error, from: readonly string[]): Promise<void> {
    this.deps.log.warn({ volumeId, err: error }, `volume task failed: ${status}`);
    await store.updateVolume(this.deps.db, volumeId, { status, status_reason: error.message, updated_at: nowIso() }, from);
  }

  /** A create that failed for good: the volume in `error`, and a user message when Cinder leaves one. */
  async failCreate(task: TaskRunContext<CreatePayload>, error: Error): Promise<void> {
    await this.failVolume(task.payload.volumeId, 'error', error, ['creating']);
    const message = createFailureMessage(task.payload.source, error);
    if (message) await this.#tell(task.payload.volumeId, task.payload.requestId, message);
  }

  async failExtend(task: TaskRunContext<ExtendPayload>, error: Error): Promise<void> {
    const volume = await store.getVolume(this.deps.db, task.payload.volumeId);
    if (!volume || volume.status !== 'extending') return;
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.release(trx, volume.project_id, { gigabytes: task.payload.size - volume.size }, volume.volume_type_id);
      await store.updateVolume(trx, volume.id, { status: 'error_extending', status_reason: error.message, updated_at: nowIso() }, ['extending']);
    });
    await this.#tell(volume.id, task.payload.requestId, EXTEND_FAILED);
  }

  async failUpload(task: TaskRunContext<UploadPayload>, error: Error): Promise<void> {
    const volume = await store.getVolume(this.deps.db, task.payload.volumeId);
    const images = this.deps.images();
    if (volume && images) {
      await images.delete(serviceCaller('nimbus-volume', { id: volume.project_id }), task.payload.imageId).catch(() => undefined);
    }
    await this.failVolume(task.payload.volumeId, task.payload.restoreStatus, error, ['uploading']);
    await this.#tell(task.payload.volumeId, task.payload.requestId, UPLOAD_FAILED);
  }

  /** Leaves the volume's project a user message about it. */
  async #tell(volumeId: string, requestId: string | null | undefined, message: FailureMessage): Promise<void> {
    const volume = await store.getVolume(this.deps.db, volumeId);
    if (!volume) return;
    await this.messages.record({ projectId: volume.project_id, requestId: requestId ?? null, resourceUuid: volume.id, ...message });
  }

  async failSnapshot(snapshotId: string, status: string, error: Error, from: readonly string[]): Promise<void> {
    this.deps.log.warn({ snapshotId, err: error }, `snapshot task failed: ${status}`);
    await store.updateSnapshot(this.deps.db, snapshotId, { status, status_reason: error.message, updated_at: nowIso() }, from);
  }

  async #schedule(volume: Volume, source: CreatePayload['source']): Promise<string> {
    if (volume.host !== null) return volume.host;
    let host: string | null;
    if (source.kind === 'snapshot') {
      const snapshot = await store.getSnapshot(this.deps.db, source.snapshotId);
      host = snapshot ? ((await store.getVolume(this.deps.db, snapshot.volume_id))?.host ?? null) : null;
      if (host === null) throw new PermanentTaskError(`Snapshot ${source.snapshotId} is gone.`);
    } else if (source.kind === 'volume') {
      host = (await store.getVolume(this.deps.db, source.volumeId))?.host ?? null;
      if (host === null) throw new PermanentTaskError(`Source volume ${source.volumeId} is gone.`);
    } else {
      const type = await this.types.ofVolume(volume.volume_type_id);
      host = (await this.scheduler.choose(type, volume.size))?.host ?? null;
      if (host === null) throw new NoValidBackend('No weighed backends available');
    }
    await store.updateVolume(this.deps.db, volume.id, { host, updated_at: nowIso() });
    return host;
  }

  async #image(volume: Volume, imageId: string): Promise<{ data: Readable; diskFormat: string }> {
    const images = this.deps.images();
    if (!images) throw new PermanentTaskError('The image service is not available.');
    const download = await permanentOnRefusal(() => images.download(serviceCaller('nimbus-volume', { id: volume.project_id }), imageId));
    return { data: download.data ?? Readable.from([]), diskFormat: download.image.disk_format ?? 'raw' };
  }

  #driver(host: string | null): VolumeDriver {
    const backend = this.scheduler.byHost(host);
    if (!backend) throw new PermanentTaskError(`Backend ${host ?? '(none)'} is not enabled on this server.`);
    return backend.driver;
  }

  async #volume(id: string): Promise<Volume> {
    const volume = await store.getVolume(this.deps.db, id);
    if (!volume) throw new PermanentTaskError(`Volume ${id} is gone.`);
    return volume;
  }
}

/** Retrying cannot fix a missing object, an image that does not fit or an unsupported request. */
/**
 * Another service's 4xx (the image deleted or changed meanwhile, its quota
 * used up) will not change on a retry: the task fails at once, and the
 * volume goes back to its status (upload) or to `error` (create from image),
 * as in Cinder.
 */
async function permanentOnRefusal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NimbusError && error.status < 500) throw new PermanentTaskError(error.message, { cause: error });
    throw error;
  }
}

async function permanentOnBackendErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BackendObjectNotFound || error instanceof ImageTooLarge || error instanceof BackendUnsupported || error instanceof BackendFailed) {
      throw new PermanentTaskError(error.message, { cause: error });
    }
    throw error;
  }
}
