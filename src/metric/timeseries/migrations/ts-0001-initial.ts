/**
 * The time-series engine's tables. Frozen: never edit, add a new migration.
 *
 * `bytea` holds packed float64 pairs on both engines: PostgreSQL's binary
 * type, and on SQLite a declared type without text affinity, so a Buffer is
 * stored as the BLOB it is.
 */
import type { MigrationDb } from '../../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  const metricId = 'varchar(64)' as const;

  // Accepted measures awaiting aggregation, one row per pushed batch; the id orders them as accepted.
  await db.schema
    .createTable('ts_incoming')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('metric_id', metricId, (c) => c.notNull())
    .addColumn('measure_count', 'integer', (c) => c.notNull())
    .addColumn('points', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ts_incoming_metric').on('ts_incoming').columns(['metric_id', 'id']).execute();

  // One row per metric ever processed: the row lock that serialises its processing, and the raw points the back window keeps.
  await db.schema
    .createTable('ts_metric')
    .addColumn('metric_id', metricId, (c) => c.primaryKey())
    .addColumn('raw_points', 'bytea', (c) => c.notNull())
    .execute();

  // The aggregated series, cut into splits of a fixed number of periods (carbonara's 3600) keyed by their first period.
  await db.schema
    .createTable('ts_split')
    .addColumn('metric_id', metricId, (c) => c.notNull())
    .addColumn('method', 'varchar(32)', (c) => c.notNull())
    .addColumn('granularity_us', 'bigint', (c) => c.notNull())
    .addColumn('split_start_us', 'bigint', (c) => c.notNull())
    .addColumn('points', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('ts_split_pk', ['metric_id', 'method', 'granularity_us', 'split_start_us'])
    .execute();
}
