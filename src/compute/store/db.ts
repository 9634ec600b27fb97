/** The Kysely handle on the compute tables, and the integer id counters Nova's API exposes. */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { WriteGeneration } from '../../core/db/write-generation.js';
import type { ComputeTables } from './tables.js';

export type ComputeDb = Kysely<ComputeTables>;

/** What the scheduler's host view copies from compute's tables: a write to them makes the view stale. */
export const HOST_VIEW_TABLES = ['compute_service', 'compute_aggregate'] as const;

/** The compute tables, with writes counted by `writes` when given (it chooses which tables it counts). */
export function computeDb(db: Database, writes?: WriteGeneration): ComputeDb {
  const tables = db.kysely.withTables<ComputeTables>();
  return writes ? tables.withPlugin(writes) : tables;
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
