import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';

export const meteringMigrations: Migrations = {
  '0001-initial': initial,
};
