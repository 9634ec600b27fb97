import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as stackTrust from './0002-stack-trust.js';

/**
 * Kysely runs a service's migrations in name order and refuses a new one that
 * sorts before one already run: the `software-*` ones (software/) already
 * follow `0001-initial`, so later engine migrations are named `stack-*`,
 * which sorts after them.
 */
export const orchestrationMigrations: Migrations = {
  '0001-initial': initial,
  'stack-0002-trust-id': stackTrust,
};
