/** Queries on backups. */
import type { Insertable, Updateable } from 'kysely';
import type { VolumeDb } from './db.js';
import type { Backup, BackupTable } from './tables.js';

export async function insertBackup(db: VolumeDb, row: Insertable<BackupTable>): Promise<void> {
  await db.insertInto('cinder_backup').values(row).execute();
}

export async function getBackup(db: VolumeDb, id: string): Promise<Backup | null> {
  return (await db.selectFrom('cinder_backup').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A project's backups (null: every project's), newest first. */
export async function listBackups(db: VolumeDb, projectId: string | null): Promise<Backup[]> {
  let query = db.selectFrom('cinder_backup').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return query.orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The newest available backup of a volume: the parent of an incremental one. */
export async function latestBackup(db: VolumeDb, volumeId: string): Promise<Backup | null> {
  const row = await db
    .selectFrom('cinder_backup')
    .selectAll()
    .where('volume_id', '=', volumeId)
    .where('status', '=', 'available')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

export async function hasChildBackups(db: VolumeDb, id: string): Promise<boolean> {
  return (await db.selectFrom('cinder_backup').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
}

export async function updateBackup(db: VolumeDb, id: string, changes: Updateable<BackupTable>, fromStatus?: readonly string[]): Promise<boolean> {
  let query = db.updateTable('cinder_backup').set(changes).where('id', '=', id);
  if (fromStatus) query = query.where('status', 'in', fromStatus);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function deleteBackup(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_backup').where('id', '=', id).execute();
}
