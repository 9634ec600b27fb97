/** The network service's store: its tables and queries, nothing else touches them. */
import type { Database } from '../../core/db/database.js';
import type { NetworkTables } from './tables.js';
import type { NetworkDb } from './resources.js';

export function networkDb(db: Database): NetworkDb {
  return db.kysely.withTables<NetworkTables>();
}

export * from './resources.js';
export * from './ipam.js';
export type { NetworkTables } from './tables.js';
export * from './port-forwardings.js';
