/** The placement service's store: its tables and queries, nothing else touches them. */
import type { Database } from '../../core/db/database.js';
import type { PlacementDb, PlacementTables } from './tables.js';

export function placementDb(db: Database): PlacementDb {
  return db.kysely.withTables<PlacementTables>();
}

export * from './tables.js';
export * from './providers.js';
export * from './candidates.js';
