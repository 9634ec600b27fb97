import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as serviceIds from './0002-service-ids.js';

export const computeMigrations: Migrations = {
  '0001-initial': initial,
  '0002-service-ids': serviceIds,
};
