/** Queries on volumes and their metadata. */
import type { Insertable, Updateable } from 'kysely';
import { toBool } from '../../core/db/values.js';
import { paginate, type ListParams, type Page } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import type { VolumeDb } from './db.js';
import { listAttachments, type Attachment } from './attachments.js';
import type { VolumeRow, VolumeTable } from './tables.js';

/** A volume as the service sees it: booleans converted, metadata and attachments loaded. */
export interface Volume extends Omit<VolumeRow, 'bootable' | 'readonly' | 'multiattach'> {
  bootable: boolean;
  readonly: boolean | null;
  multiattach: boolean;
  metadata: Record<string, string>;
  imageMetadata: Record<string, string>;
  attachments: Attachment[];
}

export type VolumeSortKey = 'created_at' | 'updated_at' | 'id' | 'name' | 'size' | 'status' | 'availability_zone';

export interface VolumeListQuery {
  /** Null: every project (admin with all_tenants). */
  projectId: string | null;
  name?: string;
  status?: string;
  availabilityZone?: string;
  groupId?: string;
  bootable?: boolean;
  metadata?: Record<string, string>;
  offset?: number;
  params: ListParams<VolumeSortKey>;
}

export async function insertVolume(
  db: VolumeDb,
  row: Insertable<VolumeTable>,
  metadata: Record<string, string>,
  imageMetadata: Record<string, string>,
): Promise<void> {
  await db.insertInto('cinder_volume').values(row).execute();
  await setMetadata(db, row.id, 'user', metadata, false);
  await setMetadata(db, row.id, 'image', imageMetadata, false);
}

export async function getVolume(db: VolumeDb, id: string): Promise<Volume | null> {
  const row = await db.selectFrom('cinder_volume').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [hydrated] = await hydrate(db, [row]);
  return hydrated ?? null;
}

/**
 * Changes a volume; with `fromStatus`, only while its status is one of them
 * (a compare-and-swap: false when another request changed it first).
 */
export async function updateVolume(db: VolumeDb, id: string, changes: Updateable<VolumeTable>, fromStatus?: readonly string[]): Promise<boolean> {
  let query = db.updateTable('cinder_volume').set(changes).where('id', '=', id);
  if (fromStatus) query = query.where('status', 'in', fromStatus);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Changes a volume's type if it still has type `fromTypeId`, `size` and one
 * of `fromStatus` (a compare-and-swap, so two retypes at once move its quota
 * share once); false when it changed meanwhile.
 */
export async function retypeVolume(
  db: VolumeDb,
  id: string,
  from: { typeId: string; size: number; status: readonly string[] },
  changes: Updateable<VolumeTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('cinder_volume')
    .set(changes)
    .where('id', '=', id)
    .where('volume_type_id', '=', from.typeId)
    .where('size', '=', from.size)
    .where('status', 'in', from.status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteVolume(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_volume_metadata').where('volume_id', '=', id).execute();
  await db.deleteFrom('cinder_attachment').where('volume_id', '=', id).execute();
  await db.deleteFrom('cinder_volume').where('id', '=', id).execute();
}

export async function listVolumes(db: VolumeDb, query: VolumeListQuery): Promise<Page<Volume>> {
  let scope = db.selectFrom('cinder_volume').selectAll();
  if (query.projectId !== null) scope = scope.where('project_id', '=', query.projectId);
  let filtered = scope;
  if (query.name !== undefined) filtered = filtered.where('name', '=', query.name);
  if (query.status !== undefined) filtered = filtered.where('status', '=', query.status);
  if (query.availabilityZone !== undefined) filtered = filtered.where('availability_zone', '=', query.availabilityZone);
  if (query.groupId !== undefined) filtered = filtered.where('group_id', '=', query.groupId);
  if (query.bootable !== undefined) filtered = filtered.where('bootable', '=', query.bootable);
  for (const [key, value] of Object.entries(query.metadata ?? {})) {
    filtered = filtered.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cinder_volume_metadata as m')
          .select('m.key')
          .whereRef('m.volume_id', '=', 'cinder_volume.id')
          .where('m.kind', '=', 'user')
          .where('m.key', '=', key)
          .where('m.value', '=', value),
      ),
    );
  }
  if (query.offset) filtered = filtered.offset(query.offset);
  const { marker } = query.params;
  if (marker !== null && !(await scope.where('id', '=', marker).executeTakeFirst())) throw notFound.marker(marker);
  const page = await paginate(filtered, query.params, { id: 'id', markerScope: scope });
  return { ...page, rows: await hydrate(db, page.rows) };
}

/** Sets metadata keys; with `replace`, keys not given are removed. */
export async function setMetadata(db: VolumeDb, volumeId: string, kind: 'user' | 'image', values: Record<string, string>, replace: boolean): Promise<void> {
  if (replace) {
    await db.deleteFrom('cinder_volume_metadata').where('volume_id', '=', volumeId).where('kind', '=', kind).execute();
  } else if (Object.keys(values).length > 0) {
    await db.deleteFrom('cinder_volume_metadata').where('volume_id', '=', volumeId).where('kind', '=', kind).where('key', 'in', Object.keys(values)).execute();
  }
  const rows = Object.entries(values).map(([key, value]) => ({ volume_id: volumeId, kind, key, value }));
  if (rows.length > 0) await db.insertInto('cinder_volume_metadata').values(rows).execute();
}

/** Removes one key; false when the volume had no such key. */
export async function deleteMetadataKey(db: VolumeDb, volumeId: string, kind: 'user' | 'image', key: string): Promise<boolean> {
  const result = await db
    .deleteFrom('cinder_volume_metadata')
    .where('volume_id', '=', volumeId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Gibibytes allocated per backend host, for the capacity-aware scheduler and get_pools. */
export async function allocatedByHost(db: VolumeDb): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cinder_volume')
    .select(['host', (eb) => eb.fn.sum<number | string>('size').as('total')])
    .where('host', 'is not', null)
    .groupBy('host')
    .execute();
  return new Map(rows.map((r) => [r.host ?? '', Number(r.total)]));
}

async function hydrate(db: VolumeDb, rows: VolumeRow[]): Promise<Volume[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const metadata = await db.selectFrom('cinder_volume_metadata').selectAll().where('volume_id', 'in', ids).execute();
  const attachments = await listAttachments(db, ids);
  return rows.map((row) => {
    const own = metadata.filter((m) => m.volume_id === row.id);
    return {
      ...row,
      bootable: toBool(row.bootable),
      readonly: row.readonly === null ? null : toBool(row.readonly),
      multiattach: toBool(row.multiattach),
      metadata: Object.fromEntries(own.filter((m) => m.kind === 'user').map((m) => [m.key, m.value])),
      imageMetadata: Object.fromEntries(own.filter((m) => m.kind === 'image').map((m) => [m.key, m.value])),
      attachments: attachments.filter((a) => a.volume_id === row.id),
    };
  });
}
