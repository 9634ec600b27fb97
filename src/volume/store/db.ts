/** The volume service's view of the database. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { VolumeTables } from './tables.js';

export type VolumeDb = Kysely<VolumeTables> | Transaction<VolumeTables>;

export function volumeDb(db: Database): Kysely<VolumeTables> {
  return db.kysely.withTables<VolumeTables>();
}
