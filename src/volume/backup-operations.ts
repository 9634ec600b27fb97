/**
 * The backup half of volume/operations.ts, for Heat's stack snapshots: an
 * OS::Cinder::Volume snapshots itself as a Cinder backup and a restore puts
 * the backup back (into the same volume, or a new one). Each call takes the
 * caller first and goes through the same BackupOps as
 * /volume/v3/{project}/backups, so Cinder's policy and backup quotas hold.
 */
import type { CallerContext } from '../core/context.js';
import type { VolumeServiceOps } from './service/index.js';
import type { Backup } from './store/index.js';

export interface BackupInfo {
  id: string;
  name: string | null;
  /** `creating`, `available`, `restoring`, `deleting`, `error`, ... */
  status: string;
  size: number;
  volumeId: string;
  failReason: string | null;
  projectId: string;
  userId: string;
}

export interface BackupOperations {
  /**
   * Starts a full backup of the volume (`creating`, then `available`; poll
   * getBackup). `force` allows an `in-use` volume, as Heat asks. The volume
   * is `backing-up` meanwhile. Not idempotent.
   */
  createBackup(auth: CallerContext, volumeId: string, options?: { name?: string; force?: boolean }): Promise<BackupInfo>;
  /** The backup; 404 when the caller may not see it. Read only. */
  getBackup(auth: CallerContext, backupId: string): Promise<BackupInfo>;
  /** The caller's project's backups; every project's for an admin asking `allProjects` (Ceilometer's volume.backup.size). */
  listBackups(auth: CallerContext, filter?: { allProjects?: boolean }): Promise<BackupInfo[]>;
  /** Starts the deletion (`deleting`, then gone: 404). */
  deleteBackup(auth: CallerContext, backupId: string): Promise<void>;
  /**
   * Starts restoring the backup into `volumeId` (which must be `available`
   * and large enough; it is `restoring-backup` until done), or into a new
   * volume of the backup's size named `name` when `volumeId` is null.
   * Answers the volume restored into.
   */
  restoreBackup(auth: CallerContext, backupId: string, target: { volumeId: string | null; name?: string }): Promise<{ volumeId: string }>;
}

function backupInfo(backup: Backup): BackupInfo {
  return {
    id: backup.id,
    name: backup.name,
    status: backup.status,
    size: backup.size,
    volumeId: backup.volume_id,
    failReason: backup.fail_reason,
    projectId: backup.project_id,
    userId: backup.user_id,
  };
}

export function backupOperations(ops: VolumeServiceOps): BackupOperations {
  return {
    async createBackup(auth, volumeId, options = {}) {
      return backupInfo(await ops.backups.create(ops.context(auth), { volume_id: volumeId, name: options.name ?? null, force: options.force ?? false }));
    },
    async getBackup(auth, backupId) {
      return backupInfo(await ops.backups.get(ops.context(auth), backupId));
    },
    listBackups: async (auth, filter = {}) => (await ops.backups.list(ops.context(auth), filter.allProjects ?? false)).map(backupInfo),
    deleteBackup: (auth, backupId) => ops.backups.delete(ops.context(auth), backupId),
    async restoreBackup(auth, backupId, target) {
      const restored = await ops.backups.restore(ops.context(auth), backupId, { volumeId: target.volumeId, name: target.name ?? null });
      return { volumeId: restored.volumeId };
    },
  };
}
