/**
 * Keystone's unified limits: registered (default) limits and per-project/domain
 * limits. A limit refers to its registered limit by (service_id, region_id,
 * resource_name); '' in region_id, project_id or domain_id means "none", so
 * the unique constraints hold on both engines.
 */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { Limit, LimitTable, RegisteredLimit, RegisteredLimitTable } from './tables.js';
import { identityErrors } from '../errors.js';

const registeredLimitConflict = () => identityErrors.conflict('store', 'registered_limit', 'Duplicate entry');
const limitConflict = () => identityErrors.conflict('store', 'limit', 'Duplicate entry');

export async function insertRegisteredLimit(db: IdentityDb, row: Insertable<RegisteredLimitTable>): Promise<void> {
  await uniquely(() => db.insertInto('registered_limit').values(row).execute(), registeredLimitConflict);
}

export async function getRegisteredLimitOrThrow(db: IdentityDb, id: string): Promise<RegisteredLimit> {
  const row = await db.selectFrom('registered_limit').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw identityErrors.registeredLimitNotFound(id);
  return row;
}

export interface LimitFilter {
  serviceId?: string;
  regionId?: string;
  resourceName?: string;
  projectId?: string;
  domainId?: string;
}

export async function listRegisteredLimits(db: IdentityDb, filter: LimitFilter): Promise<RegisteredLimit[]> {
  let query = db.selectFrom('registered_limit').selectAll().orderBy('resource_name');
  if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
  if (filter.regionId !== undefined) query = query.where('region_id', '=', filter.regionId);
  if (filter.resourceName !== undefined) query = query.where('resource_name', '=', filter.resourceName);
  return query.execute();
}

export async function updateRegisteredLimit(db: IdentityDb, id: string, patch: Updateable<RegisteredLimitTable>): Promise<void> {
  // An update naming no column changes nothing (and SQL has no empty SET).
  if (Object.keys(patch).length === 0) return;
  await uniquely(() => db.updateTable('registered_limit').set(patch).where('id', '=', id).execute(), registeredLimitConflict);
}

export async function deleteRegisteredLimit(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('registered_limit').where('id', '=', id).execute();
}

export async function insertLimit(db: IdentityDb, row: Insertable<LimitTable>): Promise<void> {
  await uniquely(() => db.insertInto('limit').values(row).execute(), limitConflict);
}

export async function getLimit(db: IdentityDb, id: string): Promise<Limit | undefined> {
  return db.selectFrom('limit').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getLimitOrThrow(db: IdentityDb, id: string): Promise<Limit> {
  const row = await getLimit(db, id);
  if (!row) throw identityErrors.limitNotFound(id);
  return row;
}

export async function listLimits(db: IdentityDb, filter: LimitFilter): Promise<Limit[]> {
  let query = db.selectFrom('limit').selectAll().orderBy('resource_name');
  if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
  if (filter.regionId !== undefined) query = query.where('region_id', '=', filter.regionId);
  if (filter.resourceName !== undefined) query = query.where('resource_name', '=', filter.resourceName);
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
  return query.execute();
}

export async function updateLimit(db: IdentityDb, id: string, patch: Updateable<LimitTable>): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('limit').set(patch).where('id', '=', id).execute();
}

export async function deleteLimit(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('limit').where('id', '=', id).execute();
}

/** The project's own limits (a domain's limits name it in domain_id and stay). */
export async function deleteLimitsForProject(db: IdentityDb, projectId: string): Promise<void> {
  await db.deleteFrom('limit').where('project_id', '=', projectId).execute();
}
