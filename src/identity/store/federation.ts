/** OS-FEDERATION rows: identity providers and their remote ids, protocols, mappings, service providers. */
import type { Insertable, Updateable } from 'kysely';
import type { IdentityDb } from './index.js';
import type { FederationProtocol, IdentityProvider, IdentityProviderTable, Mapping, ServiceProvider, ServiceProviderTable } from './tables.js';

export async function insertIdentityProvider(db: IdentityDb, row: Insertable<IdentityProviderTable>, remoteIds: string[]): Promise<void> {
  await db.insertInto('identity_provider').values(row).execute();
  await setRemoteIds(db, row.id, remoteIds);
}

/** Replaces the provider's remote ids (the primary key refuses one another provider holds). */
export async function setRemoteIds(db: IdentityDb, idpId: string, remoteIds: string[]): Promise<void> {
  await db.deleteFrom('idp_remote_id').where('idp_id', '=', idpId).execute();
  if (remoteIds.length > 0) {
    await db
      .insertInto('idp_remote_id')
      .values(remoteIds.map((remote_id) => ({ idp_id: idpId, remote_id })))
      .execute();
  }
}

export async function getIdentityProvider(db: IdentityDb, id: string): Promise<IdentityProvider | undefined> {
  return db.selectFrom('identity_provider').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listIdentityProviders(db: IdentityDb, filter: { id?: string; enabled?: boolean }): Promise<IdentityProvider[]> {
  let query = db.selectFrom('identity_provider').selectAll().orderBy('id');
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  return query.execute();
}

export async function remoteIdsOf(db: IdentityDb, idpIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (idpIds.length === 0) return result;
  for (const row of await db.selectFrom('idp_remote_id').selectAll().where('idp_id', 'in', idpIds).orderBy('remote_id').execute()) {
    result.set(row.idp_id, [...(result.get(row.idp_id) ?? []), row.remote_id]);
  }
  return result;
}

export async function remoteIdOwner(db: IdentityDb, remoteId: string): Promise<string | undefined> {
  return (await db.selectFrom('idp_remote_id').select('idp_id').where('remote_id', '=', remoteId).executeTakeFirst())?.idp_id;
}

export async function updateIdentityProvider(db: IdentityDb, id: string, set: Updateable<IdentityProviderTable>): Promise<void> {
  if (Object.keys(set).length > 0) await db.updateTable('identity_provider').set(set).where('id', '=', id).execute();
}

export async function deleteIdentityProvider(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('federation_protocol').where('idp_id', '=', id).execute();
  await db.deleteFrom('idp_remote_id').where('idp_id', '=', id).execute();
  await db.deleteFrom('identity_provider').where('id', '=', id).execute();
}

export async function getProtocol(db: IdentityDb, idpId: string, id: string): Promise<FederationProtocol | undefined> {
  return db.selectFrom('federation_protocol').selectAll().where('idp_id', '=', idpId).where('id', '=', id).executeTakeFirst();
}

export async function listProtocols(db: IdentityDb, idpId: string): Promise<FederationProtocol[]> {
  return db.selectFrom('federation_protocol').selectAll().where('idp_id', '=', idpId).orderBy('id').execute();
}

export async function putProtocol(db: IdentityDb, row: FederationProtocol): Promise<void> {
  await db.deleteFrom('federation_protocol').where('idp_id', '=', row.idp_id).where('id', '=', row.id).execute();
  await db.insertInto('federation_protocol').values(row).execute();
}

export async function deleteProtocol(db: IdentityDb, idpId: string, id: string): Promise<void> {
  await db.deleteFrom('federation_protocol').where('idp_id', '=', idpId).where('id', '=', id).execute();
}

export async function getMapping(db: IdentityDb, id: string): Promise<Mapping | undefined> {
  return db.selectFrom('mapping').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMappings(db: IdentityDb): Promise<Mapping[]> {
  return db.selectFrom('mapping').selectAll().orderBy('id').execute();
}

export async function putMapping(db: IdentityDb, row: Mapping): Promise<void> {
  await db.deleteFrom('mapping').where('id', '=', row.id).execute();
  await db.insertInto('mapping').values(row).execute();
}

export async function deleteMapping(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('mapping').where('id', '=', id).execute();
}

export async function getServiceProvider(db: IdentityDb, id: string): Promise<ServiceProvider | undefined> {
  return db.selectFrom('service_provider').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listServiceProviders(db: IdentityDb, filter: { id?: string; enabled?: boolean }): Promise<ServiceProvider[]> {
  let query = db.selectFrom('service_provider').selectAll().orderBy('id');
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  return query.execute();
}

export async function insertServiceProvider(db: IdentityDb, row: Insertable<ServiceProviderTable>): Promise<void> {
  await db.insertInto('service_provider').values(row).execute();
}

export async function updateServiceProvider(db: IdentityDb, id: string, set: Updateable<ServiceProviderTable>): Promise<void> {
  if (Object.keys(set).length > 0) await db.updateTable('service_provider').set(set).where('id', '=', id).execute();
}

export async function deleteServiceProvider(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('service_provider').where('id', '=', id).execute();
}
