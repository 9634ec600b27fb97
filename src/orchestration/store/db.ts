/** The orchestration service's view of the database. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { OrchestrationTables } from './tables.js';

export type HeatDb = Kysely<OrchestrationTables> | Transaction<OrchestrationTables>;

export function orchestrationDb(db: Database): Kysely<OrchestrationTables> {
  return db.kysely.withTables<OrchestrationTables>();
}
