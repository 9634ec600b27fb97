/**
 * The identity store: every query on the identity tables, nothing else. Split
 * by concern (resources, users, roles, catalog, credentials, limits,
 * revocations); only the identity service calls it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { WriteGeneration } from '../../core/db/write-generation.js';
import type { IdentityTables } from './tables.js';

export type IdentityDb = Kysely<IdentityTables> | Transaction<IdentityTables>;

/** The identity tables, with every write counted by `writes` when given (for caches). */
export function identityDb(db: Database, writes?: WriteGeneration): Kysely<IdentityTables> {
  const tables = db.kysely.withTables<IdentityTables>();
  return writes ? tables.withPlugin(writes) : tables;
}

export * from './tables.js';
export * from './table-names.js';
export * from './resources.js';
export * from './users.js';
export * from './roles.js';
export * from './catalog.js';
export * from './credentials.js';
export * from './limits.js';
export * from './revocations.js';
export * from './trusts.js';
export * from './federation.js';
export * from './endpoint-filter.js';
export * from './policies.js';
export * from './domain-config.js';
export * from './oauth1.js';
