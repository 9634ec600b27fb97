import type { Migrations } from '../../core/db/migrate.js';
import * as timeseries from '../timeseries/migrations/0001-initial.js';
import * as incomingCounts from '../timeseries/migrations/0002-incoming-counts.js';
import * as initial from './0001-initial.js';

/**
 * The metric service's one migration history: the index's tables and the
 * time-series engine's, in the order they were written. A new migration of
 * either room takes the next number here (Kysely refuses a name that sorts
 * before one already applied).
 */
export const metricMigrations: Migrations = {
  '0001-initial': initial,
  '0002-timeseries': timeseries,
  '0003-incoming-counts': incomingCounts,
};
