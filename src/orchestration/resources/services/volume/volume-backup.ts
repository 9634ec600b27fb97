/**
 * OS::Cinder::Volume in stack snapshots, as Heat does it: a snapshot backs the
 * volume up (a Cinder backup, `force` so an attached volume can be), keeps
 * the backup's id as the resource's `backup_id` data and waits for it; a
 * restore gives the volume its snapshot-time properties with that
 * `backup_id` (the image and source volume left out), so the update puts the
 * backup back into the volume; deleting the snapshot deletes the backup.
 */
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin, ResourceSnapshot } from '../../types.js';
import { failures } from '../errors.js';
import { deleteUnlessGone, door, pollUntil, unlessGone } from '../support.js';

const BACKUP_KEY = 'backup_id';
/** What Heat's handle_restore leaves out: the volume is rebuilt from the backup, not from these. */
const NOT_RESTORED = ['imageRef', 'image', 'source_volid'];

async function snapshot(ctx: ResourceContext): Promise<void> {
  const volumeId = ctx.resource.physicalId;
  if (volumeId === null) return;
  const cinder = door(ctx.services, 'volume');
  // A snapshot cut short by a crash left its backup still being made: that one is waited for, not made twice.
  const earlier = ctx.resource.data[BACKUP_KEY];
  const unfinished = earlier === undefined ? null : await unlessGone(cinder.getBackup(ctx.caller, earlier));
  const backup = unfinished?.status === 'creating' ? unfinished : await cinder.createBackup(ctx.caller, volumeId, { force: true });
  await ctx.setData(BACKUP_KEY, backup.id);
  await pollUntil(
    ctx,
    () => cinder.getBackup(ctx.caller, backup.id),
    (current) => {
      if (current.status === 'creating') return false;
      if (current.status === 'available') return true;
      throw failures.plain(current.failReason ?? `Backup ${backup.id} went to status ${current.status}`);
    },
  );
}

/** Waits until Cinder has put the backup back (the backup leaves `restoring`); a failed restore is Heat's failure. */
export async function awaitRestore(ctx: ResourceContext, backupId: string): Promise<void> {
  const cinder = door(ctx.services, 'volume');
  await pollUntil(
    ctx,
    () => cinder.getBackup(ctx.caller, backupId),
    (backup) => {
      if (backup.status === 'restoring') return false;
      if (backup.status === 'available') return true;
      throw failures.plain('Volume backup restore failed');
    },
  );
}

function restoreProperties(entry: ResourceSnapshot): JsonObject {
  const backupId = entry.data[BACKUP_KEY];
  if (backupId === undefined) return entry.properties;
  const kept = Object.entries(entry.properties).filter(([key, value]) => !NOT_RESTORED.includes(key) && value !== null);
  return { ...Object.fromEntries(kept), [BACKUP_KEY]: backupId };
}

export const volumeSnapshots: Pick<ResourcePlugin, 'snapshot' | 'restoreProperties' | 'deleteSnapshot'> = {
  snapshot,
  restoreProperties,
  async deleteSnapshot(ctx, entry) {
    const backupId = entry.data[BACKUP_KEY];
    if (backupId !== undefined) await deleteUnlessGone(door(ctx.services, 'volume').deleteBackup(ctx.caller, backupId));
  },
};
