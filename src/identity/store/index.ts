/**
 * The identity store: every query on the identity tables, nothing else. Split
 * by concern (resources, users, roles, catalog, credentials, limits,
 * revocations); only the identity service calls it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';
import type { IdentityTables } from './tables.js';

export type IdentityDb = Kysely<IdentityTables> | Transaction<IdentityTables>;

export function identityDb(db: Database): Kysely<IdentityTables> {
  return db.kysely.withTables<IdentityTables>();
}

export * from './tables.js';
export * from './resources.js';
export * from './users.js';
export * from './roles.js';
export * from './catalog.js';
export * from './credentials.js';
export * from './limits.js';
export * from './revocations.js';
