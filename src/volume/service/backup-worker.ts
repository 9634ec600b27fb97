/**
 * The byte-moving half of backups, run by durable tasks: read the volume
 * through its driver into chunks in the backup store (the manifest last, so
 * a backup without its manifest was never finished), restore by writing the
 * chunks back, delete the objects a backup wrote.
 */
import { PermanentTaskError, type TaskRunContext } from '../../core/tasks/index.js';
import { nowIso } from '../../core/time.js';
import type { BackupObjectStore } from '../drivers/index.js';
import * as store from '../store/index.js';
import type { Backup, Volume, VolumeDb } from '../store/index.js';
import { manifestName, objectOwner, objectPrefix, readChunks, readManifest, writeChunks, type Manifest } from './backup-chunks.js';
import type { BackupPayload, RestorePayload, VolumeDeps } from './deps.js';
import { publishBackupEvent } from './notifications.js';
import type { QuotaOps } from './quotas.js';
import type { Scheduler } from './scheduler.js';

export class BackupWorker {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly scheduler: Scheduler,
    private readonly quotas: QuotaOps,
  ) {}

  async create(task: TaskRunContext<BackupPayload>): Promise<void> {
    const backup = await this.#backup(task.payload.backupId);
    if (backup.status !== 'creating') return;
    const volume = await store.getVolume(this.deps.db, backup.volume_id);
    const backend = this.scheduler.byHost(volume?.host ?? null);
    if (!volume || !backend) throw new PermanentTaskError(`Volume ${backup.volume_id} has no backend to read it from.`);
    publishBackupEvent(this.deps.events, 'backup.create.start', backup, backup.status);
    const objects = await task.step('write', async () => {
      const parent = backup.parent_id ? await this.#manifest(await this.#backup(backup.parent_id)) : null;
      const data = backup.snapshot_id ? await backend.driver.readSnapshot(backup.snapshot_id) : await backend.driver.readVolume(volume.id);
      const { manifest, written } = await writeChunks(this.#store(backup), backup.container, objectOwner(backup).prefix, data, parent);
      // The volume's own metadata goes with its bytes, as Cinder's backup of volume metadata.
      const stored: Manifest = { ...manifest, volumeMetadata: volume.metadata };
      await this.#store(backup).put(backup.container, manifestName(objectOwner(backup).prefix), Buffer.from(JSON.stringify(stored)));
      return written + 1;
    });
    const finished = await this.deps.db.transaction().execute(async (trx) => {
      const moved = await store.updateBackup(trx, backup.id, { status: 'available', object_count: objects, updated_at: nowIso() }, ['creating']);
      await this.#releaseSource(trx, backup, volume);
      return moved;
    });
    if (finished) publishBackupEvent(this.deps.events, 'backup.create.end', backup, 'available');
  }

  async failCreate(task: TaskRunContext<BackupPayload>, error: Error): Promise<void> {
    const backup = await store.getBackup(this.deps.db, task.payload.backupId);
    if (!backup) return;
    const volume = await store.getVolume(this.deps.db, backup.volume_id);
    await this.#removeObjects(backup);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateBackup(trx, backup.id, { status: 'error', fail_reason: error.message, updated_at: nowIso() }, ['creating']);
      if (volume) await this.#releaseSource(trx, backup, volume);
    });
  }

  /** What was backed up leaves `backing-up`: the snapshot, or the volume (in-use again when attached). */
  async #releaseSource(trx: VolumeDb, backup: Backup, volume: Volume): Promise<void> {
    if (backup.snapshot_id) {
      await store.updateSnapshot(trx, backup.snapshot_id, { status: 'available', updated_at: nowIso() }, ['backing-up']);
      return;
    }
    await store.updateVolume(trx, volume.id, { status: volume.attach_status === 'attached' ? 'in-use' : 'available', updated_at: nowIso() }, ['backing-up']);
  }

  async delete(task: TaskRunContext<BackupPayload>): Promise<void> {
    const backup = await store.getBackup(this.deps.db, task.payload.backupId);
    if (!backup) return;
    publishBackupEvent(this.deps.events, 'backup.delete.start', backup, backup.status);
    await task.step('objects', () => this.#removeObjects(backup));
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteBackup(trx, backup.id);
      await this.quotas.release(trx, backup.project_id, { backups: 1, backup_gigabytes: backup.size });
    });
    publishBackupEvent(this.deps.events, 'backup.delete.end', backup, backup.status);
  }

  async failDelete(task: TaskRunContext<BackupPayload>, error: Error): Promise<void> {
    await store.updateBackup(this.deps.db, task.payload.backupId, { status: 'error_deleting', fail_reason: error.message, updated_at: nowIso() }, ['deleting']);
  }

  async restore(task: TaskRunContext<RestorePayload>): Promise<void> {
    const { backupId, volumeId } = task.payload;
    const backup = await this.#backup(backupId);
    const volume = await store.getVolume(this.deps.db, volumeId);
    if (!volume) throw new PermanentTaskError(`Volume ${volumeId} is gone.`);
    // A volume made for the restore may still be creating: a retry waits for it.
    if (volume.status === 'creating') throw new Error(`Volume ${volumeId} is still being created.`);
    await task.step('claim', async () => {
      if (!(await store.updateVolume(this.deps.db, volumeId, { status: 'restoring-backup', updated_at: nowIso() }, ['available', 'restoring-backup']))) {
        throw new PermanentTaskError(`Volume ${volumeId} must be available to restore into, currently ${volume.status}.`);
      }
    });
    const backend = this.scheduler.byHost(volume.host);
    if (!backend) throw new PermanentTaskError(`Volume ${volumeId} has no backend.`);
    await task.step('write', async () => {
      const manifest = await this.#manifest(backup);
      await backend.driver.writeVolume(volumeId, readChunks(this.#store(backup), backup.container, manifest));
      if (manifest.volumeMetadata) await store.setMetadata(this.deps.db, volumeId, 'user', manifest.volumeMetadata, false);
    });
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateVolume(trx, volumeId, { status: task.payload.restoreStatus, updated_at: nowIso() }, ['restoring-backup']);
      await store.updateBackup(trx, backupId, { status: 'available', updated_at: nowIso() }, ['restoring']);
    });
  }

  async failRestore(task: TaskRunContext<RestorePayload>, error: Error): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateVolume(trx, task.payload.volumeId, { status: 'error_restoring', status_reason: error.message, updated_at: nowIso() }, [
        'restoring-backup',
        'creating',
        'available',
      ]);
      await store.updateBackup(trx, task.payload.backupId, { status: 'available', updated_at: nowIso() }, ['restoring']);
    });
  }

  async #manifest(backup: Backup): Promise<Manifest> {
    return readManifest(this.#store(backup), backup);
  }

  /** Only the objects this backup wrote: its incremental children point at them, so it is deleted after them. */
  async #removeObjects(backup: Backup): Promise<void> {
    for (const name of await this.#store(backup).list(backup.container, objectPrefix(objectOwner(backup).prefix))) {
      await this.#store(backup).delete(backup.container, name);
    }
  }

  /** Backups lie in their project's account when the store is Swift (an imported one: where its objects were written). */
  #store(backup: Backup): BackupObjectStore {
    return this.deps.backupStore(objectOwner(backup).projectId);
  }

  async #backup(id: string): Promise<Backup> {
    const backup = await store.getBackup(this.deps.db, id);
    if (!backup) throw new PermanentTaskError(`Backup ${id} is gone.`);
    return backup;
  }
}
