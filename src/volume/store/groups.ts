/** Queries on group types, groups and group snapshots, and on the volumes and snapshots that belong to them. */
import type { Insertable, Updateable } from 'kysely';
import { parseJson, toBool } from '../../core/db/values.js';
import type { VolumeDb } from './db.js';
import { toSnapshot, type Snapshot } from './snapshots.js';
import type { GroupRow, GroupSnapshot, GroupSnapshotTable, GroupTable, GroupTypeRow, GroupTypeTable } from './tables.js';

export interface GroupType extends Omit<GroupTypeRow, 'is_public' | 'group_specs'> {
  is_public: boolean;
  group_specs: Record<string, string>;
}

export interface Group extends Omit<GroupRow, 'volume_type_ids'> {
  volume_type_ids: string[];
}

export async function insertGroupType(db: VolumeDb, row: Insertable<GroupTypeTable>): Promise<void> {
  await db.insertInto('cinder_group_type').values(row).execute();
}

export async function getGroupType(db: VolumeDb, id: string): Promise<GroupType | null> {
  const row = await db.selectFrom('cinder_group_type').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroupType(row) : null;
}

export async function getGroupTypeByName(db: VolumeDb, name: string): Promise<GroupType | null> {
  const row = await db.selectFrom('cinder_group_type').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toGroupType(row) : null;
}

/** Every group type, or only the public or private ones. */
export async function listGroupTypes(db: VolumeDb, isPublic: boolean | null): Promise<GroupType[]> {
  let query = db.selectFrom('cinder_group_type').selectAll();
  if (isPublic !== null) query = query.where('is_public', '=', isPublic);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toGroupType);
}

export async function updateGroupType(db: VolumeDb, id: string, changes: Updateable<GroupTypeTable>): Promise<void> {
  await db.updateTable('cinder_group_type').set(changes).where('id', '=', id).execute();
}

export async function deleteGroupType(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_group_type').where('id', '=', id).execute();
}

export async function groupTypeInUse(db: VolumeDb, id: string): Promise<boolean> {
  return (await db.selectFrom('cinder_group').select('id').where('group_type_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
}

export async function insertGroup(db: VolumeDb, row: Insertable<GroupTable>): Promise<void> {
  await db.insertInto('cinder_group').values(row).execute();
}

export async function getGroup(db: VolumeDb, id: string): Promise<Group | null> {
  const row = await db.selectFrom('cinder_group').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroup(row) : null;
}

/** A project's groups (null: every project's), oldest first. */
export async function listGroups(db: VolumeDb, projectId: string | null): Promise<Group[]> {
  let query = db.selectFrom('cinder_group').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toGroup);
}

/** Changes a group; with `fromStatus`, only while its status is one of them (false otherwise). */
export async function updateGroup(db: VolumeDb, id: string, changes: Updateable<GroupTable>, fromStatus?: readonly string[]): Promise<boolean> {
  let query = db.updateTable('cinder_group').set(changes).where('id', '=', id);
  if (fromStatus) query = query.where('status', 'in', fromStatus);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function deleteGroup(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_group').where('id', '=', id).execute();
}

/** Ids and statuses of a group's volumes. */
export async function groupVolumes(db: VolumeDb, groupId: string): Promise<Array<{ id: string; status: string; volume_type_id: string; size: number }>> {
  return db
    .selectFrom('cinder_volume')
    .select(['id', 'status', 'volume_type_id', 'size'])
    .where('group_id', '=', groupId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function setVolumesGroup(db: VolumeDb, volumeIds: string[], groupId: string | null, now: string): Promise<void> {
  if (volumeIds.length === 0) return;
  await db.updateTable('cinder_volume').set({ group_id: groupId, updated_at: now }).where('id', 'in', volumeIds).execute();
}

export async function insertGroupSnapshot(db: VolumeDb, row: Insertable<GroupSnapshotTable>): Promise<void> {
  await db.insertInto('cinder_group_snapshot').values(row).execute();
}

export async function getGroupSnapshot(db: VolumeDb, id: string): Promise<GroupSnapshot | null> {
  return (await db.selectFrom('cinder_group_snapshot').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listGroupSnapshots(db: VolumeDb, projectId: string | null): Promise<GroupSnapshot[]> {
  let query = db.selectFrom('cinder_group_snapshot').selectAll();
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function updateGroupSnapshot(db: VolumeDb, id: string, changes: Updateable<GroupSnapshotTable>, fromStatus?: readonly string[]): Promise<boolean> {
  let query = db.updateTable('cinder_group_snapshot').set(changes).where('id', '=', id);
  if (fromStatus) query = query.where('status', 'in', fromStatus);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function deleteGroupSnapshot(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_group_snapshot').where('id', '=', id).execute();
}

export async function groupSnapshotCount(db: VolumeDb, groupId: string): Promise<number> {
  const rows = await db.selectFrom('cinder_group_snapshot').select('id').where('group_id', '=', groupId).execute();
  return rows.length;
}

/** The volume snapshots a group snapshot took. */
export async function snapshotsOfGroupSnapshot(db: VolumeDb, groupSnapshotId: string): Promise<Snapshot[]> {
  const rows = await db.selectFrom('cinder_snapshot').selectAll().where('group_snapshot_id', '=', groupSnapshotId).orderBy('created_at').execute();
  return rows.map(toSnapshot);
}

function toGroupType(row: GroupTypeRow): GroupType {
  return { ...row, is_public: toBool(row.is_public), group_specs: parseJson<Record<string, string>>(row.group_specs, {}) };
}

function toGroup(row: GroupRow): Group {
  return { ...row, volume_type_ids: parseJson<string[]>(row.volume_type_ids, []) };
}
