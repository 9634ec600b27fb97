import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as metadefs from './0002-metadefs.js';

export const imageMigrations: Migrations = {
  '0001-initial': initial,
  '0002-metadefs': metadefs,
};
