/** The alarming service's view of the database. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { AlarmingTables } from './tables.js';

export type AlarmingDb = Kysely<AlarmingTables> | Transaction<AlarmingTables>;

export function alarmingDb(db: Database): Kysely<AlarmingTables> {
  return db.kysely.withTables<AlarmingTables>();
}
