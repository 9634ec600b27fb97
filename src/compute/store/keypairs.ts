/** Keypairs: one per (user, name). */
import type { ComputeDb } from './db.js';
import type { KeypairTable } from './tables.js';

export type Keypair = KeypairTable;

export async function insertKeypair(db: ComputeDb, keypair: Keypair): Promise<void> {
  await db.insertInto('compute_keypair').values(keypair).execute();
}

export async function getKeypair(db: ComputeDb, userId: string, name: string): Promise<Keypair | null> {
  const row = await db.selectFrom('compute_keypair').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function listKeypairs(db: ComputeDb, userId: string): Promise<Keypair[]> {
  const rows = await db.selectFrom('compute_keypair').selectAll().where('user_id', '=', userId).orderBy('name').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/**
 * Deletes the key pair; true only for the one statement that removed it, so
 * that of concurrent deletes exactly one gives its quota back (a read before
 * the delete would let each of them see the row).
 */
export async function deleteKeypair(db: ComputeDb, userId: string, name: string): Promise<boolean> {
  const result = await db.deleteFrom('compute_keypair').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
