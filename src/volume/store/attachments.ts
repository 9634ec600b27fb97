/** Queries on volume attachments. */
import type { Insertable, Updateable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import type { VolumeDb } from './db.js';
import type { AttachmentRow, AttachmentTable } from './tables.js';

export interface Attachment extends Omit<AttachmentRow, 'connector' | 'connection_info'> {
  connector: Record<string, unknown> | null;
  connection_info: Record<string, unknown> | null;
}

export async function insertAttachment(db: VolumeDb, row: Insertable<AttachmentTable>): Promise<void> {
  await db.insertInto('cinder_attachment').values(row).execute();
}

export async function getAttachment(db: VolumeDb, id: string): Promise<Attachment | null> {
  const row = await db.selectFrom('cinder_attachment').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAttachment(row) : null;
}

export async function listAttachments(db: VolumeDb, volumeIds: readonly string[]): Promise<Attachment[]> {
  if (volumeIds.length === 0) return [];
  const rows = await db.selectFrom('cinder_attachment').selectAll().where('volume_id', 'in', volumeIds).orderBy('created_at').orderBy('id').execute();
  return rows.map(toAttachment);
}

/** Attachments visible to a project (null: all), newest first. */
export async function listProjectAttachments(db: VolumeDb, projectId: string | null): Promise<Attachment[]> {
  let query = db.selectFrom('cinder_attachment').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return (await query.orderBy('created_at', 'desc').orderBy('id').execute()).map(toAttachment);
}

export async function updateAttachment(db: VolumeDb, id: string, changes: Updateable<AttachmentTable>): Promise<void> {
  await db.updateTable('cinder_attachment').set(changes).where('id', '=', id).execute();
}

export async function deleteAttachment(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_attachment').where('id', '=', id).execute();
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    ...row,
    connector: parseJson<Record<string, unknown> | null>(row.connector, null),
    connection_info: parseJson<Record<string, unknown> | null>(row.connection_info, null),
  };
}
