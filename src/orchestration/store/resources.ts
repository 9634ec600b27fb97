/** Queries on a stack's resources: the durable state of the engine's graph walk. */
import type { Insertable, Updateable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import type { Json, JsonObject } from '../json.js';
import type { StackAction, StackStatus } from '../service/types.js';
import type { HeatDb } from './db.js';
import type { ResourceRow, ResourceTable } from './tables.js';

/** A resource's definition as last applied (its template section, unevaluated). */
export interface AppliedDefinition {
  type: string;
  properties: Json;
  metadata: Json;
  deletionPolicy: string;
  updatePolicy: Json;
  description?: string;
}

export interface Resource {
  id: string;
  stackId: string;
  name: string;
  type: string;
  physicalId: string | null;
  physicalName: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  definition: AppliedDefinition;
  properties: JsonObject;
  data: Record<string, string>;
  metadata: JsonObject;
  dependsOn: string[];
  nestedStackId: string | null;
  replaces: string | null;
  replacedBy: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    stackId: row.stack_id,
    name: row.name,
    type: row.type,
    physicalId: row.physical_id,
    physicalName: row.physical_name,
    action: row.action as StackAction,
    status: row.status as StackStatus,
    statusReason: row.status_reason,
    definition: parseJson<AppliedDefinition>(row.definition, { type: row.type, properties: {}, metadata: {}, deletionPolicy: 'Delete', updatePolicy: {} }),
    properties: parseJson<JsonObject>(row.properties, {}),
    data: parseJson<Record<string, string>>(row.data, {}),
    metadata: parseJson<JsonObject>(row.metadata, {}),
    dependsOn: parseJson<string[]>(row.depends_on, []),
    nestedStackId: row.nested_stack_id,
    replaces: row.replaces,
    replacedBy: row.replaced_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertResource(db: HeatDb, row: Insertable<ResourceTable>): Promise<void> {
  await db.insertInto('heat_resource').values(row).execute();
}

/** Every row of the stack, replaced ones included, oldest first. */
export async function stackResources(db: HeatDb, stackId: string): Promise<Resource[]> {
  const rows = await db.selectFrom('heat_resource').selectAll().where('stack_id', '=', stackId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toResource);
}

export async function getResource(db: HeatDb, id: string): Promise<Resource | null> {
  const row = await db.selectFrom('heat_resource').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toResource(row) : null;
}

export async function updateResource(db: HeatDb, id: string, changes: Updateable<ResourceTable>): Promise<void> {
  await db
    .updateTable('heat_resource')
    .set({ ...changes, updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
}

/** Changes one key of the resource's data in place (read-modify-write under the stack's single running operation). */
export async function changeResourceData(db: HeatDb, id: string, change: (data: Record<string, string>) => void): Promise<Record<string, string>> {
  const row = await db.selectFrom('heat_resource').select('data').where('id', '=', id).executeTakeFirst();
  const data = parseJson<Record<string, string>>(row?.data, {});
  change(data);
  await db
    .updateTable('heat_resource')
    .set({ data: JSON.stringify(data) })
    .where('id', '=', id)
    .execute();
  return data;
}

export async function deleteResource(db: HeatDb, id: string): Promise<void> {
  await db.deleteFrom('heat_resource').where('id', '=', id).execute();
}

export async function deleteStackResources(db: HeatDb, stackId: string): Promise<void> {
  await db.deleteFrom('heat_resource').where('stack_id', '=', stackId).execute();
}

/** The stack whose resource owns `nestedStackId`, for `parent` lookups. */
export async function resourceOwningStack(db: HeatDb, nestedStackId: string): Promise<Resource | null> {
  const row = await db.selectFrom('heat_resource').selectAll().where('nested_stack_id', '=', nestedStackId).executeTakeFirst();
  return row ? toResource(row) : null;
}

/** The resources of a project's live stacks whose physical id is `physicalId` (a server Heat made, looked up from Nova's side). */
export async function resourcesByPhysicalId(db: HeatDb, projectId: string, physicalId: string): Promise<Resource[]> {
  const rows = await db
    .selectFrom('heat_resource')
    .innerJoin('heat_stack', 'heat_stack.id', 'heat_resource.stack_id')
    .selectAll('heat_resource')
    .where('heat_resource.physical_id', '=', physicalId)
    .where('heat_stack.project_id', '=', projectId)
    .where('heat_stack.deleted_at', 'is', null)
    .orderBy('heat_resource.created_at')
    .execute();
  return rows.map(toResource);
}
