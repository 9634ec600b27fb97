/**
 * The volume and snapshot state machines: which statuses each action accepts
 * (one table, not scattered checks) and Cinder's messages when they do not.
 *
 * creating → available → attaching → in-use → detaching → available;
 * available → extending / uploading / deleting / backing-up / retyping → ...;
 * failures end in error, error_extending, error_deleting.
 */
export const VOLUME_STATUSES = [
  'creating',
  'available',
  'reserved',
  'attaching',
  'detaching',
  'in-use',
  'maintenance',
  'deleting',
  'awaiting-transfer',
  'error',
  'error_deleting',
  'backing-up',
  'restoring-backup',
  'error_backing-up',
  'error_restoring',
  'error_extending',
  'downloading',
  'uploading',
  'retyping',
  'extending',
] as const;

export const SNAPSHOT_STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting', 'backing-up', 'restoring', 'unmanaging'] as const;

/** Statuses a volume may be deleted from (without force). */
export const DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

export const DELETE_REFUSED =
  'Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

/** Statuses an action accepts, by action (the API microversion widens some). */
export const ACCEPTS: Record<string, readonly string[]> = {
  extend: ['available'],
  extendAttached: ['available', 'in-use'],
  upload: ['available'],
  uploadForced: ['available', 'in-use'],
  snapshot: ['available'],
  snapshotForced: ['available', 'in-use'],
  reserve: ['available'],
  reserveMultiattach: ['available', 'in-use'],
  retype: ['available', 'in-use'],
};

export function isVolumeStatus(value: string): boolean {
  return (VOLUME_STATUSES as readonly string[]).includes(value);
}
