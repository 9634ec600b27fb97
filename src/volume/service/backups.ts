/**
 * Backups: create (full, or incremental on the volume's newest backup),
 * list, show, delete (refused while incremental backups depend on it) and
 * restore (into a new volume, or over an available one at least as large).
 * Two-phase like volumes; `backup-worker.ts` moves the bytes.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Backup } from '../store/index.js';
import { requireProject, type VolumeContext } from './context.js';
import { taskKinds, type VolumeDeps } from './deps.js';
import type { QuotaOps } from './quotas.js';
import type { VolumeOps } from './volumes.js';

export interface NewBackup {
  volume_id: string;
  name?: string | null;
  description?: string | null;
  container?: string | null;
  incremental?: boolean;
  force?: boolean;
  /** Back up this snapshot of the volume rather than the volume itself. */
  snapshot_id?: string | null;
}

/** What a backup update (3.9) may change. */
export interface BackupChanges {
  name?: string | null;
  description?: string | null;
}

/** The statuses an admin may set (Cinder's backup reset_status schema). */
export const BACKUP_RESET_STATUSES = ['available', 'error'] as const;

const DEFAULT_CONTAINER = 'volumebackups';
/** Cinder's schema bound on `container` (characters). */
const MAX_CONTAINER_CHARS = 255;
/** Swift's max_container_name_length (bytes of UTF-8). */
const MAX_CONTAINER_BYTES = 256;

/**
 * A backup container must be a name Swift can list and delete afterwards:
 * Cinder's schema bound, then Swift's rules for a container path segment
 * (no '/', no NUL or other control character, not '.' or '..', at most 256
 * bytes). Checked before anything is reserved or written.
 */
export function checkContainerName(container: string): void {
  const reason = (why: string) => errors.invalidInput(`container ${JSON.stringify(container.slice(0, 64))} ${why}.`);
  if (container.length === 0) throw reason('must not be empty');
  if (container.length > MAX_CONTAINER_CHARS) throw reason(`is longer than ${MAX_CONTAINER_CHARS} characters`);
  if (Buffer.byteLength(container, 'utf8') > MAX_CONTAINER_BYTES) throw reason(`is longer than ${MAX_CONTAINER_BYTES} bytes`);
  if (container.includes('/')) throw reason("must not contain '/'");
  // C0 and C1 control characters, DEL, and lone surrogates (not valid UTF-8).
  if (/[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u.test(container)) throw reason('must not contain control characters');
  if (container === '.' || container === '..') throw reason('must not be a relative path segment');
}

export class BackupOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly volumes: VolumeOps,
    private readonly quotas: QuotaOps,
  ) {}

  async create(ctx: VolumeContext, input: NewBackup): Promise<Backup> {
    if (input.container !== undefined && input.container !== null) checkContainerName(input.container);
    const projectId = requireProject(ctx);
    const volume = await this.volumes.find(ctx, input.volume_id);
    this.deps.authz.authorize(ctx.auth, 'backup:create', { project_id: volume.project_id });
    const snapshot = input.snapshot_id ? await this.#snapshotToBackUp(input.snapshot_id, volume.id) : null;
    const accepted = input.force ? ['available', 'in-use'] : ['available'];
    if (!snapshot && !accepted.includes(volume.status))
      throw errors.invalidVolume(`Volume to be backed up must be available or in-use, but the current status is "${volume.status}".`);
    let parentId: string | null = null;
    if (input.incremental) {
      const parent = await store.latestBackup(this.deps.db, volume.id);
      if (!parent) throw errors.invalidInput('No backups available to do an incremental backup.');
      parentId = parent.id;
    }
    const id = uuid();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveBackup(trx, projectId, volume.size);
      if (snapshot) {
        if (!(await store.updateSnapshot(trx, snapshot.id, { status: 'backing-up', updated_at: now }, ['available']))) {
          throw errors.invalidSnapshot('The snapshot changed status while the backup was requested.');
        }
      } else if (!(await store.updateVolume(trx, volume.id, { status: 'backing-up', updated_at: now }, accepted))) {
        throw errors.invalidVolume('The volume changed status while the backup was requested.');
      }
      await store.insertBackup(trx, {
        id,
        project_id: projectId,
        user_id: ctx.auth.userId,
        volume_id: volume.id,
        name: input.name ?? null,
        description: input.description ?? null,
        size: volume.size,
        status: 'creating',
        fail_reason: null,
        parent_id: parentId,
        container: input.container ?? DEFAULT_CONTAINER,
        object_count: 0,
        availability_zone: volume.availability_zone,
        created_at: now,
        updated_at: now,
        snapshot_id: snapshot?.id ?? null,
      });
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).createBackup, payload: { backupId: id }, resourceId: id });
    });
    return this.load(id);
  }

  /** A snapshot may be backed up when it is the volume's and available. */
  async #snapshotToBackUp(snapshotId: string, volumeId: string): Promise<store.Snapshot> {
    const snapshot = await store.getSnapshot(this.deps.db, snapshotId);
    if (!snapshot) throw notFound.snapshot(snapshotId);
    if (snapshot.volume_id !== volumeId) throw errors.invalidVolume(`Volume ${volumeId} does not match with snapshot.volume_id ${snapshot.volume_id}.`);
    if (snapshot.status !== 'available') {
      throw errors.invalidSnapshot(`Snapshot to be backed up must be available, but the current status is "${snapshot.status}".`);
    }
    return snapshot;
  }

  /** Name and description (3.9). */
  async update(ctx: VolumeContext, id: string, changes: BackupChanges): Promise<Backup> {
    const backup = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'backup:update', { project_id: backup.project_id });
    await store.updateBackup(this.deps.db, id, { ...changes, updated_at: nowIso() });
    return this.load(id);
  }

  /** An admin's repair: the backup's status set as is (`available` or `error`), nothing else touched. */
  async resetStatus(ctx: VolumeContext, id: string, status: (typeof BACKUP_RESET_STATUSES)[number]): Promise<void> {
    const backup = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:backup_admin_actions:reset_status', { project_id: backup.project_id });
    await store.updateBackup(this.deps.db, id, { status, updated_at: nowIso() });
  }

  async get(ctx: VolumeContext, id: string): Promise<Backup> {
    const backup = await store.getBackup(this.deps.db, id);
    if (!backup || (!ctx.isAdmin && backup.project_id !== ctx.projectId)) throw notFound.backup(id);
    this.deps.authz.authorize(ctx.auth, 'backup:get', { project_id: backup.project_id });
    return backup;
  }

  async load(id: string): Promise<Backup> {
    const backup = await store.getBackup(this.deps.db, id);
    if (!backup) throw notFound.backup(id);
    return backup;
  }

  async list(ctx: VolumeContext, allTenants: boolean): Promise<Backup[]> {
    this.deps.authz.authorize(ctx.auth, 'backup:get_all');
    return store.listBackups(this.deps.db, allTenants && ctx.isAdmin ? null : (ctx.projectId ?? ''));
  }

  hasDependents(id: string): Promise<boolean> {
    return store.hasChildBackups(this.deps.db, id);
  }

  async delete(ctx: VolumeContext, id: string): Promise<void> {
    const backup = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'backup:delete', { project_id: backup.project_id });
    if (await store.hasChildBackups(this.deps.db, id)) throw errors.invalidInput('Incremental backups exist for this backup.');
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateBackup(trx, id, { status: 'deleting', updated_at: nowIso() }, ['available', 'error']))) {
        throw errors.invalidBackup('Backup status must be available or error');
      }
      await this.deps.queue.enqueue(trx, { kind: taskKinds(this.deps).deleteBackup, payload: { backupId: id }, resourceId: id });
    });
  }

  /** Restores into `volumeId`, or into a new volume of the backup's size named `name`. */
  async restore(
    ctx: VolumeContext,
    id: string,
    target: { volumeId: string | null; name: string | null },
  ): Promise<{ volumeId: string; volumeName: string | null }> {
    const backup = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'backup:restore', { project_id: backup.project_id });
    if (backup.status !== 'available') throw errors.invalidInput(`Backup status must be available, currently ${backup.status}.`);
    let volumeId = target.volumeId;
    if (volumeId === null) {
      const created = await this.volumes.create(ctx, { size: backup.size, name: target.name ?? `restore_backup_${backup.id}` });
      volumeId = created.id;
    }
    const volume = await this.volumes.find(ctx, volumeId);
    if (volume.size < backup.size) {
      throw errors.invalidVolume(`volume size ${volume.size} is too small to restore backup of size ${backup.size}.`);
    }
    const from = target.volumeId === null ? ['creating', 'available'] : ['available'];
    if (!from.includes(volume.status)) throw errors.invalidVolume(`Volume to be restored to must be available, currently ${volume.status}.`);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.updateBackup(trx, id, { status: 'restoring', updated_at: nowIso() }, ['available']))) {
        throw errors.invalidInput('Backup status must be available.');
      }
      await this.deps.queue.enqueue(trx, {
        kind: taskKinds(this.deps).restoreBackup,
        payload: { backupId: id, volumeId: volume.id, restoreStatus: 'available' },
        resourceId: volume.id,
      });
    });
    return { volumeId: volume.id, volumeName: volume.name };
  }
}
