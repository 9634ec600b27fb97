/** Queries on snapshots. */
import type { Insertable, Updateable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import { paginate, type ListParams, type Page } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import type { VolumeDb } from './db.js';
import type { SnapshotRow, SnapshotTable } from './tables.js';

export interface Snapshot extends Omit<SnapshotRow, 'metadata'> {
  metadata: Record<string, string>;
}

export type SnapshotSortKey = 'created_at' | 'updated_at' | 'id' | 'name' | 'size' | 'status';

export interface SnapshotListQuery {
  projectId: string | null;
  name?: string;
  status?: string;
  volumeId?: string;
  offset?: number;
  params: ListParams<SnapshotSortKey>;
}

export async function insertSnapshot(db: VolumeDb, row: Insertable<SnapshotTable>): Promise<void> {
  await db.insertInto('cinder_snapshot').values(row).execute();
}

export async function getSnapshot(db: VolumeDb, id: string): Promise<Snapshot | null> {
  const row = await db.selectFrom('cinder_snapshot').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSnapshot(row) : null;
}

export async function updateSnapshot(db: VolumeDb, id: string, changes: Updateable<SnapshotTable>, fromStatus?: readonly string[]): Promise<boolean> {
  let query = db.updateTable('cinder_snapshot').set(changes).where('id', '=', id);
  if (fromStatus) query = query.where('status', 'in', fromStatus);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function deleteSnapshot(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_snapshot').where('id', '=', id).execute();
}

export async function snapshotsOfVolume(db: VolumeDb, volumeId: string): Promise<Snapshot[]> {
  const rows = await db.selectFrom('cinder_snapshot').selectAll().where('volume_id', '=', volumeId).orderBy('created_at').execute();
  return rows.map(toSnapshot);
}

export async function listSnapshots(db: VolumeDb, query: SnapshotListQuery): Promise<Page<Snapshot>> {
  let scope = db.selectFrom('cinder_snapshot').selectAll();
  if (query.projectId !== null) scope = scope.where('project_id', '=', query.projectId);
  let filtered = scope;
  if (query.name !== undefined) filtered = filtered.where('name', '=', query.name);
  if (query.status !== undefined) filtered = filtered.where('status', '=', query.status);
  if (query.volumeId !== undefined) filtered = filtered.where('volume_id', '=', query.volumeId);
  if (query.offset) filtered = filtered.offset(query.offset);
  const { marker } = query.params;
  if (marker !== null && !(await scope.where('id', '=', marker).executeTakeFirst())) throw notFound.marker(marker);
  const page = await paginate(filtered, query.params, { id: 'id', markerScope: scope });
  return { ...page, rows: page.rows.map(toSnapshot) };
}

export function toSnapshot(row: SnapshotRow): Snapshot {
  return { ...row, metadata: parseJson<Record<string, string>>(row.metadata, {}) };
}
