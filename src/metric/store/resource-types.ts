/** Resource types: a name, a state and the attributes' schema (JSON). */
import type { JsonObject } from '../../core/json.js';
import type { MetricDb } from './tables.js';

export interface ResourceTypeRecord {
  name: string;
  state: string;
  /** Attribute name → its schema as Gnocchi renders it (`{"type": "string", "required": true, ...}`). */
  attributes: Record<string, JsonObject>;
}

export async function listResourceTypes(db: MetricDb): Promise<ResourceTypeRecord[]> {
  const rows = await db.selectFrom('gnocchi_resource_type').selectAll().orderBy('name').execute();
  return rows.map((row) => ({ name: row.name, state: row.state, attributes: JSON.parse(row.attributes) as Record<string, JsonObject> }));
}

export async function findResourceType(db: MetricDb, name: string): Promise<ResourceTypeRecord | null> {
  const row = await db.selectFrom('gnocchi_resource_type').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? { name: row.name, state: row.state, attributes: JSON.parse(row.attributes) as Record<string, JsonObject> } : null;
}

export async function insertResourceType(db: MetricDb, type: ResourceTypeRecord): Promise<boolean> {
  const result = await db
    .insertInto('gnocchi_resource_type')
    .values({ name: type.name, state: type.state, attributes: JSON.stringify(type.attributes) })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateResourceTypeAttributes(db: MetricDb, name: string, attributes: Record<string, JsonObject>): Promise<void> {
  await db
    .updateTable('gnocchi_resource_type')
    .set({ attributes: JSON.stringify(attributes) })
    .where('name', '=', name)
    .execute();
}

export async function resourceTypeInUse(db: MetricDb, name: string): Promise<boolean> {
  return (await db.selectFrom('gnocchi_resource').select('id').where('type', '=', name).limit(1).executeTakeFirst()) !== undefined;
}

export async function deleteResourceType(db: MetricDb, name: string): Promise<void> {
  await db.deleteFrom('gnocchi_resource_type').where('name', '=', name).execute();
}
