/** Regions, services and endpoints: the service catalog. */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { Endpoint, EndpointTable, Region, RegionTable, Service, ServiceTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertRegion(db: IdentityDb, row: Insertable<RegionTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('region').values(row).execute(),
    () => identityErrors.conflict('store', 'region', `Duplicate ID, ${row.id}`),
  );
}

export async function getRegion(db: IdentityDb, id: string): Promise<Region | undefined> {
  return db.selectFrom('region').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getRegionOrThrow(db: IdentityDb, id: string): Promise<Region> {
  const region = await getRegion(db, id);
  if (!region) throw identityErrors.notFound('region', id);
  return region;
}

export async function listRegions(db: IdentityDb, filter: { parentRegionId?: string }): Promise<Region[]> {
  let query = db.selectFrom('region').selectAll().orderBy('id');
  if (filter.parentRegionId !== undefined) query = query.where('parent_region_id', '=', filter.parentRegionId);
  return query.execute();
}

export async function updateRegion(db: IdentityDb, id: string, patch: Updateable<RegionTable>): Promise<void> {
  await db.updateTable('region').set(patch).where('id', '=', id).execute();
}

export async function deleteRegion(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('region').where('id', '=', id).execute();
}

export async function insertService(db: IdentityDb, row: Insertable<ServiceTable>): Promise<void> {
  await db.insertInto('service').values(row).execute();
}

export async function getService(db: IdentityDb, id: string): Promise<Service | undefined> {
  return db.selectFrom('service').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getServiceOrThrow(db: IdentityDb, id: string): Promise<Service> {
  const service = await getService(db, id);
  if (!service) throw identityErrors.notFound('service', id);
  return service;
}

export async function listServices(db: IdentityDb, filter: { type?: string; name?: string }): Promise<Service[]> {
  let query = db.selectFrom('service').selectAll().orderBy('type');
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  return query.execute();
}

export async function updateService(db: IdentityDb, id: string, patch: Updateable<ServiceTable>): Promise<void> {
  await db.updateTable('service').set(patch).where('id', '=', id).execute();
}

export async function deleteService(db: IdentityDb, id: string): Promise<void> {
  const endpoints = db.selectFrom('endpoint').select('id').where('service_id', '=', id);
  await db.deleteFrom('project_endpoint').where('endpoint_id', 'in', endpoints).execute();
  await db.deleteFrom('endpoint').where('service_id', '=', id).execute();
  await db.deleteFrom('service').where('id', '=', id).execute();
}

export async function insertEndpoint(db: IdentityDb, row: Insertable<EndpointTable>): Promise<void> {
  await db.insertInto('endpoint').values(row).execute();
}

export async function getEndpointOrThrow(db: IdentityDb, id: string): Promise<Endpoint> {
  const endpoint = await db.selectFrom('endpoint').selectAll().where('id', '=', id).executeTakeFirst();
  if (!endpoint) throw identityErrors.notFound('endpoint', id);
  return endpoint;
}

export async function listEndpoints(
  db: IdentityDb,
  filter: { serviceId?: string; interface?: string; regionId?: string; enabled?: boolean },
): Promise<Endpoint[]> {
  let query = db.selectFrom('endpoint').selectAll().orderBy('service_id').orderBy('interface');
  if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
  if (filter.interface !== undefined) query = query.where('interface', '=', filter.interface);
  if (filter.regionId !== undefined) query = query.where('region_id', '=', filter.regionId);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  return query.execute();
}

export async function updateEndpoint(db: IdentityDb, id: string, patch: Updateable<EndpointTable>): Promise<void> {
  await db.updateTable('endpoint').set(patch).where('id', '=', id).execute();
}

export async function deleteEndpoint(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('project_endpoint').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('endpoint').where('id', '=', id).execute();
}

export async function countEndpointsInRegion(db: IdentityDb, regionId: string): Promise<number> {
  const rows = await db.selectFrom('endpoint').select('id').where('region_id', '=', regionId).execute();
  return rows.length;
}
