/** The Kysely handle on the compute tables, and the integer id counters Nova's API exposes. */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { ComputeTables } from './tables.js';

export type ComputeDb = Kysely<ComputeTables>;

export function computeDb(db: Database): ComputeDb {
  return db.kysely.withTables<ComputeTables>();
}

/**
 * The next value of a named counter (keypair, aggregate and migration ids are
 * integers in Nova's API, services too before 2.53; the migrations create the counters). Both engines
 * lock the row for the UPDATE, so concurrent callers get distinct values.
 */
export async function nextId(db: ComputeDb, name: 'keypair' | 'aggregate' | 'migration' | 'service'): Promise<number> {
  const row = await db
    .updateTable('compute_counter')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
