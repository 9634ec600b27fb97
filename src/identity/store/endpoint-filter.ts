/** OS-EP-FILTER: endpoint groups and the endpoints and endpoint groups associated with projects. */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { EndpointGroup, EndpointGroupTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertEndpointGroup(db: IdentityDb, row: Insertable<EndpointGroupTable>): Promise<void> {
  await db.insertInto('endpoint_group').values(row).execute();
}

export async function getEndpointGroupOrThrow(db: IdentityDb, id: string): Promise<EndpointGroup> {
  const group = await db.selectFrom('endpoint_group').selectAll().where('id', '=', id).executeTakeFirst();
  if (!group) throw identityErrors.notFound('Endpoint Group', id);
  return group;
}

export async function listEndpointGroups(db: IdentityDb, filter: { name?: string; ids?: string[] }): Promise<EndpointGroup[]> {
  let query = db.selectFrom('endpoint_group').selectAll().orderBy('id');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  return query.execute();
}

export async function updateEndpointGroup(db: IdentityDb, id: string, patch: Updateable<EndpointGroupTable>): Promise<void> {
  await db.updateTable('endpoint_group').set(patch).where('id', '=', id).execute();
}

export async function deleteEndpointGroup(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('project_endpoint_group').where('endpoint_group_id', '=', id).execute();
  await db.deleteFrom('endpoint_group').where('id', '=', id).execute();
}

export async function addEndpointToProject(db: IdentityDb, endpointId: string, projectId: string): Promise<void> {
  await uniquely(
    () => db.insertInto('project_endpoint').values({ endpoint_id: endpointId, project_id: projectId }).execute(),
    () => identityErrors.conflict('store', 'project_endpoint', `Duplicate entry`),
  );
}

export async function hasEndpointInProject(db: IdentityDb, endpointId: string, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_endpoint')
    .select('endpoint_id')
    .where('endpoint_id', '=', endpointId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function removeEndpointFromProject(db: IdentityDb, endpointId: string, projectId: string): Promise<void> {
  await db.deleteFrom('project_endpoint').where('endpoint_id', '=', endpointId).where('project_id', '=', projectId).execute();
}

export async function endpointIdsOfProject(db: IdentityDb, projectId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_endpoint').select('endpoint_id').where('project_id', '=', projectId).execute();
  return rows.map((r) => r.endpoint_id);
}

export async function projectIdsOfEndpoint(db: IdentityDb, endpointId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_endpoint').select('project_id').where('endpoint_id', '=', endpointId).orderBy('project_id').execute();
  return rows.map((r) => r.project_id);
}

export async function addEndpointGroupToProject(db: IdentityDb, groupId: string, projectId: string): Promise<void> {
  await uniquely(
    () => db.insertInto('project_endpoint_group').values({ endpoint_group_id: groupId, project_id: projectId }).execute(),
    () => identityErrors.conflict('store', 'project_endpoint_group', `Duplicate entry`),
  );
}

export async function hasEndpointGroupInProject(db: IdentityDb, groupId: string, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_endpoint_group')
    .select('project_id')
    .where('endpoint_group_id', '=', groupId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function removeEndpointGroupFromProject(db: IdentityDb, groupId: string, projectId: string): Promise<void> {
  await db.deleteFrom('project_endpoint_group').where('endpoint_group_id', '=', groupId).where('project_id', '=', projectId).execute();
}

export async function endpointGroupIdsOfProject(db: IdentityDb, projectId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_endpoint_group').select('endpoint_group_id').where('project_id', '=', projectId).execute();
  return rows.map((r) => r.endpoint_group_id);
}

export async function projectIdsOfEndpointGroup(db: IdentityDb, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_endpoint_group').select('project_id').where('endpoint_group_id', '=', groupId).orderBy('project_id').execute();
  return rows.map((r) => r.project_id);
}

/** What Keystone's callbacks remove when a project goes. */
export async function deleteEndpointFilterOfProject(db: IdentityDb, projectId: string): Promise<void> {
  await db.deleteFrom('project_endpoint').where('project_id', '=', projectId).execute();
  await db.deleteFrom('project_endpoint_group').where('project_id', '=', projectId).execute();
}
