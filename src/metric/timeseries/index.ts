/**
 * Gnocchi's storage side for the metric service: `createTimeSeriesEngine`
 * and the migrations of its tables (merged into the metric module's).
 */
import type { Database } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import { DatabaseTimeSeriesEngine, type Pacing } from './engine.js';
import { TimeSeriesStore } from './store.js';
import type { TimeSeriesEngine } from './types.js';

export type * from './types.js';

/** How often the background loop looks for pending measures when not told (Gnocchi's metricd waits up to 60 s; a dev cloud wants its graphs sooner). */
const DEFAULT_PROCESS_DELAY_MS = 2000;

export interface TimeSeriesEngineOptions {
  db: Database;
  /**
   * The data directory. Unused: series live in the database (see README.md),
   * so that every process of a PostgreSQL cluster sees them.
   */
  dataDir: string;
  log: Logger;
  processDelayMs?: number;
  /** How the background loop gives way to pushes (engine.ts); tests tighten it. */
  pacing?: Pacing;
}

export function createTimeSeriesEngine(options: TimeSeriesEngineOptions): TimeSeriesEngine {
  return new DatabaseTimeSeriesEngine(new TimeSeriesStore(options.db), options.log, options.processDelayMs ?? DEFAULT_PROCESS_DELAY_MS, options.pacing);
}
