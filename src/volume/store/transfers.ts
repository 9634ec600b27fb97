/** Queries on volume transfers. */
import type { Insertable } from 'kysely';
import type { VolumeDb } from './db.js';
import type { Transfer, TransferTable } from './tables.js';

export async function insertTransfer(db: VolumeDb, row: Insertable<TransferTable>): Promise<void> {
  await db.insertInto('cinder_transfer').values(row).execute();
}

export async function getTransfer(db: VolumeDb, id: string): Promise<Transfer | null> {
  return (await db.selectFrom('cinder_transfer').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A project's transfers (null: every project's), oldest first. */
export async function listTransfers(db: VolumeDb, projectId: string | null): Promise<Transfer[]> {
  let query = db.selectFrom('cinder_transfer').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** False when the transfer was already gone (accepted or deleted by another request). */
export async function deleteTransfer(db: VolumeDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('cinder_transfer').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
