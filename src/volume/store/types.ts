/** Queries on volume types, their access lists and QoS specs. */
import type { Insertable, Updateable } from 'kysely';
import { parseJson, toBool } from '../../core/db/values.js';
import type { VolumeDb } from './db.js';
import type { QosSpecsRow, QosSpecsTable, VolumeTypeRow, VolumeTypeTable } from './tables.js';

export interface VolumeType extends Omit<VolumeTypeRow, 'is_public' | 'extra_specs'> {
  is_public: boolean;
  extra_specs: Record<string, string>;
}

export interface QosSpecs extends Omit<QosSpecsRow, 'specs'> {
  specs: Record<string, string>;
}

export async function insertType(db: VolumeDb, row: Insertable<VolumeTypeTable>): Promise<void> {
  await db.insertInto('cinder_volume_type').values(row).execute();
}

export async function getType(db: VolumeDb, id: string): Promise<VolumeType | null> {
  const row = await db.selectFrom('cinder_volume_type').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toType(row) : null;
}

export async function getTypeByName(db: VolumeDb, name: string): Promise<VolumeType | null> {
  const row = await db.selectFrom('cinder_volume_type').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toType(row) : null;
}

/** Public types, and the private ones `projectId` was given (null: every type). */
export async function listTypes(db: VolumeDb, projectId: string | null, isPublic: boolean | null): Promise<VolumeType[]> {
  let query = db.selectFrom('cinder_volume_type').selectAll();
  if (isPublic !== null) query = query.where('is_public', '=', isPublic);
  if (projectId !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('is_public', '=', true),
        eb.exists(
          eb
            .selectFrom('cinder_volume_type_access as a')
            .select('a.project_id')
            .whereRef('a.volume_type_id', '=', 'cinder_volume_type.id')
            .where('a.project_id', '=', projectId),
        ),
      ]),
    );
  }
  return (await query.orderBy('name').execute()).map(toType);
}

export async function updateType(db: VolumeDb, id: string, changes: Updateable<VolumeTypeTable>): Promise<void> {
  await db.updateTable('cinder_volume_type').set(changes).where('id', '=', id).execute();
}

export async function deleteType(db: VolumeDb, id: string): Promise<void> {
  await db.deleteFrom('cinder_volume_type_access').where('volume_type_id', '=', id).execute();
  await db.deleteFrom('cinder_type_encryption').where('volume_type_id', '=', id).execute();
  await db.deleteFrom('cinder_volume_type').where('id', '=', id).execute();
}

export async function typeInUse(db: VolumeDb, id: string): Promise<boolean> {
  const row = await db.selectFrom('cinder_volume').select('id').where('volume_type_id', '=', id).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function typeAccess(db: VolumeDb, typeId: string): Promise<string[]> {
  const rows = await db.selectFrom('cinder_volume_type_access').select('project_id').where('volume_type_id', '=', typeId).execute();
  return rows.map((r) => r.project_id);
}

export async function hasTypeAccess(db: VolumeDb, typeId: string, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cinder_volume_type_access')
    .select('project_id')
    .where('volume_type_id', '=', typeId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row !== undefined;
}

/** False when the project already had access. */
export async function addTypeAccess(db: VolumeDb, typeId: string, projectId: string): Promise<boolean> {
  if (await hasTypeAccess(db, typeId, projectId)) return false;
  await db.insertInto('cinder_volume_type_access').values({ volume_type_id: typeId, project_id: projectId }).execute();
  return true;
}

/** False when the project had no access to remove. */
export async function removeTypeAccess(db: VolumeDb, typeId: string, projectId: string): Promise<boolean> {
  const result = await db.deleteFrom('cinder_volume_type_access').where('volume_type_id', '=', typeId).where('project_id', '=', projectId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertQos(db: VolumeDb, row: Insertable<QosSpecsTable>): Promise<void> {
  await db.insertInto('cinder_qos_specs').values(row).execute();
}

export async function getQos(db: VolumeDb, id: string): Promise<QosSpecs | null> {
  const row = await db.selectFrom('cinder_qos_specs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toQos(row) : null;
}

export async function getQosByName(db: VolumeDb, name: string): Promise<QosSpecs | null> {
  const row = await db.selectFrom('cinder_qos_specs').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toQos(row) : null;
}

export async function listQos(db: VolumeDb): Promise<QosSpecs[]> {
  return (await db.selectFrom('cinder_qos_specs').selectAll().orderBy('name').execute()).map(toQos);
}

export async function updateQos(db: VolumeDb, id: string, changes: Updateable<QosSpecsTable>): Promise<void> {
  await db.updateTable('cinder_qos_specs').set(changes).where('id', '=', id).execute();
}

export async function deleteQos(db: VolumeDb, id: string): Promise<void> {
  await db.updateTable('cinder_volume_type').set({ qos_specs_id: null }).where('qos_specs_id', '=', id).execute();
  await db.deleteFrom('cinder_qos_specs').where('id', '=', id).execute();
}

export async function typesWithQos(db: VolumeDb, qosId: string): Promise<VolumeType[]> {
  return (await db.selectFrom('cinder_volume_type').selectAll().where('qos_specs_id', '=', qosId).execute()).map(toType);
}

function toType(row: VolumeTypeRow): VolumeType {
  return { ...row, is_public: toBool(row.is_public), extra_specs: parseJson<Record<string, string>>(row.extra_specs, {}) };
}

function toQos(row: QosSpecsRow): QosSpecs {
  return { ...row, specs: parseJson<Record<string, string>>(row.specs, {}) };
}
