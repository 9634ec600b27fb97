// The metric time-series engine alone (no HTTP), from the compiled tree, for the
// engine benches (ingest.mjs, drain.mjs): SQLite in a temp dir, or DB_URL's
// PostgreSQL database (which the bench may fill), migrated for the metric service.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../dist/src/', import.meta.url);
const { openDatabase } = await import(new URL('core/db/database.js', root));
const { migrateService } = await import(new URL('core/db/migrate.js', root));
const { createLogger } = await import(new URL('core/logger.js', root));
const { createTimeSeriesEngine } = await import(new URL('metric/timeseries/index.js', root));
const { metricMigrations } = await import(new URL('metric/migrations/index.js', root));

/** { dir, db, engine }, the caller closes `db` and removes `dir` when done. */
export async function openEngine(prefix, engineOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase({ connection: process.env.DB_URL ?? join(dir, 'bench.sqlite') });
  await migrateService(db, 'metric', metricMigrations);
  return { dir, db, engine: createTimeSeriesEngine({ db, dataDir: dir, log: createLogger('silent'), ...engineOptions }) };
}
