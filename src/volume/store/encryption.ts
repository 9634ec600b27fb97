/** Queries on volume type encryption specs. */
import type { Insertable, Updateable } from 'kysely';
import type { VolumeDb } from './db.js';
import type { TypeEncryption, TypeEncryptionTable } from './tables.js';

export async function getTypeEncryption(db: VolumeDb, typeId: string): Promise<TypeEncryption | null> {
  return (await db.selectFrom('cinder_type_encryption').selectAll().where('volume_type_id', '=', typeId).executeTakeFirst()) ?? null;
}

export async function insertTypeEncryption(db: VolumeDb, row: Insertable<TypeEncryptionTable>): Promise<void> {
  await db.insertInto('cinder_type_encryption').values(row).execute();
}

/** False when the type had no encryption specs. */
export async function updateTypeEncryption(db: VolumeDb, typeId: string, changes: Updateable<TypeEncryptionTable>): Promise<boolean> {
  const result = await db.updateTable('cinder_type_encryption').set(changes).where('volume_type_id', '=', typeId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** False when the type had no encryption specs. */
export async function deleteTypeEncryption(db: VolumeDb, typeId: string): Promise<boolean> {
  const result = await db.deleteFrom('cinder_type_encryption').where('volume_type_id', '=', typeId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
