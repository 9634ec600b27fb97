import type { Migrations } from '../../../core/db/migrate.js';
import * as initial from './ts-0001-initial.js';

/** Named `ts-...` so they sort apart from the index's migrations in the metric service's one history. */
export const timeseriesMigrations: Migrations = {
  'ts-0001-initial': initial,
};
