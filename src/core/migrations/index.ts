/**
 * Migrations of the core tables (task queue, quotas), applied on start with
 * `migrateService(db, 'core', coreMigrations)`. Names sort in order of
 * application; a released migration is never edited, only followed.
 */
import type { Migrations } from '../db/migrate.js';
import * as tasks from './0001-tasks.js';
import * as quotas from './0002-quotas.js';
import * as taskHost from './0003-task-host.js';

export const coreMigrations: Migrations = {
  '0001-tasks': tasks,
  '0002-quotas': quotas,
  '0003-task-host': taskHost,
};
