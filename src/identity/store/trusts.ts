/** OS-TRUST trusts and their delegated roles. */
import type { Insertable } from 'kysely';
import type { IdentityDb } from './index.js';
import type { Trust, TrustTable } from './tables.js';

export async function insertTrust(db: IdentityDb, row: Insertable<TrustTable>, roleIds: string[]): Promise<void> {
  await db.insertInto('trust').values(row).execute();
  if (roleIds.length > 0) {
    await db
      .insertInto('trust_role')
      .values(roleIds.map((role_id) => ({ trust_id: row.id, role_id })))
      .execute();
  }
}

/** The row whatever its state; the service decides whether an expired or used-up trust still exists. */
export async function getTrustRow(db: IdentityDb, id: string): Promise<Trust | undefined> {
  return db.selectFrom('trust').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTrustRows(db: IdentityDb, filter: { trustorUserId?: string; trusteeUserId?: string; redelegatedTrustId?: string }): Promise<Trust[]> {
  let query = db.selectFrom('trust').selectAll().orderBy('created_at').orderBy('id');
  if (filter.trustorUserId !== undefined) query = query.where('trustor_user_id', '=', filter.trustorUserId);
  if (filter.trusteeUserId !== undefined) query = query.where('trustee_user_id', '=', filter.trusteeUserId);
  if (filter.redelegatedTrustId !== undefined) query = query.where('redelegated_trust_id', '=', filter.redelegatedTrustId);
  return query.execute();
}

export async function trustRoleIds(db: IdentityDb, ids: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (ids.length === 0) return result;
  const rows = await db.selectFrom('trust_role').selectAll().where('trust_id', 'in', ids).orderBy('role_id').execute();
  for (const row of rows) result.set(row.trust_id, [...(result.get(row.trust_id) ?? []), row.role_id]);
  return result;
}

/**
 * Takes one use of a limited trust, atomically: false when none was left
 * (two token requests racing for the last use get one token between them).
 */
export async function consumeTrustUse(db: IdentityDb, id: string): Promise<boolean> {
  const row = await getTrustRow(db, id);
  if (!row) return false;
  if (row.remaining_uses === null) return true;
  const result = await db
    .updateTable('trust')
    .set((eb) => ({ remaining_uses: eb('remaining_uses', '-', 1) }))
    .where('id', '=', id)
    .where('remaining_uses', '>', 0)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteTrustRow(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('trust_role').where('trust_id', '=', id).execute();
  await db.deleteFrom('trust').where('id', '=', id).execute();
}
