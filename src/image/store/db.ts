/** The image service's view of the database. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { ImageTables } from './tables.js';

export type ImageDb = Kysely<ImageTables> | Transaction<ImageTables>;

export function imageDb(db: Database): Kysely<ImageTables> {
  return db.kysely.withTables<ImageTables>();
}
