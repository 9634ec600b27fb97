/** Application credentials and (EC2-type and other) credentials. */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { AppCredential, AppCredentialTable, Credential, CredentialTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertAppCredential(db: IdentityDb, row: Insertable<AppCredentialTable>, roleIds: string[]): Promise<void> {
  await uniquely(
    () => db.insertInto('application_credential').values(row).execute(),
    () => identityErrors.conflict('store', 'application_credential', `Duplicate entry found with name ${row.name}`),
  );
  if (roleIds.length > 0) {
    await db
      .insertInto('application_credential_role')
      .values(roleIds.map((role_id) => ({ application_credential_id: row.id, role_id })))
      .execute();
  }
}

export async function getAppCredential(db: IdentityDb, id: string): Promise<AppCredential | undefined> {
  return db.selectFrom('application_credential').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getAppCredentialOrThrow(db: IdentityDb, id: string): Promise<AppCredential> {
  const credential = await getAppCredential(db, id);
  if (!credential) throw identityErrors.notFound('Application Credential', id);
  return credential;
}

export async function findAppCredentialByName(db: IdentityDb, userId: string, name: string): Promise<AppCredential | undefined> {
  return db.selectFrom('application_credential').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
}

export async function listAppCredentials(db: IdentityDb, userId: string, filter: { name?: string }): Promise<AppCredential[]> {
  let query = db.selectFrom('application_credential').selectAll().where('user_id', '=', userId).orderBy('name');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  return query.execute();
}

export async function appCredentialRoleIds(db: IdentityDb, ids: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (ids.length === 0) return result;
  const rows = await db.selectFrom('application_credential_role').selectAll().where('application_credential_id', 'in', ids).execute();
  for (const row of rows) {
    result.set(row.application_credential_id, [...(result.get(row.application_credential_id) ?? []), row.role_id]);
  }
  return result;
}

export async function deleteAppCredential(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('application_credential_role').where('application_credential_id', '=', id).execute();
  await db.deleteFrom('application_credential').where('id', '=', id).execute();
}

/** Every application credential `userId` made for `projectId`, with its roles. */
export async function deleteAppCredentialsForUserOnProject(db: IdentityDb, userId: string, projectId: string): Promise<void> {
  const ids = db.selectFrom('application_credential').select('id').where('user_id', '=', userId).where('project_id', '=', projectId);
  await db.deleteFrom('application_credential_role').where('application_credential_id', 'in', ids).execute();
  await db.deleteFrom('application_credential').where('user_id', '=', userId).where('project_id', '=', projectId).execute();
}

export async function insertCredential(db: IdentityDb, row: Insertable<CredentialTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('credential').values(row).execute(),
    () => identityErrors.conflict('store', 'credential', `Duplicate entry found with ID ${row.id}`),
  );
}

export async function getCredential(db: IdentityDb, id: string): Promise<Credential | undefined> {
  return db.selectFrom('credential').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getCredentialOrThrow(db: IdentityDb, id: string): Promise<Credential> {
  const credential = await getCredential(db, id);
  if (!credential) throw identityErrors.notFound('credential', id);
  return credential;
}

export async function listCredentials(db: IdentityDb, filter: { userId?: string; type?: string }): Promise<Credential[]> {
  let query = db.selectFrom('credential').selectAll().orderBy('id');
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  return query.execute();
}

export async function updateCredential(db: IdentityDb, id: string, patch: Updateable<CredentialTable>): Promise<void> {
  await db.updateTable('credential').set(patch).where('id', '=', id).execute();
}

export async function deleteCredential(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('credential').where('id', '=', id).execute();
}

/** Every credential, of any type and owner, tied to the project. */
export async function deleteCredentialsForProject(db: IdentityDb, projectId: string): Promise<void> {
  await db.deleteFrom('credential').where('project_id', '=', projectId).execute();
}
