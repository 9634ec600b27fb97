/** The policies API's rows (/v3/policies). */
import type { Insertable, Updateable } from 'kysely';

import type { IdentityDb } from './index.js';
import type { PolicyBlob, PolicyBlobTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertPolicyBlob(db: IdentityDb, row: Insertable<PolicyBlobTable>): Promise<void> {
  await db.insertInto('policy').values(row).execute();
}

export async function getPolicyBlobOrThrow(db: IdentityDb, id: string): Promise<PolicyBlob> {
  const policy = await db.selectFrom('policy').selectAll().where('id', '=', id).executeTakeFirst();
  if (!policy) throw identityErrors.notFound('policy', id);
  return policy;
}

export async function listPolicyBlobs(db: IdentityDb, filter: { type?: string }): Promise<PolicyBlob[]> {
  let query = db.selectFrom('policy').selectAll().orderBy('id');
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  return query.execute();
}

export async function updatePolicyBlob(db: IdentityDb, id: string, patch: Updateable<PolicyBlobTable>): Promise<void> {
  await db.updateTable('policy').set(patch).where('id', '=', id).execute();
}

export async function deletePolicyBlob(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('policy').where('id', '=', id).execute();
}
