/** Queries on stack snapshots (the plugins' data per resource, for restore). */
import type { Updateable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import type { JsonObject } from '../json.js';
import type { SnapshotRecord, StackStatus } from '../service/types.js';
import type { HeatDb } from './db.js';
import type { SnapshotRow, SnapshotTable } from './tables.js';

export async function insertSnapshot(db: HeatDb, snapshot: SnapshotRecord): Promise<void> {
  await db
    .insertInto('heat_snapshot')
    .values({
      id: snapshot.id,
      stack_id: snapshot.stackId,
      name: snapshot.name,
      status: snapshot.status,
      status_reason: snapshot.statusReason,
      data: snapshot.data ? JSON.stringify(snapshot.data) : null,
      created_at: snapshot.createdAt,
    })
    .execute();
}

export async function getSnapshot(db: HeatDb, stackId: string, id: string): Promise<SnapshotRecord | null> {
  const row = await db.selectFrom('heat_snapshot').selectAll().where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
  return row ? toSnapshot(row) : null;
}

export async function stackSnapshots(db: HeatDb, stackId: string): Promise<SnapshotRecord[]> {
  const rows = await db.selectFrom('heat_snapshot').selectAll().where('stack_id', '=', stackId).orderBy('created_at').execute();
  return rows.map(toSnapshot);
}

export async function updateSnapshot(db: HeatDb, id: string, changes: Updateable<SnapshotTable>): Promise<void> {
  await db.updateTable('heat_snapshot').set(changes).where('id', '=', id).execute();
}

export async function deleteSnapshotRow(db: HeatDb, id: string): Promise<void> {
  await db.deleteFrom('heat_snapshot').where('id', '=', id).execute();
}

function toSnapshot(row: SnapshotRow): SnapshotRecord {
  return {
    id: row.id,
    name: row.name,
    stackId: row.stack_id,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    data: parseJson<JsonObject | null>(row.data, null),
    createdAt: row.created_at,
  };
}
